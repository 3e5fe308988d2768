/**
 * A run's graph: one or several plans composed into one DAG. Beyond each plan's own dependencies, a system
 * that depends on a system of another plan (the systems' dependency DAG from onboarding) starts its
 * recovery only once that system's recovery has finished — dependencies across plans, which tools that
 * only know priority groups within one plan cannot express.
 */
import { findCycle } from '../../engine/dag.ts';
import { InputError } from '../../errors.ts';
import { effectiveGraph, type PlanDraft, type PlanStep } from './plan.ts';

export interface RunPlan {
  readonly planId: string;
  readonly plan: Pick<PlanDraft, 'steps'>;
}

export interface RunNode {
  /** `<planId>:<stepId>`: unique in the run. */
  readonly key: string;
  readonly planId: string;
  readonly step: PlanStep;
  readonly dependsOn: readonly string[];
}

export const nodeKey = (planId: string, stepId: string) => `${planId}:${stepId}`;

export function composeRun(plans: readonly RunPlan[], systemDeps: readonly { systemId: string; dependsOnId: string }[]): RunNode[] {
  const nodes = new Map<string, { planId: string; step: PlanStep; deps: Set<string> }>();
  const firstOf = new Map<string, string[]>(); // `${planId}|${systemId}` → node keys
  const lastOf = new Map<string, string[]>(); // systemId → node keys (in whichever plan recovers it)
  const planOfSystem = new Map<string, string>();
  for (const { planId, plan } of plans) {
    const graph = effectiveGraph(plan);
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    const successorsOfSameSystem = new Set<string>();
    for (const s of plan.steps) {
      const deps = new Set<string>();
      for (const d of graph.get(s.id) ?? []) deps.add(nodeKey(planId, d));
      for (const d of s.dependsOn) if (d.includes(':')) deps.add(d);
      nodes.set(nodeKey(planId, s.id), { planId, step: s, deps });
      for (const d of graph.get(s.id) ?? []) if (s.systemId !== undefined && byId.get(d)?.systemId === s.systemId) successorsOfSameSystem.add(d);
    }
    for (const s of plan.steps) {
      if (s.systemId === undefined) continue;
      const other = planOfSystem.get(s.systemId);
      if (other !== undefined && other !== planId) throw new InputError(`system ${s.systemId} is recovered by two plans of the run (${other}, ${planId})`, 'plans');
      planOfSystem.set(s.systemId, planId);
      const ownPredecessor = (graph.get(s.id) ?? []).some((d) => byId.get(d)?.systemId === s.systemId);
      if (!ownPredecessor) push(firstOf, `${planId}|${s.systemId}`, nodeKey(planId, s.id));
      if (!successorsOfSameSystem.has(s.id)) push(lastOf, s.systemId, nodeKey(planId, s.id));
    }
  }
  for (const e of systemDeps) {
    const planA = planOfSystem.get(e.systemId);
    const planB = planOfSystem.get(e.dependsOnId);
    if (planA === undefined || planB === undefined || planA === planB) continue;
    for (const first of firstOf.get(`${planA}|${e.systemId}`) ?? []) for (const last of lastOf.get(e.dependsOnId) ?? []) nodes.get(first)!.deps.add(last);
  }
  for (const [key, n] of nodes) for (const d of n.deps) if (!nodes.has(d)) throw new InputError(`${key} depends on ${d}, which is not in this run`, 'plans');
  const cycle = findCycle([...nodes.keys()], (k) => [...nodes.get(k)!.deps]);
  if (cycle) throw new InputError(`the run's steps form a cycle: ${cycle.join(' → ')}`, 'plans');
  return [...nodes].map(([key, n]) => ({ key, planId: n.planId, step: n.step, dependsOn: [...n.deps] }));
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export interface CriticalPath {
  /** Length of the longest path, in the unit of `duration`. */
  readonly length: number;
  /** Node keys of one longest path, first to last. */
  readonly path: readonly string[];
  readonly earliestStart: ReadonlyMap<string, number>;
  readonly earliestFinish: ReadonlyMap<string, number>;
}

/**
 * Longest path through a DAG (Kahn's order, no recursion: plans have thousands of steps). With the steps'
 * estimates it is the RTO estimate before anything runs; with measured durations it is the shortest
 * makespan any scheduler could achieve, which the benchmark divides the real makespan by.
 */
export function criticalPath(nodes: readonly { key: string; dependsOn: readonly string[] }[], duration: (key: string) => number): CriticalPath {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    indegree.set(n.key, n.dependsOn.length);
    for (const d of n.dependsOn) push(dependents, d, n.key);
  }
  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  const via = new Map<string, string>();
  const queue = nodes.filter((n) => n.dependsOn.length === 0).map((n) => n.key);
  for (const k of queue) start.set(k, 0);
  for (let i = 0; i < queue.length; i++) {
    const k = queue[i]!;
    const f = (start.get(k) ?? 0) + duration(k);
    finish.set(k, f);
    for (const next of dependents.get(k) ?? []) {
      if (f > (start.get(next) ?? -1)) {
        start.set(next, f);
        via.set(next, k);
      }
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  if (queue.length !== nodes.length) throw new InputError('the graph has a cycle', 'steps');
  let end: string | undefined;
  for (const [k, f] of finish) if (end === undefined || f > finish.get(end)!) end = k;
  const path: string[] = [];
  for (let k = end; k !== undefined; k = via.get(k)) path.unshift(k);
  return { length: end === undefined ? 0 : finish.get(end)!, path, earliestStart: start, earliestFinish: finish };
}

/** Estimated RTO per system: when the last of its steps can finish, from the steps' estimates. */
export function estimatedRtoBySystem(nodes: readonly RunNode[]): Map<string, number> {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const cp = criticalPath(nodes, (k) => byKey.get(k)!.step.estimateSeconds);
  const out = new Map<string, number>();
  for (const n of nodes) {
    if (n.step.systemId === undefined) continue;
    out.set(n.step.systemId, Math.max(out.get(n.step.systemId) ?? 0, cp.earliestFinish.get(n.key)!));
  }
  return out;
}
