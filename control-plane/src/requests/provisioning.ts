import type { AuditLog } from '../audit/audit-log.ts';
import { isProviderError, tenantSpaceKey } from '@ganyun/providers';
import type { ActionRegistry, Observed, StepContext } from '../engine/actions.ts';
import type { Queryable } from '../store/store.ts';
import type { StepSpec } from '../engine/dag.ts';
import type { FederationService } from '../federation/contract.ts';
import { inventoryRepo } from '../federation/inventory-repo.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';
import type { QuotaService } from '../quotas/contract.ts';
import type { Store } from '../store/store.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemsRepo } from '../systems/systems-repo.ts';
import { resourcesRepo } from '../resources/resources-repo.ts';
import { releaseHold } from './release-hold.ts';
import { requestsRepo, type RequestItem } from './requests-repo.ts';
import { requestStepsRepo } from './request-steps-repo.ts';

type Params = { requestId: string };
type SpaceQuota = { vcpu: number; memoryGiB: number; storageGiB: number; gpu: number };
const SPACE_CLASSES = ['vcpu', 'memoryGiB', 'storageGiB', 'gpu'] as const;

/**
 * Provisioning an approved request: hold (its undo releases the reservation) → apply to the cloud (the
 * system's tenant space exists and its provider quota covers what was provisioned plus this request) →
 * commit (the reservation becomes usage, the request provisioned, in one transaction). A failure or a
 * cancel unwinds: the space goes back to what it was, the reservation is released. So the reservation
 * ends committed or released, exactly one of them, whatever crashes in between.
 */
export function provisioningSteps(requestId: string, resourceSteps?: (after: string) => StepSpec[], reservationId?: string | null): StepSpec[] {
  const params: Params = { requestId };
  // The request's resources (resources/provision-actions.ts) are created between apply and commit: the tenant
  // space's quota on the cloud covers them first, and the reservation is committed once they all exist.
  const created = resourceSteps?.('apply') ?? [];
  return [
    // The hold's id, as the approval records it on the request, travels with the step: its run reads nothing.
    { key: 'hold', action: 'request.hold', dependsOn: [], params: reservationId ? { ...params, reservationId } : params },
    { key: 'apply', action: 'request.applyToCloud', dependsOn: ['hold'], params },
    ...created,
    { key: 'commit', action: 'request.commit', dependsOn: ['apply', ...created.map((s) => s.key)], params },
  ];
}

const sum = (items: RequestItem[]): SpaceQuota => {
  const q: SpaceQuota = { vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 };
  for (const i of items) if ((SPACE_CLASSES as readonly string[]).includes(i.resourceClass)) q[i.resourceClass as keyof SpaceQuota] += i.amount;
  return q;
};
const max = (a: SpaceQuota, b: SpaceQuota): SpaceQuota => Object.fromEntries(SPACE_CLASSES.map((c) => [c, Math.max(a[c], b[c])])) as SpaceQuota;

async function load(db: Queryable, id: string) {
  const r = await requestsRepo.byId(db, id);
  if (!r) throw new Error(`request ${id} is gone`);
  return r;
}

/** How often a tenant space's undo asks again while the cloud finishes deleting its objects (about 5 minutes). */
const EMPTYING_ROUNDS = 60;

