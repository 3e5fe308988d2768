import fc from 'fast-check';
import { checkSchedule } from './checker.ts';
import type { PlanInput } from './plan-model.ts';
import { randomPlan } from './random-plan.ts';
import { solvePlan } from './scheduler.ts';

/**
 * Random plans (departments' slots and busy weeks, holidays, groups, dependencies, DR ≥ 4 systems, pools
 * that grow, waves under way), checked by the independent checker. A few dozen runs here; the benchmark
 * runs the 5,000-system plan.
 */
const planArb = fc.record({
  systems: fc.integer({ min: 4, max: 60 }),
  windows: fc.integer({ min: 4, max: 12 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  slack: fc.double({ min: 0.5, max: 1.6, noNaN: true }),
  dependencyRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
  maxGroup: fc.integer({ min: 2, max: 5 }),
  pinnedWindows: fc.integer({ min: 0, max: 2 }),
});

/** Throws (so that fast-check sees the failure, shrinks it and prints the plan's options). */
function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

describe('scheduler properties over random plans (fast-check)', () => {
  it('never returns a schedule that breaks a constraint, and its lower bound never exceeds its makespan', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (o) => {
        const plan = randomPlan(o);
        const r = await solvePlan(plan, { timeLimitSeconds: 1.5 });
        if (r.status === 'infeasible') {
          must(r.explanations.length > 0 && r.assignment.size === 0, 'an infeasible plan explains itself and schedules nothing');
        } else if (r.status === 'incomplete') {
          must(r.unplaced.length > 0, 'an incomplete answer names what it could not place');
        } else {
          const violations = checkSchedule(plan, r.assignment);
          must(violations.length === 0, `violations: ${violations.map((v) => v.message).join('; ')}`);
          must(r.lowerBound <= r.makespan!, `lower bound ${r.lowerBound} > makespan ${r.makespan}`);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('on plans small enough to enumerate: infeasible exactly when no schedule exists, and the optimum otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(planArb.map((o) => ({ ...o, systems: 3 + (o.systems % 4), windows: 3 + (o.windows % 2), pinnedWindows: 0 })), async (o) => {
        const plan = randomPlan(o);
        const optimum = bruteForceMakespan(plan);
        const r = await solvePlan(plan, { timeLimitSeconds: 3 });
        if (optimum === null) {
          must(r.status === 'infeasible' && r.explanations.length > 0, `no schedule exists, the solver said ${r.status}`);
        } else {
          must(r.status === 'optimal' && r.makespan === optimum, `optimum ${optimum}, solver ${r.status} ${r.makespan}`);
          must(r.lowerBound <= optimum, `lower bound ${r.lowerBound} > optimum ${optimum}`);
          must(checkSchedule(plan, r.assignment).length === 0, 'violations');
        }
      }),
      { numRuns: 30 },
    );
  });
});

/** Smallest makespan over every assignment of groups and lone systems to windows that the checker accepts. */
function bruteForceMakespan(plan: PlanInput): number | null {
  const units: string[][] = [];
  const byGroup = new Map<string, string[]>();
  for (const s of plan.systems) {
    if (s.group === null) units.push([s.id]);
    else byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s.id]);
  }
  units.push(...byGroup.values());
  const W = plan.windows.length;
  let best: number | null = null;
  const windows = new Array<number>(units.length).fill(0);
  for (;;) {
    const makespan = Math.max(...windows) + 1;
    if (best === null || makespan < best) {
      const assignment = new Map<string, number>();
      units.forEach((u, i) => u.forEach((id) => assignment.set(id, windows[i]!)));
      if (checkSchedule(plan, assignment).length === 0) best = makespan;
    }
    let i = 0;
    while (i < units.length && ++windows[i]! === W) windows[i++] = 0;
    if (i === units.length) return best;
  }
}
