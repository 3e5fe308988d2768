/**
 * The state of one simulated cloud and the few primitives every operation shares:
 * publishing changed objects into the revisioned inventory (which bumps the change
 * cursor), scheduling lifecycle transitions, and raising typed errors.
 */
import { ProviderError, type ProviderErrorCode } from '../errors.ts';
import { resourceKey, tenantSpaceKey } from '../spec-checks.ts';
import type { Quota, Resource, ResourceKind, TenantSpace, TenantSpaceSpec } from '../spi.ts';
import { CapacityPools, type HostPoolSpec, type OvercommitRatios } from './capacity-pools.ts';
import type { OsImage } from './catalog.ts';
import { SimClock } from './clock.ts';
import { InventoryStore } from './inventory-store.ts';
import { LifecycleQueue } from './lifecycle-queue.ts';

/** How long lifecycle steps take on a real cloud, before `timeScale`. */
export interface LifecycleTiming {
  readonly provisionMs: Readonly<Record<ResourceKind, number>>;
  readonly updateMs: number;
  readonly deleteMs: number;
}

export const DEFAULT_TIMING: LifecycleTiming = {
  provisionMs: { vm: 45_000, workload: 15_000, volume: 8_000, 'network-segment': 3_000 },
  updateMs: 10_000,
  deleteMs: 10_000,
};

export interface ReplicationLinkSpec {
  readonly id?: string;
  readonly target: string;
  readonly mode: 'sync' | 'async';
  readonly baseLagSeconds: number;
}

export type StoredObject =
  | { readonly type: 'tenant-space'; readonly tenantSpace: TenantSpace }
  | { readonly type: 'resource'; readonly resource: Resource };

export interface TenantRecord {
  spec: TenantSpaceSpec;
  usage: Quota;
  resources: number;
  readonly createdAt: string;
  updatedAt: string;
}

export interface ResourceRecord {
  resource: Resource;
  demand: Quota;
  readonly poolKey?: string;
  /** Seq of the transition this record waits for; stale queue entries are ignored. */
  pendingSeq: number;
}

export class CloudState {
  readonly store: InventoryStore<StoredObject>;
  readonly tenants = new Map<string, TenantRecord>();
  readonly resources = new Map<string, ResourceRecord>();
  readonly pools: CapacityPools;
  readonly queue = new LifecycleQueue();
  readonly imagesById: ReadonlyMap<string, OsImage>;
  readonly zoneStatus = new Map<string, 'ok' | 'degraded' | 'down'>();
  readonly linkOverrides = new Map<string, { state?: 'healthy' | 'lagging' | 'broken'; lagSeconds?: number }>();
  private nextId = 0;
  /** While true (seeding the initial inventory) lifecycle steps complete at once. */
  instant = false;

  constructor(
    readonly cloudId: string,
    readonly seed: number,
    readonly zones: readonly string[],
    hostPools: readonly HostPoolSpec[],
    overcommit: OvercommitRatios,
    images: readonly OsImage[],
    readonly clock: SimClock,
    readonly timing: LifecycleTiming,
    readonly timeScale: number,
    maxTombstones: number,
  ) {
    this.store = new InventoryStore<StoredObject>(maxTombstones);
    this.pools = new CapacityPools(hostPools, overcommit);
    this.imagesById = new Map(images.map((i) => [i.id, i]));
    for (const z of zones) this.zoneStatus.set(z, 'ok');
  }

  error(op: string, code: ProviderErrorCode, message: string, reason?: string): ProviderError {
    return new ProviderError({
      provider: this.cloudId,
      op,
      code,
      message: `${this.cloudId}: ${op}: ${message}`,
      ...(reason !== undefined ? { reason } : {}),
    });
  }

  /** Deterministic ids: a run from the same seed names everything the same. */
  newId(kind: ResourceKind): string {
    const prefix = { vm: 'vm', workload: 'wl', volume: 'vol', 'network-segment': 'seg' }[kind];
    return `${prefix}-${(++this.nextId).toString(36).padStart(6, '0')}`;
  }

  delayMs(base: number): number {
    return this.instant ? 0 : Math.max(0, Math.round(base * this.timeScale));
  }

  /** Applies transitions that have fallen due on the sim clock. Called before every op. */
  advance(): void {
    for (const t of this.queue.drain(this.clock.now())) {
      const rec = this.resources.get(t.key);
      if (rec === undefined || rec.pendingSeq !== t.seq) continue;
      rec.pendingSeq = 0;
      if (t.to === 'gone') this.dropResource(t.key, rec);
      else this.publishResource(rec, { ...rec.resource, state: 'running', updatedAt: this.clock.iso() });
    }
  }

  publishTenant(rec: TenantRecord): void {
    const tenantSpace: TenantSpace = deepFreeze({
      spec: rec.spec,
      usage: { ...rec.usage },
      state: 'active',
      createdAt: rec.createdAt,
      updatedAt: rec.updatedAt,
    });
    this.store.put(tenantSpaceKey(rec.spec.name), { type: 'tenant-space', tenantSpace });
  }

  tenantSpace(name: string): TenantSpace | undefined {
    const o = this.store.get(tenantSpaceKey(name));
    return o?.type === 'tenant-space' ? o.tenantSpace : undefined;
  }

  publishResource(rec: ResourceRecord, next: Resource): void {
    rec.resource = deepFreeze(next);
    this.store.put(resourceKey(next.spec), { type: 'resource', resource: rec.resource });
  }

  /** Removes a resource for good: frees its pool capacity and tenant usage, leaves a tombstone. */
  dropResource(key: string, rec: ResourceRecord): void {
    this.resources.delete(key);
    const pool = rec.poolKey === undefined ? undefined : this.pools.get(rec.poolKey);
    if (pool !== undefined) this.pools.allocate(pool, rec.demand, -1);
    const tenant = this.tenants.get(rec.resource.spec.tenant);
    if (tenant !== undefined) {
      tenant.usage = subtract(tenant.usage, rec.demand);
      tenant.resources--;
      tenant.updatedAt = this.clock.iso();
      this.publishTenant(tenant);
    }
    this.store.remove(key);
  }

  scheduleTransition(rec: ResourceRecord, afterMs: number, to: 'running' | 'gone'): void {
    rec.pendingSeq = this.queue.schedule(this.clock.now() + afterMs, resourceKey(rec.resource.spec), to);
  }
}

function subtract(a: Quota, b: Quota): Quota {
  return { vcpu: a.vcpu - b.vcpu, memoryGiB: a.memoryGiB - b.memoryGiB, storageGiB: a.storageGiB - b.storageGiB, gpu: a.gpu - b.gpu };
}

/** Objects handed out are frozen: callers share them with the store and must not edit them. */
export function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
