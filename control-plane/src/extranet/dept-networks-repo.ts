import type { Scope } from '../auth/scope.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

/** SQL of the department networks view (dept-networks.ts), read from IPAM's tables (0008). */
export const deptNetworksRepo = {
  /** Department VRFs in the caller's scope, with their department and migration state. */
  async vrfs(db: Queryable, scope: Scope) {
    const params: unknown[] = [];
    return db.query<{ id: string; name: string; rd: string | null; planeId: string | null; departmentId: string; departmentName: string; state: string | null }>(
      `SELECT v.id, v.name, v.rd, v.plane_id AS "planeId", v.department_id AS "departmentId", d.name AS "departmentName", v.migration_state AS state
     FROM ipam_vrfs v JOIN departments d ON d.id = v.department_id
     WHERE v.kind = 'department' AND ${allOf(scopeFilter(scope, params, 'v.department_id'))} ORDER BY d.name, v.name`,
      params,
    );
  },

  /** Top-level prefixes of these VRFs. */
  async topPrefixes(db: Queryable, vrfIds: string[]) {
    return db.query<{ vrfId: string; cidr: string }>(
      `SELECT vrf_id AS "vrfId", cidr::text FROM ipam_prefixes WHERE vrf_id = ANY($1::uuid[]) AND parent_id IS NULL ORDER BY cidr`, [vrfIds],
    );
  },

  /** Where the top-level space of these VRFs overlaps top-level space of other VRFs (at most 2000). */
  async overlaps(db: Queryable, vrfIds: string[]) {
    return db.query<{ vrfId: string; cidr: string; otherVrf: string; otherCidr: string }>(
      `SELECT p.vrf_id AS "vrfId", p.cidr::text, o.name AS "otherVrf", q.cidr::text AS "otherCidr"
     FROM ipam_prefixes p JOIN ipam_prefixes q ON q.vrf_id <> p.vrf_id AND q.parent_id IS NULL AND q.cidr && p.cidr
     JOIN ipam_vrfs o ON o.id = q.vrf_id
     WHERE p.vrf_id = ANY($1::uuid[]) AND p.parent_id IS NULL ORDER BY p.cidr, o.name LIMIT 2000`, [vrfIds],
    );
  },

  /** NAT mappings with these VRFs inside. */
  async natMappings(db: Queryable, vrfIds: string[]) {
    return db.query<{ vrfId: string; inside: string; outside: string; outsideVrf: string; description: string }>(
      `SELECT n.inside_vrf_id AS "vrfId", n.inside_cidr::text AS inside, n.outside_cidr::text AS outside, o.name AS "outsideVrf", n.description
     FROM ipam_nat_mappings n JOIN ipam_vrfs o ON o.id = n.outside_vrf_id WHERE n.inside_vrf_id = ANY($1::uuid[]) ORDER BY n.inside_cidr`, [vrfIds],
    );
  },
};
