/**
 * Protection groups: created from the systems' DR levels, the federation's centres and the links between
 * them, with standby capacity at each DR centre held through the quota service (a reservation of the system
 * held while the group exists, so ordinary requests cannot starve a failover). Readiness per system on read.
 */
import type { Scope } from '../auth/scope.ts';
import { assertInScope } from '../auth/scope.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { QuotaService, QuotaItem } from '../quotas/contract.ts';
import type { Queryable } from '../store/store.ts';
import { systemsRepo, type SystemRow } from '../systems/systems-repo.ts';
import { centresRepo } from './centres-repo.ts';
import { checkCentreSet, type CentreSet } from './domain/centres.ts';
import { isDrLevel, type DrLevel } from './domain/gbt20988.ts';
import { checkProtection, type ProtectedResource, type ProtectionMode, type StandbyCapacity, type SystemFacts } from './domain/protection.ts';
import { readiness, type Readiness } from './domain/readiness.ts';
import { planRepo } from './plan-repo.ts';
import { protectionRepo, type GroupRow } from './protection-repo.ts';
import { runRepo } from './run-repo.ts';

export interface ProtectionInput {
  readonly name: string;
  readonly systemIds: readonly string[];
  readonly mode: ProtectionMode;
  readonly centres: CentreSet;
  /** Default: the strictest of the systems' own targets (set at onboarding from their DR level). */
  readonly rtoSeconds?: number;
  readonly rpoSeconds?: number;
  readonly resources: readonly ProtectedResource[];
  readonly standby: readonly StandbyCapacity[];
  readonly backupIntervalSeconds?: number;
}

/**
 * Standby capacity is a held reservation (the longest hold the quota service grants): held amounts count
 * against every level of the quota path like usage, so ordinary requests cannot take it, yet it is not
 * usage the inventory reconciliation would look for on the cloud. The DR sweeper renews holds a week before
 * they run out (renewStandbyHolds); deleting the group releases them.
 */
export const STANDBY_HOLD_SECONDS = 30 * 86_400;

export const standbyKey = (groupId: string, centre: string) => `dr-standby:${groupId}:${centre}`;

/** DR-site capacity (standby lines, drill windows) as the quota service's items on the centre's cloud. */
export function capacityItems(cloudId: string, c: { vcpu: number; memoryGiB: number; storageGiB: number }): QuotaItem[] {
  return ([['vcpu', c.vcpu], ['memoryGiB', c.memoryGiB], ['storageGiB', c.storageGiB]] as const)
    .filter(([, n]) => n > 0).map(([resourceClass, amount]) => ({ cloudId, resourceClass, amount }));
}

export function systemFacts(s: Pick<SystemRow, 'id' | 'name' | 'drLevel' | 'drEdition'>): SystemFacts {
  if (!isDrLevel(s.drLevel)) throw new InputError(`system ${s.name} has no valid DR level`, 'systemIds');
  return { id: s.id, name: s.name, drLevel: s.drLevel, drEdition: s.drEdition };
}

