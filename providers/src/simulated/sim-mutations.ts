/**
 * Changes made "behind Ganyun's back": an operator clicking in the cloud's own console, a
 * VM crashing, a zone going dark. They bypass quota checks and idempotency (drift is the
 * point) but go through the inventory like any change, bumping the change cursor, so
 * sync and drift-detection tests see them.
 */
import { addQuota, demandOf, resourceKey, tenantSpaceKey } from '../spec-checks.ts';
import type { HealthStatus, ResourceRef, ResourceSpec, ResourceState, TenantSpaceSpec } from '../spi.ts';
import type { CloudState, ResourceRecord } from './cloud-state.ts';
import { checkResourceSpec } from './resource-ops.ts';
import { createTenantSpace } from './tenant-ops.ts';

export type SimMutation =
  /** Create a resource (running at once) or overwrite an existing one's spec. */
  | { readonly op: 'put-resource'; readonly spec: ResourceSpec; readonly state?: ResourceState }
  /** The resource vanishes at once (tombstone). */
  | { readonly op: 'delete-resource'; readonly ref: ResourceRef }
  | { readonly op: 'set-resource-state'; readonly ref: ResourceRef; readonly state: ResourceState }
  | { readonly op: 'put-tenant-space'; readonly spec: TenantSpaceSpec }
  /** The space and everything in it vanish at once. */
  | { readonly op: 'delete-tenant-space'; readonly name: string }
  | { readonly op: 'zone-status'; readonly zone: string; readonly status: HealthStatus }
  | {
      readonly op: 'replication-link';
      readonly id: string;
      readonly state?: 'healthy' | 'lagging' | 'broken';
      readonly lagSeconds?: number;
    };

export function applyMutation(state: CloudState, m: SimMutation): void {
  const op = 'mutate';
  switch (m.op) {
    case 'put-resource':
      return putResource(state, m.spec, m.state);
    case 'delete-resource': {
      const rec = state.resources.get(resourceKey(m.ref));
      if (rec !== undefined) state.dropResource(resourceKey(m.ref), rec);
      return;
    }
    case 'set-resource-state': {
      const rec = state.resources.get(resourceKey(m.ref));
      if (rec === undefined) throw state.error(op, 'not-found', `${resourceKey(m.ref)} does not exist`);
      rec.pendingSeq = 0;
      state.publishResource(rec, { ...rec.resource, state: m.state, updatedAt: state.clock.iso() });
      return;
    }
    case 'put-tenant-space': {
      const rec = state.tenants.get(m.spec.name);
      if (rec === undefined) {
        createTenantSpace(state, m.spec);
        return;
      }
      rec.spec = m.spec;
      rec.updatedAt = state.clock.iso();
      state.publishTenant(rec);
      return;
    }
    case 'delete-tenant-space': {
      for (const [key, rec] of [...state.resources]) {
        if (rec.resource.spec.tenant === m.name) state.dropResource(key, rec);
      }
      if (state.tenants.delete(m.name)) state.store.remove(tenantSpaceKey(m.name));
      return;
    }
    case 'zone-status':
      if (!state.zones.includes(m.zone)) throw state.error(op, 'not-found', `zone ${m.zone} does not exist`);
      state.zoneStatus.set(m.zone, m.status);
      return;
    case 'replication-link':
      state.linkOverrides.set(m.id, {
        ...(m.state !== undefined ? { state: m.state } : {}),
        ...(m.lagSeconds !== undefined ? { lagSeconds: m.lagSeconds } : {}),
      });
      return;
  }
}

function putResource(state: CloudState, spec: ResourceSpec, resourceState: ResourceState = 'running'): void {
  checkResourceSpec(state, 'mutate', spec);
  const tenant = state.tenants.get(spec.tenant);
  if (tenant === undefined) throw state.error('mutate', 'not-found', `tenant space ${spec.tenant} does not exist`);
  const key = resourceKey(spec);
  const demand = demandOf(spec);
  const now = state.clock.iso();
  const existing = state.resources.get(key);
  if (existing !== undefined) {
    const pool = existing.poolKey === undefined ? undefined : state.pools.get(existing.poolKey);
    const delta = addQuota(demand, existing.demand, -1);
    if (pool !== undefined) state.pools.allocate(pool, delta);
    tenant.usage = addQuota(tenant.usage, delta);
    existing.demand = demand;
    existing.pendingSeq = 0;
    state.publishResource(existing, { ...existing.resource, spec, state: resourceState, updatedAt: now });
  } else {
    // Drift ignores capacity: place where it fits, else anywhere that matches.
    const req = spec.kind === 'volume' ? { zone: spec.zone } : { zone: spec.zone, arch: spec.arch, vendor: spec.vendor };
    const pool = spec.kind === 'network-segment' ? undefined : (state.pools.place(req, demand) ?? state.pools.candidates(req)[0]);
    if (pool !== undefined) state.pools.allocate(pool, demand);
    const rec: ResourceRecord = { resource: {} as never, demand, ...(pool ? { poolKey: pool.key } : {}), pendingSeq: 0 };
    state.resources.set(key, rec);
    tenant.usage = addQuota(tenant.usage, demand);
    tenant.resources++;
    state.publishResource(rec, {
      id: state.newId(spec.kind),
      spec,
      state: resourceState,
      zone: pool?.spec.zone ?? spec.zone ?? state.zones[0],
      ...(pool !== undefined && spec.kind !== 'volume' ? { vendor: pool.spec.vendor } : {}),
      createdAt: now,
      updatedAt: now,
    });
  }
  tenant.updatedAt = now;
  state.publishTenant(tenant);
}
