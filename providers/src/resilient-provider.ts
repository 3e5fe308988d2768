/**
 * A Provider whose every call runs through its cloud's resilience policies
 * (resilience.ts). Built by `withResilience(provider, options)`.
 */
import type { DrOperations } from './dr.ts';
import type { FeatureOp, ProviderFeatures } from './features.ts';
import type { DeviceProbeRequest } from './ssh/network-device-provider.ts';
import type { MigrationOperations } from './migration.ts';
import type { CallPolicy, CircuitStateName, CircuitStates, CloudPolicies, OperationClass } from './resilience.ts';
import type { CallOptions, CapacityReport, ConnectInfo, CreateOutcome, DeleteOutcome, HealthReport, InventoryPage, InventoryRequest, KeyedOp, KeyObservation, MutationOptions, MutationResult, NetworkFacts, Observation, OperationGroup, Provider, ProviderOp, ReplicationLink, Resource, ResourceRef, ResourceSpec, TenantSpace, TenantSpaceSpec, UpdateOutcome } from './spi.ts';

export class ResilientProvider implements Provider {
  readonly cloudId: string;
  readonly kind: string;
  /** The inner provider's DR operations through the same policies (retries keep the idempotency key). */
  readonly dr?: DrOperations;
  /** The inner provider's migration operations through the same policies. */
  readonly migration?: MigrationOperations;
  /** The inner provider's optional capabilities; the call-shaped ones through the same policies (see wrapFeatures). */
  readonly features?: ProviderFeatures;

  constructor(
    readonly inner: Provider,
    private readonly policies: CloudPolicies,
  ) {
    this.cloudId = inner.cloudId;
    this.kind = inner.kind;
    if (inner.dr !== undefined) this.dr = wrapOperationGroup(inner.dr, policies, 'dr');
    if (inner.migration !== undefined) this.migration = wrapOperationGroup(inner.migration, policies, 'migration');
    if (inner.features !== undefined) this.features = wrapFeatures(inner.features, policies);
  }

  /**
   * One connect attempt through the policies (bulkhead, breaker, metrics), bounded by the caller's signal only:
   * the check of a cloud before it is registered or its credential replaced reports what it saw, unretried.
   */
  connectOnce(opts: CallOptions & { signal: AbortSignal }): Promise<ConnectInfo> {
    return this.policies.execute('connect', (signal) => this.inner.connect({ signal }), opts.signal, 'read', { once: true, callerDeadline: true });
  }

  /** The worst state over the operation classes. */
  get circuitState(): CircuitStateName {
    return this.policies.circuitState;
  }

  /** The circuit of each operation class (read, mutate, inventory, health). */
  get circuitStates(): CircuitStates {
    return this.policies.circuitStates;
  }

  connect(opts?: CallOptions): Promise<ConnectInfo> {
    return this.policies.execute('connect', (signal) => this.inner.connect({ signal }), opts?.signal);
  }

  observeTenantSpace(desired: TenantSpaceSpec, opts?: CallOptions): Promise<Observation<TenantSpace>> {
    return this.policies.execute('observeTenantSpace', (signal) => this.inner.observeTenantSpace(desired, { signal }), opts?.signal);
  }

  createTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, CreateOutcome>> {
    // Retrying a mutation is safe: the same idempotency key goes with every attempt.
    return this.policies.execute('createTenantSpace', (signal) => this.inner.createTenantSpace(spec, { ...opts, signal }), opts.signal);
  }

  updateTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, UpdateOutcome>> {
    return this.policies.execute('updateTenantSpace', (signal) => this.inner.updateTenantSpace(spec, { ...opts, signal }), opts.signal);
  }

  deleteTenantSpace(name: string, opts: MutationOptions): Promise<MutationResult<TenantSpace, DeleteOutcome>> {
    return this.policies.execute('deleteTenantSpace', (signal) => this.inner.deleteTenantSpace(name, { ...opts, signal }), opts.signal);
  }

  observeResource(desired: ResourceSpec, opts?: CallOptions): Promise<Observation<Resource>> {
    return this.policies.execute('observeResource', (signal) => this.inner.observeResource(desired, { signal }), opts?.signal);
  }

  createResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, CreateOutcome>> {
    return this.policies.execute('createResource', (signal) => this.inner.createResource(spec, { ...opts, signal }), opts.signal);
  }

  updateResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, UpdateOutcome>> {
    return this.policies.execute('updateResource', (signal) => this.inner.updateResource(spec, { ...opts, signal }), opts.signal);
  }

