import { resourceKey, type Resource, type ResourceSpec } from '@ganyun/providers';
import { NotFoundError } from '../errors.ts';
import { isOutcomeUnknown, type ActionRegistry, type Observed, type StepContext } from '../engine/actions.ts';
import type { StepSpec } from '../engine/dag.ts';
import type { FederationService } from '../federation/contract.ts';
import { inventoryRepo } from '../federation/inventory-repo.ts';
import { allocateAddresses, deleteAddress } from '../ipam/addresses.ts';
import type { NewAddress } from '../ipam/address-insert.ts';
import { allocateInParent, lockParents } from '../ipam/allocate.ts';
import { ipamRepo } from '../ipam/ipam-repo.ts';
import { createPrefix, deletePrefix } from '../ipam/prefixes.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';
import { requestsRepo, type PlannedRead } from '../requests/requests-repo.ts';
import type { Queryable, Store } from '../store/store.ts';
import type { PlannedResource } from './item-checks.ts';
import { flavourOf } from './resource-items.ts';
import { poolsRepo, resourcesRepo, type NewResource, type ResourceRow } from './resources-repo.ts';

type Params = { requestId: string; resourceId: string };
/** A create step's output: its resource, and what the cloud made (recorded on the row by `succeeded`). */
type Created = { resourceId: string; cloudId: string; key: string; live: { zone: string | null; vendor: string | null; providerIds: Record<string, string> } };

/** What the cloud made, as the row records it: zone, vendor and provider ids of its objects. */
function liveOf(made: readonly { family?: 'ipv4' | 'ipv6'; object?: Resource }[]): Created['live'] {
  const providerIds: Record<string, string> = {};
  let zone: string | null = null;
  let vendor: string | null = null;
  for (const m of made) {
    if (!m.object) continue;
    providerIds[m.family ?? 'id'] = m.object.id;
    zone ??= m.object.zone;
    vendor ??= m.object.vendor ?? null;
  }
  return { zone, vendor, providerIds };
}
/** Attempts of a create step; the last failed one (or a failure that no retry can fix) cleans up after itself. */
export const CREATE_ATTEMPTS = 5;

/** The provisioning steps of a request's resources: segments first, then hosts and workloads on them, then volumes on the hosts. */
export function resourceSteps(requestId: string, plan: readonly PlannedResource[], after: string): StepSpec[] {
  const keyOf = new Map(plan.map((p) => [p.id, `${p.kind}:${p.name}`]));
  return plan.map((p) => {
    const ref = p.segment ?? p.host;
    const dependsOn = ref?.planned ? [keyOf.get(ref.id)!] : [after];
    return { key: keyOf.get(p.id)!, action: 'resource.create', dependsOn, params: { requestId, resourceId: p.id } satisfies Params, maxAttempts: CREATE_ATTEMPTS };
  });
}

/** The cloud objects a resource is made of: one per family for a dual-stack segment, one otherwise. */
export function cloudObjectsOf(row: Pick<ResourceRow, 'kind' | 'tenant' | 'cloudName' | 'spec'>): { kind: ResourceSpec['kind']; name: string; family?: 'ipv4' | 'ipv6' }[] {
  switch (row.kind) {
    case 'host': return [{ kind: 'vm', name: row.cloudName }];
    case 'workload': return [{ kind: 'workload', name: row.cloudName }];
    case 'volume': return [{ kind: 'volume', name: row.cloudName }];
    case 'segment': return row.spec.kind === 'segment' && row.spec.dualStack
      ? [{ kind: 'network-segment', name: row.cloudName, family: 'ipv4' }, { kind: 'network-segment', name: `${row.cloudName}-v6`, family: 'ipv6' }]
      : [{ kind: 'network-segment', name: row.cloudName, family: 'ipv4' }];
  }
}

