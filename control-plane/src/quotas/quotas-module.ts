import { Counter, Histogram, type Registry } from 'prom-client';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { QuotaExceededError, type QuotaService } from './contract.ts';
import { QuotaReaper } from './reaper.ts';
import { QuotaServiceImpl } from './quota-service.ts';
import { ReserveBatcher } from './reserve-batcher.ts';

export interface QuotaRuntime {
  batcher: ReserveBatcher;
  reaper: QuotaReaper;
  /** The implementation behind deps.quotas, for this process's machinery and the quota module's own specs (batches, a clock). */
  service: QuotaServiceImpl;
}

export interface QuotaSettings {
  /** Group commit: how long a lone reservation waits for company, and the largest batch. */
  lingerMs: number;
  maxBatch: number;
  reaperIntervalMs: number;
}

export const DEFAULT_QUOTA_SETTINGS: QuotaSettings = { lingerMs: 1, maxBatch: 256, reaperIntervalMs: 5_000 };

/** The quota service (deps.quotas) and what runs beside it in a process: the reservation batcher and the expiry reaper. */
/**
 * `batchStore`: where reservation batches run. On PostgreSQL the app gives them a small pool of their own: a
 * batch holds the hot quota rows while it runs, so it must never wait behind ordinary requests for a connection.
 */
export function createQuotas(deps: { store: Store; audit: AuditLog; log: Logger; registry: Registry; batchStore?: Store }, settings: Partial<QuotaSettings> = {}): { quotas: QuotaService; quotaRuntime: QuotaRuntime } {
  const s = { ...DEFAULT_QUOTA_SETTINGS, ...settings };
  const quotas = new QuotaServiceImpl();
  const batchSize = new Histogram({
    name: 'ganyun_quota_reservation_batch_size', help: 'Reservations per group-commit transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [deps.registry],
  });
  const batchDuration = new Histogram({
    name: 'ganyun_quota_reservation_batch_duration_seconds', help: 'Duration of a group-commit transaction of reservations (including lock waits)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [deps.registry],
  });
  const reservations = new Counter({
    name: 'ganyun_quota_reservations_total', help: 'Reservations asked through the batcher, by outcome (granted, refused: did not fit, error)',
    labelNames: ['outcome'] as const, registers: [deps.registry],
  });
  const expired = new Counter({ name: 'ganyun_quota_expired_holds_total', help: 'Held reservations released by the expiry reaper', registers: [deps.registry] });
  const batcher = new ReserveBatcher({ ...deps, store: deps.batchStore ?? deps.store }, quotas, {
    lingerMs: s.lingerMs, maxBatch: s.maxBatch,
    onBatch: (size, seconds) => {
      batchSize.observe(size);
      batchDuration.observe(seconds);
    },
    onOutcome: (o) => reservations.inc({ outcome: o.ok ? 'granted' : o.error instanceof QuotaExceededError ? 'refused' : 'error' }),
  });
  return { quotas, quotaRuntime: { service: quotas, batcher, reaper: new QuotaReaper(deps, quotas, { intervalMs: s.reaperIntervalMs, batch: 200, onExpired: (n) => expired.inc(n) }) } };
}
