import {
  CloudDefinitionError, createDefaultRegistry, fanOut, isProviderError, toProviderError, withResilience,
  OPERATION_CLASSES,
  type CircuitStateName, type FaultSettings, type OperationClass, type Provider, type ResilienceOptions, type ResilientProvider, type SimulatedFederationOptions,
  type ProviderInput as ProviderBuild, type ProviderRegistry, type SimulatedProvider,
} from '@ganyun/providers';
import type { AuditLog } from '../audit/audit-log.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { SealingService } from '../secrets/sealing.ts';
import type { Queryable, Store } from '../store/store.ts';
import { capacityLines, definitionOf, type CloudSettings } from './cloud-entry.ts';
import { cloudFaults, setCloudFaults } from './cloud-faults.ts';
import { cloudsRepo, type CapacityLine } from './clouds-repo.ts';
import { syncInventory, type SyncResult } from './inventory-sync.ts';
import { runRecordedSync } from './sync-run.ts';
import { syncDeviceInventory } from './device-inventory.ts';
import { HostKeyAlarms, StoreKnownHosts } from './known-hosts-repo.ts';

export interface FederationOptions {
  healthIntervalMs: number;
  syncIntervalMs: number;
  /** Per-cloud deadline of fan-out queries (capacity, health). */
  fanOutDeadlineMs: number;
  /** A health answer slower than this counts as degraded. */
  slowMs: number;
  pageSize: number;
  /** Default rate budget when the cloud's config sets none. */
  pagesPerSecond: number;
  resilience: Partial<ResilienceOptions>;
  /** Options for in-process simulated clouds (a shared clock in tests, timeScale). */
  simulated: SimulatedFederationOptions;
  /** SSH session pools of hosts and devices (timeouts, per-device concurrency). */
  ssh?: { connectTimeoutMs?: number; commandTimeoutMs?: number; maxConcurrentPerTarget?: number };
}

export const DEFAULT_FEDERATION_OPTIONS: FederationOptions = {
  healthIntervalMs: 15_000,
  syncIntervalMs: 30_000,
  fanOutDeadlineMs: 5_000,
  slowMs: 2_000,
  pageSize: 2_000,
  pagesPerSecond: 20,
  resilience: {},
  simulated: {},
};

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

/** What it takes to build a provider: the row, and the opened credentials (never stored in plain text). */
interface ProviderInput {
  record: CloudSettings;
  token: string | null;
}

interface ManagedCloud {
  provider: ResilientProvider;
  /** What the provider was built from: rebuilt only when this changes (a simulated cloud keeps its state). */
  fingerprint: string;
}

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

/**
 * The clouds Ganyun federates, live: one resilient provider per registry row (per-cloud circuit and bulkhead,
 * metrics through the hooks), health checks and inventory syncs on intervals, fan-out queries that answer
 * with what the healthy clouds said plus one error per unhealthy cloud.
 */
export class Federation {
  readonly options: FederationOptions;
  private readonly clouds = new Map<string, ManagedCloud>();
  private readonly running = new Map<string, { syncId: string; done: Promise<SyncResult | Error> }>();
  /** The providers package's one registry of kinds; the federation supplies known hosts, the alarm hook, the logger. */
  private readonly registry: ProviderRegistry<ProviderBuild>;
  /** Ganyun's own known-hosts (store-backed) and the alarms of changed host keys. */
  readonly knownHosts: StoreKnownHosts;
  readonly hostKeyAlarms: HostKeyAlarms;
  private timers: NodeJS.Timeout[] = [];
  /** Clouds whose health circuit is not closed (see healthCircuitMoved). */
  private readonly healthUnwell = new Set<string>();
  private stopped = false;
  /** Called after each successful inventory sync of a cloud (DR refreshes the cloud's replication links). */
  private readonly synced: ((provider: ResilientProvider) => Promise<void>)[] = [];

