import type { Scope } from '../auth/scope.ts';
import type { Caller } from '../context.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { QuotaService } from '../quotas/contract.ts';
import { DEFAULT_CHAIN, resolveChain } from '../requests/chains.ts';
import { chainsRepo } from '../requests/chains-repo.ts';
import { requestsRepo } from '../requests/requests-repo.ts';
import { unitsOf } from '../requests/units.ts';
import type { Queryable } from '../store/store.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { checkAddressRoom } from './address-changes.ts';
import { resolveChange, type ChangeInput } from './change-items.ts';
import { asQuotaItems } from './resource-items.ts';
import { resourcesRepo, type ResourceRow } from './resources-repo.ts';
import { requestStepsRepo } from '../requests/request-steps-repo.ts';

/** A change's hold lives as long as a new request's: approval may take weeks. */
const CHANGE_TTL_SECONDS = 30 * 24 * 3600;

/** A resource the caller may see: in their department scope (operators and auditors: all). */
export async function loadResource(db: Queryable, scope: Scope, id: string, opts: { forUpdate?: boolean } = {}): Promise<ResourceRow> {
  const r = await resourcesRepo.byId(db, id, opts);
  if (!r) throw new NotFoundError(`no resource ${id}`);
  if (scope.departmentIds !== null && !scope.departmentIds.includes(r.departmentId)) throw new ForbiddenError(`resource ${r.name} belongs to another department`);
  return r;
}

/**
 * Submits a resize, a release or more addresses (from its segment, checked for room now) of a live resource as a request: the same approval chain rules as a new
 * request (sized by what grows), the growth held through the quota service now (refused with the shortfall
 * when it does not fit), nothing moved for a shrink or a release until the change is done. One open change
 * per resource; a resource others depend on (hosts on a segment, volumes on a host) is released after them.
 */
export async function submitChange(
  db: Queryable, s: { quotas: QuotaService }, caller: Caller, scope: Scope,
  input: { resourceId: string; change: ChangeInput; title?: string; reason: string },
): Promise<string> {
  const resource = await loadResource(db, scope, input.resourceId, { forUpdate: true });
  if (resource.state !== 'active') throw new ConflictError(`resource ${resource.name} is ${resource.state}: only an active resource is changed`, 'resourceId');
  const open = await requestsRepo.openChangeOf(db, resource.id);
  if (open) throw new ConflictError(`resource ${resource.name} already has an open change (request ${open})`, 'resourceId');
  if (input.change.action === 'release') {
    const deps = await resourcesRepo.dependents(db, resource.id);
    if (deps.length) throw new ConflictError(`release ${deps.map((d) => `${d.kind} ${d.name}`).join(', ')} first: they depend on ${resource.kind} ${resource.name}`, 'resourceId');
  }
  const change = resolveChange(resource.id, resource.spec, resource.quota, input.change);
  const system = (await systemsRepo.byId(db, resource.systemId))!;
  if (system.status === 'retired' && change.action !== 'release') throw new ConflictError('the system is retired: its resources are only released', 'resourceId');
  if (change.addresses) await checkAddressRoom(db, resource, change.addresses);

  const id = newId();
  const now = new Date();
  const grow = asQuotaItems(change.grow, resource.cloudId);
  const items = grow.map(({ resourceClass, amount }) => ({ resourceClass, amount }));
  const units = unitsOf(items);
  const chain = await chainsRepo.applicable(db, resource.departmentId, units);
  const steps = await resolveChain(db, chain?.steps ?? DEFAULT_CHAIN, resource.departmentId, caller.userId);
  const reservation = grow.length ? await s.quotas.reserve(db, {
    systemId: resource.systemId, items: grow, idempotencyKey: `request:${id}`, ttlSeconds: CHANGE_TTL_SECONDS, ref: `request:${id}`, actor: caller.username,
  }) : null;
  const verb = change.action === 'release' ? '回收' : change.action === 'add-addresses' ? '增加地址' : '变更';
  await requestsRepo.insert(db, {
    id, departmentId: resource.departmentId, systemId: resource.systemId, requesterId: caller.userId,
    title: input.title ?? `${verb} ${resource.kind} ${resource.name}`, reason: input.reason, placementMode: 'named', cloudId: resource.cloudId,
    items, resources: [], change, units, status: 'pending', quotaIncrease: false, policyResults: [], placement: { chosen: resource.cloudId, candidates: [] },
    quotaCheck: null, chainId: chain?.id ?? null, reservationId: reservation?.id ?? null, submittedAt: now,
  });
  await requestStepsRepo.insertSteps(db, id, steps, now);
  await requestStepsRepo.addEvent(db, id, 'submitted', caller.username, { change: change.action, resourceId: resource.id, units, reservationId: reservation?.id ?? null, chain: chain?.name ?? 'default' });
  return id;
}