export async function createProtection(db: Queryable, deps: { quotas: QuotaService }, caller: { userId: string; username: string }, scope: Scope, input: ProtectionInput): Promise<GroupRow> {
  if (new Set(input.systemIds).size !== input.systemIds.length) throw new InputError('a system is named twice', 'systemIds');
  const systems = await systemsRepo.list(db, { departmentIds: null, ids: [...input.systemIds] });
  const unknown = input.systemIds.filter((id) => !systems.some((s) => s.id === id));
  if (unknown.length) throw new InputError(`unknown system ${unknown.join(', ')}`, 'systemIds');
  for (const s of systems) {
    assertInScope(scope, s.departmentId, `system ${s.name}`);
    if (s.status === 'retired') throw new InputError(`system ${s.name} is retired`, 'systemIds');
  }
  const departments = new Set(systems.map((s) => s.departmentId));
  if (departments.size > 1) throw new InputError('the systems of a protection group belong to one department (make one group per department)', 'systemIds');
  const taken = await protectionRepo.groupsOfSystems(db, input.systemIds);
  for (const [systemId, g] of taken) throw new ConflictError(`system ${systems.find((s) => s.id === systemId)!.name} is already protected by group ${g.groupName}`, 'systemIds');
  if (await protectionRepo.nameTaken(db, input.name)) throw new ConflictError(`a protection group named ${input.name} exists`, 'name');

  const ids = [input.centres.production, input.centres.sameCity, input.centres.remote].filter((x): x is string => x !== undefined);
  const known = await centresRepo.byIds(db, ids);
  checkCentreSet(input.centres, known);
  const facts = systems.map(systemFacts);
  const rtoSeconds = input.rtoSeconds ?? Math.min(...systems.map((s) => s.rtoSeconds));
  const rpoSeconds = input.rpoSeconds ?? Math.min(...systems.map((s) => s.rpoSeconds));
  const spec = { ...input, rtoSeconds, rpoSeconds };
  checkProtection(spec, facts, await centresRepo.linkFacts(db));
  await checkResources(db, input.resources);

  const id = newId();
  await protectionRepo.insert(db, {
    id, name: input.name, departmentId: systems[0]!.departmentId, mode: input.mode, centres: input.centres, rtoSeconds, rpoSeconds,
    backupIntervalSeconds: input.backupIntervalSeconds ?? null, createdBy: caller.userId, systemIds: input.systemIds, resources: input.resources,
  });
  // The hold is the first system's (quotas are per system): it is what an ordinary request of any system under
  // the same department and cloud must leave room for.
  const holder = systems[0]!;
  await deps.quotas.ensureSystemNode(db, { systemId: holder.id, departmentId: holder.departmentId, actor: caller.username });
  for (const s of input.standby) {
    const centre = known.get(s.centre)!;
    const items = capacityItems(centre.cloudId, s);
    let reservationId: string | null = null;
    if (items.length) {
      const r = await deps.quotas.reserve(db, { systemId: holder.id, items, idempotencyKey: standbyKey(id, s.centre), ttlSeconds: STANDBY_HOLD_SECONDS, ref: `dr-protection:${id}`, actor: caller.username });
      reservationId = r.id;
    }
    await protectionRepo.insertStandby(db, id, { centre: s.centre, systemId: holder.id, vcpu: s.vcpu, memoryGiB: s.memoryGiB, storageGiB: s.storageGiB, reservationId });
  }
  return (await protectionRepo.byId(db, { departmentIds: null }, id))!;
}

/** Every protected resource must be in the inventory of its cloud now; later disappearances show in readiness. */
async function checkResources(db: Queryable, resources: readonly ProtectedResource[]): Promise<void> {
  if (resources.length === 0) return;
  const rows = await protectionRepo.missingFromInventory(db, resources);
  if (rows.length) throw new InputError(`not in the inventory: ${rows.slice(0, 5).map((r) => `${r.cloudId}:${r.key}`).join(', ')}`, 'resources');
}

export async function loadGroup(db: Queryable, scope: Scope, id: string, opts: { forUpdate?: boolean } = {}): Promise<GroupRow> {
  const dept = await protectionRepo.departmentOf(db, id);
  if (dept === undefined) throw new NotFoundError('protection group not found');
  assertInScope(scope, dept, 'that protection group');
  return (await protectionRepo.byId(db, scope, id, opts))!;
}

/** Removes a group that no operation is running on; its standby holds are released. */
export async function deleteProtection(db: Queryable, deps: { quotas: QuotaService }, caller: { username: string }, group: GroupRow): Promise<void> {
  const { active, ran } = await runRepo.activityOf(db, group.id);
  if (active) throw new ConflictError(`a ${active.kind} (${active.id}) is running on this group`);
  if (ran) throw new ConflictError('the group has operations on record (their reports refer to it): it cannot be deleted');
  for (const s of group.standby) {
    if (s.reservationId) await deps.quotas.release(db, { reservationId: s.reservationId, actor: caller.username, reason: `protection group ${group.name} deleted` });
  }
  await protectionRepo.delete(db, group.id);
}

