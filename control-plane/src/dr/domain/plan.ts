/**
 * A DR plan (灾难恢复预案) as a graph of typed steps. A plan belongs to a protection group and is written
 * once for every direction: action steps run at the run's `source` or `target` centre, which a run binds
 * (a drill or failover to the same-city or the remote centre, a failback to production).
 *
 * Priority groups order the plan. A step that names no dependency waits for the whole previous group; a
 * step that names its dependencies (in its own group, in earlier groups, or in other plans) waits for
 * those only — so one slow system of group 1 no longer holds every system of group 2, which is what
 * priority groups alone (SRM, ASR) do.
 */
import { InputError } from '../../errors.ts';
import { findCycle } from '../../engine/dag.ts';

import type { DrOperation } from '@ganyun/providers';

export { DR_OPERATIONS, type DrOperation } from '@ganyun/providers';
/** What plan authors write; sandboxes are the run's business, not the plan's. */
export const PLAN_OPERATIONS = ['promoteReplica', 'scaleStandby', 'switchTraffic', 'stopSource', 'reverseReplication', 'breakLink'] as const;
export type PlanOperation = (typeof PLAN_OPERATIONS)[number];
/**
 * Operations a drill never performs: they act on production or on replication. A drill records them as
 * "not run in a drill" and carries on; the others run inside the drill's sandbox.
 */
export const PRODUCTION_ONLY: ReadonlySet<PlanOperation> = new Set(['stopSource', 'reverseReplication', 'breakLink']);

/** The provider operation behind a plan operation: reversing replication is replicating the other way. */
export function providerOperationOf(op: PlanOperation): DrOperation {
  return op === 'reverseReplication' ? 'replicate' : op;
}

export const PROBE_TYPES = ['http', 'tcp', 'sql', 'prometheus'] as const;
export type ProbeType = (typeof PROBE_TYPES)[number];

export type ProbeCheck = { readonly id: string; readonly weight: number } & (
  | { readonly type: 'http'; readonly url: string; readonly expectStatus: number; readonly bodyIncludes?: string }
  | { readonly type: 'tcp'; readonly host: string; readonly port: number }
  | { readonly type: 'sql'; readonly connection: string; readonly query: string; readonly expect: string }
  | { readonly type: 'prometheus'; readonly url: string; readonly query: string; readonly op: '<' | '<=' | '>' | '>=' | '=='; readonly value: number }
);

interface StepBase {
  readonly id: string;
  readonly title: string;
  readonly group: number;
  /** Steps of this plan (`id`) or of another plan (`<planId>:<id>`). */
  readonly dependsOn: readonly string[];
  /** Expected duration, for the critical-path estimate before anything runs. */
  readonly estimateSeconds: number;
  /** The system the step recovers; RTO is measured per system. */
  readonly systemId?: string;
}

export type PlanStep = StepBase &
  (
    | { readonly kind: 'action'; readonly operation: PlanOperation; readonly at: 'source' | 'target'; readonly systemId: string; readonly replicas?: number }
    | { readonly kind: 'probe'; readonly checks: readonly ProbeCheck[]; /** Weighted score (0–1) needed to pass. */ readonly passScore: number; readonly timeoutSeconds: number }
    | { readonly kind: 'manual'; readonly prompt: { readonly zh: string; readonly en: string } }
    | { readonly kind: 'wait'; readonly seconds: number; readonly reason: string }
  );

export interface PlanGroup {
  readonly number: number;
  readonly name: string;
}

export interface PlanDraft {
  readonly name: string;
  readonly groups: readonly PlanGroup[];
  readonly steps: readonly PlanStep[];
}

