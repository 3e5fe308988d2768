import { lowerBound, type BoundPart } from './bounds.ts';
import { compilePlan, type Compiled } from './compile.ts';
import { explainBounds, explainStatic, type Explanation } from './explain.ts';
import { naiveGreedy, priorityGreedy, type Construction } from './greedy.ts';
import { solveNeighbourhood } from './mip.ts';
import { balanceRisk, improveMakespan, windowRisk, type SearchStats } from './mip-search.ts';
import type { PlacementState } from './placement-state.ts';
import type { PlanInput } from './plan-model.ts';

/**
 * The scheduler: assigns every system to a window, minimising first the makespan (windows from the
 * plan's start to its last wave) and then the risk (the largest 等保- and dependants-weighted risk moved
 * in any one window), within a time limit, and says how far from optimal the answer can be.
 *
 *  1. compile (bad input is refused here, named) and explain what is infeasible on its face;
 *  2. proven lower bound (bounds.ts);
 *  3. incumbents from greedy constructions (greedy.ts), the best kept;
 *  4. the MIP (HiGHS): exactly, when the plan's time-indexed model is small enough, seeded with the
 *     incumbent, its dual bound raising the lower bound; otherwise neighbourhood by neighbourhood
 *     (mip-search.ts). Then the same for risk with the makespan held.
 * The best schedule found by the time limit is returned with the lower bound and the gap.
 */

export interface SolveOptions {
  timeLimitSeconds: number;
  /** Largest time-indexed model (assignment variables) solved as one MIP. */
  exactVariables?: number;
  /** Called as the solve advances: the console shows it live, the benchmark logs it. */
  onProgress?: (p: SolveProgress) => void;
}

export interface SolveProgress {
  phase: 'compiled' | 'bounded' | 'incumbent' | 'improved' | 'done';
  makespan: number | null;
  lowerBound: number | null;
  seconds: number;
}

export interface PlanResult {
  status: 'optimal' | 'feasible' | 'infeasible' | 'incomplete';
  /** System id → window index. Empty when infeasible. */
  assignment: Map<string, number>;
  makespan: number | null;
  lowerBound: number;
  /** (makespan − lower bound) ÷ makespan; 0 when proven optimal. */
  gap: number | null;
  peakRisk: number | null;
  bounds: BoundPart[];
  explanations: Explanation[];
  /** Systems no schedule was found for within the time limit (status incomplete). */
  unplaced: string[];
  stats: { systems: number; clusters: number; windows: number; solveSeconds: number; greedyMakespan: number | null; mipSolves: number; method: 'exact' | 'neighbourhoods' | 'none' };
}

const DEFAULT_EXACT_VARIABLES = 4000;

