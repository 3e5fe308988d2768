/**
 * zod schemas for the provider contract's JSON form. The sim server validates what it is
 * sent with them (→ `invalid`), the remote adapter validates what it gets back
 * (→ `garbage`): a body that parses as JSON but is not the contract is garbage too.
 * Each schema is typed against the spi.ts interface, so the two cannot drift apart.
 */
import { z } from 'zod';
import { PROVIDER_ERROR_CODES, type ProviderErrorBody } from './errors.ts';
import { CPU_ARCHES, CPU_VENDORS, KEYED_OPS, RESOURCE_KINDS, type CapacityReport, type ConnectInfo, type HealthReport, type InventoryPage, type KeyObservation, type NetworkFacts, type Observation, type Quota, type ReplicationLink, type Resource, type ResourceRef, type ResourceSpec, type TenantSpace, type TenantSpaceSpec } from './spi.ts';

const count = z.number().nonnegative();
const labels = z.record(z.string(), z.string());
const arch = z.enum(CPU_ARCHES);
const vendor = z.enum(CPU_VENDORS);
const health = z.enum(['ok', 'degraded', 'down']);

export const quotaSchema: z.ZodType<Quota> = z.object({ vcpu: count, memoryGiB: count, storageGiB: count, gpu: count });

export const tenantSpaceSpecSchema: z.ZodType<TenantSpaceSpec> = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  quota: quotaSchema,
  labels: labels.optional(),
});

export const resourceRefSchema: z.ZodType<ResourceRef> = z.object({
  tenant: z.string(),
  kind: z.enum(RESOURCE_KINDS),
  name: z.string(),
});

export const resourceSpecSchema: z.ZodType<ResourceSpec> = z.object({
  tenant: z.string(),
  kind: z.enum(RESOURCE_KINDS),
  name: z.string(),
  displayName: z.string().optional(),
  arch: arch.optional(),
  vendor: vendor.optional(),
  image: z.string().optional(),
  size: z.object({
    vcpu: count.optional(),
    memoryGiB: count.optional(),
    storageGiB: count.optional(),
    gpu: count.optional(),
    replicas: count.optional(),
  }),
  cidr: z.string().optional(),
  zone: z.string().optional(),
  labels: labels.optional(),
});

export const tenantSpaceSchema: z.ZodType<TenantSpace> = z.object({
  spec: tenantSpaceSpecSchema,
  usage: quotaSchema,
  state: z.enum(['active', 'deleting']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const resourceSchema: z.ZodType<Resource> = z.object({
  id: z.string(),
  spec: resourceSpecSchema,
  state: z.enum(['pending', 'running', 'updating', 'deleting', 'failed']),
  zone: z.string(),
  vendor: vendor.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function observationSchema<T>(observed: z.ZodType<T>): z.ZodType<Observation<T>> {
  return z.object({
    exists: z.boolean(),
    upToDate: z.boolean(),
    diff: z.array(z.object({ path: z.string(), desired: z.unknown(), actual: z.unknown() })),
    observed: observed.optional(),
  }) as z.ZodType<Observation<T>>;
}

export function mutationResultSchema<T, O extends string>(object: z.ZodType<T>, outcomes: readonly [O, ...O[]]) {
  return z.object({ outcome: z.enum(outcomes), object: object.optional() });
}

/** observe-by-key (spi.ts KeyObservation): the applied result's object is a tenant space or a resource. */
export const keyObservationSchema: z.ZodType<KeyObservation> = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('applied'),
    op: z.enum(KEYED_OPS),
    result: z.object({ outcome: z.enum(['created', 'exists', 'updated', 'unchanged', 'deleting', 'deleted', 'gone']), object: z.union([tenantSpaceSchema, resourceSchema]).optional() }),
  }),
  z.object({ status: z.literal('not-applied'), refusal: z.object({ code: z.string(), message: z.string() }).optional() }),
  z.object({ status: z.literal('cannot-tell'), reason: z.string() }),
]) as z.ZodType<KeyObservation>;

export const keyQuerySchema = z.object({ idempotencyKey: z.string().min(1).max(200), op: z.enum(KEYED_OPS) });

export const inventoryPageSchema: z.ZodType<InventoryPage> = z.object({
  items: z.array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('tenant-space'), key: z.string(), revision: z.number(), tenantSpace: tenantSpaceSchema }),
      z.object({ type: z.literal('resource'), key: z.string(), revision: z.number(), resource: resourceSchema }),
      z.object({
        type: z.literal('tombstone'),
        key: z.string(),
        revision: z.number(),
        objectType: z.enum(['tenant-space', 'resource']),
      }),
    ]),
  ),
  nextPage: z.string().optional(),
  cursor: z.string(),
  full: z.boolean(),
});

const classCapacity = z.object({ physical: count, overcommitRatio: count, allocatable: count, allocated: count });

export const capacityReportSchema: z.ZodType<CapacityReport> = z.object({
  cloudId: z.string(),
  pools: z.array(
    z.object({
      zone: z.string(),
      arch,
      vendor,
      hosts: count,
      classes: z.object({ vcpu: classCapacity, memoryGiB: classCapacity, storageGiB: classCapacity, gpu: classCapacity }),
    }),
  ),
});

export const replicationLinksSchema: z.ZodType<readonly ReplicationLink[]> = z.array(
  z.object({
    id: z.string(),
    sourceCloud: z.string(),
    targetCloud: z.string(),
    mode: z.enum(['sync', 'async']),
    state: z.enum(['healthy', 'lagging', 'broken']),
    lagSeconds: count,
    measuredAt: z.string(),
  }),
);

export const networkFactsSchema: z.ZodType<NetworkFacts> = z.object({
  extranetPlanes: z.array(z.union([z.literal(1), z.literal(2)])),
  ipv4Pools: z.array(z.string()),
  ipv6Prefixes: z.array(z.string()),
  ipv6Ready: z.boolean(),
  segments: count,
});

export const healthReportSchema: z.ZodType<HealthReport> = z.object({
  status: health,
  zones: z.array(z.object({ zone: z.string(), status: health })),
  checkedAt: z.string(),
});

export const connectInfoSchema: z.ZodType<ConnectInfo> = z.object({
  cloudId: z.string(),
  providerKind: z.string(),
  apiVersion: z.string(),
  region: z.string().optional(),
  capabilities: z.object({
    resourceKinds: z.array(z.enum(RESOURCE_KINDS)),
    tenantSpaceKind: z.enum(['project', 'namespace']),
    platforms: z.array(z.object({ arch, vendor })),
    zones: z.array(z.string()),
    images: z.array(z.object({ id: z.string(), name: z.string(), arches: z.array(arch), legacy: z.boolean() })),
    replication: z.object({ supported: z.boolean(), modes: z.array(z.enum(['sync', 'async'])) }),
    networkFacts: z.boolean(),
    incrementalInventory: z.boolean(),
    maxPageSize: z.number().int().positive(),
  }),
});

export const errorBodySchema: z.ZodType<{ error: ProviderErrorBody }> = z.object({
  error: z.object({
    code: z.enum(PROVIDER_ERROR_CODES),
    message: z.string(),
    retryable: z.boolean(),
    reason: z.string().optional(),
    retryAfterMs: count.optional(),
  }),
});