  constructor(
    private readonly deps: { store: Store; sealing: SealingService; metrics: Metrics; log: Logger; audit?: AuditLog },
    options: Partial<FederationOptions> = {},
  ) {
    this.options = { ...DEFAULT_FEDERATION_OPTIONS, ...options };
    this.knownHosts = new StoreKnownHosts(deps.store);
    this.hostKeyAlarms = new HostKeyAlarms({ store: deps.store, log: deps.log, registry: deps.metrics.registry, ...(deps.audit ? { audit: deps.audit } : {}) });
    this.registry = createDefaultRegistry({
      ...this.options.simulated,
      // Rows carry their opened credential; the environment is read for tokens only when the federation file is loaded.
      env: {},
      ssh: {
        knownHosts: this.knownHosts,
        onHostKeyChanged: (cloudId, alarm) => this.hostKeyAlarms.report(cloudId, alarm),
        ...(this.options.ssh ? { pool: this.options.ssh } : {}),
      },
      logger: { warn: (fields, msg) => deps.log.warn(fields, msg) },
    });
  }

  // ------------------------------------------------------------------ providers

  /** Builds a provider without registering it: used to connect before anything is stored. */
  build(input: ProviderInput): { provider: ResilientProvider } {
    if (!this.registry.has(input.record.providerKind)) {
      throw new InputError(`unknown provider kind ${input.record.providerKind} (known: ${this.registry.kinds().join(', ')})`, 'providerKind');
    }
    let inner: Provider;
    try {
      inner = this.registry.create(input.record.providerKind, { definition: definitionOf(input.record), secret: input.token });
    } catch (e) {
      if (e instanceof CloudDefinitionError) throw new InputError(e.message, e.field, { cause: e });
      throw e;
    }
    const m = this.deps.metrics;
    const provider = withResilience(inner, {
      ...this.options.resilience,
      onCall: (cloud, op, outcome, seconds) => m.providerCallDuration.observe({ provider: cloud, op, outcome }, seconds),
      onCircuitState: (cloud, state, opClass) => {
        m.providerCircuitState.set({ cloud, class: opClass }, CIRCUIT_VALUE[state]);
        if (opClass === 'health') this.healthCircuitMoved(cloud, state);
      },
    });
    return { provider };
  }

  /**
   * Connects with the given settings and checks that the endpoint is the cloud it claims to be. Failures
   * become InputErrors naming the field to fix; nothing is registered.
   */
  async connectCheck(input: ProviderInput): Promise<{ provider: ResilientProvider }> {
    const built = this.build(input);
    try {
      const info = await built.provider.connectOnce({ signal: AbortSignal.timeout(this.options.fanOutDeadlineMs) });
      if (info.cloudId !== input.record.id) {
        throw new InputError(`the endpoint answers as cloud "${info.cloudId}", not "${input.record.id}"`, 'endpoint');
      }
      return built;
    } catch (e) {
      await built.provider.close();
      if (e instanceof InputError) throw e;
      const err = toProviderError(e, input.record.id, 'connect');
      if (err.code === 'auth') throw new InputError('the cloud refused the credentials (wrong or missing token)', 'token', { cause: err });
      if (err.code === 'garbage' || err.code === 'not-found') throw new InputError('the endpoint does not speak the Ganyun provider API', 'endpoint', { cause: err });
      throw new InputError(`cannot reach the cloud (${err.code}): ${err.message}`, 'endpoint', { cause: err });
    }
  }

  /** Installs (or replaces) the live provider of a cloud. `built` is reused from connectCheck when given. */
  async install(input: ProviderInput, built?: { provider: ResilientProvider }): Promise<void> {
    const fingerprint = fingerprintOf(input);
    const existing = this.clouds.get(input.record.id);
    if (existing && existing.fingerprint === fingerprint) {
      if (built) await built.provider.close();
      return;
    }
    const b = built ?? this.build(input);
    this.clouds.set(input.record.id, { provider: b.provider, fingerprint });
    if (existing) await existing.provider.close();
  }

