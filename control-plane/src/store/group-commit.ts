import type { AuditActor } from '../audit/actor.ts';
import type { AuditEntry, AuditLog } from '../audit/audit-log.ts';
import type { Queryable, Store } from './store.ts';

/** One item's answer: a value, or a refusal that belongs to that item alone (did not fit, not found, conflict). */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/** An item as submitted, with who asked (null: no audit record, e.g. internal callers that audit themselves). */
export interface Submitted<I> {
  item: I;
  who: AuditActor | null;
}

/** What a capability supplies: how to apply a batch, and what the audit trail says about it. */
export interface GroupCommitWork<I, R> {
  /**
   * Applies the batch inside one transaction, item by item in order. A refusal of one item is an outcome;
   * a throw fails the whole transaction (the primitive then retries, and at last goes item by item).
   */
  apply(tx: Queryable, batch: readonly Submitted<I>[]): Promise<Outcome<R>[]>;
  /** The batch's audit records, from its outcomes (typically one per caller listing what they got). */
  auditEntries(batch: readonly Submitted<I>[], outcomes: readonly Outcome<R>[]): AuditEntry[];
}

export interface GroupCommitOptions {
  /** How long the first request waits for company when nothing is in flight (0: start at once). */
  lingerMs: number;
  maxBatch: number;
  /** Attempts of one batch when another transaction got in the way (serialisation, deadlock, a key committed meanwhile). */
  attempts?: number;
  onBatch?: (size: number, seconds: number) => void;
  onOutcome?: (outcome: Outcome<unknown>) => void;
}

/** Errors after which the same batch is simply tried again: another transaction got in the way. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

interface Pending<I, R> extends Submitted<I> {
  resolve: (value: R) => void;
  reject: (error: Error) => void;
}

/**
 * Group commit for hot rows (the province quota row, an IPAM parent prefix, the audit head). Callers
 * `submit(item, who)`; requests that arrive while a batch runs form the next batch, and one transaction runs the
 * capability's `apply`, then appends the batch's audit records with `AuditLog.appendMany` (the head locked last,
 * the order every mutation uses). The batch is retried on serialisation, deadlock or unique-key errors; if it
 * still fails as a whole, its items run one by one so each gets its own answer. One batch in flight per
 * instance; several processes (or instances) queue on the row locks.
 */
export class GroupCommit<I, R> {
  private queue: Pending<I, R>[] = [];
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  /** Committed batch transactions and the requests they carried (mean batch size = requests / batches). */
  readonly stats = { batches: 0, requests: 0 };

  constructor(
    private readonly deps: { store: Store; audit: AuditLog; log?: { warn: (o: object, msg: string) => void } },
    private readonly work: GroupCommitWork<I, R>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I, who: AuditActor | null = null): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, who, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy || this.timer || !this.queue.length) return;
    if (this.queue.length >= this.options.maxBatch || this.options.lingerMs <= 0) {
      this.busy = true;
      // A microtask, not a timer: callers submitting in the same tick join the first batch at no cost in latency.
      queueMicrotask(() => void this.flush());
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.busy = true;
      void this.flush();
    }, this.options.lingerMs);
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.options.maxBatch);
    const started = performance.now();
    try {
      this.settle(batch, await this.runWithRetry(batch));
    } catch (error) {
      if (batch.length === 1) this.settle(batch, [{ ok: false, error: error as Error }]);
      else {
        // Something other than an item's refusal (the database, a constraint another process tripped, a bug):
        // each alone, so one item cannot sink the rest.
        this.deps.log?.warn({ err: error, size: batch.length }, 'group-commit batch failed; retrying one by one');
        for (const p of batch) {
          await this.runWithRetry([p]).then((o) => this.settle([p], o), (e: unknown) => this.settle([p], [{ ok: false, error: e as Error }]));
        }
      }
    } finally {
      this.options.onBatch?.(batch.length, (performance.now() - started) / 1000);
      this.busy = false;
      this.schedule();
    }
  }

  private settle(batch: Pending<I, R>[], outcomes: Outcome<R>[]): void {
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      this.options.onOutcome?.(o);
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  private async runWithRetry(batch: Pending<I, R>[]): Promise<Outcome<R>[]> {
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(batch);
      } catch (error) {
        if (attempt >= attempts || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
        await new Promise((r) => setTimeout(r, attempt * Math.random() * 5));
      }
    }
  }

  private async run(batch: Pending<I, R>[]): Promise<Outcome<R>[]> {
    const { outcomes, records } = await this.deps.store.transaction(async (tx) => {
      const outcomes = await this.work.apply(tx, batch);
      const records = await this.deps.audit.appendMany(tx, this.work.auditEntries(batch, outcomes));
      return { outcomes, records };
    });
    this.stats.batches += 1;
    this.stats.requests += batch.length;
    this.deps.audit.published(records);
    return outcomes;
  }
}

/** Groups a batch's successful items by caller, for one audit record per caller (each item keeps its own request id). */
export function byCaller<I, R>(batch: readonly Submitted<I>[], outcomes: readonly Outcome<R>[]): { who: AuditActor; items: { item: I; value: R; requestId: string }[] }[] {
  const groups = new Map<string, { who: AuditActor; items: { item: I; value: R; requestId: string }[] }>();
  batch.forEach((b, i) => {
    const o = outcomes[i]!;
    if (!o.ok || !b.who) return;
    const key = `${b.who.actorId}|${b.who.actor}|${b.who.role}|${b.who.procedure}`;
    const group = groups.get(key) ?? { who: b.who, items: [] };
    group.items.push({ item: b.item, value: o.value, requestId: b.who.requestId });
    groups.set(key, group);
  });
  return [...groups.values()];
}
