/**
 * DR plans and drills on the workflow engine, over the in-process simulated federation (embedded PGlite).
 *
 *  1. A 1,000-step plan (50 systems × 20 steps over 10 priority groups, cross-group dependencies, probes
 *     against a local business endpoint, waits scaled to milliseconds) run as a drill's steps by one runner:
 *     - makespanOverCriticalPath: makespan ÷ the longest path through the graph with each step's MEASURED
 *       duration (the shortest makespan any scheduler could reach with those durations); goal ≤ 1.05;
 *     - overheadMsPerStep: mean time from a step's last dependency finishing to the step starting (the
 *       engine's claim, lease and bookkeeping); goal ≤ 5 ms;
 *     - firstStepMs: from the start call to the first step running; goal ≤ 1 s.
 *  2. A drill of 200 systems through the API (sandbox, promote, standby, traffic, verify, cleanup per
 *     system): drillSystems and leakedObjects (sandboxes left on the clouds after cleanup; goal 0).
 *
 *   npm run bench -- dr          (writes bench/results/dr.json)
 */
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { criticalPath } from '../control-plane/src/dr/domain/run-graph.ts';
import { drWorld, protectionInput } from '../control-plane/src/testing/dr-fixtures.ts';
import { sweep } from '../control-plane/src/dr/run-closer.ts';
import { workflowsRepo } from '../control-plane/src/engine/workflows-repo.ts';
import { closeTestStore } from '../control-plane/src/testing/test-store.ts';
import { out, writeResult } from './support/results.ts';

const SYSTEMS_IN_PLAN = 50;
const STEPS_PER_SYSTEM = 20;
const DRILL_SYSTEMS = Number(process.env['GANYUN_BENCH_DR_SYSTEMS'] ?? 200);

const server = createServer((_q, r) => r.writeHead(200).end('ok'));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;

// ------------------------------------------------------------------ 1. the 1,000-step plan
const w = await drWorld();
const systems: string[] = [];
for (let i = 0; i < SYSTEMS_IN_PLAN; i++) {
  systems.push(await w.system(`系统${String(i).padStart(3, '0')}`, 4));
  await w.seedSites(systems[i]!);
}
const group = await w.as.operator.dr.protection.create(protectionInput(systems, { standby: [] }));
const steps: Record<string, unknown>[] = [];
for (const [i, sys] of systems.entries()) {
  for (let j = 0; j < STEPS_PER_SYSTEM; j++) {
    const g = 1 + Math.floor(j / 2);
    const dependsOn = j === 0 ? [] : [`s${i}-${j - 1}`];
    // Cross-group dependencies: every fifth system also waits for its neighbour's step of the previous group.
    if (j > 1 && i % 5 === 0 && i + 1 < SYSTEMS_IN_PLAN) dependsOn.push(`s${i + 1}-${j - 2}`);
    const base = { id: `s${i}-${j}`, title: `system ${i} step ${j}`, group: g, dependsOn, estimateSeconds: 10 + ((i * 7 + j * 3) % 20), systemId: sys };
    steps.push(j % 5 === 4
      ? { ...base, kind: 'probe', checks: [{ id: 'web', type: 'http', url, expectStatus: 200, weight: 1 }], passScore: 1, timeoutSeconds: 5 }
      : { ...base, kind: 'wait', seconds: base.estimateSeconds, reason: 'replica settles (scaled)' });
  }
}
const saved = await w.as.operator.dr.plans.save({ groupId: group.id, draft: { name: 'bench plan', groups: Array.from({ length: 10 }, (_, k) => ({ number: k + 1, name: `group ${k + 1}` })), steps } as never });
out(`plan: ${steps.length} steps, critical-path estimate ${saved.estimate.criticalPathSeconds} s`);
// Waits run at 1 ms per planned second: the plan's 10–30 s waits take 10–30 ms.
w.newRunner('bench-runner', 64);
const startCall = Date.now();
const run = await w.as.operator.dr.runs.start({ groupId: group.id, kind: 'drill', planId: saved.plan.id });
const wf = await w.settled(run.workflowId!, 600_000);
const all = await workflowsRepo.steps(w.deps.store, run.workflowId!);
const planSteps = all.filter((s) => s.key.startsWith('step:'));
const t = (s: string | null) => new Date(s!).getTime();
const finish = new Map(all.map((s) => [s.key, t(s.finishedAt)]));
const firstStart = Math.min(...planSteps.map((s) => t(s.startedAt)));
const lastFinish = Math.max(...planSteps.map((s) => t(s.finishedAt)));
const makespan = lastFinish - firstStart;
const planKeys = new Set(planSteps.map((s) => s.key));
const measured = new Map(planSteps.map((s) => [s.key, t(s.finishedAt) - t(s.startedAt)]));
const cp = criticalPath(planSteps.map((s) => ({ key: s.key, dependsOn: s.dependsOn.filter((d) => planKeys.has(d)) })), (k) => measured.get(k)!);
const waits = planSteps.map((s) => t(s.startedAt) - Math.max(...s.dependsOn.map((d) => finish.get(d) ?? firstStart), firstStart));
const overheadMsPerStep = waits.reduce((a, b) => a + b, 0) / waits.length;
const firstStepMs = Math.min(...all.map((s) => t(s.startedAt))) - startCall;
out(`plan run: ${wf.status}, makespan ${makespan} ms, critical path ${cp.length} ms (measured durations) → ${(makespan / cp.length).toFixed(3)}; overhead ${overheadMsPerStep.toFixed(2)} ms/step; first step after ${firstStepMs} ms`);
await w.stop();

