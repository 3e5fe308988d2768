import { resourceKey } from '@ganyun/providers';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActionRegistry, Observed, StepContext } from '../engine/actions.ts';
import type { StepSpec } from '../engine/dag.ts';
import type { FederationService } from '../federation/contract.ts';
import { inventoryRepo } from '../federation/inventory-repo.ts';
import { ipamRepo } from '../ipam/ipam-repo.ts';
import { deleteAddress } from '../ipam/addresses.ts';
import { deletePrefix } from '../ipam/prefixes.ts';
import type { QuotaService } from '../quotas/contract.ts';
import { releaseHold } from '../requests/release-hold.ts';
import { requestsRepo, type RequestRow } from '../requests/requests-repo.ts';
import type { Queryable, Store } from '../store/store.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { addAddresses, freeAddedAddresses } from './address-changes.ts';
import type { ResourceChange } from './change-items.ts';
import { cloudObjectsOf, providerSpecOf } from './provision-actions.ts';
import { asQuotaItems } from './resource-items.ts';
import { resourcesRepo, type ResourceRow } from './resources-repo.ts';
import { requestStepsRepo } from '../requests/request-steps-repo.ts';

type Params = { requestId: string };

/**
 * The workflow of an approved change: begin (the resource is `changing` / `releasing`; the undo puts it back,
 * releases the hold and ends the request failed or cancelled) → for a resize that grows, the tenant space's
 * quota on the cloud (request.applyToCloud) → the cloud object resized or deleted through the provider under
 * the step's idempotency key → finish (in one transaction: the growth committed, what shrank or was released
 * given back through the quota service, IPAM addresses freed, the row updated, the request done).
 */
export function changeSteps(requestId: string, change: ResourceChange): StepSpec[] {
  const params: Params = { requestId };
  const grows = Object.values(change.grow).some((n) => n > 0);
  // More addresses are IPAM's alone (a provider's spec carries no addresses of a host): taken in the finish.
  if (change.action === 'add-addresses') {
    return [{ key: 'begin', action: 'change.begin', dependsOn: [], params }, { key: 'finish', action: 'change.finish', dependsOn: ['begin'], params }];
  }
  const cloud = change.action === 'release' ? 'resource.release' : 'resource.resize';
  return [
    { key: 'begin', action: 'change.begin', dependsOn: [], params },
    ...(grows ? [{ key: 'apply', action: 'request.applyToCloud', dependsOn: ['begin'], params }] : []),
    { key: 'cloud', action: cloud, dependsOn: [grows ? 'apply' : 'begin'], params, maxAttempts: 5 },
    { key: 'finish', action: 'change.finish', dependsOn: ['cloud'], params },
  ];
}

