/**
 * DR plans: checked against the protection group (its systems, every direction a run can take, the DR
 * operations each cloud declares) and saved as immutable versions with their critical-path RTO estimate.
 * The clouds' capabilities are read before the transaction (network I/O never inside one).
 */
import type { DrOperation } from '@ganyun/providers';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { centresRepo } from './centres-repo.ts';
import { checkPlan, effectiveGraph, type PlanDraft, type PlanWorld } from './domain/plan.ts';
import { nextVersion } from './domain/plan-version.ts';
import { composeRun, criticalPath, estimatedRtoBySystem } from './domain/run-graph.ts';
import { planRepo, type PlanEstimate, type PlanRow } from './plan-repo.ts';
import type { GroupRow } from './protection-repo.ts';
import { probeConnectionsRepo } from './probe-connections-repo.ts';

/** What the federation must answer for plans: the DR operations a cloud declares (undefined: unknown cloud). */
export type DrCapabilities = (cloudId: string) => Promise<readonly DrOperation[] | undefined>;

/** Reads the declared DR operations of the clouds a group spans, once each (before any transaction). */
export async function capabilitiesOf(db: Queryable, group: GroupRow, read: DrCapabilities): Promise<Map<string, readonly DrOperation[] | undefined>> {
  const centres = await centresRepo.byIds(db, [group.centres.production, group.centres.sameCity, group.centres.remote].filter((x): x is string => x !== undefined));
  const clouds = [...new Set([...centres.values()].map((c) => c.cloudId))];
  return new Map(await Promise.all(clouds.map(async (c) => [c, await read(c)] as const)));
}

/**
 * Every direction a run of the group's plan can take: to each DR centre (drill, switchover, failover) and
 * back from it (failback), each as the clouds it acts on.
 */
export async function bindingsOf(db: Queryable, group: GroupRow): Promise<PlanWorld['bindings']> {
  const ids = [group.centres.production, group.centres.sameCity, group.centres.remote].filter((x): x is string => x !== undefined);
  const centres = await centresRepo.byIds(db, ids);
  const cloud = (id: string) => centres.get(id)?.cloudId ?? id;
  const prod = cloud(group.centres.production);
  const out: { label: string; source: string; target: string }[] = [];
  for (const [label, c] of [['same-city', group.centres.sameCity], ['remote', group.centres.remote]] as const) {
    if (!c) continue;
    out.push({ label: `to ${label} ${c}`, source: prod, target: cloud(c) }, { label: `back from ${label} ${c}`, source: cloud(c), target: prod });
  }
  return out;
}

export function estimateOf(planId: string, draft: PlanDraft): PlanEstimate {
  const nodes = composeRun([{ planId, plan: draft }], []);
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const cp = criticalPath(nodes, (k) => byKey.get(k)!.step.estimateSeconds);
  const strip = (k: string) => k.slice(planId.length + 1);
  return { criticalPathSeconds: cp.length, criticalPath: cp.path.map(strip), bySystem: Object.fromEntries(estimatedRtoBySystem(nodes)) };
}

/** The plan's edges as a run waits on them (priority groups made explicit), dependency first: for the graph view. */
export function edgesOf(draft: Pick<PlanDraft, 'steps'>): [from: string, to: string][] {
  return [...effectiveGraph(draft)].flatMap(([step, deps]) => deps.map((d): [string, string] => [d, step]));
}

/**
 * Checks a draft against the group as saving would (systems, directions, declared operations, cycles, SQL
 * connections). Throws naming the cause.
 */
export async function checkDraft(db: Queryable, group: GroupRow, caps: ReadonlyMap<string, readonly DrOperation[] | undefined>, draft: PlanDraft): Promise<void> {
  const systems = await systemsRepo.list(db, { departmentIds: null, ids: group.systemIds });
  const world: PlanWorld = {
    systems: new Map(systems.map((s) => [s.id, { name: s.name }])),
    bindings: await bindingsOf(db, group),
    capabilities: (cloudId) => caps.get(cloudId),
    externalStep: () => false,
  };
  checkPlan(draft, world);
  const connections = [...new Set(draft.steps.flatMap((s) => (s.kind === 'probe' ? s.checks.flatMap((c) => (c.type === 'sql' ? [c.connection] : [])) : [])))];
  const known = await probeConnectionsRepo.existing(db, connections);
  const unknown = connections.filter((c) => !known.has(c));
  if (unknown.length) throw new InputError(`SQL probes name unregistered connections: ${unknown.join(', ')} (register them with dr.probeConnections.create)`, 'steps');
}

/**
 * Saves a plan: a new plan (no id) or a new version of an existing one. Content identical to the latest
 * version makes no new version (the latest is returned). Throws naming the cause; nothing is written then.
 */
export async function savePlan(
  db: Queryable,
  group: GroupRow,
  caps: ReadonlyMap<string, readonly DrOperation[] | undefined>,
  caller: { userId: string },
  input: { planId?: string; draft: PlanDraft },
): Promise<{ plan: PlanRow; version: number; created: boolean }> {
  await checkDraft(db, group, caps, input.draft);
  let plan: PlanRow;
  if (input.planId) {
    const found = await planRepo.byId(db, input.planId, { forUpdate: true });
    if (!found || found.groupId !== group.id) throw new NotFoundError('plan not found in this protection group');
    plan = found;
    const other = await planRepo.byName(db, group.id, input.draft.name);
    if (other && other.id !== plan.id) throw new ConflictError(`the group has another plan named ${input.draft.name}`, 'name');
  } else {
    if (await planRepo.byName(db, group.id, input.draft.name)) throw new ConflictError(`the group has a plan named ${input.draft.name}: save a new version of it`, 'name');
    const id = newId();
    await planRepo.insertPlan(db, { id, groupId: group.id, name: input.draft.name, createdBy: caller.userId });
    plan = (await planRepo.byId(db, id))!;
  }
  const latest = plan.latestVersion > 0 ? await planRepo.version(db, plan.id, plan.latestVersion) : undefined;
  const next = nextVersion(latest, input.draft);
  if (next === null) return { plan, version: plan.latestVersion, created: false };
  if (next.version > 10_000) throw new InputError('too many versions of one plan', 'planId');
  await planRepo.insertVersion(db, { planId: plan.id, version: next.version, digest: next.digest, content: input.draft, estimate: estimateOf(plan.id, input.draft), createdBy: caller.userId });
  return { plan: (await planRepo.byId(db, plan.id))!, version: next.version, created: true };
}
