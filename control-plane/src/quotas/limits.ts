import { InputError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';
import { QuotaError, RESOURCE_CLASSES, type ResourceClass } from './contract.ts';
import { capOf, rowKey } from './fit.ts';
import { pathIds, quotaRepo, type LedgerEntry, type NodeRow } from './quota-repo.ts';

export const MAX_LIMIT = 1_000_000_000_000;

export interface LimitInput {
  cloudId: string;
  resourceClass: ResourceClass;
  /** null removes the cap at this level (not allowed for a system: a system without a limit gets nothing). */
  limit: number | null;
  softLimit?: number | null;
}

export interface LimitChange {
  cloudId: string;
  resourceClass: ResourceClass;
  from: { limit: number | null; softLimit: number | null };
  to: { limit: number | null; softLimit: number | null };
  used: number;
}

const OVERCOMMITTABLE = new Set<ResourceClass>(['vcpu', 'memoryGiB']);

/**
 * Sets limits on one node. The rows are locked (in the global order) first, so a limit never drops below
 * usage that a concurrent reservation is adding: a decrease below reserved + committed is refused, and the
 * table's CHECK would refuse it too. At province level the cap in force is the limit times the cloud's
 * overcommit ratio (vCPU, memory). Every change is a ledger line with the old and new limits.
 */
export async function setLimitsOn(db: Queryable, node: NodeRow, limits: readonly LimitInput[], actor: string, reason: string): Promise<LimitChange[]> {
  if (!limits.length) throw new InputError('at least one limit is needed', 'limits');
  const seen = new Set<string>();
  for (const [i, l] of limits.entries()) {
    const field = `limits.${i}`;
    if (!(RESOURCE_CLASSES as readonly string[]).includes(l.resourceClass)) throw new InputError(`unknown resource class ${String(l.resourceClass)}`, `${field}.resourceClass`);
    for (const [name, v] of [['limit', l.limit], ['softLimit', l.softLimit ?? null]] as const) {
      if (v !== null && (!Number.isSafeInteger(v) || v < 0 || v > MAX_LIMIT)) throw new InputError(`${name} must be a whole number from 0 to ${MAX_LIMIT}`, `${field}.${name}`);
    }
    if (l.limit === null && node.level === 'system') throw new InputError('a system needs a limit (0 allows nothing)', `${field}.limit`);
    if (l.softLimit != null && (l.limit === null || l.softLimit > l.limit)) throw new QuotaError('the soft limit must not be above the limit', `${field}.softLimit`);
    const k = `${l.cloudId}|${l.resourceClass}`;
    if (seen.has(k)) throw new InputError(`${l.cloudId} ${l.resourceClass} is named twice`, `${field}.resourceClass`);
    seen.add(k);
  }
  const clouds = new Set(await quotaRepo.knownClouds(db, [...new Set(limits.map((l) => l.cloudId))]));
  const unknown = limits.findIndex((l) => !clouds.has(l.cloudId));
  if (unknown >= 0) throw new InputError(`unknown cloud ${limits[unknown]!.cloudId}`, `limits.${unknown}.cloudId`);

  const refs = limits.map((l) => ({ nodeId: node.id, cloudId: l.cloudId, resourceClass: l.resourceClass }));
  // The rows above exist from now on too (uncapped until someone sets them), so reservation batches find every
  // row of their path and never create rows while they hold the audit head.
  const above = pathIds(node.path).filter((id) => id !== node.id).flatMap((id) => limits.map((l) => ({ nodeId: id, cloudId: l.cloudId, resourceClass: l.resourceClass })));
  await quotaRepo.ensureRows(db, [...above, ...refs]);
  const rows = new Map((await quotaRepo.lockRows(db, refs)).map((r) => [rowKey(r.nodeId, r.cloudId, r.resourceClass), r]));
  const changes: LimitChange[] = [];
  const ledger: LedgerEntry[] = [];
  for (const [i, l] of limits.entries()) {
    const row = rows.get(rowKey(node.id, l.cloudId, l.resourceClass))!;
    const ratio = node.level === 'province' && OVERCOMMITTABLE.has(l.resourceClass) ? await quotaRepo.overcommit(db, l.cloudId, l.resourceClass) : 1;
    const softLimit = l.softLimit === undefined ? (l.limit !== null && row.softLimit !== null && row.softLimit <= l.limit ? row.softLimit : null) : l.softLimit;
    const cap = capOf(l.limit, ratio);
    const used = row.reserved + row.committed;
    if (cap !== null && cap < used) {
      throw new QuotaError(`${l.cloudId} ${l.resourceClass}: a limit of ${l.limit}${ratio !== 1 ? ` (×${ratio} = ${cap})` : ''} is below the ${used} in use`, `limits.${i}.limit`);
    }
    await quotaRepo.setLimit(db, { nodeId: node.id, cloudId: l.cloudId, resourceClass: l.resourceClass, limit: l.limit, softLimit, cap, softCap: capOf(softLimit, ratio) });
    const change = { cloudId: l.cloudId, resourceClass: l.resourceClass, from: { limit: row.limit, softLimit: row.softLimit }, to: { limit: l.limit, softLimit }, used };
    changes.push(change);
    ledger.push({ nodeId: node.id, cloudId: l.cloudId, resourceClass: l.resourceClass, kind: 'limit', reservedDelta: 0, committedDelta: 0, reservationId: null, actor, ref: reason, detail: { from: change.from, to: change.to, ratio } });
  }
  await quotaRepo.appendLedger(db, ledger, new Date());
  return changes;
}

/**
 * Sets a cloud's overcommit ratio for vCPU or memory and recomputes the caps of its province-level rows.
 * A ratio that would put the cap below what is in use is refused.
 */
export async function setOvercommit(db: Queryable, input: { cloudId: string; resourceClass: 'vcpu' | 'memoryGiB'; ratio: number }): Promise<{ from: number; to: number }> {
  if (!(await quotaRepo.knownClouds(db, [input.cloudId])).length) throw new InputError(`unknown cloud ${input.cloudId}`, 'cloudId');
  const from = await quotaRepo.overcommit(db, input.cloudId, input.resourceClass);
  const rows = await quotaRepo.lockProvinceRows(db, input.cloudId, input.resourceClass);
  for (const r of rows) {
    const cap = capOf(r.limit, input.ratio);
    if (cap !== null && cap < r.used) throw new QuotaError(`a ratio of ${input.ratio} gives a cap of ${cap}, below the ${r.used} in use`, 'ratio');
    await quotaRepo.setLimit(db, { nodeId: r.nodeId, cloudId: input.cloudId, resourceClass: input.resourceClass, limit: r.limit, softLimit: r.softLimit, cap, softCap: capOf(r.softLimit, input.ratio) });
  }
  await quotaRepo.setOvercommit(db, input.cloudId, input.resourceClass, input.ratio);
  return { from, to: input.ratio };
}
