import type { Queryable } from '../store/store.ts';

/** SQL of creating, deleting and measuring prefixes (prefixes.ts) beyond the row reads and writes of ipam-repo.ts. */
export const prefixesRepo = {
  /** Prefixes directly under `parentId` (null: top level) of the VRF that `cidr` strictly covers. */
  async coveredSiblingIds(db: Queryable, vrfId: string, parentId: string | null, cidr: string): Promise<string[]> {
    const direct = await db.query<{ id: string }>(
      `SELECT id FROM ipam_prefixes WHERE vrf_id = $1 AND parent_id IS NOT DISTINCT FROM $2::uuid AND cidr << $3::cidr`,
      [vrfId, parentId, cidr],
    );
    return direct.map((r) => r.id);
  },

  /** Addresses recorded in `parentId` that `cidr` covers, in address order. */
  async coveredAddresses(db: Queryable, parentId: string, cidr: string) {
    return db.query<{ address: string }>(
      'SELECT host(address) AS address FROM ipam_addresses WHERE prefix_id = $1 AND address << $2::cidr ORDER BY ipam_addresses.address',
      [parentId, cidr],
    );
  },

  /** Checks the tree's constraints at commit: moving subtrees passes through states the final tree does not have. */
  async deferTreeConstraints(db: Queryable): Promise<void> {
    await db.query('SET CONSTRAINTS ipam_prefixes_no_overlap, ipam_prefixes_parent_fk, ipam_addresses_prefix_fk DEFERRED');
  },

  /** The `adopted` prefixes move under the new prefix `parentId`, their subtrees one level deeper with them. */
  async adoptSubtrees(db: Queryable, adopted: string[], parentId: string, parentDepth: number, parentCidr: string): Promise<void> {
    await db.query(
      `WITH RECURSIVE sub AS (
         SELECT id FROM ipam_prefixes WHERE id = ANY($1::uuid[])
         UNION ALL SELECT c.id FROM ipam_prefixes c JOIN sub ON c.parent_id = sub.id
       )
       UPDATE ipam_prefixes p SET depth = p.depth + 1,
         parent_id = CASE WHEN p.id = ANY($1::uuid[]) THEN $2::uuid ELSE p.parent_id END,
         parent_depth = CASE WHEN p.id = ANY($1::uuid[]) THEN $3::int ELSE p.parent_depth + 1 END,
         parent_cidr = CASE WHEN p.id = ANY($1::uuid[]) THEN $4::cidr ELSE p.parent_cidr END,
         updated_at = now()
       FROM sub WHERE p.id = sub.id`,
      [adopted, parentId, parentDepth, parentCidr],
    );
  },

  /** Addresses recorded in `fromParentId` that `cidr` covers now belong to the prefix `prefixId`. */
  async moveCoveredAddresses(db: Queryable, prefixId: string, cidr: string, fromParentId: string): Promise<void> {
    await db.query(
      'UPDATE ipam_addresses SET prefix_id = $1, prefix_cidr = $2::cidr, updated_at = now() WHERE prefix_id = $3 AND address << $2::cidr',
      [prefixId, cidr, fromParentId],
    );
  },

  /** Allocation templates that allocate under this prefix. */
  async templatesUsing(db: Queryable, prefixId: string): Promise<number> {
    const [t] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_templates WHERE ipv4_parent_id = $1 OR ipv6_parent_id = $1', [prefixId]);
    return t!.n;
  },

  /** Children of these prefixes counted per parent, family and length. */
  async childCountsByLength(db: Queryable, ids: string[]) {
    return db.query<{ parentId: string; family: 'ipv4' | 'ipv6'; length: number; n: number }>(
      `SELECT parent_id AS "parentId", family, masklen(cidr) AS length, count(*)::int AS n FROM ipam_prefixes
     WHERE parent_id = ANY($1::uuid[]) GROUP BY parent_id, family, masklen(cidr)`,
      [ids],
    );
  },

  /** Addresses recorded directly in these prefixes, per prefix. */
  async addressCounts(db: Queryable, ids: string[]) {
    return db.query<{ prefixId: string; n: number }>(
      `SELECT prefix_id AS "prefixId", count(*)::int AS n FROM ipam_addresses WHERE prefix_id = ANY($1::uuid[]) GROUP BY prefix_id`,
      [ids],
    );
  },
};
