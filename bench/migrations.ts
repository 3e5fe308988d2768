/**
 * The migration scheduler on a province-sized plan: 5,000 business systems of ~140 departments (weekly
 * maintenance slots, busy weeks, some departments changing only on the first weekend of a month), 52
 * weekly windows of 2026 with the statutory holidays blacked out, move-together groups and dependencies,
 * per-architecture target pools that grow as hardware arrives, per-city replication links, DR ≥ 4
 * systems filling their target's same-city DR pool. The scheduler (HiGHS MIP) gets 5 s; in the same
 * run, the naive greedy (dependency order, earliest window that fits: the spreadsheet way) is computed
 * for comparison. Both schedules go through the independent checker; both ratios are over the
 * scheduler's proven lower bound.
 *
 * The HiGHS runtime is loaded and warmed on a small plan first, as it is in a running control plane
 * (WebAssembly code is compiled lazily and tiered up on first use); the timed solve starts from the
 * plan's data and ends with the schedule.
 *
 *   npm run bench -- migrations      (writes bench/results/migrations.json)
 *   GANYUN_BENCH_MIGRATIONS_SEED=7 GANYUN_BENCH_MIGRATIONS_SECONDS=5 npm run bench -- migrations
 */
import { availableParallelism, loadavg } from 'node:os';
import { checkSchedule } from '../control-plane/src/migrations/checker.ts';
import { randomPlan } from '../control-plane/src/migrations/random-plan.ts';
import { naiveSchedule, solvePlan } from '../control-plane/src/migrations/scheduler.ts';
import { out, writeResult } from './support/results.ts';

const SYSTEMS = 5000;
const WINDOWS = 52;
const SEED = Number(process.env['GANYUN_BENCH_MIGRATIONS_SEED'] ?? 2026);
const SECONDS = Number(process.env['GANYUN_BENCH_MIGRATIONS_SECONDS'] ?? 5);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

out('warming the HiGHS runtime on a 600-system plan');
await solvePlan(randomPlan({ systems: 600, windows: 20, seed: SEED + 1 }), { timeLimitSeconds: 3 });

const plan = randomPlan({ systems: SYSTEMS, windows: WINDOWS, seed: SEED });
out(`plan: ${plan.systems.length} systems, ${plan.departments.length} departments, ${plan.windows.length} windows, ${plan.links.length} links, ${plan.pools.length} pools, ${plan.blackouts.length} blackouts (seed ${SEED}); load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);

const started = performance.now();
const result = await solvePlan(plan, {
  timeLimitSeconds: SECONDS,
  onProgress: (p) => out(`  ${p.seconds.toFixed(2)} s ${p.phase}: makespan ${p.makespan ?? '—'}, lower bound ${p.lowerBound ?? '—'}`),
});
const solveSeconds = (performance.now() - started) / 1000;
if (result.makespan === null) throw new Error(`the scheduler found no schedule (${result.status}): ${result.explanations.map((e) => e.en).join('; ')}`);
const violations = checkSchedule(plan, result.assignment).length;

const greedyStarted = performance.now();
const greedy = naiveSchedule(plan);
const greedySeconds = (performance.now() - greedyStarted) / 1000;
const greedyViolations = checkSchedule(plan, greedy.assignment).length;
const greedyMakespan = greedy.makespan ?? WINDOWS + 1;

const figures = {
  systems: plan.systems.length,
  windows: plan.windows.length,
  solveSeconds: round(solveSeconds, 2),
  makespanOverLowerBound: round(result.makespan / result.lowerBound, 3),
  violations,
  greedy: {
    solveSeconds: round(greedySeconds, 2),
    makespanOverLowerBound: round(greedyMakespan / result.lowerBound, 3),
    violations: greedyViolations,
  },
};
out(`scheduler: ${result.status}, makespan ${result.makespan} windows, proven lower bound ${result.lowerBound} (gap ${(result.gap! * 100).toFixed(1)}%), peak window risk ${round(result.peakRisk!, 1)}, ${result.stats.clusters} clusters, ${result.stats.mipSolves} MIP solves (${result.stats.method}), ${solveSeconds.toFixed(2)} s, ${violations} violations`);
out(`bound from: ${result.bounds.filter((b) => b.value === result.lowerBound).map((b) => b.name).slice(0, 4).join(', ')}`);
out(`naive greedy: makespan ${greedy.makespan ?? `— (${greedy.unplaced} clusters unplaced)`}, ${greedySeconds.toFixed(2)} s, ${greedyViolations} violations`);
out(JSON.stringify(figures));
writeResult('migrations.json', figures);
