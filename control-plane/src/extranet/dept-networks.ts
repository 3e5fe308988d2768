import type { Scope } from '../auth/scope.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

/**
 * Department private networks (部门专网) moving onto the extranet, read from IPAM (0008): each department
 * VRF with its migration state, its top-level space, where that space overlaps space of other VRFs (the
 * reason NAT is needed), and its NAT mappings, as far as the caller's scope reaches (province-wide roles: all).
 */
export async function departmentNetworks(db: Queryable, scope: Scope) {
  const params: unknown[] = [];
  const vrfs = await db.query<{ id: string; name: string; rd: string | null; planeId: string | null; departmentId: string; departmentName: string; state: string | null }>(
    `SELECT v.id, v.name, v.rd, v.plane_id AS "planeId", v.department_id AS "departmentId", d.name AS "departmentName", v.migration_state AS state
     FROM ipam_vrfs v JOIN departments d ON d.id = v.department_id
     WHERE v.kind = 'department' AND ${allOf(scopeFilter(scope, params, 'v.department_id'))} ORDER BY d.name, v.name`,
    params,
  );
  if (!vrfs.length) return { states: countStates([]), networks: [] };
  const ids = vrfs.map((v) => v.id);
  const prefixes = await db.query<{ vrfId: string; cidr: string }>(
    `SELECT vrf_id AS "vrfId", cidr::text FROM ipam_prefixes WHERE vrf_id = ANY($1::uuid[]) AND parent_id IS NULL ORDER BY cidr`, [ids],
  );
  const overlaps = await db.query<{ vrfId: string; cidr: string; otherVrf: string; otherCidr: string }>(
    `SELECT p.vrf_id AS "vrfId", p.cidr::text, o.name AS "otherVrf", q.cidr::text AS "otherCidr"
     FROM ipam_prefixes p JOIN ipam_prefixes q ON q.vrf_id <> p.vrf_id AND q.parent_id IS NULL AND q.cidr && p.cidr
     JOIN ipam_vrfs o ON o.id = q.vrf_id
     WHERE p.vrf_id = ANY($1::uuid[]) AND p.parent_id IS NULL ORDER BY p.cidr, o.name LIMIT 2000`, [ids],
  );
  const nat = await db.query<{ vrfId: string; inside: string; outside: string; outsideVrf: string; description: string }>(
    `SELECT n.inside_vrf_id AS "vrfId", n.inside_cidr::text AS inside, n.outside_cidr::text AS outside, o.name AS "outsideVrf", n.description
     FROM ipam_nat_mappings n JOIN ipam_vrfs o ON o.id = n.outside_vrf_id WHERE n.inside_vrf_id = ANY($1::uuid[]) ORDER BY n.inside_cidr`, [ids],
  );
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