/** The provider spec of a resource as it is recorded (sizes from its spec, addresses and labels from its row). */
export function providerSpecOf(row: ResourceRow, object: { kind: ResourceSpec['kind']; name: string; family?: 'ipv4' | 'ipv6' }, zone?: string): ResourceSpec {
  const labels = { 'ganyun.system': row.systemId, 'ganyun.department': row.departmentId, 'ganyun.resource': row.id, 'ganyun.request': row.requestId };
  const base = { tenant: row.tenant, kind: object.kind, name: object.name, displayName: row.name, labels };
  const s = row.spec;
  switch (s.kind) {
    case 'host': {
      const f = flavourOf(s.flavour);
      return { ...base, arch: s.arch, ...(s.vendor ? { vendor: s.vendor } : {}), image: s.image, size: { vcpu: f.vcpu, memoryGiB: f.memoryGiB, storageGiB: s.systemDiskGiB } };
    }
    case 'workload': {
      const f = flavourOf(s.size);
      return { ...base, arch: s.arch, ...(s.vendor ? { vendor: s.vendor } : {}), image: s.image, size: { vcpu: f.vcpu, memoryGiB: f.memoryGiB, replicas: s.replicas } };
    }
    case 'volume':
      return { ...base, size: { storageGiB: s.sizeGiB }, ...(zone ? { zone } : {}), labels: { ...labels, 'ganyun.attached-to': row.attachedTo ?? '' } };
    case 'segment':
      return { ...base, size: {}, cidr: (object.family === 'ipv6' ? row.ipv6 : row.ipv4)! };
  }
}

/**
 * Creating one resource, as a workflow step: its row, its addresses from IPAM (a segment's prefixes from the
 * cloud's pool, a host's or workload's addresses from its segment's prefixes, each under a key derived from
 * the step's), then the cloud object(s) through the provider under the step's idempotency key. A step that
 * runs again after a crash replays every one of these to the same answer. The undo (also of a create that
 * failed for good or was interrupted by the unwind: undoesUnfinished) deletes the cloud objects by name (which also removes one created under a lost answer) and frees
 * the IPAM rows by their keys, so nothing is left on the cloud or in IPAM.
 */
