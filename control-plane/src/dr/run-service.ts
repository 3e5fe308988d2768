/**
 * Starting and steering DR operations. A drill starts at once (one operator); a real operation (planned
 * switchover, unplanned failover, failback) waits for a second, different operator's approval (双人复核)
 * and only then starts its workflow. One operation per protection group at a time (see runRepo.insert).
 */
import type { WorkflowEngine } from '../engine/engine.ts';
import type { StepSpec } from '../engine/dag.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { centresRepo } from './centres-repo.ts';
import { addConfirmation, checkSecondApprover, confirmationsRequired, type OperationKind } from './domain/approvals.ts';
import { checkTarget, failoverTarget } from './domain/centres.ts';
import { composeRun } from './domain/run-graph.ts';
import type { PlanStep } from './domain/plan.ts';
import { planRepo } from './plan-repo.ts';
import type { GroupRow } from './protection-repo.ts';
import type { SandboxParams, Site, StepParams } from './run-actions.ts';
import { runRepo, type RunRow } from './run-repo.ts';

export const RUN_KINDS = ['drill', 'switchover', 'failover', 'failback', 'reprotect'] as const satisfies readonly OperationKind[];
export type RunKind = (typeof RUN_KINDS)[number];

export interface StartInput {
  readonly kind: RunKind;
  /** The plan to run; a re-protection takes none (its steps follow from the group). */
  readonly planId?: string;
  /** DR centre to go to (drill, switchover, failover); default: same-city first, remote when it is lost or absent. */
  readonly target?: string;
  /** Unplanned failover: centres known to be lost (production, and maybe the same-city one). */
  readonly lostCentres?: readonly string[];
  readonly scenario?: string;
  /** How long drill sandboxes may live before the sweeper removes them whatever happens. */
  readonly sandboxTtlSeconds?: number;
}

const DEFAULT_SANDBOX_TTL_SECONDS = 4 * 3600;

interface Caller {
  readonly userId: string;
  readonly username: string;
}

/** Where the run goes from and to; refuses a target that is the production centre or not a DR centre of the group. */
function direction(group: GroupRow, input: StartInput): { source: string; target: string } {
  const prod = group.centres.production;
  if (input.kind === 'reprotect') return reprotectDirection(group, input);
  if (input.kind === 'failback') {
    if (group.activeCentre === prod) throw new ConflictError('the group already runs at its production centre: nothing to fail back');
    return { source: group.activeCentre, target: prod };
  }
  if (group.activeCentre !== prod) throw new ConflictError(`the group runs at ${group.activeCentre} after a failover: fail back first`);
  let target = input.target;
  if (target === undefined) {
    target = input.kind === 'failover' ? failoverTarget(group.centres, new Set(input.lostCentres ?? [prod])) : (group.centres.sameCity ?? group.centres.remote);
    if (target === undefined) throw new InputError('every DR centre of the group is lost: there is nowhere to fail over to', 'target');
  }
  checkTarget(group.centres, target);
  if (input.lostCentres?.includes(target)) throw new InputError(`the target ${target} is named as lost`, 'target');
  return { source: prod, target };
}

/**
 * Re-protection replicates from where the group now runs into another of its centres: back into production
 * after a switchover or failover (reverse replication, so that a failback is possible), or — production
 * lost — re-seeding the remaining DR centre from the one now serving (same-city → remote).
 */
function reprotectDirection(group: GroupRow, input: StartInput): { source: string; target: string } {
  const { production, sameCity, remote } = group.centres;
  const source = group.activeCentre;
  const lost = new Set(input.lostCentres ?? []);
  if (lost.has(source)) throw new InputError(`the group runs at ${source}, which is named as lost: fail over first`, 'lostCentres');
  const candidates = [production, sameCity, remote].filter((c): c is string => c !== undefined && c !== source && !lost.has(c));
  const target = input.target ?? candidates[0];
  if (target === undefined) throw new InputError('no centre of the group is left to replicate into', 'target');
  if (target === source) throw new InputError(`the group runs at ${target}: re-protect into another centre`, 'target');
  if (![production, sameCity, remote].includes(target)) throw new InputError(`the target ${target} is not one of the group's centres`, 'target');
  if (lost.has(target)) throw new InputError(`the target ${target} is named as lost`, 'target');
  return { source, target };
}

/**
 * Creates the run (refused when the group has one) and, for a drill, starts its workflow in the same
 * transaction. Nothing is created when any check fails.
 */
