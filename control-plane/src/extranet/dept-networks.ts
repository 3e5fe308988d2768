import type { Scope } from '../auth/scope.ts';
import type { Queryable } from '../store/store.ts';
import { deptNetworksRepo } from './dept-networks-repo.ts';

/**
 * Department private networks (部门专网) moving onto the extranet, read from IPAM (0008): each department
 * VRF with its migration state, its top-level space, where that space overlaps space of other VRFs (the
 * reason NAT is needed), and its NAT mappings, as far as the caller's scope reaches (province-wide roles: all).
 */
export async function departmentNetworks(db: Queryable, scope: Scope) {
  const vrfs = await deptNetworksRepo.vrfs(db, scope);
  if (!vrfs.length) return { states: countStates([]), networks: [] };
  const ids = vrfs.map((v) => v.id);
  const prefixes = await deptNetworksRepo.topPrefixes(db, ids);
  const overlaps = await deptNetworksRepo.overlaps(db, ids);
  const nat = await deptNetworksRepo.natMappings(db, ids);
  const networks = vrfs.map((v) => ({
    ...v,
    prefixes: prefixes.filter((p) => p.vrfId === v.id).map((p) => p.cidr),
    overlaps: overlaps.filter((o) => o.vrfId === v.id).map(({ vrfId: _v, ...o }) => o),
    nat: nat.filter((n) => n.vrfId === v.id).map(({ vrfId: _v, ...n }) => n),
  }));
  return { states: countStates(vrfs.map((v) => v.state)), networks };
}

const STATES = ['planned', 'in-progress', 'migrated', 'verified'] as const;
function countStates(states: (string | null)[]) {
  return STATES.map((s) => ({ state: s, count: states.filter((x) => (x ?? 'planned') === s).length }));
}