  /** Builds the providers of every registry row (at start). A row that cannot be built is logged and skipped. */
  async load(): Promise<void> {
    for (const record of await cloudsRepo.list(this.deps.store)) {
      try {
        await this.install({ record, token: await this.openToken(this.deps.store, record.id) });
      } catch (e) {
        this.deps.log.error({ err: e, cloud: record.id }, 'cannot build the provider of a registered cloud');
      }
    }
  }

  async openToken(db: Queryable, cloudId: string): Promise<string | null> {
    const sealed = await cloudsRepo.sealedCredentials(db, cloudId);
    return sealed ? this.deps.sealing.open(sealed, `cloud:${cloudId}`) : null;
  }

  provider(cloudId: string): ResilientProvider {
    const c = this.clouds.get(cloudId);
    if (!c) throw new NotFoundError(`cloud ${cloudId} is not connected`);
    return c.provider;
  }

  /** The resilient provider of a cloud when it is connected (undefined otherwise): for its optional `features`. */
  connected(cloudId: string): ResilientProvider | undefined {
    return this.clouds.get(cloudId)?.provider;
  }

  /** The in-process simulated provider behind a cloud, for behind-the-back changes (tests, demos): its `simulation` feature. */
  simulated(cloudId: string): SimulatedProvider | undefined {
    return this.clouds.get(cloudId)?.provider.features?.simulation;
  }

  /** The worst circuit of the cloud's operation classes. */
  circuit(cloudId: string): 'closed' | 'open' | 'half-open' {
    return shown(this.clouds.get(cloudId)?.provider.circuitState ?? 'closed');
  }

  /** The circuit of each operation class: a fault in one class does not refuse the others. */
  circuits(cloudId: string): Record<OperationClass, 'closed' | 'open' | 'half-open'> {
    const states = this.clouds.get(cloudId)?.provider.circuitStates;
    return Object.fromEntries(OPERATION_CLASSES.map((c) => [c, shown(states?.[c] ?? 'closed')])) as Record<OperationClass, 'closed' | 'open' | 'half-open'>;
  }

  /** When the health circuit closes again (the wrapper's probe got through), health is recorded now, not next round. */
  private healthCircuitMoved(cloudId: string, state: CircuitStateName): void {
    if (state !== 'closed') return void this.healthUnwell.add(cloudId);
    if (!this.healthUnwell.delete(cloudId) || this.stopped || !this.clouds.has(cloudId)) return;
    this.checkHealth(cloudId).catch((e: unknown) => this.deps.log.warn({ err: e, cloud: cloudId }, 'health check after recovery failed'));
  }

  private async enabledProviders(): Promise<ResilientProvider[]> {
    const rows = await cloudsRepo.list(this.deps.store);
    return rows.filter((r) => r.enabled && this.clouds.has(r.id)).map((r) => this.clouds.get(r.id)!.provider);
  }

  // ------------------------------------------------------------------ faults (simulated clouds only)

  setFaults(cloudId: string, faults: FaultSettings): Promise<FaultSettings> {
    const c = this.clouds.get(cloudId);
    if (!c) throw new NotFoundError(`cloud ${cloudId} is not connected`);
    return setCloudFaults(c.provider, faults);
  }

  async faults(cloudId: string): Promise<FaultSettings | null> {
    const c = this.clouds.get(cloudId);
    return c ? cloudFaults(c.provider) : null;
  }

  // ------------------------------------------------------------------ health and capacity

  /** Fan-out health: every enabled cloud at once, each within the deadline. */
  async health(): Promise<FanOutAnswer<HealthAnswer>> {
    const providers = await this.enabledProviders();
    const out = await fanOut(providers, (p, signal) => this.probe(this.deps.store, p, signal), { deadlineMs: this.options.fanOutDeadlineMs, op: 'health' });
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
    const provider = this.provider(cloudId);
    const started = performance.now();
    const answer = await this.probe(this.deps.store, provider, AbortSignal.timeout(this.options.fanOutDeadlineMs))
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
    const slow = latencyMs > this.options.slowMs;
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
    const providers = await this.enabledProviders();
    const out = await fanOut(providers, async (p, signal) => capacityLines(await p.capacity({ signal })), {
      deadlineMs: this.options.fanOutDeadlineMs, op: 'capacity',
    });
    for (const r of out.results) await cloudsRepo.setCapacity(this.deps.store, r.cloudId, r.value);
    return plain(out);
  }