export async function startRun(db: Queryable, engine: WorkflowEngine, caller: Caller, group: GroupRow, input: StartInput): Promise<RunRow> {
  let plan: { id: string; version: number; digest: string } | null = null;
  if (input.kind === 'reprotect') {
    if (input.planId !== undefined) throw new InputError('a re-protection takes no plan: its steps follow from the group', 'planId');
  } else {
    const found = input.planId === undefined ? undefined : await planRepo.byId(db, input.planId);
    if (!found || found.groupId !== group.id) throw new InputError('the plan is not a plan of this protection group', 'planId');
    const version = (await planRepo.version(db, found.id))!;
    plan = { id: found.id, version: version.version, digest: version.digest };
  }
  const { source, target } = direction(group, input);
  const id = newId();
  const real = input.kind !== 'drill';
  await runRepo.insert(db, {
    id, groupId: group.id, departmentId: group.departmentId, kind: input.kind, planId: plan?.id ?? null, planVersion: plan?.version ?? null, planDigest: plan?.digest ?? null,
    sourceCentre: source, targetCentre: target, status: real ? 'awaiting-approval' : 'running', operatorId: caller.userId, operator: caller.username, scenario: input.scenario ?? '',
  });
  await runRepo.insertSystems(db, id, group.systemIds);
  // An unplanned failover's disruption was detected when the operator declared it; a drill or a planned
  // operation starts its clock at the declaration.
  await runRepo.mark(db, id, group.systemIds, input.kind === 'failover' ? 'detect' : 'declare', 'start');
  if (!real) await startWorkflow(db, engine, id, group, input.sandboxTtlSeconds ?? DEFAULT_SANDBOX_TTL_SECONDS);
  return (await runRepo.byId(db, id))!;
}

/** The second person approves a real operation; its workflow starts now. */
export async function approveRun(db: Queryable, engine: WorkflowEngine, caller: Caller, run: RunRow, group: GroupRow): Promise<RunRow> {
  if (run.status !== 'awaiting-approval') throw new ConflictError(`the ${run.kind} is ${run.status}: only one awaiting approval can be approved`);
  checkSecondApprover(run.kind, run.operatorId ?? '', caller.userId);
  if (run.kind === 'failover') {
    await runRepo.mark(db, run.id, group.systemIds, 'detect', 'end');
    await runRepo.mark(db, run.id, group.systemIds, 'declare', 'start');
  }
  await startWorkflow(db, engine, run.id, group, DEFAULT_SANDBOX_TTL_SECONDS, { id: caller.userId, name: caller.username });
  return (await runRepo.byId(db, run.id))!;
}

/** A confirmation of a manual step; a real operation's needs two different people. */
export async function confirmStep(db: Queryable, caller: Caller, run: RunRow, stepKey: string): Promise<{ confirmations: number; required: number; complete: boolean }> {
  if (run.status !== 'running' || !run.workflowId) throw new ConflictError(`the ${run.kind} is ${run.status}: nothing to confirm`);
  const step = await runRepo.workflowStep<StepParams>(db, run.workflowId, stepKey);
  if (!step || step.params?.step?.kind !== 'manual') throw new NotFoundError(`the run has no manual step ${stepKey}`);
  const required = confirmationsRequired(run.kind);
  const existing = await runRepo.confirmations(db, run.id, stepKey);
  const r = addConfirmation(existing, { userId: caller.userId, username: caller.username, at: new Date().toISOString() }, required);
  await runRepo.addConfirmation(db, run.id, stepKey, caller);
  return { confirmations: r.confirmations.length, required, complete: r.complete };
}

/** The names a DR workflow's input carries so the console can title it in either language; the title stays English. */
interface TitleNames { group: string; source: { zh: string; en: string }; target: { zh: string; en: string } }

