import {
  CloudDefinitionError, createDefaultRegistry, toProviderError, withResilience,
  OPERATION_CLASSES,
  type CircuitStateName, type FaultSettings, type OperationClass, type Provider, type ResilienceOptions, type ResilientProvider, type SimulatedFederationOptions,
  type ProviderInput as ProviderBuild, type ProviderRegistry, type SimulatedProvider,
} from '@ganyun/providers';
import type { AuditLog } from '../audit/audit-log.ts';
import { InputError, NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { SealingService } from '../secrets/sealing.ts';
import type { Queryable, Store } from '../store/store.ts';
import { definitionOf } from './cloud-entry.ts';
import { CloudHealth, type FanOutAnswer, type HealthAnswer } from './cloud-health.ts';
import { cloudFaults, setCloudFaults } from './cloud-faults.ts';
import { cloudsRepo, type CapacityLine } from './clouds-repo.ts';
import type { SyncResult } from './inventory-sync.ts';
import { SyncScheduler } from './sync-scheduler.ts';
import { HostKeyAlarms, StoreKnownHosts } from './known-hosts-repo.ts';
import type { FederationService, ProviderInput } from './contract.ts';

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

export type { FanOutAnswer, HealthAnswer } from './cloud-health.ts';

interface ManagedCloud {
  provider: ResilientProvider;
  /** What the provider was built from: rebuilt only when this changes (a simulated cloud keeps its state). */
  fingerprint: string;
}

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

/**
 * The clouds Ganyun federates, live: one resilient provider per registry row (per-cloud circuit and bulkhead,
 * metrics through the hooks), built by the providers package's registry. It composes the concerns kept apart:
 * health and capacity fan-outs (cloud-health.ts), inventory syncs and the schedule (sync-scheduler.ts), fault
 * switches (cloud-faults.ts) and the host-key alarms (known-hosts-repo.ts); this class holds the providers.
 */
export class Federation implements FederationService {
  readonly options: FederationOptions;
  private readonly clouds = new Map<string, ManagedCloud>();
  /** The providers package's one registry of kinds; the federation supplies known hosts, the alarm hook, the logger. */
  private readonly registry: ProviderRegistry<ProviderBuild>;
  /** Ganyun's own known-hosts (store-backed) and the alarms of changed host keys. */
  readonly knownHosts: StoreKnownHosts;
  readonly hostKeyAlarms: HostKeyAlarms;
  /** What `circuits` shows of each provider states object (frozen; see CloudPolicies.circuitStates). */
  private readonly shownCircuits = new WeakMap<object, Record<OperationClass, 'closed' | 'open' | 'half-open'>>();
  /** Clouds whose health circuit is not closed (see healthCircuitMoved). */
  private readonly healthUnwell = new Set<string>();
  private readonly healthChecks: CloudHealth;
  private readonly scheduler: SyncScheduler;

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
    const live = { options: this.options, provider: (id: string) => this.provider(id), enabledProviders: () => this.enabledProviders() };
    this.healthChecks = new CloudHealth({ ...deps, ...live });
    this.scheduler = new SyncScheduler({ ...deps, ...live, enabledIds: () => this.enabledIds(), checkAll: () => this.healthChecks.checkAll() });
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
    if (!states) return ALL_CLOSED;
    // The provider's states are one object until a circuit moves; so is what is shown of them.
    let seen = this.shownCircuits.get(states);
    if (!seen) this.shownCircuits.set(states, (seen = Object.freeze(Object.fromEntries(OPERATION_CLASSES.map((c) => [c, shown(states[c])])) as Record<OperationClass, 'closed' | 'open' | 'half-open'>)));
    return seen;
  }

  /** When the health circuit closes again (the wrapper's probe got through), health is recorded now, not next round. */
  private healthCircuitMoved(cloudId: string, state: CircuitStateName): void {
    if (state !== 'closed') return void this.healthUnwell.add(cloudId);
    if (!this.healthUnwell.delete(cloudId) || this.scheduler.stopped || !this.clouds.has(cloudId)) return;
    this.checkHealth(cloudId).catch((e: unknown) => this.deps.log.warn({ err: e, cloud: cloudId }, 'health check after recovery failed'));
  }

  private async enabledProviders(): Promise<ResilientProvider[]> {
    return (await this.enabledIds()).map((id) => this.clouds.get(id)!.provider);
  }

  private async enabledIds(): Promise<string[]> {
    return (await cloudsRepo.list(this.deps.store)).filter((r) => r.enabled && this.clouds.has(r.id)).map((r) => r.id);
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

  // ------------------------------------------------------------------ health, capacity, syncs, schedule (cloud-health.ts, sync-scheduler.ts)

  health(): Promise<FanOutAnswer<HealthAnswer>> {
    return this.healthChecks.health();
  }

  checkAll(): Promise<void> {
    return this.healthChecks.checkAll();
  }

  /** See CloudHealth.checkHealth: the provider is asked before `commit` opens a transaction. */
  checkHealth(cloudId: string, commit?: (write: (tx: Queryable) => Promise<void>, answer: HealthAnswer) => Promise<void>): Promise<HealthAnswer> {
    return this.healthChecks.checkHealth(cloudId, commit);
  }

  capacity(): Promise<FanOutAnswer<CapacityLine[]>> {
    return this.healthChecks.capacity();
  }

  startSync(cloudId: string, mode: 'full' | 'incremental'): { syncId: string; done: Promise<SyncResult | Error> } {
    return this.scheduler.startSync(cloudId, mode);
  }

  onSynced(hook: (provider: ResilientProvider) => Promise<void>): void {
    this.scheduler.onSynced(hook);
  }

  /** Runs a sync to its end: the result, or the (typed) error it failed with. */
  sync(cloudId: string, mode: 'full' | 'incremental'): Promise<SyncResult | Error> {
    return this.scheduler.startSync(cloudId, mode).done;
  }

  start(): void {
    this.scheduler.start();
  }

  /** Stops the schedule and waits for running syncs; the providers stay open (another replica took the schedule over). */
  stopSchedule(): Promise<void> {
    return this.scheduler.stop();
  }

  /** Stops the schedule, waits for running syncs, closes the providers. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await Promise.all([...this.clouds.values()].map((c) => c.provider.close()));
    await this.hostKeyAlarms.settled();
    this.clouds.clear();
  }
}

const shown = (s: CircuitStateName): 'closed' | 'open' | 'half-open' => (s === 'isolated' ? 'open' : s);
const ALL_CLOSED = Object.freeze(Object.fromEntries(OPERATION_CLASSES.map((c) => [c, 'closed']))) as Record<OperationClass, 'closed' | 'open' | 'half-open'>;

function fingerprintOf(input: ProviderInput): string {
  const c = input.record.config;
  return JSON.stringify([input.record.providerKind, input.record.endpoint, input.token, c.sim ?? null, c.zones ?? null, c.ssh ?? null, c.kubernetes ?? null]);
}
