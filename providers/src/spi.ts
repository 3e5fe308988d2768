/**
 * The provider contract: the one interface through which Ganyun reaches every cloud.
 *
 * Modelled on Crossplane's managed-resource contract: connect, then observe / create /
 * update / delete. Observe never changes anything and reports `{exists, upToDate, diff}`;
 * the reconciler in the control plane, not the provider, decides what to do next.
 * Create of something that exists and delete of something gone are not errors.
 * Every mutating call carries an idempotency key. Failures are `ProviderError`s (errors.ts).
 */

/** Resource classes that quotas and capacity are counted in. */
import type { DrOperation, DrOperations } from './dr.ts';
import type { MigrationOperation, MigrationOperations } from './migration.ts';
import type { ProviderFeatures } from './features.ts';

export const RESOURCE_CLASSES = ['vcpu', 'memoryGiB', 'storageGiB', 'gpu'] as const;
export type ResourceClass = (typeof RESOURCE_CLASSES)[number];
export type Quota = Readonly<Record<ResourceClass, number>>;

/**
 * Instruction-set architecture: what a binary image needs. Hygon is NOT a separate arch:
 * Hygon CPUs run ordinary x86_64 images, so they are `{arch: 'x86_64', vendor: 'hygon'}`.
 * Image compatibility is decided by `arch`; Xinchuang (domestic) status by `vendor`.
 */
export const CPU_ARCHES = ['x86_64', 'arm64', 'loongarch64'] as const;
export type CpuArch = (typeof CPU_ARCHES)[number];
export const CPU_VENDORS = ['intel', 'amd', 'hygon', 'kunpeng', 'phytium', 'loongson'] as const;
export type CpuVendor = (typeof CPU_VENDORS)[number];
/** Vendors whose CPUs count as Xinchuang (domestic) technology. */
export const XINCHUANG_VENDORS: ReadonlySet<CpuVendor> = new Set(['hygon', 'kunpeng', 'phytium', 'loongson']);
export interface CpuPlatform {
  readonly arch: CpuArch;
  readonly vendor: CpuVendor;
}

export type Labels = Readonly<Record<string, string>>;

// ---------------------------------------------------------------- tenant spaces

/** A project (VM clouds) or namespace (container clouds) holding a system's resources. */
export interface TenantSpaceSpec {
  /** External name chosen by Ganyun; the identity of the space on the cloud. */
  readonly name: string;
  readonly displayName?: string;
  readonly quota: Quota;
  readonly labels?: Labels;
}

export interface TenantSpace {
  readonly spec: TenantSpaceSpec;
  /** What the space's live resources consume, counted against `spec.quota`. */
  readonly usage: Quota;
  readonly state: 'active' | 'deleting';
  readonly createdAt: string;
  readonly updatedAt: string;
}

// ---------------------------------------------------------------- resources