export function registerRequestActions(actions: ActionRegistry, deps: { store: Store; federation: FederationService; quotas: () => QuotaService; audit?: AuditLog }): void {
  const { store, federation } = deps;
  /** The end of provisioning is audited like an API call, by the workflow (in the same transaction as the state it records). */
  const audit = async (tx: Queryable, ctx: StepContext<Params>, outcome: 'ok' | 'error', after: unknown, error: string | null = null) => {
    if (!deps.audit) return null;
    return deps.audit.append(tx, {
      actorId: null, actor: 'workflow', role: null, procedure: 'requests.provision', target: `request:${ctx.params.requestId}`,
      outcome, before: { status: 'provisioning' }, after, requestId: ctx.workflowId, error,
    });
  };

  actions.register('request.hold', {
    async run(ctx: StepContext<Params & { reservationId?: string }>) {
      // Read from the request only for a workflow started without it in the hold's params (before they carried it).
      const reservationId = ctx.params.reservationId ?? await requestsRepo.reservationOf(store, ctx.params.requestId);
      if (reservationId === undefined) throw new Error(`request ${ctx.params.requestId} is gone`);
      if (!reservationId) throw new Error('the request holds no reservation');
      return { reservationId };
    },
    /** The unwind: release the hold and record why the request ended (failed, or cancelled on request). */
    async compensate(ctx: StepContext<Params>, output: { reservationId: string }) {
      const w = await workflowsRepo.byId(store, ctx.workflowId);
      const status = w?.status === 'cancelling' ? 'cancelled' : 'failed';
      await store.transaction(async (tx) => {
        await releaseHold(tx, deps.quotas(), { reservationId: output.reservationId, actor: 'provisioning', reason: `provisioning ${status}` });
        // The request ended and its event, by one statement (the event only if it was still provisioning).
        if (!(await requestsRepo.endProvisioning(tx, ctx.params.requestId, status, w?.error ?? null, { kind: status, actor: 'provisioning', data: { released: output.reservationId, error: w?.error ?? null } }))) return null;
        return audit(tx, ctx, 'error', { status, released: output.reservationId }, `${status}: ${w?.error ?? 'cancelled'}`.slice(0, 500));
      }).then((record) => record && deps.audit?.published([record]));
    },
  });

  type Before = { exists: boolean; quota: SpaceQuota | null };
  type ApplyOutput = { cloudId: string; name: string; outcome: string; before: Before };
  /** What the cloud had before this request, as recorded before the first call (undefined: never called). */
  const recordedBefore = async (db: Queryable, requestId: string) =>
    (await requestStepsRepo.events(db, requestId)).find((e) => e.kind === 'cloud.before')?.data as Before | undefined;

  actions.register('request.applyToCloud', {
    async run(ctx: StepContext<Params>) {
      // The request, what its system already has on the cloud, and what the cloud had before: read by one statement
      // (one turn on PGlite's connection, where the other requests in flight queue too).
      const read = await requestsRepo.forApply(store, ctx.params.requestId);
      if (!read) throw new Error(`request ${ctx.params.requestId} is gone`);
      const r = read.request;
      const wanted = sum([...read.provisionedItems, ...r.items]);
      const recorded = (read.cloudBefore ?? undefined) as Before | undefined;
      const provider = federation.provider(r.cloudId);
      const name = tenantNameOf(r.systemId);
      // What the cloud had before this request, recorded once before touching it: a redo after a crash
      // must not mistake its own first attempt for the state to restore.
      let before = recorded;
      if (!before) {
        const obs = await provider.observeTenantSpace({ name, quota: wanted }, { signal: ctx.signal });
        before = { exists: obs.exists, quota: obs.observed ? { ...sum([]), ...pick(obs.observed.spec.quota) } : null };
        await requestStepsRepo.addEvent(store, r.id, 'cloud.before', 'provisioning', before);
      }
      const opts = { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal };
      const labels = { 'ganyun.system': r.systemId, 'ganyun.department': r.departmentId };
      const result = before.exists
        ? await provider.updateTenantSpace({ name, displayName: r.systemName, quota: max(before.quota!, wanted), labels }, opts)
        : await provider.createTenantSpace({ name, displayName: r.systemName, quota: wanted, labels }, opts);
      return { cloudId: r.cloudId, name, outcome: result.outcome, before } satisfies ApplyOutput;
    },
    /** The answer was lost: the cloud's record of the key says whether the space was created (or resized). */
    async observe(ctx: StepContext<Params>): Promise<Observed<ApplyOutput>> {
      const r = await load(store, ctx.params.requestId);
      const before = await recordedBefore(store, r.id);
      if (!before) return { done: false };
      const seen = await federation.provider(r.cloudId).observeByKey({ idempotencyKey: ctx.idempotencyKey, op: before.exists ? 'updateTenantSpace' : 'createTenantSpace' }, { signal: ctx.signal });
      if (seen.status === 'applied') return { done: true, output: { cloudId: r.cloudId, name: tenantNameOf(r.systemId), outcome: seen.result.outcome, before } };
      return seen.status === 'not-applied' ? { done: false } : { done: 'unknown', reason: seen.reason };
    },
    /** `output` is null when the run's outcome stayed unknown: the recorded `before` says what to restore. */
    async compensate(ctx: StepContext<Params>, output: ApplyOutput | null) {
      const r = await load(store, ctx.params.requestId);
      const before = output?.before ?? (await recordedBefore(store, r.id));
      if (!before) return; // the cloud was never called
      const provider = federation.provider(r.cloudId);
      const name = tenantNameOf(r.systemId);
      const opts = { idempotencyKey: `${ctx.idempotencyKey}:undo`, signal: ctx.signal };
      if (before.exists) {
        await provider.updateTenantSpace({ name, quota: before.quota! }, opts);
        return;
      }
      // The undos of this request's resources ran first and the cloud accepted their deletes, but it deletes
      // asynchronously (an object goes through `deleting`), so the space may refuse as not empty for a while.
      // When none of the system's resources is live any more the undo waits for it here, asking again under a
      // fresh key each time (a refused call applied nothing, and the cloud replays a key's first answer).
      // Anything still live in the space is a real reason it cannot go: the undo fails as it would have.
      for (let round = 0; ; round++) {
        try {
          await provider.deleteTenantSpace(name, round === 0 ? opts : { ...opts, idempotencyKey: `${opts.idempotencyKey}:${round}` });
          return;
        } catch (e) {
          if (!isProviderError(e) || e.reason !== 'tenant-not-empty' || round >= EMPTYING_ROUNDS) throw e;
          if ((await resourcesRepo.list(store, { departmentIds: null, systemId: r.systemId })).some((x) => x.cloudId === r.cloudId)) throw e;
          await sleep(Math.min(5_000, 500 * (round + 1)), undefined, { signal: ctx.signal });
        }
      }
    },
    async observeUndo(ctx: StepContext<Params>): Promise<Observed<void>> {
      const r = await load(store, ctx.params.requestId);
      const before = await recordedBefore(store, r.id);
      if (!before) return { done: true, output: undefined };
      const seen = await federation.provider(r.cloudId).observeByKey({ idempotencyKey: `${ctx.idempotencyKey}:undo`, op: before.exists ? 'updateTenantSpace' : 'deleteTenantSpace' }, { signal: ctx.signal });
      if (seen.status === 'applied') return { done: true, output: undefined };
      return seen.status === 'not-applied' ? { done: false } : { done: 'unknown', reason: seen.reason };
    },
    async attention(ctx: StepContext<Params>, _output, reason) {
      const r = await load(store, ctx.params.requestId);
      const name = tenantNameOf(r.systemId);
      await inventoryRepo.markOrphaned(store, r.cloudId, { key: tenantSpaceKey(name), kind: 'tenant-space', tenant: name, name, arch: null, spec: { name } },
        `workflow ${ctx.workflowId} step ${ctx.stepKey} (request ${r.id}): ${reason}`, new Date());
      return `tenant-space ${name} on ${r.cloudId}`;
    },
  });

  actions.register('request.commit', {
    async run(ctx: StepContext<Params>) {
      const { output, record } = await store.transaction(async (tx) => {
        const r = await requestsRepo.lockForCommit(tx, ctx.params.requestId);
        if (!r?.reservationId) throw new Error('the request holds no reservation');
        const reservation = await deps.quotas().commit(tx, { reservationId: r.reservationId, actor: 'provisioning' });
        let record = null;
        // The request provisioned and its event, by one statement (the event only if it was still provisioning).
        if (await requestsRepo.endProvisioning(tx, r.id, 'provisioned', null, { kind: 'provisioned', actor: 'provisioning', data: { committed: reservation.id } })) {
          // A system registered but never onboarded is on the cloud once a request has delivered there (quota
          // only or resources): 已登记 would hide it from the views of systems in service.
          if (await systemsRepo.setStatus(tx, r.systemId, 'on-cloud', { from: ['registered'] })) await systemsRepo.setCloud(tx, r.systemId, r.cloudId);
          record = await audit(tx, ctx, 'ok', { status: 'provisioned', committed: reservation.id, items: r.items, cloudId: r.cloudId });
        }
        return { output: { reservationId: reservation.id, state: reservation.state }, record };
      });
      if (record) deps.audit?.published([record]);
      return output;
    },
  });
}

function pick(q: Readonly<Record<string, number>>): Partial<SpaceQuota> {
  return Object.fromEntries(SPACE_CLASSES.filter((c) => typeof q[c] === 'number').map((c) => [c, q[c]]));
}
