import { ConflictError, InputError } from '../errors.ts';
import { allocateAddress, deleteAddress } from '../ipam/addresses.ts';
import { ipamRepo } from '../ipam/ipam-repo.ts';
import { utilisation } from '../ipam/prefixes.ts';
import type { Queryable } from '../store/store.ts';
import { resourcesRepo, type ResourceRow } from './resources-repo.ts';

type Family = 'ipv4' | 'ipv6';
const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/** The resource's live segment and its prefix of each family (absent: the segment is not dual-stack). */
async function segmentPrefixes(db: Queryable, resource: ResourceRow): Promise<{ name: string; prefixIds: Partial<Record<Family, string>> }> {
  const segment = resource.segmentId ? await resourcesRepo.byId(db, resource.segmentId) : undefined;
  if (!segment || segment.state !== 'active') throw new ConflictError(`${resource.kind} ${resource.name} sits on no live segment: there is nowhere to take addresses from`, 'resourceId');
  const { ipv4PrefixId, ipv6PrefixId } = segment.ipam;
  return { name: segment.name, prefixIds: { ...(ipv4PrefixId ? { ipv4: ipv4PrefixId } : {}), ...(ipv6PrefixId ? { ipv6: ipv6PrefixId } : {}) } };
}

/**
 * At submit: the segment has each family asked for and room for that many more addresses now (the allocation at
 * the end of the change still takes them under the prefix's lock; this is the clear answer before approval).
 * Refusals name `change.ipv4` / `change.ipv6`.
 */
export async function checkAddressRoom(db: Queryable, resource: ResourceRow, want: { ipv4: number; ipv6: number }): Promise<void> {
  const segment = await segmentPrefixes(db, resource);
  for (const family of FAMILIES) {
    if (want[family] === 0) continue;
    const prefixId = segment.prefixIds[family];
    if (!prefixId) throw new InputError(`segment ${segment.name} has no ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix (it is not dual-stack)`, `change.${family}`);
    const prefix = (await ipamRepo.prefixById(db, prefixId))!;
    const use = (await utilisation(db, [prefix])).get(prefix.id)!;
    const free = BigInt(use.allocatable) - BigInt(use.used);
    if (free < BigInt(want[family])) throw new InputError(`segment ${segment.name} (${prefix.cidr}) has ${free} free addresses; ${want[family]} asked for`, `change.${family}`);
  }
}

/**
 * At the end of an approved change, in its transaction: the addresses from the segment's prefixes under keys of the
 * request (a finish that runs again gets the same ones), recorded in IPAM with the resource's name and on the
 * resource's row as its own. A full segment throws, and the transaction takes nothing.
 */
export async function addAddresses(tx: Queryable, resource: ResourceRow, requestId: string, want: { ipv4: number; ipv6: number }): Promise<string[]> {
  const segment = await segmentPrefixes(tx, resource);
  const extra = [...(resource.ipam.extra ?? [])];
  for (const family of FAMILIES) {
    for (let k = 1; k <= want[family]; k++) {
      const prefixId = segment.prefixIds[family];
      if (!prefixId) throw new Error(`segment ${segment.name} has no ${family} prefix`);
      const { address } = await allocateAddress(tx, {
        prefixId, idempotencyKey: `change:${requestId}:${family}:${k}`, status: 'active', dnsName: null,
        description: `${resource.kind} ${resource.name} of ${resource.systemName} (resource ${resource.id}, request ${requestId})`,
      });
      if (!extra.some((e) => e.id === address.id)) extra.push({ id: address.id, family, address: address.address, requestId });
    }
  }
  await resourcesRepo.setAddresses(tx, resource.id, { ipv4: resource.ipv4, ipv6: resource.ipv6, ipam: { ...resource.ipam, extra } });
  return extra.filter((e) => e.requestId === requestId).map((e) => e.address);
}

/** On release: the added addresses go back to the segment with the resource. */
export async function freeAddedAddresses(tx: Queryable, resource: ResourceRow): Promise<void> {
  for (const e of resource.ipam.extra ?? []) {
    if (await ipamRepo.addressById(tx, e.id)) await deleteAddress(tx, e.id);
  }
}
