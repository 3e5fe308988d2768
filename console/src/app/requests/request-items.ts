import type { ApiInputs, ApiOutputs } from '../core/api-types';

export type Catalogue = ApiOutputs['requests']['catalogue'];
export type ResourceItem = ApiInputs['requests']['submit']['resources'] extends (infer T)[] | undefined ? T : never;
export type ItemKind = ResourceItem['kind'];
type Flavour = Extract<ResourceItem, { kind: 'host' }>['flavour'];
type Arch = Extract<ResourceItem, { kind: 'host' }>['arch'];
type Vendor = NonNullable<Extract<ResourceItem, { kind: 'host' }>['vendor']>;
type Network = Extract<ResourceItem, { kind: 'segment' }>['network'];

/** One row of the form's item list: every kind's fields, of which the row's kind uses some. */
export interface ItemDraft {
  kind: ItemKind;
  name: string;
  count: number;
  /** A host's flavour, a workload replica's size. */
  flavour: string;
  systemDiskGiB: number;
  /** `arch/vendor` of one of the catalogue's allowed platforms. */
  platform: string;
  image: string;
  segment: string;
  replicas: number;
  sizeGiB: number;
  host: string;
  network: string;
  ipv4Length: number;
  /** A segment's chosen IPv4 prefix; empty: the next free one of the pool. */
  cidr: string;
  dualStack: boolean;
}

export const QUOTA_CLASSES = ['vcpu', 'memoryGiB', 'storageGiB', 'ipv4Addresses', 'ipv6Prefixes64'] as const;
export type QuotaClass = (typeof QUOTA_CLASSES)[number];

const split = (platform: string) => {
  const [arch, vendor] = platform.split('/');
  return { arch: arch as Arch, ...(vendor ? { vendor: vendor as Vendor } : {}) };
};
const ref = (name: string) => (name.trim() ? { segment: name.trim() } : {});

/** The API's item for a draft row: only the fields its kind has (the server refuses the others by name). */
export function toItem(d: ItemDraft): ResourceItem {
  const name = d.name.trim();
  switch (d.kind) {
    case 'host':
      return { kind: 'host', name, count: d.count, flavour: d.flavour as Flavour, systemDiskGiB: d.systemDiskGiB, ...split(d.platform), image: d.image, ...ref(d.segment) };
    case 'workload':
      return { kind: 'workload', name, replicas: d.replicas, size: d.flavour as Flavour, ...split(d.platform), image: d.image, ...ref(d.segment) };
    case 'volume':
      return { kind: 'volume', name, sizeGiB: d.sizeGiB, host: d.host.trim() };
    case 'segment':
      return { kind: 'segment', name, network: d.network as Network, ipv4Length: d.ipv4Length, ...(d.cidr.trim() ? { cidr: d.cidr.trim() } : {}), dualStack: d.dualStack };
  }
}

/**
 * What the items hold against the quota, per class: the same arithmetic as the server's (a flavour's vCPU and
 * memory per host or replica, system disks and volumes as storage, a segment's whole IPv4 prefix and one /64),
 * so the form shows the effect as the user types; the server's preview then checks it against the quota.
 */
export function quotaEffect(drafts: readonly ItemDraft[], flavours: Catalogue['flavours']): Record<QuotaClass, number> {
  const total: Record<QuotaClass, number> = { vcpu: 0, memoryGiB: 0, storageGiB: 0, ipv4Addresses: 0, ipv6Prefixes64: 0 };
  for (const d of drafts) {
    const f = flavours.find((x) => x.id === d.flavour);
    switch (d.kind) {
      case 'host':
        total.vcpu += (f?.vcpu ?? 0) * d.count;
        total.memoryGiB += (f?.memoryGiB ?? 0) * d.count;
        total.storageGiB += d.systemDiskGiB * d.count;
        break;
      case 'workload':
        total.vcpu += (f?.vcpu ?? 0) * d.replicas;
        total.memoryGiB += (f?.memoryGiB ?? 0) * d.replicas;
        break;
      case 'volume':
        total.storageGiB += d.sizeGiB;
        break;
      case 'segment':
        total.ipv4Addresses += 2 ** (32 - d.ipv4Length);
        total.ipv6Prefixes64 += d.dualStack ? 1 : 0;
        break;
    }
  }
  return total;
}

/** The names a host or workload row may sit on: the form's segments, then the system's live ones. */
export function segmentChoices(drafts: readonly ItemDraft[], catalogue: Catalogue | null): string[] {
  const mine = drafts.filter((d) => d.kind === 'segment' && d.name.trim()).map((d) => d.name.trim());
  return [...new Set([...mine, ...(catalogue?.segments ?? []).map((s) => s.name)])];
}

/** The hosts a volume may attach to: the form's hosts (a counted row as name-1 … name-n), then the system's live ones. */
export function hostChoices(drafts: readonly ItemDraft[], catalogue: Catalogue | null): string[] {
  const mine = drafts.filter((d) => d.kind === 'host' && d.name.trim())
    .flatMap((d) => (d.count > 1 ? Array.from({ length: d.count }, (_, i) => `${d.name.trim()}-${i + 1}`) : [d.name.trim()]));
  return [...new Set([...mine, ...(catalogue?.hosts ?? []).map((h) => h.name)])];
}

/** A new row of a kind, prefilled from the catalogue (the first allowed platform, an image it has, the first network). */
export function newDraft(kind: ItemKind, catalogue: Catalogue | null, index: number): ItemDraft {
  const platform = catalogue?.platforms.find((p) => p.refusal === null);
  const arch = platform?.arch;
  const image = catalogue?.images.find((i) => arch !== undefined && (i.arches as readonly string[]).includes(arch));
  return {
    kind, name: `${kind === 'segment' ? 'net' : kind === 'volume' ? 'data' : kind === 'host' ? 'vm' : 'app'}${index > 0 ? `-${index + 1}` : ''}`,
    count: 1, flavour: 'c2m4', systemDiskGiB: 40, platform: platform ? `${platform.arch}/${platform.vendor}` : '', image: image?.id ?? '', segment: '',
    replicas: 2, sizeGiB: 100, host: '', network: catalogue?.networks[0]?.network ?? 'extranet', ipv4Length: 26, cidr: '', dualStack: true,
  };
}
