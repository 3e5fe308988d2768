import { CPU_ARCHES, CPU_VENDORS } from '@ganyun/providers';
import { z } from 'zod';
import type { QuotaItem, ResourceClass } from '../quotas/contract.ts';

/**
 * What a request can name besides plain quota: cloud hosts, data volumes attached to a host, container
 * workloads and network segments. The schemas are the API's (zod: a bad field is named with its reason);
 * the rules that need the store or the cloud's catalogue are in item-checks.ts.
 */

/**
 * The flavours a host or a workload replica is sized in (vCPU × memory GiB), as 政务云 catalogues list them
 * (通用型 1:2, 1:4 and 1:8). A size outside this list is refused: clouds sell flavours, not arbitrary shapes.
 */
export const FLAVOURS = [
  { id: 'c1m2', vcpu: 1, memoryGiB: 2 }, { id: 'c1m4', vcpu: 1, memoryGiB: 4 },
  { id: 'c2m4', vcpu: 2, memoryGiB: 4 }, { id: 'c2m8', vcpu: 2, memoryGiB: 8 },
  { id: 'c4m8', vcpu: 4, memoryGiB: 8 }, { id: 'c4m16', vcpu: 4, memoryGiB: 16 },
  { id: 'c8m16', vcpu: 8, memoryGiB: 16 }, { id: 'c8m32', vcpu: 8, memoryGiB: 32 }, { id: 'c8m64', vcpu: 8, memoryGiB: 64 },
  { id: 'c16m32', vcpu: 16, memoryGiB: 32 }, { id: 'c16m64', vcpu: 16, memoryGiB: 64 },
  { id: 'c32m64', vcpu: 32, memoryGiB: 64 }, { id: 'c32m128', vcpu: 32, memoryGiB: 128 },
] as const;
export type FlavourId = (typeof FLAVOURS)[number]['id'];
const FLAVOUR_IDS = FLAVOURS.map((f) => f.id) as [FlavourId, ...FlavourId[]];
export const flavourOf = (id: FlavourId) => FLAVOURS.find((f) => f.id === id)!;

export const NETWORKS = ['extranet', 'internet'] as const;
export type Network = (typeof NETWORKS)[number];

/** Names become parts of cloud object names: a DNS label, short enough to take a suffix. */
const nameSchema = z.string().trim().regex(/^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/, 'lower-case letters, digits and dashes, starting with a letter, at most 30 characters');
/** A resource of this request (by its name) or a live one of the same system (by its name too). */
const refSchema = nameSchema;
export const flavourSchema = z.enum(FLAVOUR_IDS, `one of the flavours ${FLAVOUR_IDS.join(', ')}`);
const archSchema = z.enum(CPU_ARCHES, `one of ${CPU_ARCHES.join(', ')}`);
const vendorSchema = z.enum(CPU_VENDORS, `one of ${CPU_VENDORS.join(', ')}`);
const imageSchema = z.string().trim().min(1, 'choose an image from the cloud’s catalogue').max(100);

export const hostItemSchema = z.object({
  kind: z.literal('host'),
  name: nameSchema,
  /** Several identical hosts: named <name>-1 … <name>-n. */
  count: z.number().int('a whole number').min(1, 'at least 1').max(20, 'at most 20 hosts per item').default(1),
  flavour: flavourSchema,
  systemDiskGiB: z.number().int('whole GiB').min(40, 'at least 40 GiB').max(2048, 'at most 2048 GiB').default(40),
  arch: archSchema,
  /** 信创: a system that requires it names a domestic vendor (hygon, kunpeng, phytium, loongson). */
  vendor: vendorSchema.optional(),
  image: imageSchema,
  /** The segment it sits on: one of this request or a live one of the system; may be omitted when there is exactly one. */
  segment: refSchema.optional(),
});

export const volumeItemSchema = z.object({
  kind: z.literal('volume'),
  name: nameSchema,
  sizeGiB: z.number().int('whole GiB').min(10, 'at least 10 GiB').max(32_768, 'at most 32768 GiB'),
  /** The host it is attached to: a host of this request (web-1 for the first of a counted item) or a live one of the system. */
  host: refSchema,
});

export const workloadItemSchema = z.object({
  kind: z.literal('workload'),
  name: nameSchema,
  replicas: z.number().int('a whole number').min(1, 'at least 1 replica').max(50, 'at most 50 replicas'),
  /** The size of one replica. */
  size: flavourSchema,
  arch: archSchema,
  vendor: vendorSchema.optional(),
  image: imageSchema,
  segment: refSchema.optional(),
});