  // ------------------------------------------------------------------ inventory sync

  /** Starts a sync unless one is running for that cloud (then that one's id is returned). */
  startSync(cloudId: string, mode: 'full' | 'incremental'): { syncId: string; done: Promise<SyncResult | Error> } {
    const current = this.running.get(cloudId);
    if (current) return current;
    const provider = this.provider(cloudId);
    const syncId = newId();
    const device = provider.features?.deviceInventory;
    const done = runRecordedSync(this.deps, { syncId, cloudId, mode: device ? 'full' : mode }, async (store) => {
      // Hosts and devices have no incremental listing: every sync reads their facts, interfaces and VPN instances
      // whole, bounded like a registration (a device that hangs ends the sync as a timeout).
      if (device) return syncDeviceInventory(store, cloudId, device, AbortSignal.timeout(this.options.fanOutDeadlineMs * 5));
      const record = await cloudsRepo.byId(store, cloudId);
      const result = await syncInventory(store, provider, mode, {
        pageSize: this.options.pageSize,
        pagesPerSecond: record?.config.syncPagesPerSecond ?? this.options.pagesPerSecond,
      });
      for (const hook of this.synced) await hook(provider).catch((e: unknown) => this.deps.log.warn({ err: e, cloud: cloudId }, 'work after an inventory sync failed'));
      return result;
    }).finally(() => this.running.delete(cloudId));
    const entry = { syncId, done };
    this.running.set(cloudId, entry);
    return entry;
  }

  /** Adds work that follows every successful inventory sync; its failure is logged and never fails the sync. */
  onSynced(hook: (provider: ResilientProvider) => Promise<void>): void {
    this.synced.push(hook);
  }

  /** Runs a sync to its end: the result, or the (typed) error it failed with. */
  sync(cloudId: string, mode: 'full' | 'incremental'): Promise<SyncResult | Error> {
    return this.startSync(cloudId, mode).done;
  }

  // ------------------------------------------------------------------ schedule

  /** Health checks and incremental syncs on their intervals (and once right away). */
  start(): void {
    this.stopped = false;
    const healthTick = () => {
      if (!this.stopped) this.checkAll().catch((e: unknown) => this.deps.log.error({ err: e }, 'health check round failed'));
    };
    const syncTick = () => {
      if (this.stopped) return;
      this.enabledIds()
        .then((ids) => ids.forEach((id) => this.startSync(id, 'incremental')))
        .catch((e: unknown) => this.deps.log.error({ err: e }, 'sync round failed'));
    };
    healthTick();
    syncTick();
    this.timers.push(setInterval(healthTick, this.options.healthIntervalMs).unref(), setInterval(syncTick, this.options.syncIntervalMs).unref());
  }

  private async enabledIds(): Promise<string[]> {
    return (await cloudsRepo.list(this.deps.store)).filter((r) => r.enabled && this.clouds.has(r.id)).map((r) => r.id);
  }

  /** Stops the schedule, waits for running syncs, closes the providers. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    await Promise.all([...this.running.values()].map((r) => r.done));
    await Promise.all([...this.clouds.values()].map((c) => c.provider.close()));
    await this.hostKeyAlarms.settled();
    this.clouds.clear();
  }
}

const shown = (s: CircuitStateName): 'closed' | 'open' | 'half-open' => (s === 'isolated' ? 'open' : s);

function fingerprintOf(input: ProviderInput): string {
  const c = input.record.config;
  return JSON.stringify([input.record.providerKind, input.record.endpoint, input.token, c.sim ?? null, c.zones ?? null, c.ssh ?? null, c.kubernetes ?? null]);
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