/** What a plan is checked against (the protection group, the systems, the clouds' declared capabilities). */
export interface PlanWorld {
  /** Systems the plan may name: those of its protection group. */
  readonly systems: ReadonlyMap<string, { readonly name: string }>;
  /** Every binding a run of this plan can have: source and target clouds. */
  readonly bindings: readonly { readonly label: string; readonly source: string; readonly target: string }[];
  /** DR operations a cloud declares; undefined for an unknown cloud. */
  capabilities(cloudId: string): readonly DrOperation[] | undefined;
  /** Steps of other plans a step may depend on: `<planId>:<stepId>` → exists. */
  externalStep?(ref: string): boolean;
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Checks a plan: ids, groups, step fields, known systems and dependencies, no dependency on a later group,
 * no cycle (named), and every action step's operation declared by the cloud it would run on, for every
 * binding. Throws an InputError naming the step and the cause.
 */
export function checkPlan(plan: PlanDraft, world: PlanWorld): void {
  if (plan.steps.length === 0) throw new InputError('a plan needs at least one step', 'steps');
  const groups = new Set<number>();
  for (const g of plan.groups) {
    if (groups.has(g.number)) throw new InputError(`priority group ${g.number} is defined twice`, 'groups');
    groups.add(g.number);
  }
  const byId = new Map<string, PlanStep>();
  for (const [i, s] of plan.steps.entries()) {
    const field = `steps.${i}`;
    if (!ID.test(s.id)) throw new InputError(`step id "${s.id}" must be lower-case letters, digits and dashes`, `${field}.id`);
    if (byId.has(s.id)) throw new InputError(`step id ${s.id} is used twice`, `${field}.id`);
    byId.set(s.id, s);
    if (!groups.has(s.group)) throw new InputError(`step ${s.id} is in priority group ${s.group}, which the plan does not define`, `${field}.group`);
    if (!(s.estimateSeconds >= 0)) throw new InputError(`step ${s.id}: the estimate must be >= 0 seconds`, `${field}.estimateSeconds`);
    if (s.systemId !== undefined && !world.systems.has(s.systemId)) throw new InputError(`step ${s.id} names system ${s.systemId}, which is not in the plan's protection group`, `${field}.systemId`);
    checkStepFields(s, field);
  }
  for (const [i, s] of plan.steps.entries()) {
    for (const d of s.dependsOn) {
      if (d.includes(':')) {
        if (!world.externalStep?.(d)) throw new InputError(`step ${s.id} depends on ${d}, which is not a step of another plan`, `steps.${i}.dependsOn`);
        continue;
      }
      const dep = byId.get(d);
      if (!dep) throw new InputError(`step ${s.id} depends on unknown step ${d}`, `steps.${i}.dependsOn`);
      if (dep.group > s.group) throw new InputError(`step ${s.id} (group ${s.group}) depends on ${d} of a later group (${dep.group}): groups run in order`, `steps.${i}.dependsOn`);
    }
  }
  const graph = effectiveGraph(plan);
  const cycle = findCycle([...graph.keys()], (n) => graph.get(n) ?? []);
  if (cycle) throw new InputError(`the plan's steps form a cycle: ${cycle.join(' → ')}`, 'steps');
  for (const [i, s] of plan.steps.entries()) {
    if (s.kind !== 'action') continue;
    for (const b of world.bindings) {
      const cloudId = s.at === 'source' ? b.source : b.target;
      const caps = world.capabilities(cloudId);
      if (caps === undefined) throw new InputError(`step ${s.id}: cloud ${cloudId} (${b.label}) is unknown`, `steps.${i}.operation`);
      const needed = providerOperationOf(s.operation);
      if (!caps.includes(needed)) throw new InputError(`step ${s.id}: cloud ${cloudId} (${s.at} of ${b.label}) does not support ${needed}`, `steps.${i}.operation`);
    }
  }
}

function checkStepFields(s: PlanStep, field: string): void {
  switch (s.kind) {
    case 'action':
      if (s.operation === 'scaleStandby' && !(Number.isInteger(s.replicas) && s.replicas! >= 1)) throw new InputError(`step ${s.id}: scaleStandby needs a whole number of replicas >= 1`, `${field}.replicas`);
      return;
    case 'probe': {
      if (s.checks.length === 0) throw new InputError(`step ${s.id}: a probe needs at least one check`, `${field}.checks`);
      const ids = new Set<string>();
      for (const c of s.checks) {
        if (ids.has(c.id)) throw new InputError(`step ${s.id}: check ${c.id} is named twice`, `${field}.checks`);
        ids.add(c.id);
        if (!(c.weight > 0)) throw new InputError(`step ${s.id}: check ${c.id} needs a weight > 0`, `${field}.checks`);
      }
      if (!(s.passScore > 0 && s.passScore <= 1)) throw new InputError(`step ${s.id}: the pass score must be within (0, 1]`, `${field}.passScore`);
      if (!(s.timeoutSeconds > 0)) throw new InputError(`step ${s.id}: a probe needs a timeout > 0`, `${field}.timeoutSeconds`);
      return;
    }
    case 'manual':
      if (!s.prompt.zh.trim() || !s.prompt.en.trim()) throw new InputError(`step ${s.id}: a manual step needs its prompt in Chinese and English`, `${field}.prompt`);
      return;
    case 'wait':
      if (!s.reason.trim()) throw new InputError(`step ${s.id}: a wait needs a reason (a fixed sleep is not a verification)`, `${field}.reason`);
      if (!(s.seconds > 0)) throw new InputError(`step ${s.id}: a wait needs seconds > 0`, `${field}.seconds`);
      return;
  }
}

/**
 * The dependencies a step really waits for (inside the plan): its own, or — when it names none — every step
 * of the previous non-empty group that no other step of that group waits for (so all of that group).
 */
export function effectiveGraph(plan: Pick<PlanDraft, 'steps'>): Map<string, string[]> {
  const byGroup = new Map<number, PlanStep[]>();
  for (const s of plan.steps) byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);
  const order = [...byGroup.keys()].sort((a, b) => a - b);
  const exits = new Map<number, string[]>();
  for (const g of order) {
    const members = byGroup.get(g)!;
    const waitedFor = new Set(members.flatMap((s) => s.dependsOn));
    exits.set(g, members.filter((s) => !waitedFor.has(s.id)).map((s) => s.id));
  }
  const out = new Map<string, string[]>();
  for (const s of plan.steps) {
    const local = s.dependsOn.filter((d) => !d.includes(':'));
    if (s.dependsOn.length > 0) {
      out.set(s.id, local);
      continue;
    }
    const previous = order[order.indexOf(s.group) - 1];
    out.set(s.id, previous === undefined ? [] : exits.get(previous)!);
  }
  return out;
}
