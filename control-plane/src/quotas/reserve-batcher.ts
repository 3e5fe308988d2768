import type { AuditEntry, AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { QuotaExceededError, type Reservation, type ReserveInput } from './contract.ts';
import type { BatchOptions, QuotaServiceImpl, ReserveOutcome } from './quota-service.ts';

/** Who asked, for the audit record of the batch that carries the request. */
export interface Requester {
  actorId: string | null;
  actor: string;
  role: string | null;
  requestId: string;
}

interface Pending {
  input: ReserveInput;
  who: Requester;
  resolve: (r: Reservation) => void;
  reject: (e: Error) => void;
}

export interface BatcherOptions {
  /** How long the first request of a batch waits for company when nothing is in flight. */
  lingerMs: number;
  maxBatch: number;
  onBatch?: (size: number, seconds: number) => void;
  /** Per request: granted, refused (did not fit), or error (malformed, or the database failed). */
  onOutcome?: (outcome: 'granted' | 'refused' | 'error') => void;
}

/** Errors after which the same batch is simply tried again: another transaction got in the way. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

/**
 * Group commit for reservations. Every reservation locks the counter rows of its whole path, and every path
 * ends at the same province row per cloud and class, so reservations queue on that row whatever we do. The
 * batcher turns the queue into batches: while one batch's transaction runs, new requests gather, and the next
 * transaction takes them all — locking each path row once, applying the requests in order (only those that do
 * not fit fail), writing the ledger (a line per item) and one audit record per requester listing their
 * reservations. One batch in flight per process; several processes queue on the row locks.
 */
export class ReserveBatcher {
  private queue: Pending[] = [];
  private busy = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { store: Store; audit: AuditLog; log: Logger },
    private readonly quotas: QuotaServiceImpl,
    private readonly options: BatcherOptions = { lingerMs: 1, maxBatch: 256 },
  ) {}

  submit(input: ReserveInput, who: Requester): Promise<Reservation> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, who, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy || this.timer || !this.queue.length) return;
    if (this.queue.length >= this.options.maxBatch || this.options.lingerMs <= 0) {
      this.busy = true;
      setImmediate(() => void this.flush());
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
      const outcomes = await this.runWithRetry(batch);
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        this.options.onOutcome?.(o.ok ? 'granted' : o.error instanceof QuotaExceededError ? 'refused' : 'error');
        if (o.ok) p.resolve(o.reservation);
        else p.reject(o.error);
      });
    } catch (error) {
      // Something other than a quota outcome (the database, a bug): try each alone so one cannot sink the rest.
      this.deps.log.warn({ err: error, size: batch.length }, 'reservation batch failed; retrying one by one');
      for (const p of batch) {
        await this.runWithRetry([p]).then(
          ([o]) => (o!.ok ? p.resolve(o!.reservation) : p.reject(o!.error)),
          (e: unknown) => p.reject(e as Error),
        );
      }
    } finally {
      this.options.onBatch?.(batch.length, (performance.now() - started) / 1000);
      this.busy = false;
      this.schedule();
    }
  }

  private async runWithRetry(batch: Pending[]): Promise<ReserveOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(batch);
      } catch (error) {
        if (attempt >= 5 || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
        await new Promise((r) => setTimeout(r, attempt * Math.random() * 5));
      }
    }
  }

  private async run(batch: Pending[]): Promise<ReserveOutcome[]> {
    const audit: NonNullable<BatchOptions['audit']> = { entries: (outcomes) => auditEntries(batch, outcomes), chainKey: this.deps.audit.chainKey };
    const outcomes = await this.deps.store.transaction((tx) => this.quotas.reserveMany(tx, batch.map((p) => p.input), new Date(), { oneTrip: true, audit }));
    this.deps.audit.published(audit.records ?? []);
    return outcomes;
  }
}

/** One audit record per requester in the batch, listing every reservation they were given (replays flagged). */
function auditEntries(batch: Pending[], outcomes: ReserveOutcome[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const [, group] of groupBy(batch.map((p, i) => ({ p, o: outcomes[i]! })).filter((x) => x.o.ok), (x) => x.p.who.actorId ?? x.p.who.actor)) {
    const who = group[0]!.p.who;
    const listed = group.map(({ p, o }) => {
      const r = o as { reservation: Reservation; replayed: boolean };
      return { id: r.reservation.id, systemId: r.reservation.systemId, idempotencyKey: r.reservation.idempotencyKey, items: r.reservation.items, ref: r.reservation.ref, replayed: r.replayed, requestId: p.who.requestId };
    });
    entries.push({
      actorId: who.actorId, actor: who.actor, role: who.role, procedure: 'quotas.reserve',
      target: listed.length === 1 ? `reservation:${listed[0]!.id}` : `reservations:${listed.length}`,
      outcome: 'ok', before: null, after: { reservations: listed }, requestId: who.requestId, error: null,
    });
  }
  return entries;
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}
