/**
 * Resources (VMs, workloads, volumes, network segments) on a simulated cloud.
 * Creation reserves tenant quota and pool capacity at once and becomes `running` after
 * the kind's provisioning delay; deletion passes through `deleting` before it is gone.
 */
import { addQuota, demandOf, exceededClasses, resourceKey, resourceProblems } from '../spec-checks.ts';
import { diffSpecs, stableStringify } from '../spec-diff.ts';
import type { CreateOutcome, DeleteOutcome, MutationResult, Observation, Resource, ResourceRef, ResourceSpec, UpdateOutcome } from '../spi.ts';
import type { CloudState, ResourceRecord } from './cloud-state.ts';
import type { Effect } from './tenant-ops.ts';

/** Spec rules plus what only this cloud knows: its zones and image catalogue. */
export function checkResourceSpec(state: CloudState, op: string, spec: ResourceSpec): void {
  const problems = resourceProblems(spec);
  if (problems.length > 0) throw state.error(op, 'invalid', problems.join('; '), 'invalid-spec');
  if (spec.zone !== undefined && !state.zones.includes(spec.zone)) {
    throw state.error(op, 'invalid', `zone ${spec.zone} is not one of ${state.zones.join(', ')}`, 'unknown-zone');
  }
  if (spec.kind === 'vm' && spec.image !== undefined && spec.arch !== undefined) {
    const image = state.imagesById.get(spec.image);
    if (image === undefined) throw state.error(op, 'invalid', `image ${spec.image} is not in the catalogue`, 'unknown-image');
    if (!image.arches.includes(spec.arch)) {
      throw state.error(op, 'invalid', `image ${spec.image} has no ${spec.arch} build`, 'image-arch-mismatch');
    }
  }
}

export function observeResource(state: CloudState, desired: ResourceSpec): Observation<Resource> {
  const rec = state.resources.get(resourceKey(desired));
  if (rec === undefined) return { exists: false, upToDate: false, diff: [] };
  const diff = diffSpecs(desired, rec.resource.spec);
  return { exists: true, upToDate: diff.length === 0, diff, observed: rec.resource };
}

export function createResource(state: CloudState, spec: ResourceSpec): Effect<MutationResult<Resource, CreateOutcome>> {
  const op = 'createResource';
  checkResourceSpec(state, op, spec);
  const key = resourceKey(spec);
  const existing = state.resources.get(key);
  if (existing !== undefined) return { value: { outcome: 'exists', object: existing.resource }, changed: false };
  const tenant = state.tenants.get(spec.tenant);
  if (tenant === undefined) throw state.error(op, 'not-found', `tenant space ${spec.tenant} does not exist`, 'tenant-not-found');
  const demand = demandOf(spec);
  const over = exceededClasses(addQuota(tenant.usage, demand), tenant.spec.quota);
  if (over.length > 0) {
    throw state.error(op, 'conflict', `tenant ${spec.tenant} quota would be exceeded for ${over.join(', ')}`, 'quota-exceeded');
  }
  let zone = spec.zone ?? state.zones[0];
  let pool;
  if (spec.kind !== 'network-segment') {
    const req = spec.kind === 'volume' ? { zone: spec.zone } : { zone: spec.zone, arch: spec.arch, vendor: spec.vendor };
    if (state.pools.candidates(req).length === 0) {
      const what = [spec.arch, spec.vendor, spec.zone].filter(Boolean).join('/') || 'storage';
      throw state.error(op, 'invalid', `this cloud has no ${what} pool`, 'no-matching-pool');
    }
    pool = state.pools.place(req, demand);
    if (pool === undefined) {
      // Name the exhausted pools: the request that fails says where capacity ran out.
      const exhausted = state.pools.candidates(req).map((p) => p.key).join(', ');
      throw state.error(op, 'conflict', `no pool has room for this resource (pool ${exhausted} exhausted)`, 'insufficient-capacity');
    }
    state.pools.allocate(pool, demand);
    zone = pool.spec.zone;
  }
  tenant.usage = addQuota(tenant.usage, demand);
  tenant.resources++;
  tenant.updatedAt = state.clock.iso();
  state.publishTenant(tenant);
  const delay = state.delayMs(state.timing.provisionMs[spec.kind]);
  const now = state.clock.iso();
  const rec: ResourceRecord = {
    resource: {} as Resource,
    demand,
    ...(pool !== undefined ? { poolKey: pool.key } : {}),
    pendingSeq: 0,
  };
  state.resources.set(key, rec);
  state.publishResource(rec, {
    id: state.newId(spec.kind),
    spec,
    state: delay === 0 ? 'running' : 'pending',
    zone,
    ...(pool !== undefined && spec.kind !== 'volume' ? { vendor: pool.spec.vendor } : {}),
    createdAt: now,
    updatedAt: now,
  });
  if (delay > 0) state.scheduleTransition(rec, delay, 'running');
  return { value: { outcome: 'created', object: rec.resource }, changed: true };
}