export function registerResourceActions(actions: ActionRegistry, deps: { store: Store; federation: FederationService }): void {
  const { store, federation } = deps;

  const planOf = async (db: Queryable, p: Params) => {
    const request = await requestsRepo.plannedResource(db, p.requestId, p.resourceId, { lockSegmentPrefixes: true });
    if (!request) throw new Error(`request ${p.requestId} is gone`);
    if (!request.planned) throw new Error(`request ${p.requestId} plans no resource ${p.resourceId}`);
    return { planned: request.planned, request };
  };

  async function create(ctx: StepContext<Params>) {
    const key = ctx.idempotencyKey;
    // The plan, the addresses, then the row with them, in one transaction (one turn on PGlite's only connection, where
    // eight requests in flight queue for it): a step redone after a crash gets the same addresses back under the same
    // keys, and finds its row (locked here, as the insert locks a new one).
    const { row, hostZone } = await store.transaction(async (tx) => {
      const { planned, request } = await planOf(tx, ctx.params);
      const draft: Draft = {
        id: planned.id, systemId: request.systemId, systemName: request.systemName, departmentId: request.departmentId, cloudId: request.cloudId,
        requestId: request.id, kind: planned.kind, name: planned.name, tenant: tenantNameOf(request.systemId), cloudName: planned.cloudName,
        spec: planned.item, quota: planned.quota, segmentId: planned.segment?.id ?? null, attachedTo: planned.host?.id ?? null,
      };
      // A host's or workload's new addresses are inserted by the row's own statement (unwritten until then).
      const unwritten: NewAddress[] = [];
      const addresses = await takeAddresses(tx, planned, key, draft, request.segment, request.segmentPrefixes, unwritten);
      const written = (await resourcesRepo.insertIfAbsent(tx, { ...draft, ...addresses }, unwritten)) ?? (await resourcesRepo.byId(tx, planned.id, { forUpdate: true }))!;
      return { row: written, hostZone: request.hostZone };
    });
    const provider = federation.provider(row.cloudId);
    const made: { family?: 'ipv4' | 'ipv6'; object?: Resource }[] = [];
    // A lost answer for one object (of a dual-stack segment's two) does not stop the other: the runner then asks
    // the cloud about all of them by key, and a step whose every object was made is done.
    let lost: unknown;
    for (const o of cloudObjectsOf(row)) {
      try {
        const r = await provider.createResource(providerSpecOf(row, o, hostZone ?? undefined), { idempotencyKey: `${key}:${o.name}`, signal: ctx.signal });
        made.push({ ...(o.family ? { family: o.family } : {}), ...(r.object ? { object: r.object } : {}) });
      } catch (e) {
        if (!isOutcomeUnknown(e)) throw e;
        lost ??= e;
      }
    }
    if (lost) throw lost;
    return { resourceId: row.id, cloudId: row.cloudId, key, live: liveOf(made) };
  }

  /** Deletes the resource's cloud objects by name and frees its IPAM rows by key; the row ends released. */
  async function undo(resourceId: string, runKey: string, undoKey: string, signal: AbortSignal) {
    const row = await resourcesRepo.byId(store, resourceId);
    if (!row || row.state === 'released') return;
    const provider = federation.provider(row.cloudId);
    try {
      for (const o of cloudObjectsOf(row).reverse()) {
        await provider.deleteResource({ tenant: row.tenant, kind: o.kind, name: o.name }, { idempotencyKey: `${undoKey}:${o.name}`, signal });
      }
    } catch (e) {
      // The cloud refuses deletes too (its mutation breaker opened on the creates that failed: crash sweep, seed 9):
      // if it never made any of the objects under their create keys there is nothing to delete, and the
      // addresses must not stay held by a row left `provisioning` (asked by key: a read, another breaker).
      if (!(await neverMade(row, runKey, signal))) throw e;
    }
    await forget(row.id, runKey);
  }

  /** True when the cloud answers, for every object of the resource, that nothing was applied under its create key. */
  async function neverMade(row: ResourceRow, runKey: string, signal: AbortSignal): Promise<boolean> {
    const provider = federation.provider(row.cloudId);
    for (const o of cloudObjectsOf(row)) {
      const seen = await provider.observeByKey({ idempotencyKey: `${runKey}:${o.name}`, op: 'createResource' }, { signal }).catch(() => null);
      if (seen?.status !== 'not-applied') return false;
    }
    return true;
  }

  /** Once the cloud objects are gone: the IPAM rows freed and the row released, together. */
  const forget = (id: string, runKey: string) => store.transaction(async (tx) => {
    await freeAddresses(tx, runKey);
    await resourcesRepo.setState(tx, id, 'released');
  });

  /** What the cloud recorded under each object's key: all applied (with the objects), one not, or it cannot tell. */
  async function observeObjects(row: ResourceRow, key: string, op: 'createResource' | 'deleteResource', signal: AbortSignal) {
    const provider = federation.provider(row.cloudId);
    const made: { family?: 'ipv4' | 'ipv6'; object?: Resource }[] = [];
    for (const o of cloudObjectsOf(row)) {
      const seen = await provider.observeByKey({ idempotencyKey: `${key}:${o.name}`, op }, { signal });
      if (seen.status !== 'applied') return seen;
      const object = seen.result.object as Resource | undefined;
      made.push({ ...(o.family ? { family: o.family } : {}), ...(object ? { object } : {}) });
    }
    return { status: 'applied' as const, made };
  }

  /** The run's own key: compensation's context carries the undo key (`…/undo`). */
  const runKeyOf = (ctx: StepContext<Params>) => `${ctx.workflowId}/${ctx.stepKey}`;
  actions.register('resource.create', {
    // A create that fails for good, or waits for a retry as the request unwinds, may have made some of its
    // objects and taken addresses: the unwind compensates it (with the engine's retries, which wait for an
    // open circuit) instead of the failing run cleaning up against a cloud that may be refusing calls.
    undoesUnfinished: true,
    run: create,
    /** Done when the cloud made every object under its key: its output then marks the row live (succeeded), as a run's does. */
    async observe(ctx: StepContext<Params>): Promise<Observed<Created>> {
      const row = await resourcesRepo.byId(store, ctx.params.resourceId);
      if (!row) return { done: false };
      const seen = await observeObjects(row, ctx.idempotencyKey, 'createResource', ctx.signal);
      if (seen.status === 'cannot-tell') return { done: 'unknown', reason: seen.reason };
      if (seen.status === 'not-applied') return { done: false };
      return { done: true, output: { resourceId: row.id, cloudId: row.cloudId, key: ctx.idempotencyKey, live: liveOf(seen.made) } };
    },
    /** The row becomes active with what the cloud made, as the step's success is recorded. */
    async succeeded(tx: Queryable, _ctx: StepContext<Params>, output: Created) {
      await resourcesRepo.setLive(tx, output.resourceId, { state: 'active', ...output.live });
    },
    /** `output` is null when the create's outcome stayed unknown: the params name the resource, the step its keys. */
    async compensate(ctx: StepContext<Params>, output: { resourceId: string; key: string } | null) {
      await undo(ctx.params.resourceId, output?.key ?? runKeyOf(ctx), ctx.idempotencyKey, ctx.signal);
    },
    async observeUndo(ctx: StepContext<Params>): Promise<Observed<void>> {
      const row = await resourcesRepo.byId(store, ctx.params.resourceId);
      if (!row || row.state === 'released') return { done: true, output: undefined };
      const seen = await observeObjects(row, ctx.idempotencyKey, 'deleteResource', ctx.signal);
      if (seen.status === 'cannot-tell') return { done: 'unknown', reason: seen.reason };
      if (seen.status === 'not-applied') return { done: false };
      await forget(row.id, runKeyOf(ctx));
      return { done: true, output: undefined };
    },
    /** Its objects may still be on the cloud: listed as orphaned in the inventory, the row `failed` (its addresses kept). */
    async attention(ctx: StepContext<Params>, _output, reason) {
      const row = await resourcesRepo.byId(store, ctx.params.resourceId);
      if (!row) return `resource ${ctx.params.resourceId} of request ${ctx.params.requestId}`;
      for (const o of cloudObjectsOf(row)) {
        await inventoryRepo.markOrphaned(store, row.cloudId, { key: resourceKey({ tenant: row.tenant, kind: o.kind, name: o.name }), kind: o.kind, tenant: row.tenant, name: o.name, arch: null, spec: { name: o.name } },
          `workflow ${ctx.workflowId} step ${ctx.stepKey} (request ${ctx.params.requestId}): ${reason}`, new Date());
      }
      await resourcesRepo.setState(store, row.id, 'failed', { from: ['provisioning', 'active'] });
      return cloudObjectsOf(row).map((o) => `${o.kind} ${o.name} on ${row.cloudId}`).join(', ');
    },
  });
}