export function registerChangeActions(actions: ActionRegistry, deps: { store: Store; federation: FederationService; quotas: () => QuotaService; audit?: AuditLog }): void {
  const { store, federation } = deps;
  const load = async (id: string): Promise<{ request: RequestRow; change: ResourceChange; resource: ResourceRow }> => {
    const request = await requestsRepo.byId(store, id);
    if (!request?.change) throw new Error(`request ${id} is not a change`);
    const resource = await resourcesRepo.byId(store, request.change.resourceId);
    if (!resource) throw new Error(`resource ${request.change.resourceId} is gone`);
    return { request, change: request.change, resource };
  };
  const audit = async (tx: Queryable, ctx: StepContext<Params>, outcome: 'ok' | 'error', after: unknown, error: string | null = null) =>
    deps.audit ? deps.audit.append(tx, {
      actorId: null, actor: 'workflow', role: null, procedure: 'resources.change', target: `request:${ctx.params.requestId}`,
      outcome, before: { status: 'provisioning' }, after, requestId: ctx.workflowId, error,
    }) : null;

  actions.register('change.begin', {
    async run(ctx: StepContext<Params>) {
      const { change, resource } = await load(ctx.params.requestId);
      const to = change.action === 'release' ? 'releasing' : 'changing';
      if (resource.state !== to && !(await resourcesRepo.setState(store, resource.id, to, { from: ['active'] }))) {
        throw new Error(`resource ${resource.name} is ${resource.state}: the change cannot start`);
      }
      return { resourceId: resource.id };
    },
    /** The unwind: the row back to active as stored, the hold released, the request ended with the cause. */
    async compensate(ctx: StepContext<Params>) {
      const w = await workflowsRepo.byId(store, ctx.workflowId);
      const status = w?.status === 'cancelling' ? 'cancelled' : 'failed';
      const record = await store.transaction(async (tx) => {
        const request = await requestsRepo.byId(tx, ctx.params.requestId, { forUpdate: true });
        if (!request?.change || request.status !== 'provisioning') return null;
        if (request.reservationId) await releaseHold(tx, deps.quotas(), { reservationId: request.reservationId, actor: 'provisioning', reason: `change ${status}` });
        await resourcesRepo.setState(tx, request.change.resourceId, 'active', { from: ['changing', 'releasing'] });
        await requestsRepo.update(tx, request.id, { status, error: w?.error ?? null, finishedAt: new Date() });
        await requestStepsRepo.addEvent(tx, request.id, status, 'provisioning', { released: request.reservationId, error: w?.error ?? null });
        return audit(tx, ctx, 'error', { status, released: request.reservationId }, `${status}: ${w?.error ?? 'cancelled'}`.slice(0, 500));
      });
      if (record) deps.audit?.published([record]);
    },
  });

  /** The provider spec a resize asks for: the row's, with the size it becomes (or had, for the undo). */
  const resizedSpec = (resource: ResourceRow, spec: ResourceRow['spec']) => {
    const row = { ...resource, spec };
    const [object] = cloudObjectsOf(row);
    return providerSpecOf(row, object!, resource.kind === 'volume' ? resource.zone ?? undefined : undefined);
  };
  const observeKey = async (cloudId: string, key: string, op: 'updateResource' | 'deleteResource', signal: AbortSignal): Promise<Observed<void>> => {
    const seen = await federation.provider(cloudId).observeByKey({ idempotencyKey: key, op }, { signal });
    if (seen.status === 'applied') return { done: true, output: undefined };
    return seen.status === 'not-applied' ? { done: false } : { done: 'unknown', reason: seen.reason };
  };

  actions.register('resource.resize', {
    async run(ctx: StepContext<Params>) {
      const { change, resource } = await load(ctx.params.requestId);
      await federation.provider(resource.cloudId).updateResource(resizedSpec(resource, change.after!.spec), { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
      return { resourceId: resource.id };
    },
    async observe(ctx: StepContext<Params>): Promise<Observed<{ resourceId: string }>> {
      const { resource } = await load(ctx.params.requestId);
      const seen = await observeKey(resource.cloudId, ctx.idempotencyKey, 'updateResource', ctx.signal);
      return seen.done === true ? { done: true, output: { resourceId: resource.id } } : seen;
    },
    /** Back to the size it had (also after an unknown outcome: setting the old size is right either way). */
    async compensate(ctx: StepContext<Params>) {
      const { change, resource } = await load(ctx.params.requestId);
      await federation.provider(resource.cloudId).updateResource(resizedSpec(resource, change.before.spec), { idempotencyKey: `${ctx.idempotencyKey}:undo`, signal: ctx.signal });
    },
    async observeUndo(ctx: StepContext<Params>) {
      const { resource } = await load(ctx.params.requestId);
      return observeKey(resource.cloudId, `${ctx.idempotencyKey}:undo`, 'updateResource', ctx.signal);
    },
    async attention(ctx: StepContext<Params>) {
      const { resource } = await load(ctx.params.requestId);
      return `${resource.kind} ${resource.name} on ${resource.cloudId} (its size on the cloud is unknown: see resources.drift)`;
    },
  });

  actions.register('resource.release', {
    /** Each cloud object deleted under a key of its own (a dual-stack segment has two); a repeat deletes nothing twice. */
    async run(ctx: StepContext<Params>) {
      const { resource } = await load(ctx.params.requestId);
      const provider = federation.provider(resource.cloudId);
      for (const o of cloudObjectsOf(resource).reverse()) {
        await provider.deleteResource({ tenant: resource.tenant, kind: o.kind, name: o.name }, { idempotencyKey: `${ctx.idempotencyKey}:${o.name}`, signal: ctx.signal });
      }
      return { resourceId: resource.id };
    },
    async observe(ctx: StepContext<Params>): Promise<Observed<{ resourceId: string }>> {
      const { resource } = await load(ctx.params.requestId);
      for (const o of cloudObjectsOf(resource)) {
        const seen = await observeKey(resource.cloudId, `${ctx.idempotencyKey}:${o.name}`, 'deleteResource', ctx.signal);
        if (seen.done !== true) return seen;
      }
      return { done: true, output: { resourceId: resource.id } };
    },
    async attention(ctx: StepContext<Params>, _output, reason) {
      const { resource } = await load(ctx.params.requestId);
      for (const o of cloudObjectsOf(resource)) {
        await inventoryRepo.markOrphaned(store, resource.cloudId, { key: resourceKey({ tenant: resource.tenant, kind: o.kind, name: o.name }), kind: o.kind, tenant: resource.tenant, name: o.name, arch: null, spec: { name: o.name } },
          `workflow ${ctx.workflowId} step ${ctx.stepKey} (request ${ctx.params.requestId}): ${reason}`, new Date());
      }
      return `${resource.kind} ${resource.name} on ${resource.cloudId}`;
    },
  });

  actions.register('change.finish', {
    async run(ctx: StepContext<Params>) {
      const { output, record } = await store.transaction(async (tx) => {
        const request = await requestsRepo.byId(tx, ctx.params.requestId, { forUpdate: true });
        if (!request?.change) throw new Error(`request ${ctx.params.requestId} is not a change`);
        const change = request.change;
        if (request.status !== 'provisioning') return { output: { status: request.status }, record: null };
        const resource = (await resourcesRepo.byId(tx, change.resourceId, { forUpdate: true }))!;
        if (request.reservationId) await deps.quotas().commit(tx, { reservationId: request.reservationId, actor: 'provisioning' });
        const giveBack = asQuotaItems(change.shrink, resource.cloudId);
        if (giveBack.length) {
          await deps.quotas().returnCommitted(tx, { systemId: resource.systemId, items: giveBack, idempotencyKey: `change:${request.id}`, actor: 'provisioning', reason: `${change.action} of ${resource.kind} ${resource.name} (request ${request.id})` });
        }
        let added: string[] = [];
        if (change.action === 'release') {
          await freeHoldings(tx, resource);
          await resourcesRepo.setState(tx, resource.id, 'released', { changedBy: request.id });
        } else if (change.addresses) {
          added = await addAddresses(tx, resource, request.id, change.addresses);
          await resourcesRepo.setState(tx, resource.id, 'active', { changedBy: request.id });
        } else {
          await resourcesRepo.setSpec(tx, resource.id, change.after!.spec, change.after!.quota);
          await resourcesRepo.setState(tx, resource.id, 'active', { changedBy: request.id });
        }
        await requestsRepo.update(tx, request.id, { status: 'provisioned', finishedAt: new Date() });
        await requestStepsRepo.addEvent(tx, request.id, 'provisioned', 'provisioning', { change: change.action, committed: request.reservationId, returned: giveBack, ...(added.length ? { added } : {}) });
        const rec = await audit(tx, ctx, 'ok', { status: 'provisioned', change: change.action, resourceId: resource.id, committed: request.reservationId, returned: giveBack, ...(added.length ? { added } : {}) });
        return { output: { status: 'provisioned' }, record: rec };
      });
      if (record) deps.audit?.published([record]);
      return output;
    },
  });
}

/** A released resource's IPAM rows: a host's or workload's addresses (with those added by changes), a segment's prefixes (its hosts are gone first). */
async function freeHoldings(tx: Queryable, resource: ResourceRow): Promise<void> {
  await freeAddedAddresses(tx, resource);
  const { ipv4AddressId, ipv6AddressId, ipv4PrefixId, ipv6PrefixId } = resource.ipam;
  for (const id of [ipv4AddressId, ipv6AddressId]) {
    if (id && (await ipamRepo.addressById(tx, id))) await deleteAddress(tx, id);
  }
  for (const id of [ipv4PrefixId, ipv6PrefixId]) {
    if (id && (await ipamRepo.prefixById(tx, id))) await deletePrefix(tx, id);
  }
}