export function updateResource(state: CloudState, desired: ResourceSpec): Effect<MutationResult<Resource, UpdateOutcome>> {
  const op = 'updateResource';
  checkResourceSpec(state, op, desired);
  const key = resourceKey(desired);
  const rec = state.resources.get(key);
  if (rec === undefined) throw state.error(op, 'not-found', `${key} does not exist`);
  const actual = rec.resource;
  if (actual.state === 'deleting') throw state.error(op, 'conflict', `${key} is being deleted`, 'deleting');
  const immutable = [
    desired.arch !== actual.spec.arch && 'arch',
    desired.vendor !== undefined && desired.vendor !== actual.vendor && 'vendor',
    desired.zone !== undefined && desired.zone !== actual.zone && 'zone',
    desired.cidr !== actual.spec.cidr && 'cidr',
  ].filter((f): f is string => typeof f === 'string');
  if (immutable.length > 0) throw state.error(op, 'invalid', `cannot change ${immutable.join(', ')}`, 'immutable-field');
  const spec: ResourceSpec = { ...desired, zone: desired.zone ?? actual.spec.zone, vendor: desired.vendor ?? actual.spec.vendor };
  if (stableStringify(spec) === stableStringify(actual.spec)) {
    return { value: { outcome: 'unchanged', object: actual }, changed: false };
  }
  const demand = demandOf(spec);
  const delta = addQuota(demand, rec.demand, -1);
  const tenant = state.tenants.get(spec.tenant);
  if (tenant === undefined) throw state.error(op, 'not-found', `tenant space ${spec.tenant} does not exist`, 'tenant-not-found');
  const over = exceededClasses(addQuota(tenant.usage, delta), tenant.spec.quota);
  if (over.length > 0) {
    throw state.error(op, 'conflict', `tenant ${spec.tenant} quota would be exceeded for ${over.join(', ')}`, 'quota-exceeded');
  }
  const pool = rec.poolKey === undefined ? undefined : state.pools.get(rec.poolKey);
  if (pool !== undefined && !state.pools.fits(pool, delta)) {
    throw state.error(op, 'conflict', 'the resource pool has no room for the new size', 'insufficient-capacity');
  }
  if (pool !== undefined) state.pools.allocate(pool, delta);
  tenant.usage = addQuota(tenant.usage, delta);
  tenant.updatedAt = state.clock.iso();
  state.publishTenant(tenant);
  rec.demand = demand;
  // Resizing or re-imaging takes time; relabelling does not.
  const reshaped = stableStringify(spec.size) !== stableStringify(actual.spec.size) || spec.image !== actual.spec.image;
  const delay = reshaped ? state.delayMs(state.timing.updateMs) : 0;
  state.publishResource(rec, { ...actual, spec, state: delay > 0 ? 'updating' : actual.state, updatedAt: state.clock.iso() });
  if (delay > 0) state.scheduleTransition(rec, delay, 'running');
  return { value: { outcome: 'updated', object: rec.resource }, changed: true };
}

export function deleteResource(state: CloudState, ref: ResourceRef): Effect<MutationResult<Resource, DeleteOutcome>> {
  const key = resourceKey(ref);
  const rec = state.resources.get(key);
  if (rec === undefined) return { value: { outcome: 'gone' }, changed: false };
  if (rec.resource.state === 'deleting') return { value: { outcome: 'deleting', object: rec.resource }, changed: false };
  const delay = state.delayMs(state.timing.deleteMs);
  if (delay === 0) {
    const last = rec.resource;
    state.dropResource(key, rec);
    return { value: { outcome: 'deleted', object: last }, changed: true };
  }
  state.publishResource(rec, { ...rec.resource, state: 'deleting', updatedAt: state.clock.iso() });
  state.scheduleTransition(rec, delay, 'gone');
  return { value: { outcome: 'deleting', object: rec.resource }, changed: true };
}
