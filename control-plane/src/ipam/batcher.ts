import type { AuditEntry, AuditLog, AuditRecord } from '../audit/audit-log.ts';
import type { Store } from '../store/store.ts';
import { allocateInParent, lockParents, type Outcome, type PrefixRequest } from './allocate.ts';
import type { PrefixRow } from './ipam-repo.ts';

/** What the batch transaction writes to the audit trail for one request (its own record, same commit). */
export type AuditFor = (prefix: PrefixRow, replayed: boolean) => AuditEntry;

interface Pending {
  request: PrefixRequest;
  audit: AuditFor | null;
  resolve: (p: { prefix: PrefixRow; replayed: boolean }) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for next-free allocations. Every allocation must lock its parent row, so allocations in one
 * parent are serial by nature; instead of one transaction (and one lock wait) each, requests that arrive for
 * a parent while its previous transaction is running wait in a queue and go together in the next one:
 * one parent lock, one gap query, one INSERT, and each request's own audit record, for up to `maxBatch`
 * requests. No timer: an idle parent's first request starts at once. Different parents run in parallel.
 * Several processes each batch their own requests and take turns on the row lock; the exclusion
 * constraint remains the guard. If a batch transaction fails as a whole (a constraint, a lost connection),
 * its requests are retried one by one so each gets its own answer.
 */
export class AllocationBatcher {
  private readonly queues = new Map<string, Pending[]>();
  private readonly running = new Set<string>();
  /** Sizes of committed batches (for the bench and metrics). */
  readonly batchSizes: number[] = [];

  constructor(private readonly store: Store, private readonly audit: AuditLog, private readonly maxBatch = 256) {}

  allocate(request: PrefixRequest, audit: AuditFor | null = null): Promise<{ prefix: PrefixRow; replayed: boolean }> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(request.parentId) ?? [];
      queue.push({ request, audit, resolve, reject });
      this.queues.set(request.parentId, queue);
      if (!this.running.has(request.parentId)) void this.drain(request.parentId);
    });
  }

  private async drain(parentId: string): Promise<void> {
    this.running.add(parentId);
    try {
      for (;;) {
        const queue = this.queues.get(parentId);
        if (!queue?.length) break;
        const batch = queue.splice(0, this.maxBatch);
        await this.flush(batch).catch(async () => {
          if (batch.length === 1) return;
          for (const one of batch) await this.flush([one]).catch(() => undefined);
        });
      }
    } finally {
      this.queues.delete(parentId);
      // No await between the empty check above and here: no request can have slipped in unserved.
      this.running.delete(parentId);
    }
  }

  /** One transaction for the batch; rejects only if the transaction itself failed (then nothing was settled). */
  private async flush(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    let records: AuditRecord[];
    try {
      ({ outcomes, records } = await this.store.transaction(async (tx) => {
        const parents = await lockParents(tx, [batch[0]!.request.parentId]);
        const parent = parents.values().next().value!;
        const result = await allocateInParent(tx, parent, batch.map((b) => b.request));
        const appended: AuditRecord[] = [];
        for (let i = 0; i < batch.length; i++) {
          const o = result[i]!;
          const entry = o.ok ? batch[i]!.audit?.(o.prefix, o.replayed) : undefined;
          if (entry) appended.push(await this.audit.append(tx, entry));
        }
        return { outcomes: result, records: appended };
      }));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      throw error;
    }
    this.audit.published(records);
    batch.forEach((b, i) => {
      const o = outcomes[i]!;
      if (o.ok) b.resolve({ prefix: o.prefix, replayed: o.replayed });
      else b.reject(o.error);
    });
  }
}

/** One batcher per store (its queues are per process and per database), made on first use. */
const batchers = new WeakMap<Store, AllocationBatcher>();
export function batcherFor(deps: { store: Store; audit: AuditLog }): AllocationBatcher {
  let b = batchers.get(deps.store);
  if (!b) batchers.set(deps.store, (b = new AllocationBatcher(deps.store, deps.audit)));
  return b;
}