export const RESOURCE_KINDS = ['vm', 'workload', 'volume', 'network-segment'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * Size of a resource. Which fields a kind needs (see validateResourceSpec):
 * vm: vcpu + memoryGiB (storageGiB = system disk, gpu optional);
 * workload: vcpu + memoryGiB per replica, and replicas; volume: storageGiB;
 * network-segment: nothing (its `cidr` is on the spec).
 */
export interface ResourceSize {
  readonly vcpu?: number;
  readonly memoryGiB?: number;
  readonly storageGiB?: number;
  readonly gpu?: number;
  readonly replicas?: number;
}

export interface ResourceRef {
  readonly tenant: string;
  readonly kind: ResourceKind;
  readonly name: string;
}

export interface ResourceSpec extends ResourceRef {
  readonly displayName?: string;
  /** Required for vm and workload; the pool must offer it. */
  readonly arch?: CpuArch;
  /** Optional vendor pin, e.g. to demand Hygon rather than any x86_64. */
  readonly vendor?: CpuVendor;
  /** Image id from the cloud's catalogue (vm, workload). */
  readonly image?: string;
  readonly size: ResourceSize;
  /** network-segment only: IPv4 or IPv6 CIDR. */
  readonly cidr?: string;
  /** Preferred zone; the provider picks one when absent. */
  readonly zone?: string;
  readonly labels?: Labels;
}

export type ResourceState = 'pending' | 'running' | 'updating' | 'deleting' | 'failed';

export interface Resource {
  /** Provider-assigned id, stable for the life of the resource. */
  readonly id: string;
  readonly spec: ResourceSpec;
  readonly state: ResourceState;
  readonly zone: string;
  /** Vendor of the pool it landed on (vm, workload). */
  readonly vendor?: CpuVendor;
  readonly createdAt: string;
  readonly updatedAt: string;
}

// ---------------------------------------------------------------- observe / mutate

export interface FieldDiff {
  /** Dotted path into the spec, e.g. `size.vcpu` or `labels.owner`. */
  readonly path: string;
  readonly desired: unknown;
  readonly actual: unknown;
}

export interface Observation<T> {
  readonly exists: boolean;
  /** True when the observed spec matches the desired one (false when it does not exist). */
  readonly upToDate: boolean;
  readonly diff: readonly FieldDiff[];
  readonly observed?: T;
}

export interface CallOptions {
  /** Aborts the call (resilience timeouts and fan-out deadlines use this). */
  readonly signal?: AbortSignal;
}

export interface MutationOptions extends CallOptions {
  /** Same key + same request → same result, no second effect; different request → conflict. */
  readonly idempotencyKey: string;
}

export type CreateOutcome = 'created' | 'exists';
export type UpdateOutcome = 'updated' | 'unchanged';
/** `deleting`: accepted, going away; `deleted`: gone now; `gone`: there was nothing to delete. */
export type DeleteOutcome = 'deleting' | 'deleted' | 'gone';

export interface MutationResult<T, O extends string> {
  readonly outcome: O;
  readonly object?: T;
}

// ---------------------------------------------------------------- observe by key

/** The mutations whose effect can be asked about by idempotency key after their answer was lost. */
export const KEYED_OPS = ['createTenantSpace', 'updateTenantSpace', 'deleteTenantSpace', 'createResource', 'updateResource', 'deleteResource'] as const;
export type KeyedOp = (typeof KEYED_OPS)[number];

/**
 * What became of a mutation whose answer never arrived (a timeout, a lost response): the same three
 * answers as DR and migration operations give (dr.ts, migration.ts). `applied` carries the result the
 * call would have returned; `not-applied` means the cloud never acted on the key (or refused it);
 * `cannot-tell` means the provider keeps no record that settles it. Never changes anything.
 */
export type KeyObservation = KeyObservationOf<KeyedOp, MutationResult<TenantSpace | Resource, CreateOutcome | UpdateOutcome | DeleteOutcome>>;

/** The three answers of an observe-by-key, for the operations `O` whose calls return `R` (see KeyObservation). */
export type KeyObservationOf<O extends string, R> =
  | { readonly status: 'applied'; readonly op: O; readonly result: R }
  | { readonly status: 'not-applied'; readonly refusal?: { readonly code: string; readonly message: string } }
  | { readonly status: 'cannot-tell'; readonly reason: string };

/**
 * A group of keyed operations a provider offers beside its resource calls (DR: dr.ts, migration: migration.ts):
 * `run` one of the operations `O` with its request, under an idempotency key; ask what became of a key; read the
 * group's state (`S`). Observing and reading never change anything.
 */
export interface OperationGroup<O extends string, Requests extends { readonly [K in O]: unknown }, R, S> {
  run<K extends O>(op: K, request: Requests[K], opts: MutationOptions): Promise<R>;
  observeByKey(query: { readonly idempotencyKey: string; readonly op: O }, opts?: CallOptions): Promise<KeyObservationOf<O, R>>;
  state(opts?: CallOptions): Promise<S>;
}

export function isKeyedOp(s: unknown): s is KeyedOp {
  return typeof s === 'string' && (KEYED_OPS as readonly string[]).includes(s);
}

// ---------------------------------------------------------------- inventory

export type InventoryItem =
  | { readonly type: 'tenant-space'; readonly key: string; readonly revision: number; readonly tenantSpace: TenantSpace }
  | { readonly type: 'resource'; readonly key: string; readonly revision: number; readonly resource: Resource }
  | {
      readonly type: 'tombstone';
      readonly key: string;
      readonly revision: number;
      readonly objectType: 'tenant-space' | 'resource';
    };

export interface InventoryRequest {
  /** From a previous listing's `cursor`: return only changes since then, tombstones included. */
  readonly cursor?: string;
  /** From a previous page's `nextPage`: continue that listing. */
  readonly page?: string;
  readonly pageSize: number;
}

export interface InventoryPage {
  readonly items: readonly InventoryItem[];
  /** Present while the listing has more pages. */
  readonly nextPage?: string;
  /** Save this after the last page; pass it later to get only what changed since. */
  readonly cursor: string;
  /**
   * True when this listing is a full snapshot (no cursor, or the cursor was too old or from
   * another epoch of the cloud): anything the caller knows that is absent has gone.
   */
  readonly full: boolean;
}

// ---------------------------------------------------------------- capacity, replication, network, health

export interface ClassCapacity {
  readonly physical: number;
  readonly overcommitRatio: number;
  /** physical × overcommitRatio */
  readonly allocatable: number;
  readonly allocated: number;
}

export interface CapacityPool extends CpuPlatform {
  readonly zone: string;
  readonly hosts: number;
  readonly classes: Readonly<Record<ResourceClass, ClassCapacity>>;
}

export interface CapacityReport {
  readonly cloudId: string;
  readonly pools: readonly CapacityPool[];
}

export interface ReplicationLink {
  readonly id: string;
  readonly sourceCloud: string;
  readonly targetCloud: string;
  readonly mode: 'sync' | 'async';
  readonly state: 'healthy' | 'lagging' | 'broken';
  readonly lagSeconds: number;
  readonly measuredAt: string;
}

export interface NetworkFacts {
  /** Extranet planes (一网双平面) this cloud is attached to. */
  readonly extranetPlanes: readonly (1 | 2)[];
  readonly ipv4Pools: readonly string[];
  readonly ipv6Prefixes: readonly string[];
  readonly ipv6Ready: boolean;
  readonly segments: number;
}

export type HealthStatus = 'ok' | 'degraded' | 'down';
export interface HealthReport {
  readonly status: HealthStatus;
  readonly zones: readonly { readonly zone: string; readonly status: HealthStatus }[];
  readonly checkedAt: string;
}

// ---------------------------------------------------------------- connect and capabilities

/** An OS image a cloud offers for VMs. */
export interface ImageInfo {
  readonly id: string;
  readonly name: string;
  readonly arches: readonly CpuArch[];
  /** End of life (CentOS 7, Windows Server 2012 R2): systems on it are migration candidates. */
  readonly legacy: boolean;
}

/** What a provider can do, as data: the control plane plans with this, never by provider kind. */
export interface Capabilities {
  readonly resourceKinds: readonly ResourceKind[];
  readonly tenantSpaceKind: 'project' | 'namespace';
  readonly platforms: readonly CpuPlatform[];
  readonly zones: readonly string[];
  readonly images: readonly ImageInfo[];
  readonly replication: { readonly supported: boolean; readonly modes: readonly ('sync' | 'async')[] };
  readonly networkFacts: boolean;
  readonly incrementalInventory: boolean;
  readonly maxPageSize: number;
  /** Disaster-recovery operations the provider offers as `provider.dr` (dr.ts); absent: none. */
  readonly dr?: { readonly operations: readonly DrOperation[] };
  /** Migration operations the provider offers as `provider.migration` (migration.ts); absent: none. */
  readonly migration?: { readonly operations: readonly MigrationOperation[] };
}

export interface ConnectInfo {
  readonly cloudId: string;
  readonly providerKind: string;
  readonly apiVersion: string;
  /** Division code of where the cloud sits (3601…3611), when the provider knows it. */
  readonly region?: string;
  readonly capabilities: Capabilities;
}

export const PROVIDER_API_VERSION = 'ganyun.providers/v1';

export interface Provider {
  /** Id of the cloud this provider reaches (`jx-province`, `nanchang`, …). */
  readonly cloudId: string;
  /** Registry key of the implementation (`simulated`, `remote`, …). */
  readonly kind: string;

  connect(opts?: CallOptions): Promise<ConnectInfo>;

  observeTenantSpace(desired: TenantSpaceSpec, opts?: CallOptions): Promise<Observation<TenantSpace>>;
  createTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, CreateOutcome>>;
  updateTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, UpdateOutcome>>;
  deleteTenantSpace(name: string, opts: MutationOptions): Promise<MutationResult<TenantSpace, DeleteOutcome>>;

  observeResource(desired: ResourceSpec, opts?: CallOptions): Promise<Observation<Resource>>;
  createResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, CreateOutcome>>;
  updateResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, UpdateOutcome>>;
  deleteResource(ref: ResourceRef, opts: MutationOptions): Promise<MutationResult<Resource, DeleteOutcome>>;

  /** What became of the mutation made under `idempotencyKey` (see KeyObservation). Never changes anything. */
  observeByKey(query: { readonly idempotencyKey: string; readonly op: KeyedOp }, opts?: CallOptions): Promise<KeyObservation>;

  listInventory(req: InventoryRequest, opts?: CallOptions): Promise<InventoryPage>;
  capacity(opts?: CallOptions): Promise<CapacityReport>;
  replicationLinks(opts?: CallOptions): Promise<readonly ReplicationLink[]>;
  networkFacts(opts?: CallOptions): Promise<NetworkFacts>;
  health(opts?: CallOptions): Promise<HealthReport>;

  /** Disaster-recovery operations, when the provider declares any (`capabilities.dr`). */
  readonly dr?: DrOperations;

  /** Migration operations, when the provider declares any (`capabilities.migration`). */
  readonly migration?: MigrationOperations;

  /** Optional capabilities beyond the contract (features.ts): device inventory, cluster nodes, probes, host keys, faults. */
  readonly features?: ProviderFeatures;

  /** Releases sockets/timers. Idempotent. */
  close(): Promise<void>;
}

/** Names of the Provider's operations, for metrics labels and error `op`. */
export type ProviderOp = Exclude<keyof Provider, 'cloudId' | 'kind' | 'dr' | 'migration' | 'features'>;