  deleteResource(ref: ResourceRef, opts: MutationOptions): Promise<MutationResult<Resource, DeleteOutcome>> {
    return this.policies.execute('deleteResource', (signal) => this.inner.deleteResource(ref, { ...opts, signal }), opts.signal);
  }

  observeByKey(q: { readonly idempotencyKey: string; readonly op: KeyedOp }, opts?: CallOptions): Promise<KeyObservation> {
    return this.policies.execute('observeByKey', (signal) => this.inner.observeByKey(q, { signal }), opts?.signal);
  }

  listInventory(req: InventoryRequest, opts?: CallOptions): Promise<InventoryPage> {
    return this.policies.execute('listInventory', (signal) => this.inner.listInventory(req, { signal }), opts?.signal);
  }

  capacity(opts?: CallOptions): Promise<CapacityReport> {
    return this.policies.execute('capacity', (signal) => this.inner.capacity({ signal }), opts?.signal);
  }

  replicationLinks(opts?: CallOptions): Promise<readonly ReplicationLink[]> {
    return this.policies.execute('replicationLinks', (signal) => this.inner.replicationLinks({ signal }), opts?.signal);
  }

  networkFacts(opts?: CallOptions): Promise<NetworkFacts> {
    return this.policies.execute('networkFacts', (signal) => this.inner.networkFacts({ signal }), opts?.signal);
  }

  health(opts?: CallOptions): Promise<HealthReport> {
    return this.policies.execute('health', (signal) => this.inner.health({ signal }), opts?.signal);
  }

  /** Not wrapped: closing must work even when the circuit is open. */
  close(): Promise<void> {
    this.policies.dispose();
    return this.inner.close();
  }
}

/**
 * A group of keyed operations (DR, migration) through the cloud's policies: `run` as a mutation (retries keep the
 * idempotency key), observing and reading the state as reads. The policies name calls by ProviderOp for metrics and
 * errors; these pass their own names: the operation's, `<group>ObserveByKey` and `<group>State`.
 */
function wrapOperationGroup<O extends string, Q extends { readonly [K in O]: unknown }, R, S>(
  group: OperationGroup<O, Q, R, S>,
  policies: CloudPolicies,
  name: 'dr' | 'migration',
): OperationGroup<O, Q, R, S> {
  const as = (op: string) => op as ProviderOp;
  return {
    run: (op, request, opts) => policies.execute(as(op), (signal) => group.run(op, request, { ...opts, signal }), opts.signal, 'mutate'),
    observeByKey: (q, opts) => policies.execute(as(`${name}ObserveByKey`), (signal) => group.observeByKey(q, { signal }), opts?.signal),
    state: (opts) => policies.execute(as(`${name}State`), (signal) => group.state({ signal }), opts?.signal),
  };
}

/**
 * Device inventory, cluster nodes, probes and utilisation run through the cloud's policies: its bulkhead, the breaker of their
 * class (inventory: `inventory`; nodes, probes and utilisation: `read`), and the call metrics hook, under the operation names
 * `inventory`, `nodes` and `probe`. Each is one attempt bounded by the caller's deadline: a device allows few
 * sessions, a probe is not repeated, and their answers take longer than one ordinary call. Host-key sessions,
 * fault switches and the in-process simulator are not calls to the cloud: they pass through.
 */
function wrapFeatures(f: ProviderFeatures, policies: CloudPolicies): ProviderFeatures {
  const run = <T>(op: FeatureOp, opClass: OperationClass, call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
    policies.execute(op as ProviderOp, call, signal, opClass, FEATURE_CALL);
  const { deviceInventory, clusterNodes, probe, utilisation } = f;
  return {
    ...f,
    ...(deviceInventory
      ? { deviceInventory: { host: deviceInventory.host, inventory: (opts?: CallOptions) => run('inventory', 'inventory', (signal) => deviceInventory.inventory({ signal }), opts?.signal) } }
      : {}),
    ...(clusterNodes ? { clusterNodes: { nodes: (opts?: CallOptions) => run('nodes', 'read', (signal) => clusterNodes.nodes({ signal }), opts?.signal) } } : {}),
    ...(probe ? { probe: { probe: (req: DeviceProbeRequest, opts?: CallOptions) => run('probe', 'read', (signal) => probe.probe(req, { signal }), opts?.signal) } } : {}),
    ...(utilisation ? { utilisation: { utilisation: (opts?: CallOptions) => run('utilisation', 'read', (signal) => utilisation.utilisation({ signal }), opts?.signal) } } : {}),
  };
}

const FEATURE_CALL: CallPolicy = { once: true, callerDeadline: true };