export async function solvePlan(input: PlanInput, options: SolveOptions): Promise<PlanResult> {
  const started = performance.now();
  // Stop searching a little before the limit: building the answer and the last model take time too.
  const deadline = started + options.timeLimitSeconds * 1000 - Math.max(300, options.timeLimitSeconds * 50);
  const plan = compilePlan(input);
  const base = { systems: plan.systems.length, clusters: plan.clusters.length, windows: plan.windows };
  const seconds = () => (performance.now() - started) / 1000;
  const progress = (phase: SolveProgress['phase'], makespan: number | null, lowerBound: number | null) => options.onProgress?.({ phase, makespan, lowerBound, seconds: seconds() });
  progress('compiled', null, null);

  const staticProblems = explainStatic(plan);
  const bound = await lowerBound(plan, performance.now() + (deadline - performance.now()) * 0.25);
  const boundProblems = explainBounds(plan, bound.parts, bound.conflicts);
  progress('bounded', null, bound.value);
  if (staticProblems.length || boundProblems.length) {
    return {
      status: 'infeasible', assignment: new Map(), makespan: null, lowerBound: bound.value, gap: null, peakRisk: null, bounds: bound.parts,
      explanations: [...staticProblems, ...boundProblems], unplaced: [],
      stats: { ...base, solveSeconds: seconds(), greedyMakespan: null, mipSolves: 0, method: 'none' },
    };
  }

  let lb = bound.value;
  const stats: SearchStats = { mipSolves: 0 };
  const best = bestConstruction(plan, [priorityGreedy(plan, lb), naiveGreedy(plan)]);
  const greedyMakespan = best.unplaced.length ? null : best.state.makespan();
  let state: PlacementState | null = best.unplaced.length ? null : best.state;
  let method: PlanResult['stats']['method'] = 'neighbourhoods';
  progress('incumbent', greedyMakespan, lb);

  if (exactSize(plan, greedyMakespan ?? plan.windows) <= (options.exactVariables ?? DEFAULT_EXACT_VARIABLES)) {
    method = 'exact';
    const horizon = greedyMakespan ?? plan.windows;
    const all = plan.clusters.map((_, c) => c);
    const windows = Array.from({ length: horizon }, (_, w) => w);
    const remaining = (deadline - performance.now()) / 1000;
    stats.mipSolves++;
    const out = await solveNeighbourhood(plan, best.state, { clusters: all, windows, objective: 'makespan', usedAtLeast: lb, timeLimitSeconds: Math.max(0.05, remaining * 0.7) });
    if (Number.isFinite(out.dualBound)) lb = Math.max(lb, Math.ceil(out.dualBound - 1e-6));
    if (out.windows) {
      state = best.state;
      for (const c of all) state.remove(c);
      for (const [c, w] of out.windows) state.place(c, w);
    } else if (out.status === 'infeasible' && !state) {
      return {
        status: 'infeasible', assignment: new Map(), makespan: null, lowerBound: plan.windows + 1, gap: null, peakRisk: null, bounds: bound.parts,
        explanations: [jointConflict(plan, bound.parts)], unplaced: [],
        stats: { ...base, solveSeconds: seconds(), greedyMakespan, mipSolves: stats.mipSolves, method },
      };
    }
    if (state && performance.now() < deadline) {
      const makespan = state.makespan();
      stats.mipSolves++;
      const risk = await solveNeighbourhood(plan, state, { clusters: all, windows: windows.slice(0, makespan), objective: 'risk', timeLimitSeconds: Math.max(0.05, (deadline - performance.now()) / 1000) });
      if (risk.windows) {
        for (const c of all) state.remove(c);
        for (const [c, w] of risk.windows) state.place(c, w);
      }
    }
  } else if (state) {
    await improveMakespan(plan, state, lb, deadline - options.timeLimitSeconds * 150, stats, (m) => progress('improved', m, lb));
    await balanceRisk(plan, state, deadline, stats);
  }

  if (!state) {
    return {
      status: 'incomplete', assignment: new Map(), makespan: null, lowerBound: lb, gap: null, peakRisk: null, bounds: bound.parts, explanations: [],
      unplaced: best.unplaced.flatMap((c) => plan.clusters[c]!.members.map((i) => plan.systems[i]!.id)),
      stats: { ...base, solveSeconds: seconds(), greedyMakespan, mipSolves: stats.mipSolves, method },
    };
  }
  const makespan = state.makespan();
  lb = Math.min(lb, makespan);
  progress('done', makespan, lb);
  return {
    status: makespan === lb ? 'optimal' : 'feasible',
    assignment: assignmentOf(plan, state),
    makespan,
    lowerBound: lb,
    gap: makespan ? (makespan - lb) / makespan : 0,
    peakRisk: Math.max(0, ...windowRisk(plan, state, makespan)),
    bounds: bound.parts,
    explanations: [],
    unplaced: [],
    stats: { ...base, solveSeconds: seconds(), greedyMakespan, mipSolves: stats.mipSolves, method },
  };
}

/** The naive greedy alone, for comparison (benchmark, console's "what a spreadsheet would do"). */
export function naiveSchedule(input: PlanInput): { assignment: Map<string, number>; makespan: number | null; unplaced: number } {
  const plan = compilePlan(input);
  const out = naiveGreedy(plan);
  return { assignment: assignmentOf(plan, out.state), makespan: out.unplaced.length ? null : out.state.makespan(), unplaced: out.unplaced.length };
}

export function assignmentOf(plan: Compiled, state: PlacementState): Map<string, number> {
  const out = new Map<string, number>();
  plan.clusters.forEach((cl, c) => {
    const w = state.windowOf[c]!;
    if (w >= 0) for (const i of cl.members) out.set(plan.systems[i]!.id, w);
  });
  return out;
}

function bestConstruction(plan: Compiled, options: Construction[]): Construction {
  const score = (o: Construction) => [o.unplaced.length, o.state.makespan(), Math.max(0, ...windowRisk(plan, o.state, o.state.makespan()))];
  return options.reduce((a, b) => {
    const sa = score(a);
    const sb = score(b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! <= sb[i]! ? a : b;
    return a;
  });
}

function exactSize(plan: Compiled, horizon: number): number {
  let n = 0;
  for (const cl of plan.clusters) for (let w = Math.max(0, cl.release); w < horizon; w++) if (cl.allowed[w]) n++;
  return n;
}

/** Infeasible only jointly: no single constraint explains it; name the ones the bounds show are tightest. */
function jointConflict(plan: Compiled, parts: BoundPart[]): Explanation {
  const tight = [...parts].sort((a, b) => b.value - a.value).slice(0, 3).map((p) => p.name);
  return {
    kind: 'resource', systems: plan.systems.map((s) => s.id), windows: [], constraint: tight.join(', '),
    zh: `各项约束合在一起无解：没有一个排期能在 ${plan.windows} 个窗口内同时满足所有约束（最紧的约束：${tight.join('、')}）`,
    en: `the constraints conflict together: no schedule fits all of them within the ${plan.windows} windows (tightest: ${tight.join(', ')})`,
  };
}
