import { RESOURCE_KINDS, CPU_ARCHES, CPU_VENDORS, resourceKey, tenantSpaceKey, type KeyedOp, type KeyObservation, type MutationOptions, type ResourceRef, type ResourceSpec, type TenantSpaceSpec } from '@ganyun/providers';
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

/** What a create call answers, as far as a step reads it. */
type Created = { outcome: string; object?: { state?: string } };

/** A provisioned object as the inventory records it (expected, or orphaned when it could not be removed). */
type InventoryObject = { key: string; kind: string; tenant: string | null; name: string; arch: string | null; spec: unknown };

/**
 * The tenant-space and the resource step run one protocol (below) over two kinds of cloud object; this is what
 * differs between them: the params, the provider calls and their keyed ops, the inventory's record, the output.
 */
interface CloudObjectStep<S, R extends Created, O> {
  action: string;
  params: z.ZodType;
  ops: { create: KeyedOp; remove: KeyedOp };
  create(provider: ReturnType<FederationService['provider']>, spec: S, opts: MutationOptions): Promise<R>;
  remove(provider: ReturnType<FederationService['provider']>, spec: S, opts: MutationOptions): Promise<unknown>;
  inventory(spec: S): InventoryObject;
  output(cloudId: string, key: string, spec: S, r: R): O;
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
  const orphan = async (cloudId: string, obj: InventoryObject, ctx: StepContext, reason: string) => {
    await inventoryRepo.markOrphaned(store, cloudId, obj, `workflow ${ctx.workflowId} step ${ctx.stepKey}: ${reason}`, new Date());
    return `${obj.kind} ${obj.tenant && obj.tenant !== obj.name ? `${obj.tenant}/` : ''}${obj.name} on ${cloudId}`;
  };

  const register = <S, R extends Created, O extends { outcome: string }>(step: CloudObjectStep<S, R, O>) => {
    type Params = { cloudId: string; spec: S };
    const done = async (cloudId: string, spec: S, r: R): Promise<O> => {
      const obj = step.inventory(spec);
      await inventoryRepo.setExpected(store, cloudId, { ...obj, status: r.object?.state ?? null }, spec, new Date());
      return step.output(cloudId, obj.key, spec, r);
    };
    actions.register(step.action, {
      async run(ctx: StepContext<Params>) {
        const { cloudId, spec } = parse(step.params, ctx.params, step.action) as Params;
        const r = await step.create(federation.provider(cloudId), spec, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
        return done(cloudId, spec, r);
      },
      async observe(ctx: StepContext<Params>) {
        const { cloudId, spec } = parse(step.params, ctx.params, step.action) as Params;
        const seen = await observeKey(federation, cloudId, ctx.idempotencyKey, step.ops.create, ctx.signal);
        return seen.done === true ? { done: true, output: await done(cloudId, spec, seen.output.result as R) } : seen;
      },
      /** `output` is null when the run's outcome stayed unknown: the object is then removed by name (it may be ours). */
      async compensate(ctx: StepContext<Params>, output: O | null) {
        if (output?.outcome === 'exists') return; // it was there before us: not ours to remove
        const { cloudId, spec } = ctx.params;
        await step.remove(federation.provider(cloudId), spec, { idempotencyKey: `${ctx.idempotencyKey}:undo`, signal: ctx.signal });
        await inventoryRepo.clearExpected(store, cloudId, step.inventory(spec).key);
      },
      async observeUndo(ctx: StepContext<Params>) {
        const { cloudId, spec } = ctx.params;
        const seen = await observeKey(federation, cloudId, `${ctx.idempotencyKey}:undo`, step.ops.remove, ctx.signal);
        if (seen.done === true) await inventoryRepo.clearExpected(store, cloudId, step.inventory(spec).key);
        return seen.done === true ? { done: true, output: undefined } : seen;
      },
      attention(ctx: StepContext<Params>, _output, reason) {
        const { cloudId, spec } = ctx.params;
        return orphan(cloudId, step.inventory(spec), ctx, reason);
      },
    });
  };

  register<TenantSpaceSpec, Created, TenantSpaceOutput>({
    action: 'cloud.createTenantSpace',
    params: tenantSpaceParams,
    ops: { create: 'createTenantSpace', remove: 'deleteTenantSpace' },
    create: (provider, spec, opts) => provider.createTenantSpace(spec, opts),
    remove: (provider, spec, opts) => provider.deleteTenantSpace(spec.name, opts),
    inventory: (spec) => ({ key: tenantSpaceKey(spec.name), kind: 'tenant-space', tenant: spec.name, name: spec.name, arch: null, spec }),
    output: (cloudId, key, spec, r) => ({ cloudId, key, name: spec.name, outcome: r.outcome }),
  });

  register<ResourceSpec, Created & { object?: { id?: string } }, ResourceOutput>({
    action: 'cloud.createResource',
    params: resourceParams,
    ops: { create: 'createResource', remove: 'deleteResource' },
    create: (provider, spec, opts) => provider.createResource(spec, opts),
    remove: (provider, spec, opts) => provider.deleteResource({ tenant: spec.tenant, kind: spec.kind, name: spec.name }, opts),
    inventory: (spec) => ({ key: resourceKey(spec), kind: spec.kind, tenant: spec.tenant, name: spec.name, arch: spec.arch ?? null, spec }),
    output: (cloudId, key, spec, r) => ({ cloudId, key, ref: { tenant: spec.tenant, kind: spec.kind, name: spec.name }, id: r.object?.id ?? null, outcome: r.outcome }),
  });
}
