import type { AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import type { QuotaServiceImpl } from './quota-service.ts';

/**
 * Releases held reservations past their expiry, every `intervalMs`, in rounds of `batch`. Safe on several
 * replicas at once: each round locks the expired rows with SKIP LOCKED, so two reapers split the work and
 * never release the same hold twice. Each round that released something leaves one audit record listing it.
 */
export class QuotaReaper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deps: { store: Store; audit: AuditLog; log: Logger },
    private readonly quotas: QuotaServiceImpl,
    private readonly options: { intervalMs: number; batch: number; onExpired?: (n: number) => void } = { intervalMs: 5_000, batch: 200 },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.intervalMs).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: rounds until nothing expired is left (or another replica holds the rest). Returns how many it released. */
  tick(now?: Date): Promise<number> {
    if (this.running) return this.running.then(() => 0);
    let total = 0;
    const pass = (async () => {
      for (;;) {
        const { released, record } = await this.deps.store.transaction(async (tx) => {
          const ids = await this.quotas.reapExpired(tx, now ?? new Date(), this.options.batch);
          const record = ids.length
            ? await this.deps.audit.append(tx, {
              actorId: null, actor: 'system:quota-reaper', role: null, procedure: 'quotas.reapExpired', target: `reservations:${ids.length}`,
              outcome: 'ok', before: null, after: { expired: ids }, requestId: `reaper-${Date.now()}`, error: null,
            })
            : null;
          return { released: ids.length, record };
        });
        if (record) this.deps.audit.published([record]);
        if (released) this.options.onExpired?.(released);
        total += released;
        if (released < this.options.batch) break;
      }
    })().catch((err: unknown) => this.deps.log.error({ err }, 'quota reaper pass failed'));
    this.running = pass.finally(() => (this.running = null));
    return this.running.then(() => total);
  }
}
