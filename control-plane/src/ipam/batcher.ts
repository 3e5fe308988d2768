import type { AuditEntry, AuditLog, AuditRecord } from '../audit/audit-log.ts';
import type { Store } from '../store/store.ts';
import { allocateBatch, type Outcome, type PrefixRequest } from './allocate.ts';
import { ipamRepo, type PrefixRow } from './ipam-repo.ts';

/** Who asked, for the audit record written in the allocation's own commit. */
export interface Requester {
  actorId: string | null;
  actor: string;
  role: string | null;
  requestId: string;
}

interface Pending {
  request: PrefixRequest;
  who: Requester | null;
  resolve: (p: { prefix: PrefixRow; replayed: boolean }) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for next-free allocations. Every allocation locks its parent row, and every audited change
 * appends to one audit chain (a row lock held until commit), so allocations are serial by nature; instead of
 * one transaction each, requests that arrive while this process's previous allocation transaction runs wait in
 * a queue and go together in the next one: their parents locked in id order (one statement), one gap query,
 * one INSERT, and the audit records appended once per caller. No timer: an idle batcher starts at once.
 * Several processes each batch their own requests and take turns on the row locks; the exclusion constraint
 * remains the guard. If a batch transaction fails as a whole (a constraint tripped by another process, a lost
 * connection), its requests are retried one by one so each gets its own answer.
 */
export class AllocationBatcher {
  private queue: Pending[] = [];
  private running = false;
  /** Committed batch transactions and the requests they carried (mean batch size = requests / batches). */
  readonly stats = { batches: 0, requests: 0 };

  constructor(private readonly store: Store, private readonly audit: AuditLog, private readonly maxBatch = 512) {}

  allocate(request: PrefixRequest, who: Requester | null = null): Promise<{ prefix: PrefixRow; replayed: boolean }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, who, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.flush(batch).catch(async () => {
          if (batch.length === 1) return;
          for (const one of batch) await this.flush([one]).catch(() => undefined);
        });
      }
    } finally {
      // No await between the empty check above and here: no request can have slipped in unserved.
      this.running = false;
    }
  }

  /** One transaction for the batch; rejects only if the transaction itself failed (then nothing was settled). */
  private async flush(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    let records: AuditRecord[];
    try {
      ({ outcomes, records } = await this.store.transaction(async (tx) => {
        // Parents locked in id order, one statement; a parent that is gone is answered NOT_FOUND by allocateBatch.
        const locked = await ipamRepo.lockPrefixes(tx, [...new Set(batch.map((b) => b.request.parentId))]);
        const result = await allocateBatch(tx, new Map(locked.map((p) => [p.id, p])), batch.map((b) => b.request));
        const appended: AuditRecord[] = [];
        for (const entry of auditEntries(batch, result)) appended.push(await this.audit.append(tx, entry));
        return { outcomes: result, records: appended };
      }));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      throw error;
    }
    this.stats.batches += 1;
    this.stats.requests += batch.length;
    this.audit.published(records);
    batch.forEach((b, i) => {
      const o = outcomes[i]!;
      if (o.ok) b.resolve({ prefix: o.prefix, replayed: o.replayed });
      else b.reject(o.error);
    });
  }
}

/**
 * The audit records of a batch: one per caller (not per allocation: the chain head is locked until commit, and
 * per-allocation appends would make every batch as slow as the unbatched path). Each lists every allocation
 * of that caller with its own request id; a caller with one allocation gets the usual single-prefix record.
 */
function auditEntries(batch: Pending[], outcomes: Outcome[]): AuditEntry[] {
  const byActor = new Map<string, { who: Requester; items: { prefix: PrefixRow; replayed: boolean; requestId: string }[] }>();
  batch.forEach((b, i) => {
    const o = outcomes[i]!;
    if (!o.ok || !b.who) return;
    const key = `${b.who.actorId}|${b.who.actor}|${b.who.role}`;
    const group = byActor.get(key) ?? { who: b.who, items: [] };
    group.items.push({ prefix: o.prefix, replayed: o.replayed, requestId: b.who.requestId });
    byActor.set(key, group);
  });
  return [...byActor.values()].map(({ who, items }) => {
    const single = items.length === 1 ? items[0]! : null;
    return {
      actorId: who.actorId, actor: who.actor, role: who.role, procedure: 'ipam.allocatePrefix',
      target: single ? `ipam-prefix:${single.prefix.id}` : `ipam-prefixes:${items.length}`,
      outcome: 'ok' as const, before: null,
      after: single
        ? { ...single.prefix, replayed: single.replayed }
        : { allocations: items.map((it) => ({ requestId: it.requestId, id: it.prefix.id, cidr: it.prefix.cidr, parentId: it.prefix.parentId, replayed: it.replayed })) },
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