/** A resource about to be written: its row but for the addresses, and its system's name. */
type Draft = Omit<NewResource, 'ipv4' | 'ipv6' | 'ipam'> & { systemName: string };
type Addresses = Pick<NewResource, 'ipv4' | 'ipv6' | 'ipam'>;

/**
 * A segment's prefixes (from the cloud's pools), a host's or workload's addresses (from its segment's prefixes,
 * `segment` as read with the plan), under the prefixes' row locks; each under a key derived from the step's, so a
 * step run again gets the same ones back. New addresses are put in `unwritten`, for the caller to insert with the row.
 */
async function takeAddresses(tx: Queryable, planned: PlannedResource, key: string, row: Draft, segment: PlannedRead['segment'], locked: PlannedRead['segmentPrefixes'], unwritten: NewAddress[]): Promise<Addresses> {
  const item = planned.item;
  if (item.kind === 'segment') {
    const pools = await poolsRepo.list(tx, row.cloudId);
    const wanted = item.dualStack ? (['ipv4', 'ipv6'] as const) : (['ipv4'] as const);
    const held: { ipv4?: { id: string; cidr: string }; ipv6?: { id: string; cidr: string } } = {};
    for (const family of wanted) {
      const pool = pools.find((p) => p.network === item.network && p.family === family);
      if (!pool) throw new Error(`cloud ${row.cloudId} has no ${family} pool on ${item.network}`);
      if (family === 'ipv4' && item.cidr) {
        // The chosen prefix: IPAM's own placement refuses it if something in use overlaps it by now.
        const [seen] = await ipamRepo.prefixesByKeys(tx, [`${key}:ipv4`]);
        const vrfId = (await ipamRepo.prefixById(tx, pool.prefixId))!.vrfId;
        const made = seen ?? await createPrefix(tx, {
          vrfId, cidr: item.cidr, kind: 'assigned', status: 'active', idempotencyKey: `${key}:ipv4`, description: `segment ${row.name} of ${row.systemName} (resource ${row.id})`,
        });
        held.ipv4 = { id: made.id, cidr: made.cidr };
        continue;
      }
      const parents = await lockParents(tx, [pool.prefixId]);
      const [outcome] = await allocateInParent(tx, parents.get(pool.prefixId)!, [{
        parentId: pool.prefixId, length: family === 'ipv4' ? item.ipv4Length : 64, strategy: 'first-fit', idempotencyKey: `${key}:${family}`,
        kind: 'assigned', status: 'active', unitCode: null, planeId: null, description: `segment ${row.name} of ${row.systemName} (resource ${row.id})`,
      }]);
      if (!outcome!.ok) throw outcome!.error;
      held[family] = { id: outcome!.prefix.id, cidr: outcome!.prefix.cidr };
    }
    return {
      ipv4: held.ipv4?.cidr ?? null, ipv6: held.ipv6?.cidr ?? null,
      ipam: { ...(held.ipv4 ? { ipv4PrefixId: held.ipv4.id } : {}), ...(held.ipv6 ? { ipv6PrefixId: held.ipv6.id } : {}) },
    };
  }
  if (item.kind === 'volume' || !row.segmentId) return { ipv4: null, ipv6: null, ipam: {} };
  const gone = () => new Error(`the segment of ${row.kind} ${row.name} is gone`);
  if (!segment || segment.state === 'released') throw gone();
  // Both families in one allocation (the same few statements for one address or two).
  const families = (['ipv4', 'ipv6'] as const).flatMap((family) => {
    const prefixId = family === 'ipv4' ? segment.ipam.ipv4PrefixId : segment.ipam.ipv6PrefixId;
    return prefixId ? [{ family, prefixId }] : [];
  });
  // Released since the plan was read: its prefixes went with it (in the release's transaction), which the lock finds.
  // The prefixes were locked with the plan's read (requestsRepo.plannedResource's lockSegmentPrefixes).
  const allocated = await allocateAddresses(tx, families.map(({ family, prefixId }) => ({
    prefixId, idempotencyKey: `${key}:${family}`, status: 'active' as const, dnsName: `${row.name}.${row.tenant}`,
    description: `${row.kind} ${row.name} of ${row.systemName} (resource ${row.id})`,
  })), { locked, unwritten }).catch((e: unknown) => {
    throw e instanceof NotFoundError ? gone() : e;
  });
  const got: { ipv4?: { id: string; address: string }; ipv6?: { id: string; address: string } } = {};
  families.forEach(({ family }, i) => (got[family] = { id: allocated[i]!.address.id, address: allocated[i]!.address.address }));
  return {
    ipv4: got.ipv4?.address ?? null, ipv6: got.ipv6?.address ?? null,
    ipam: { ...(got.ipv4 ? { ipv4AddressId: got.ipv4.id } : {}), ...(got.ipv6 ? { ipv6AddressId: got.ipv6.id } : {}) },
  };
}

/** Frees what a create step took from IPAM, found by the keys it allocated under (addresses first, then prefixes). */
export async function freeAddresses(tx: Queryable, runKey: string): Promise<void> {
  const keys = [`${runKey}:ipv4`, `${runKey}:ipv6`];
  for (const a of await ipamRepo.addressesByKeys(tx, keys)) await deleteAddress(tx, a.id);
  for (const p of await ipamRepo.prefixesByKeys(tx, keys)) await deletePrefix(tx, p.id);
}
