import { RESOURCE_KINDS, CPU_ARCHES, CPU_VENDORS, resourceKey, tenantSpaceKey, type KeyedOp, type KeyObservation, type ResourceRef, type ResourceSpec, type TenantSpaceSpec } from '@ganyun/providers';
import { z } from 'zod';
import type { ActionRegistry, Observed, StepContext } from '../engine/actions.ts';
import { InputError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { FederationService } from './contract.ts';
import { inventoryRepo } from './inventory-repo.ts';

const name = z.string().min(1).max(63);
const labels = z.record(z.string(), z.string()).optional();
const quota = z.object({ vcpu: z.number().min(0), memoryGiB: z.number().min(0), storageGiB: z.number().min(0), gpu: z.number().min(0) });

const tenantSpaceParams = z.object({
  cloudId: z.string().min(1),
  spec: z.object({ name, displayName: z.string().optional(), quota, labels }),
});

const resourceParams = z.object({
  cloudId: z.string().min(1),
  spec: z.object({
    tenant: name, kind: z.enum(RESOURCE_KINDS), name, displayName: z.string().optional(),
    arch: z.enum(CPU_ARCHES).optional(), vendor: z.enum(CPU_VENDORS).optional(), image: z.string().optional(),
    size: z.object({ vcpu: z.number().optional(), memoryGiB: z.number().optional(), storageGiB: z.number().optional(), gpu: z.number().optional(), replicas: z.number().optional() }),
    cidr: z.string().optional(), zone: z.string().optional(), labels,
  }),
});

export type TenantSpaceParams = { cloudId: string; spec: TenantSpaceSpec };
export type ResourceParams = { cloudId: string; spec: ResourceSpec };

function parse<T>(schema: z.ZodType<T>, params: unknown, action: string): T {
  const r = schema.safeParse(params);
  if (!r.success) throw new InputError(`${action}: bad params: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

type TenantSpaceOutput = { cloudId: string; key: string; name: string; outcome: string };
type ResourceOutput = { cloudId: string; key: string; ref: ResourceRef; id: string | null; outcome: string };

/** What the provider says became of a call made under `key`, as the engine's Observed (actions.ts). */
async function observeKey(federation: FederationService, cloudId: string, key: string, op: KeyedOp, signal: AbortSignal): Promise<Observed<KeyObservation & { status: 'applied' }>> {
  const seen = await federation.provider(cloudId).observeByKey({ idempotencyKey: key, op }, { signal });
  if (seen.status === 'applied') return { done: true, output: seen };
  if (seen.status === 'not-applied') return { done: false };
  return { done: 'unknown', reason: seen.reason };
}

/**
 * Provisioning as workflow steps. `run` calls the provider with the step's idempotency key, so a retried or
 * taken-over step does the work once; the spec becomes the object's `expected` (drift shows when the cloud
 * stops matching it). `compensate` deletes what the step created — but not what already existed before it.
 * When a call's answer is lost, `observe`/`observeUndo` ask the cloud what exists under the key; a step that
 * may be done is compensated from its params (its output is null), and an object that could not be removed
 * is marked orphaned in the inventory (`attention`).
 */
export function registerCloudActions(actions: ActionRegistry, federation: FederationService, store: Store): void {
  const orphan = async (cloudId: string, obj: { key: string; kind: string; tenant: string | null; name: string; arch: string | null; spec: unknown }, ctx: StepContext, reason: string) => {
    await inventoryRepo.markOrphaned(store, cloudId, obj, `workflow ${ctx.workflowId} step ${ctx.stepKey}: ${reason}`, new Date());
    return `${obj.kind} ${obj.tenant && obj.tenant !== obj.name ? `${obj.tenant}/` : ''}${obj.name} on ${cloudId}`;
  };

  const tenantSpaceDone = async (cloudId: string, spec: TenantSpaceSpec, r: { outcome: string; object?: { state?: string } }): Promise<TenantSpaceOutput> => {
    const key = tenantSpaceKey(spec.name);
    await inventoryRepo.setExpected(store, cloudId, { key, kind: 'tenant-space', tenant: spec.name, name: spec.name, arch: null, status: r.object?.state ?? null, spec }, spec, new Date());
    return { cloudId, key, name: spec.name, outcome: r.outcome };
  };

  actions.register('cloud.createTenantSpace', {
    async run(ctx: StepContext<TenantSpaceParams>) {
      const { cloudId, spec } = parse(tenantSpaceParams, ctx.params, 'cloud.createTenantSpace') as TenantSpaceParams;
      const r = await federation.provider(cloudId).createTenantSpace(spec, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
      return tenantSpaceDone(cloudId, spec, r);
    },
    async observe(ctx: StepContext<TenantSpaceParams>) {
      const { cloudId, spec } = parse(tenantSpaceParams, ctx.params, 'cloud.createTenantSpace') as TenantSpaceParams;
      const seen = await observeKey(federation, cloudId, ctx.idempotencyKey, 'createTenantSpace', ctx.signal);
      return seen.done === true ? { done: true, output: await tenantSpaceDone(cloudId, spec, seen.output.result) } : seen;
    },
    /** `output` is null when the run's outcome stayed unknown: the space is then removed by name (it may be ours). */
    async compensate(ctx: StepContext<TenantSpaceParams>, output: TenantSpaceOutput | null) {
      if (output?.outcome === 'exists') return; // it was there before us: not ours to remove
      const { cloudId, spec } = ctx.params;
      await federation.provider(cloudId).deleteTenantSpace(spec.name, { idempotencyKey: `${ctx.idempotencyKey}:undo`, signal: ctx.signal });
      await inventoryRepo.clearExpected(store, cloudId, tenantSpaceKey(spec.name));
    },
    async observeUndo(ctx: StepContext<TenantSpaceParams>) {
      const { cloudId, spec } = ctx.params;
      const seen = await observeKey(federation, cloudId, `${ctx.idempotencyKey}:undo`, 'deleteTenantSpace', ctx.signal);
      if (seen.done === true) await inventoryRepo.clearExpected(store, cloudId, tenantSpaceKey(spec.name));
      return seen.done === true ? { done: true, output: undefined } : seen;
    },
    attention(ctx: StepContext<TenantSpaceParams>, _output, reason) {
      const { cloudId, spec } = ctx.params;
      return orphan(cloudId, { key: tenantSpaceKey(spec.name), kind: 'tenant-space', tenant: spec.name, name: spec.name, arch: null, spec }, ctx, reason);
    },
  });

  const resourceDone = async (cloudId: string, spec: ResourceSpec, r: { outcome: string; object?: { state?: string; id?: string } }): Promise<ResourceOutput> => {
    const key = resourceKey(spec);
    await inventoryRepo.setExpected(store, cloudId, { key, kind: spec.kind, tenant: spec.tenant, name: spec.name, arch: spec.arch ?? null, status: r.object?.state ?? null, spec }, spec, new Date());
    return { cloudId, key, ref: { tenant: spec.tenant, kind: spec.kind, name: spec.name }, id: r.object?.id ?? null, outcome: r.outcome };
  };

  actions.register('cloud.createResource', {
    async run(ctx: StepContext<ResourceParams>) {
      const { cloudId, spec } = parse(resourceParams, ctx.params, 'cloud.createResource') as ResourceParams;
      const r = await federation.provider(cloudId).createResource(spec, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
      return resourceDone(cloudId, spec, r);
    },
    async observe(ctx: StepContext<ResourceParams>) {
      const { cloudId, spec } = parse(resourceParams, ctx.params, 'cloud.createResource') as ResourceParams;
      const seen = await observeKey(federation, cloudId, ctx.idempotencyKey, 'createResource', ctx.signal);
      return seen.done === true ? { done: true, output: await resourceDone(cloudId, spec, seen.output.result as { outcome: string; object?: { state?: string; id?: string } }) } : seen;
    },
    async compensate(ctx: StepContext<ResourceParams>, output: ResourceOutput | null) {
      if (output?.outcome === 'exists') return;
      const { cloudId, spec } = ctx.params;
      await federation.provider(cloudId).deleteResource({ tenant: spec.tenant, kind: spec.kind, name: spec.name }, { idempotencyKey: `${ctx.idempotencyKey}:undo`, signal: ctx.signal });
      await inventoryRepo.clearExpected(store, cloudId, resourceKey(spec));
    },
    async observeUndo(ctx: StepContext<ResourceParams>) {
      const { cloudId, spec } = ctx.params;
      const seen = await observeKey(federation, cloudId, `${ctx.idempotencyKey}:undo`, 'deleteResource', ctx.signal);
      if (seen.done === true) await inventoryRepo.clearExpected(store, cloudId, resourceKey(spec));
      return seen.done === true ? { done: true, output: undefined } : seen;
    },
    attention(ctx: StepContext<ResourceParams>, _output, reason) {
      const { cloudId, spec } = ctx.params;
      return orphan(cloudId, { key: resourceKey(spec), kind: spec.kind, tenant: spec.tenant, name: spec.name, arch: spec.arch ?? null, spec }, ctx, reason);
    },
  });
}
