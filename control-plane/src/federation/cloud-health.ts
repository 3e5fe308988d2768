/**
 * Health and capacity of the federated clouds: fan-out checks of every enabled cloud within a deadline (a down or
 * slow cloud is recorded, never waited for), one cloud's check on demand, and the capacity read kept on each row
 * for the list view. Part of `Federation`, which supplies the live providers.
 */
import { fanOut, isProviderError, toProviderError, type Provider, type ResilientProvider } from '@ganyun/providers';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Queryable, Store } from '../store/store.ts';
import { capacityLines } from './cloud-entry.ts';
import { cloudsRepo, type CapacityLine } from './clouds-repo.ts';

export interface HealthAnswer {
  status: 'up' | 'degraded' | 'down';
  checkedAt: string;
  latencyMs: number | null;
  message: string | null;
}

export interface FanOutAnswer<T> {
  results: { cloudId: string; value: T }[];
  errors: { cloudId: string; code: string; message: string }[];
}

export interface CloudHealthDeps {
  store: Store;
  metrics: Metrics;
  log: Logger;
  /** Per-cloud deadline of fan-out queries, and the latency above which a cloud counts as degraded. */
  options: { fanOutDeadlineMs: number; slowMs: number };
  /** The resilient providers of the enabled, connected clouds. */
  enabledProviders(): Promise<ResilientProvider[]>;
  provider(cloudId: string): ResilientProvider;
}

export class CloudHealth {
  constructor(private readonly deps: CloudHealthDeps) {}

  /** Fan-out health: every enabled cloud at once, each within the deadline. */
  async health(): Promise<FanOutAnswer<HealthAnswer>> {
    const providers = await this.deps.enabledProviders();
    const out = await fanOut(providers, (p, signal) => this.probe(this.deps.store, p, signal), { deadlineMs: this.deps.options.fanOutDeadlineMs, op: 'health' });
    return plain(out);
  }

  /** Checks every enabled cloud and records the answers (a down or slow cloud is recorded, never waited for). */
  async checkAll(): Promise<void> {
    const answer = await this.health();
    const now = new Date();
    for (const r of answer.results) await this.record(this.deps.store, r.cloudId, r.value);
    for (const e of answer.errors) {
      await this.record(this.deps.store, e.cloudId, { status: 'down', checkedAt: now.toISOString(), latencyMs: null, message: `${e.code}: ${e.message}`.slice(0, 500) });
    }
  }

  /**
   * Checks one cloud now and records the answer through `commit` (the API passes one that also appends its
   * audit record). The provider call runs before any transaction opens: a slow or hanging cloud must not hold
   * one (on the embedded store, the only connection) for the whole deadline.
   */
  async checkHealth(
    cloudId: string,
    commit: (write: (tx: Queryable) => Promise<void>, answer: HealthAnswer) => Promise<void> = (w) => this.deps.store.transaction(w),
  ): Promise<HealthAnswer> {
    const provider = this.deps.provider(cloudId);
    const started = performance.now();
    const answer = await this.probe(this.deps.store, provider, AbortSignal.timeout(this.deps.options.fanOutDeadlineMs))
      .catch((e: unknown) => downAnswer(e, cloudId, Math.round(performance.now() - started)));
    await commit((tx) => this.record(tx, cloudId, answer), answer);
    return answer;
  }

  private async record(db: Queryable, cloudId: string, a: HealthAnswer): Promise<void> {
    await cloudsRepo.addHealth(db, cloudId, { at: new Date(a.checkedAt), status: a.status, latencyMs: a.latencyMs, message: a.message });
    this.deps.metrics.cloudUp.set({ cloud: cloudId }, a.status === 'down' ? 0 : 1);
  }

  /** Health plus a capacity read (kept on the row for the list view); a failing cloud throws its ProviderError. */
  private async probe(db: Queryable, p: Provider, signal: AbortSignal): Promise<HealthAnswer> {
    const started = performance.now();
    const report = await p.health({ signal });
    const latencyMs = Math.round(performance.now() - started);
    const unwell = report.zones.filter((z) => z.status !== 'ok').map((z) => `${z.zone}: ${z.status}`);
    const slow = latencyMs > this.deps.options.slowMs;
    const status = report.status === 'down' ? 'down' : report.status === 'degraded' || slow ? 'degraded' : 'up';
    const message = [slow ? `slow: ${latencyMs} ms` : '', ...unwell].filter(Boolean).join('; ') || null;
    await p.capacity({ signal }).then(
      (c) => cloudsRepo.setCapacity(db, p.cloudId, capacityLines(c)),
      (e: unknown) => this.deps.log.warn({ cloud: p.cloudId, code: isProviderError(e) ? e.code : 'internal' }, 'capacity read failed'),
    );
    return { status, checkedAt: new Date().toISOString(), latencyMs, message };
  }

  /** Fan-out capacity across the enabled clouds; the answers also refresh each cloud's last capacity. */
  async capacity(): Promise<FanOutAnswer<CapacityLine[]>> {
    const providers = await this.deps.enabledProviders();
    const out = await fanOut(providers, async (p, signal) => capacityLines(await p.capacity({ signal })), {
      deadlineMs: this.deps.options.fanOutDeadlineMs, op: 'capacity',
    });
    for (const r of out.results) await cloudsRepo.setCapacity(this.deps.store, r.cloudId, r.value);
    return plain(out);
  }
}

function downAnswer(e: unknown, cloudId: string, latencyMs: number | null = null): HealthAnswer {
  const err = toProviderError(e, cloudId, 'health');
  return { status: 'down', checkedAt: new Date().toISOString(), latencyMs, message: `${err.code}${err.reason ? ` (${err.reason})` : ''}: ${err.message}`.slice(0, 500) };
}

function plain<T>(out: { results: { cloudId: string; value: T }[]; errors: { cloudId: string; error: { code: string; message: string } }[] }): FanOutAnswer<T> {
  return {
    results: out.results.map((r) => ({ cloudId: r.cloudId, value: r.value })),
    errors: out.errors.map((e) => ({ cloudId: e.cloudId, code: e.error.code, message: e.error.message })),
  };
}