/**
 * Renews standby holds before the quota service lets them run out (or after the reaper expired one): the old
 * hold is released and a new one taken in one transaction, so the capacity is never counted twice nor free.
 * A renewal the quota no longer allows is left out and shows as missing capacity in readiness.
 */
export async function renewStandbyHolds(db: Queryable, quotas: QuotaService, opts: { withinSeconds?: number } = {}): Promise<string[]> {
  const due = await protectionRepo.standbyHoldsDue(db, opts.withinSeconds ?? 7 * 86_400);
  const renewed: string[] = [];
  for (const d of due) {
    if (d.state === 'held') await quotas.release(db, { reservationId: d.reservationId, actor: 'dr', reason: 'standby hold renewed' });
    const r = await quotas.reserve(db, { systemId: d.systemId, items: d.items, idempotencyKey: `${standbyKey(d.groupId, d.centre)}:${Date.now()}`, ttlSeconds: STANDBY_HOLD_SECONDS, ref: `dr-protection:${d.groupId}`, actor: 'dr' });
    await protectionRepo.setStandbyReservation(db, d.groupId, d.centre, r.id);
    renewed.push(`${d.groupId}:${d.centre}`);
  }
  return renewed;
}

export interface SystemReadiness extends Readiness {
  readonly systemId: string;
  readonly name: string;
  readonly departmentName: string;
  readonly drLevel: DrLevel;
  readonly drEdition: '2007' | '2025';
  readonly groupId: string | null;
}

/** Readiness of every system in the caller's scope (protected or not), or of the named ones. */
export async function readinessOf(db: Queryable, scope: Scope, opts: { systemIds?: readonly string[]; now?: Date } = {}): Promise<SystemReadiness[]> {
  const systems = (await systemsRepo.list(db, { departmentIds: scope.departmentIds, ...(opts.systemIds ? { ids: [...opts.systemIds] } : {}) })).filter((s) => s.status !== 'retired');
  const groups = await protectionRepo.list(db, { departmentIds: null }, {});
  const groupOf = new Map<string, GroupRow>();
  for (const g of groups) for (const s of g.systemIds) groupOf.set(s, g);
  const links = await centresRepo.linkFacts(db);
  const missing = await protectionRepo.missingResources(db, groups.map((g) => g.id));
  const plans = await planRepo.countByGroup(db, groups.map((g) => g.id));
  const drills = await protectionRepo.lastPassedDrills(db, systems.map((s) => s.id));
  const now = opts.now ?? new Date();
  return systems.map((s) => {
    const g = groupOf.get(s.id);
    const level = (isDrLevel(s.drLevel) ? s.drLevel : 1) as DrLevel;
    const targets = [g?.centres.sameCity, g?.centres.remote].filter((x): x is string => x !== undefined);
    const r = readiness({
      drLevel: level,
      rpoSeconds: g?.rpoSeconds ?? s.rpoSeconds,
      ...(g ? {
        protection: {
          mode: g.mode,
          hasSameCity: g.centres.sameCity !== undefined,
          hasRemote: g.centres.remote !== undefined,
          links: g.mode === 'cold-backup' ? [] : links.filter((l) => targets.includes(l.to)),
          capacity: { needed: standbyNeeded(g), reserved: g.standby.reduce((a, x) => a + x.vcpu, 0) },
          missingResources: missing.get(g.id) ?? [],
          hasPlan: (plans.get(g.id) ?? 0) > 0,
        },
      } : {}),
      lastPassedDrillAt: drills.get(s.id) ?? null,
      now,
    });
    return { ...r, systemId: s.id, name: s.name, departmentName: s.departmentName, drLevel: level, drEdition: s.drEdition, groupId: g?.id ?? null };
  });
}

/**
 * Standby vCPU a failover needs at the DR centre: what the protected resources run at production. Without
 * protected resources recorded, what the group reserved is taken as the need (nothing to compare against).
 */
function standbyNeeded(g: GroupRow): number {
  return g.standby.length === 0 ? 1 : Math.max(...g.standby.map((s) => s.vcpu));
}
