/**
 * Tenant spaces (projects) on a simulated cloud: observe / create / update / delete.
 * Mutations return `{value, changed}` so the idempotency ledger can count effects.
 */
import { exceededClasses, tenantSpaceKey, tenantSpaceProblems, ZERO_QUOTA } from '../spec-checks.ts';
import { diffSpecs, stableStringify } from '../spec-diff.ts';
import type { CreateOutcome, DeleteOutcome, MutationResult, Observation, TenantSpace, TenantSpaceSpec, UpdateOutcome } from '../spi.ts';
import type { CloudState } from './cloud-state.ts';

export interface Effect<T> {
  readonly value: T;
  readonly changed: boolean;
}

function check(state: CloudState, op: string, spec: TenantSpaceSpec): void {
  const problems = tenantSpaceProblems(spec);
  if (problems.length > 0) throw state.error(op, 'invalid', problems.join('; '), 'invalid-spec');
}

export function observeTenantSpace(state: CloudState, desired: TenantSpaceSpec): Observation<TenantSpace> {
  const observed = state.tenantSpace(desired.name);
  if (observed === undefined) return { exists: false, upToDate: false, diff: [] };
  const diff = diffSpecs(desired, observed.spec);
  return { exists: true, upToDate: diff.length === 0, diff, observed };
}

export function createTenantSpace(
  state: CloudState,
  spec: TenantSpaceSpec,
): Effect<MutationResult<TenantSpace, CreateOutcome>> {
  check(state, 'createTenantSpace', spec);
  const existing = state.tenantSpace(spec.name);
  if (existing !== undefined) return { value: { outcome: 'exists', object: existing }, changed: false };
  const now = state.clock.iso();
  const rec = { spec, usage: ZERO_QUOTA, resources: 0, createdAt: now, updatedAt: now };
  state.tenants.set(spec.name, rec);
  state.publishTenant(rec);
  return { value: { outcome: 'created', object: state.tenantSpace(spec.name) }, changed: true };
}

export function updateTenantSpace(
  state: CloudState,
  spec: TenantSpaceSpec,
): Effect<MutationResult<TenantSpace, UpdateOutcome>> {
  const op = 'updateTenantSpace';
  check(state, op, spec);
  const rec = state.tenants.get(spec.name);
  if (rec === undefined) throw state.error(op, 'not-found', `tenant space ${spec.name} does not exist`);
  if (stableStringify(rec.spec) === stableStringify(spec)) {
    return { value: { outcome: 'unchanged', object: state.tenantSpace(spec.name) }, changed: false };
  }
  const over = exceededClasses(rec.usage, spec.quota);
  if (over.length > 0) {
    throw state.error(op, 'conflict', `new quota is below current usage for ${over.join(', ')}`, 'quota-below-usage');
  }
  rec.spec = spec;
  rec.updatedAt = state.clock.iso();
  state.publishTenant(rec);
  return { value: { outcome: 'updated', object: state.tenantSpace(spec.name) }, changed: true };
}

export function deleteTenantSpace(state: CloudState, name: string): Effect<MutationResult<TenantSpace, DeleteOutcome>> {
  const rec = state.tenants.get(name);
  if (rec === undefined) return { value: { outcome: 'gone' }, changed: false };
  if (rec.resources > 0) {
    throw state.error(
      'deleteTenantSpace',
      'conflict',
      `tenant space ${name} still holds ${rec.resources} resources`,
      'tenant-not-empty',
    );
  }
  const last = state.tenantSpace(name);
  state.tenants.delete(name);
  state.store.remove(tenantSpaceKey(name));
  return { value: { outcome: 'deleted', ...(last ? { object: last } : {}) }, changed: true };
}
