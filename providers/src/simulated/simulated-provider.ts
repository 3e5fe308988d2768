/**
 * The in-process simulated provider: a SimulatedCloud behind the Provider interface, with
 * faults turned into the ProviderErrors a real adapter would raise.
 */
import { isDrOperation, type DrOperation, type DrOperations } from '../dr.ts';
import { isMigrationOperation, type MigrationOperation, type MigrationOperations } from '../migration.ts';
import { ProviderError } from '../errors.ts';
import type { ProviderFeatures } from '../features.ts';
import type { CallOptions, CapacityReport, ConnectInfo, CreateOutcome, DeleteOutcome, HealthReport, InventoryPage, InventoryRequest, KeyedOp, KeyObservation, MutationOptions, MutationResult, NetworkFacts, Observation, Provider, ProviderOp, ReplicationLink, Resource, ResourceRef, ResourceSpec, TenantSpace, TenantSpaceSpec, UpdateOutcome } from '../spi.ts';
import { FaultInjector, type FaultSettings } from './faults.ts';
import { pageNumberOf } from './inventory-listing.ts';
import { hashSeed } from './prng.ts';
import type { SimMutation } from './sim-mutations.ts';
import type { SimulatedCloud } from './simulated-cloud.ts';

/** DR, migration and feature calls as the faults and errors name them. */
type DrCallOp = DrOperation | 'drObserveByKey' | 'drState' | MigrationOperation | 'migrationObserveByKey' | 'migrationState' | 'utilisation';

export class SimulatedProvider implements Provider {
  readonly kind = 'simulated';
  readonly cloudId: string;
  readonly faults: FaultInjector;
  /** Disaster-recovery operations (dr.ts) through the same faults as every other call. */
  readonly dr: DrOperations;
  /** Migration operations (migration.ts), through the same faults. */
  readonly migration: MigrationOperations;
  /** Fault switches, and the simulated cloud itself for behind-the-back changes (features.ts). */
  readonly features: ProviderFeatures = {
    faults: {
      set: async (f) => {
        this.setFaults(f);
        return this.faults.current;
      },
      current: async () => this.faults.current,
    },
    simulation: this,
    utilisation: { utilisation: (opts) => this.call('utilisation', opts, () => this.cloud.utilisation()) },
  };
  private closed = false;

  constructor(
    readonly cloud: SimulatedCloud,
    faultSeed?: number,
  ) {
    this.cloudId = cloud.cloudId;
    this.faults = new FaultInjector(faultSeed ?? hashSeed(0, cloud.cloudId));
    this.dr = {
      run: (op, request, opts) => this.call(op, opts, () => this.cloud.drRun(op, request, opts.idempotencyKey)),
      observeByKey: (q, opts) => this.call('drObserveByKey', opts, () => this.cloud.drObserveByKey(q.idempotencyKey, q.op)),
      state: (opts) => this.call('drState', opts, () => this.cloud.drState()),
    };
    this.migration = {
      run: (op, request, opts) => this.call(op, opts, () => this.cloud.migrationRun(op, request, opts.idempotencyKey)),
      observeByKey: (q, opts) => this.call('migrationObserveByKey', opts, () => this.cloud.migrationObserveByKey(q.idempotencyKey, q.op)),
      state: (opts) => this.call('migrationState', opts, () => this.cloud.migrationState()),
    };
  }

  setFaults(f: FaultSettings): void {
    this.faults.set(f);
  }

  /** Test hook: change the cloud behind Ganyun's back (see SimMutation). */
  mutate(m: SimMutation): number {
    return this.cloud.mutate(m);
  }

  /** Calls with this key that reached the cloud (faulted-away calls never arrive). */
  callsByIdempotencyKey(key: string): number {
    return this.cloud.callsByIdempotencyKey(key);
  }

  effectsByIdempotencyKey(key: string): number {
    return this.cloud.effectsByIdempotencyKey(key);
  }

  private fail(op: ProviderOp | DrCallOp, code: ProviderError['code'], message: string, extra: { retryAfterMs?: number; cause?: unknown } = {}): ProviderError {
    return new ProviderError({ provider: this.cloudId, op, code, message: `${this.cloudId}: ${op}: ${message}`, ...extra });
  }