// ------------------------------------------------------------------ 2. a drill of 200 systems
const d = await drWorld();
const drillSystems: string[] = [];
for (let i = 0; i < DRILL_SYSTEMS; i++) {
  drillSystems.push(await d.system(`演练系统${String(i).padStart(3, '0')}`, 4));
  await d.seedSites(drillSystems[i]!);
}
const dg = await d.as.operator.dr.protection.create(protectionInput(drillSystems, { standby: [] }));
const dplan = await d.as.operator.dr.plans.save({
  groupId: dg.id,
  draft: {
    name: 'drill 200', groups: [{ number: 1, name: 'data' }, { number: 2, name: 'apps' }],
    steps: drillSystems.flatMap((s, i) => [
      { id: `db-${i}`, title: 'promote', group: 1, kind: 'action', operation: 'promoteReplica', at: 'target', systemId: s, estimateSeconds: 60 },
      { id: `app-${i}`, title: 'standby', group: 2, dependsOn: [`db-${i}`], kind: 'action', operation: 'scaleStandby', at: 'target', systemId: s, replicas: 2, estimateSeconds: 120 },
      { id: `web-${i}`, title: 'traffic', group: 2, dependsOn: [`app-${i}`], kind: 'action', operation: 'switchTraffic', at: 'target', systemId: s, estimateSeconds: 20 },
    ]),
  } as never,
});
d.newRunner('bench-drill', 32);
const drillStarted = performance.now();
const drill = await d.as.operator.dr.runs.start({ groupId: dg.id, kind: 'drill', planId: dplan.plan.id });
const dwf = await d.settled(drill.workflowId!, 1_200_000);
await sweep({ store: d.deps.store, federation: d.deps.federation, audit: d.deps.audit, log: d.deps.log });
const drillSeconds = (performance.now() - drillStarted) / 1000;
const left = (await d.deps.federation.provider('jx-province').dr!.state()).sandboxes.length + (await d.deps.federation.provider('jx-dr-ganzhou').dr!.state()).sandboxes.length;
const { report } = await d.as.auditor.dr.runs.report({ id: drill.id });
const production = ['jx-province', 'jx-dr-ganzhou'].flatMap((id) => d.deps.federation.simulated(id)!.cloud.drCallLog).filter((c) => c.production && !c.idempotencyKey.startsWith('seed-')).length;
out(`drill of ${DRILL_SYSTEMS} systems: ${dwf.status} in ${drillSeconds.toFixed(1)} s, report passed=${report.passed}, leaked ${left} (report: ${report.cleanup?.leaked.length}), production calls ${production}`);
await d.stop();
await closeTestStore();
server.close();

const result = {
  makespanOverCriticalPath: Math.round((makespan / cp.length) * 1000) / 1000,
  overheadMsPerStep: Math.round(overheadMsPerStep * 100) / 100,
  firstStepMs,
  drillSystems: DRILL_SYSTEMS,
  leakedObjects: left,
  details: {
    planSteps: planSteps.length, planStatus: wf.status, makespanMs: makespan, criticalPathMs: cp.length, drillStatus: dwf.status, drillSeconds: Math.round(drillSeconds * 10) / 10,
    drillReportPassed: report.passed, drillProductionCalls: production, store: 'PGlite (in memory)', cores: cpus().length, loadAverage: loadavg()[0],
  },
};
writeResult('dr.json', result);
out(JSON.stringify(result, null, 2));
out('wrote bench/results/dr.json');