export const segmentItemSchema = z.object({
  kind: z.literal('segment'),
  name: nameSchema,
  /** 政务外网 (the government extranet) or the internet-facing zone. */
  network: z.enum(NETWORKS, 'extranet (政务外网) or internet (互联网区)'),
  /** IPv4 prefix length from the network's pool; IPv6 is always one /64. */
  ipv4Length: z.number().int('a whole number').min(24, 'at most a /24').max(28, 'at least a /28 (16 addresses)').default(26),
  /**
   * A chosen IPv4 prefix (a system that keeps its addresses, e.g. moved from another cloud) instead of the next
   * free one of the pool: inside the network's pool, overlapping nothing in use (checked in item-checks.ts).
   */
  cidr: z.string().trim().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an IPv4 prefix such as 10.80.4.0/26').optional(),
  dualStack: z.boolean().default(true),
}).refine((s) => s.cidr === undefined || Number(s.cidr.split('/')[1]) === s.ipv4Length, { message: 'the prefix length of cidr must equal ipv4Length', path: ['cidr'] });

export const resourceItemSchema = z.discriminatedUnion('kind', [hostItemSchema, volumeItemSchema, workloadItemSchema, segmentItemSchema], 'kind is host, volume, workload or segment');
export const resourceItemsSchema = z.array(resourceItemSchema).max(50, 'at most 50 resource items per request');
export type ResourceItem = z.infer<typeof resourceItemSchema>;
export type HostItem = z.infer<typeof hostItemSchema>;
export type VolumeItem = z.infer<typeof volumeItemSchema>;
export type WorkloadItem = z.infer<typeof workloadItemSchema>;
export type SegmentItem = z.infer<typeof segmentItemSchema>;
export type ResourceKindName = ResourceItem['kind'];

/** Per-resource quota, in the quota service's classes. */
export type ResourceQuota = Record<ResourceClass, number>;
export const ZERO: ResourceQuota = { vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0, ipv4Addresses: 0, ipv6Prefixes64: 0 };

/** Hosts of a counted item, one per name. */
export function expandHosts(item: HostItem): { name: string; item: HostItem }[] {
  if (item.count === 1) return [{ name: item.name, item }];
  return Array.from({ length: item.count }, (_, i) => ({ name: `${item.name}-${i + 1}`, item: { ...item, count: 1 } }));
}

/** What one resource (a host of a counted item counts once) holds against the quota. */
export function quotaOfResource(item: ResourceItem): ResourceQuota {
  switch (item.kind) {
    case 'host': {
      const f = flavourOf(item.flavour);
      return { ...ZERO, vcpu: f.vcpu, memoryGiB: f.memoryGiB, storageGiB: item.systemDiskGiB };
    }
    case 'workload': {
      const f = flavourOf(item.size);
      return { ...ZERO, vcpu: f.vcpu * item.replicas, memoryGiB: f.memoryGiB * item.replicas };
    }
    case 'volume':
      return { ...ZERO, storageGiB: item.sizeGiB };
    case 'segment':
      // The segment's whole IPv4 prefix is the system's address room; its hosts take their addresses from it.
      return { ...ZERO, ipv4Addresses: 2 ** (32 - item.ipv4Length), ipv6Prefixes64: item.dualStack ? 1 : 0 };
  }
}

/** The quota items a request moves: those derived from its resources plus any quota-only items, merged per class. */
export function quotaItemsOf(resources: readonly ResourceItem[], quotaOnly: readonly { resourceClass: ResourceClass; amount: number }[]): { resourceClass: ResourceClass; amount: number }[] {
  const total: ResourceQuota = { ...ZERO };
  for (const r of resources) {
    const n = r.kind === 'host' ? r.count : 1;
    const q = quotaOfResource(r);
    for (const c of Object.keys(total) as ResourceClass[]) total[c] += q[c] * n;
  }
  for (const i of quotaOnly) total[i.resourceClass] += i.amount;
  return (Object.keys(total) as ResourceClass[]).filter((c) => total[c] > 0).map((c) => ({ resourceClass: c, amount: total[c] }));
}

export const addQuotas = (a: ResourceQuota, b: ResourceQuota, sign = 1): ResourceQuota =>
  Object.fromEntries((Object.keys(ZERO) as ResourceClass[]).map((c) => [c, a[c] + sign * (b[c] ?? 0)])) as ResourceQuota;

/** As quota items of one cloud (the quota service's input), without zero lines. */
export const asQuotaItems = (q: ResourceQuota, cloudId: string): QuotaItem[] =>
  (Object.keys(ZERO) as ResourceClass[]).filter((c) => q[c] > 0).map((c) => ({ cloudId, resourceClass: c, amount: q[c] }));