  private async call<T>(op: ProviderOp | DrCallOp, opts: CallOptions | undefined, fn: () => T, page?: number): Promise<T> {
    if (this.closed) throw this.fail(op, 'unavailable', 'provider is closed');
    const latency = this.faults.latencyFor(op);
    if (latency > 0) await this.sleep(op, latency, opts?.signal);
    else await Promise.resolve();
    if (opts?.signal?.aborted) throw this.fail(op, 'timeout', 'call aborted', { cause: opts.signal.reason });
    const d = this.faults.before(op, page);
    switch (d.kind) {
      case 'down':
        throw this.fail(op, 'unavailable', 'connection refused (cloud is down)');
      case 'throttle':
        throw this.fail(op, 'throttled', 'too many requests', { retryAfterMs: d.retryAfterMs });
      case 'error':
        throw this.fail(op, 'unavailable', 'service temporarily unavailable');
      case 'garbage':
        throw this.fail(op, 'garbage', 'response could not be parsed');
      case 'fail-page':
        throw this.fail(op, 'unavailable', `page ${d.page} of the listing failed`);
      case 'none':
        break;
    }
    const value = fn();
    const lost = isDrOperation(op) ? this.faults.losesDrResponse(op) : isMigrationOperation(op) ? this.faults.losesMigrationResponse(op) : this.faults.losesResponse(op);
    if (lost) throw this.fail(op, 'timeout', 'no answer (the request may have been applied)');
    return value;
  }

  private sleep(op: ProviderOp | DrCallOp, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(this.fail(op, 'timeout', 'call aborted', { cause: signal?.reason }));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  connect(opts?: CallOptions): Promise<ConnectInfo> {
    return this.call('connect', opts, () => this.cloud.connect(this.kind));
  }

  observeTenantSpace(desired: TenantSpaceSpec, opts?: CallOptions): Promise<Observation<TenantSpace>> {
    return this.call('observeTenantSpace', opts, () => this.cloud.observeTenantSpace(desired));
  }

  createTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, CreateOutcome>> {
    return this.call('createTenantSpace', opts, () => this.cloud.createTenantSpace(spec, opts.idempotencyKey));
  }

  updateTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, UpdateOutcome>> {
    return this.call('updateTenantSpace', opts, () => this.cloud.updateTenantSpace(spec, opts.idempotencyKey));
  }

  deleteTenantSpace(name: string, opts: MutationOptions): Promise<MutationResult<TenantSpace, DeleteOutcome>> {
    return this.call('deleteTenantSpace', opts, () => this.cloud.deleteTenantSpace(name, opts.idempotencyKey));
  }

  observeResource(desired: ResourceSpec, opts?: CallOptions): Promise<Observation<Resource>> {
    return this.call('observeResource', opts, () => this.cloud.observeResource(desired));
  }

  createResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, CreateOutcome>> {
    return this.call('createResource', opts, () => this.cloud.createResource(spec, opts.idempotencyKey));
  }

  updateResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, UpdateOutcome>> {
    return this.call('updateResource', opts, () => this.cloud.updateResource(spec, opts.idempotencyKey));
  }

  deleteResource(ref: ResourceRef, opts: MutationOptions): Promise<MutationResult<Resource, DeleteOutcome>> {
    return this.call('deleteResource', opts, () => this.cloud.deleteResource(ref, opts.idempotencyKey));
  }

  observeByKey(q: { readonly idempotencyKey: string; readonly op: KeyedOp }, opts?: CallOptions): Promise<KeyObservation> {
    return this.call('observeByKey', opts, () => this.cloud.observeByKey(q.idempotencyKey, q.op));
  }

  listInventory(req: InventoryRequest, opts?: CallOptions): Promise<InventoryPage> {
    return this.call('listInventory', opts, () => this.cloud.listInventory(req), pageNumberOf(req));
  }

  capacity(opts?: CallOptions): Promise<CapacityReport> {
    return this.call('capacity', opts, () => this.cloud.capacity());
  }

  replicationLinks(opts?: CallOptions): Promise<readonly ReplicationLink[]> {
    return this.call('replicationLinks', opts, () => this.cloud.replicationLinks());
  }

  networkFacts(opts?: CallOptions): Promise<NetworkFacts> {
    return this.call('networkFacts', opts, () => this.cloud.networkFacts());
  }

  health(opts?: CallOptions): Promise<HealthReport> {
    return this.call('health', opts, () => this.cloud.health());
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
