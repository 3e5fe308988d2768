import { RESOURCE_KINDS, CPU_ARCHES, CPU_VENDORS, resourceKey, tenantSpaceKey, type ResourceRef, type ResourceSpec, type TenantSpaceSpec } from '@ganyun/providers';
import { z } from 'zod';
import type { ActionRegistry, StepContext } from '../engine/actions.ts';
import { InputError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { Federation } from './federation.ts';
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

/**
 * Provisioning as workflow steps. `run` calls the provider with the step's idempotency key, so a retried or
 * taken-over step does the work once; the spec becomes the object's `expected` (drift shows when the cloud
 * stops matching it). `compensate` deletes what the step created — but not what already existed before it.
 */
export function registerCloudActions(actions: ActionRegistry, federation: Federation, store: Store): void {
  actions.register('cloud.createTenantSpace', {
    async run(ctx: StepContext<TenantSpaceParams>) {
      const { cloudId, spec } = parse(tenantSpaceParams, ctx.params, 'cloud.createTenantSpace') as TenantSpaceParams;
      const r = await federation.provider(cloudId).createTenantSpace(spec, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
      const key = tenantSpaceKey(spec.name);
      await inventoryRepo.setExpected(store, cloudId, { key, kind: 'tenant-space', tenant: spec.name, name: spec.name, arch: null, status: r.object?.state ?? null, spec }, spec, new Date());
      return { cloudId, key, name: spec.name, outcome: r.outcome };
    },
    async compensate(ctx: StepContext<TenantSpaceParams>, output: { cloudId: string; key: string; name: string; outcome: string }) {
      if (output.outcome === 'exists') return; // it was there before us: not ours to remove
      await federation.provider(output.cloudId).deleteTenantSpace(output.name, { idempotencyKey: `${ctx.idempotencyKey}:undo`, signal: ctx.signal });
      await inventoryRepo.clearExpected(store, output.cloudId, output.key);
    },
  });

  actions.register('cloud.createResource', {
    async run(ctx: StepContext<ResourceParams>) {
      const { cloudId, spec } = parse(resourceParams, ctx.params, 'cloud.createResource') as ResourceParams;
      const r = await federation.provider(cloudId).createResource(spec, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
      const key = resourceKey(spec);
      await inventoryRepo.setExpected(store, cloudId, { key, kind: spec.kind, tenant: spec.tenant, name: spec.name, arch: spec.arch ?? null, status: r.object?.state ?? null, spec }, spec, new Date());
      return { cloudId, key, ref: { tenant: spec.tenant, kind: spec.kind, name: spec.name }, id: r.object?.id ?? null, outcome: r.outcome };
    },
    async compensate(ctx: StepContext<ResourceParams>, output: { cloudId: string; key: string; ref: ResourceRef; outcome: string }) {
      if (output.outcome === 'exists') return;
      await federation.provider(output.cloudId).deleteResource(output.ref, { idempotencyKey: `${ctx.idempotencyKey}:undo`, signal: ctx.signal });
      await inventoryRepo.clearExpected(store, output.cloudId, output.key);
    },
  });
}
