import type { AuditEntry, AuditLog } from '../audit/audit-log.ts';
import { byCaller, GroupCommit, type Outcome, type Submitted } from '../store/group-commit.ts';
import type { Store } from '../store/store.ts';
import { allocateBatch, type PrefixRequest } from './allocate.ts';
import { ipamRepo, type PrefixRow } from './ipam-repo.ts';

type Allocated = { prefix: PrefixRow; replayed: boolean };

/**
 * Group commit for next-free allocations (store/group-commit.ts). Every allocation locks its parent row and
 * every audited change appends to one chain, so allocations are serial by nature; a batch locks its parents in
 * id order (one statement), runs one gap query and one INSERT, and the primitive appends one audit record per
 * caller. No linger: an idle batcher starts at once. The exclusion constraint remains the guard across processes.
 */
export class AllocationBatcher extends GroupCommit<PrefixRequest, Allocated> {
  constructor(store: Store, audit: AuditLog, maxBatch = 512) {
    super({ store, audit }, {
      apply: async (tx, batch) => {
        // Parents locked in id order, one statement; a parent that is gone is answered NOT_FOUND by allocateBatch.
        const locked = await ipamRepo.lockPrefixes(tx, [...new Set(batch.map((b) => b.item.parentId))]);
        const result = await allocateBatch(tx, new Map(locked.map((p) => [p.id, p])), batch.map((b) => b.item));
        return result.map((o): Outcome<Allocated> => (o.ok ? { ok: true, value: { prefix: o.prefix, replayed: o.replayed } } : { ok: false, error: o.error }));
      },
      auditEntries,
    }, { lingerMs: 0, maxBatch });
  }
}

/**
 * One record per caller (not per allocation: per-allocation appends would make every batch as slow as the
 * unbatched path). Each lists every allocation of that caller with its own request id; a caller with one
 * allocation gets the usual single-prefix record.
 */
function auditEntries(batch: readonly Submitted<PrefixRequest>[], outcomes: readonly Outcome<Allocated>[]): AuditEntry[] {
  return byCaller(batch, outcomes).map(({ who, items }) => {
    const single = items.length === 1 ? items[0]! : null;
    return {
      actorId: who.actorId, actor: who.actor, role: who.role, procedure: who.procedure,
      target: single ? `ipam-prefix:${single.value.prefix.id}` : `ipam-prefixes:${items.length}`,
      outcome: 'ok' as const, before: null,
      after: single
        ? { ...single.value.prefix, replayed: single.value.replayed }
        : { allocations: items.map((it) => ({ requestId: it.requestId, id: it.value.prefix.id, cidr: it.value.prefix.cidr, parentId: it.value.prefix.parentId, replayed: it.value.replayed })) },
      requestId: (single ?? items[0]!).requestId, error: null,
    };
  });
}

/** One batcher per store (its queue is per process and per database), made on first use. */
const batchers = new WeakMap<Store, AllocationBatcher>();
export function batcherFor(deps: { store: Store; audit: AuditLog }): AllocationBatcher {
  let b = batchers.get(deps.store);
  if (!b) batchers.set(deps.store, (b = new AllocationBatcher(deps.store, deps.audit)));
  return b;
}
