import { createPrefix } from '../../control-plane/src/ipam/prefixes.ts';
import { createVrf } from '../../control-plane/src/ipam/vrfs.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { startCluster, type Cluster } from '../support/cluster.ts';

export { trpcMutation } from '../support/cluster.ts';

/**
 * For the two-process IPAM spec and `npm run bench -- ipam`: control planes with a network engineer holding one
 * session token per client, and helpers to seed VRFs and parents and to count overlaps and duplicates afterwards.
 */
export type IpamCluster = Cluster;

export function startIpamCluster(opts: { pgAdminUrl: string; processes: number; clients: number }): Promise<IpamCluster> {
  return startCluster({ ...opts, user: { username: 'ipam-engineer', role: 'network-engineer' } });
}

/** A VRF and `count` IPv6 container parents in it (the first a /32, the others /48s). */
export async function seedParents(store: Store, name: string, count: number): Promise<{ vrfId: string; parents: string[] }> {
  const vrf = await createVrf(store, { name, rd: null, importTargets: [], exportTargets: [], planeId: null, departmentId: null, kind: 'extranet', migrationState: null, description: '' });
  const parents: string[] = [];
  for (let i = 0; i < count; i++) {
    const cidr = i === 0 ? '2001:db8::/32' : `2001:db9:${i.toString(16)}::/48`;
    parents.push((await store.transaction((tx) => createPrefix(tx, { vrfId: vrf.id, cidr, kind: 'container', status: 'active' }))).id);
  }
  return { vrfId: vrf.id, parents };
}

/** What the database holds afterwards: overlapping sibling pairs and repeated CIDRs inside one VRF (both must be 0). */
export async function overlapsAndDuplicates(store: Store): Promise<{ overlaps: number; duplicates: number; rows: number }> {
  const [r] = await store.query<{ overlaps: number; duplicates: number; rows: number }>(
    `SELECT (SELECT count(*)::int FROM ipam_prefixes a JOIN ipam_prefixes b ON a.vrf_id = b.vrf_id AND a.depth = b.depth AND a.id < b.id AND a.cidr && b.cidr) AS overlaps,
            (SELECT count(*)::int - count(DISTINCT (vrf_id, cidr))::int FROM ipam_prefixes) AS duplicates,
            (SELECT count(*)::int FROM ipam_prefixes) AS rows`,
  );
  return r!;
}
