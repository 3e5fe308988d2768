import { InputError, NotFoundError } from '../errors.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { ipamRepo } from '../ipam/ipam-repo.ts';
import { createPrefix } from '../ipam/prefixes.ts';
import { createVrf } from '../ipam/vrfs.ts';
import type { Queryable } from '../store/store.ts';
import type { Network } from './resource-items.ts';
import { poolsRepo } from './resources-repo.ts';

/**
 * A cloud's address pools: for each network (the government extranet, the internet-facing zone) and family,
 * the IPAM prefix its segments are carved from. Segments are IPAM's assigned children of the pool prefix, so
 * IPAM's own rules (no overlap in a VRF, next-free under the parent's lock) keep them apart.
 */
export async function setPool(db: Queryable, p: { cloudId: string; network: Network; family: 'ipv4' | 'ipv6'; prefixId: string }): Promise<void> {
  const prefix = await ipamRepo.prefixById(db, p.prefixId);
  if (!prefix) throw new NotFoundError('no such prefix');
  if (prefix.family !== p.family) throw new InputError(`${prefix.cidr} is not an ${p.family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix`, 'prefixId');
  if (prefix.kind === 'assigned') throw new InputError(`${prefix.cidr} is an assigned prefix: a pool is an aggregate or a container`, 'prefixId');
  const length = Number(prefix.cidr.split('/')[1]);
  if (p.family === 'ipv4' ? length > 24 : length > 56) throw new InputError(`${prefix.cidr} is too small for a pool (at least a /24 for IPv4, a /56 for IPv6)`, 'prefixId');
  if (!(await cloudsRepo.exists(db, p.cloudId))) throw new NotFoundError(`no cloud ${p.cloudId}`);
  await poolsRepo.set(db, p);
}

/** Makes (or finds) a VRF and, in it, a pool prefix per network and family for a cloud; sets them as its pools. */
export async function addCloudPools(db: Queryable, vrfName: string, cloudId: string, pools: Partial<Record<Network, { ipv4: string; ipv6: string }>>, description: string): Promise<void> {
  const vrf = (await ipamRepo.vrfByName(db, vrfName)) ?? await createVrf(db, {
    name: vrfName, rd: null, importTargets: [], exportTargets: [], planeId: null, departmentId: null, kind: 'global', migrationState: null, description,
  });
  for (const [network, cidrs] of Object.entries(pools) as [Network, { ipv4: string; ipv6: string }][]) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const prefixId = (await ipamRepo.prefixIdByCidr(db, vrf.id, cidrs[family])) ?? (await createPrefix(db, { vrfId: vrf.id, cidr: cidrs[family], kind: 'container', status: 'active', description: `${description}: ${cloudId} ${network}` })).id;
      await setPool(db, { cloudId, network, family, prefixId });
    }
  }
}

/**
 * First start (after the extranet demo): each cloud's extranet pool is its attachment prefixes on the first
 * plane (the /24 and /48 IPAM already holds for it), its internet-facing pool a demo block per cloud from the
 * benchmarking range 198.18.0.0/15 and the documentation prefix 2001:db8::/32, in a VRF of its own. Does
 * nothing once any pool exists.
 */
export async function seedDemoPools(db: Queryable): Promise<number> {
  if ((await poolsRepo.count(db)) > 0) return 0;
  const clouds = await cloudsRepo.ids(db);
  let set = 0;
  for (const [i, c] of clouds.entries()) {
    if (i >= 512) break;
    for (const a of await poolsRepo.attachmentPrefixes(db, c)) {
      await setPool(db, { cloudId: c, network: 'extranet', family: a.family, prefixId: a.id });
      set++;
    }
    await addCloudPools(db, 'internet-zone', c, { internet: { ipv4: `198.${18 + (i >> 8)}.${i & 255}.0/24`, ipv6: `2001:db8:${(i + 1).toString(16)}::/48` } }, 'internet-facing zone (demo)');
    set += 2;
  }
  return set;
}