async function startWorkflow(db: Queryable, engine: WorkflowEngine, runId: string, group: GroupRow, ttlSeconds: number, approver: { id: string; name: string } | null = null): Promise<void> {
  const run = (await runRepo.byId(db, runId))!;
  const centres = await centresRepo.byIds(db, [run.sourceCentre, run.targetCentre]);
  const site = (id: string): Site => ({ cloudId: centres.get(id)!.cloudId, zone: centres.get(id)!.zone });
  const source = site(run.sourceCentre);
  const target = site(run.targetCentre);
  // What the console needs to title the workflow in the reader's language (console/src/app/core/workflow-title.ts).
  const centreName = (id: string) => ({ zh: centres.get(id)!.name, en: centres.get(id)!.nameEn });
  const names: TitleNames = { group: group.name, source: centreName(run.sourceCentre), target: centreName(run.targetCentre) };
  if (run.kind === 'reprotect') return startReprotect(db, engine, run, group, source, target, approver, names);
  const version = (await planRepo.version(db, run.planId!, run.planVersion!))!;
  const drill = run.kind === 'drill';
  const edges = await systemsRepo.allEdges(db);
  const nodes = composeRun([{ planId: version.planId, plan: version.content }], edges.filter((e) => group.systemIds.includes(e.systemId) && group.systemIds.includes(e.dependsOnId)));
  const stepKey = (nodeKey: string) => `step:${nodeKey.slice(version.planId.length + 1)}`;
  const index = new Map(group.systemIds.map((s, i) => [s, i]));
  const sandboxOf = (systemId: string) => `dr-${runId.slice(0, 8)}-${index.get(systemId)}`;
  const steps: StepSpec[] = [{ key: 'declare', action: 'dr.declare', params: { runId, systemIds: group.systemIds }, dependsOn: [] }];
  if (drill) {
    for (const s of group.systemIds) {
      const p: SandboxParams = { runId, systemId: s, site: target, sandbox: sandboxOf(s), ttlSeconds };
      steps.push({ key: `sandbox:${index.get(s)}`, action: 'dr.sandbox', params: p, dependsOn: ['declare'] });
    }
  }
  const bySystem = new Map<string, string[]>();
  for (const n of nodes) {
    const sys = n.step.systemId;
    const params: StepParams = { runId, kind: run.kind, step: n.step, source, target, ...(drill && sys ? { sandbox: sandboxOf(sys) } : {}) };
    const deps = [...n.dependsOn.map(stepKey), drill && sys ? `sandbox:${index.get(sys)}` : 'declare'];
    steps.push({ key: stepKey(n.key), action: 'dr.step', params, dependsOn: [...new Set(deps)], maxAttempts: n.step.kind === 'probe' ? 1 : 5 });
    if (sys) bySystem.set(sys, [...(bySystem.get(sys) ?? []), stepKey(n.key)]);
  }
  const allPlanSteps = nodes.map((n) => stepKey(n.key));
  for (const s of group.systemIds) {
    const i = index.get(s)!;
    const mine = bySystem.get(s) ?? [];
    steps.push({ key: `verify:${i}`, action: 'dr.verify', params: { runId, systemId: s, site: target, ...(drill ? { sandbox: sandboxOf(s) } : {}) }, dependsOn: mine.length ? mine : [drill ? `sandbox:${i}` : 'declare'] });
    // Steps without a system (waits, manual confirmations) may still touch the sandbox's system: cleanup waits for every plan step.
    if (drill) steps.push({ key: `cleanup:${i}`, action: 'dr.cleanup', params: { runId, systemId: s, site: target, sandbox: sandboxOf(s) }, dependsOn: [`verify:${i}`, ...allPlanSteps.filter((k) => !mine.includes(k))] });
  }
  if (!drill) steps.push({ key: 'activate', action: 'dr.activate', params: { groupId: group.id, centre: run.targetCentre, previous: run.sourceCentre }, dependsOn: group.systemIds.map((s) => `verify:${index.get(s)}`) });
  const workflowId = await engine.start(db, {
    kind: `dr.${run.kind}`, title: `${run.kind} ${group.name} → ${run.targetCentre}`, input: { runId, groupId: group.id, planId: run.planId, planVersion: run.planVersion, names },
    departmentId: group.departmentId, createdBy: run.operatorId, steps,
  });
  await runRepo.setWorkflow(db, runId, workflowId, approver);
}


/**
 * A re-protection's workflow: per system, replicate from the serving centre into the target under the step's
 * key (observed after a lost answer like every DR step), then check at the target that the system is a replica
 * there. The serving centre does not change.
 */
async function startReprotect(db: Queryable, engine: WorkflowEngine, run: RunRow, group: GroupRow, source: Site, target: Site, approver: { id: string; name: string } | null, names: TitleNames): Promise<void> {
  const steps: StepSpec[] = [{ key: 'declare', action: 'dr.declare', params: { runId: run.id, systemIds: group.systemIds }, dependsOn: [] }];
  group.systemIds.forEach((systemId, i) => {
    const step: PlanStep = {
      id: `reprotect-${i}`, title: `replicate ${run.sourceCentre} → ${run.targetCentre}`, group: 0, dependsOn: [], estimateSeconds: 60,
      kind: 'action', operation: 'reverseReplication', at: 'target', systemId,
    };
    const params: StepParams = { runId: run.id, kind: 'reprotect', step, source, target };
    steps.push({ key: `step:reprotect-${i}`, action: 'dr.step', params, dependsOn: ['declare'], maxAttempts: 5 });
    steps.push({ key: `verify:${i}`, action: 'dr.verify', params: { runId: run.id, systemId, site: target, expect: 'replica' }, dependsOn: [`step:reprotect-${i}`] });
  });
  const workflowId = await engine.start(db, {
    kind: 'dr.reprotect', title: `reprotect ${group.name} → ${run.targetCentre}`, input: { runId: run.id, groupId: group.id, names },
    departmentId: group.departmentId, createdBy: run.operatorId, steps,
  });
  await runRepo.setWorkflow(db, run.id, workflowId, approver);
}
