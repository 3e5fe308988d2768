import type { Queryable } from '../store/store.ts';
import type { Template } from './pairs.ts';

/** SQL of the allocation templates (ipam_templates): one per unit level and plane. */

const COLUMNS = `id, unit_level AS "unitLevel", plane_id AS "planeId", ipv4_parent_id AS "ipv4ParentId", ipv4_length AS "ipv4Length",
  ipv6_parent_id AS "ipv6ParentId", ipv6_length AS "ipv6Length", strategy`;

export const templatesRepo = {
  list: (db: Queryable) => db.query<Template>(`SELECT ${COLUMNS} FROM ipam_templates ORDER BY plane_id, unit_level`),
  find: async (db: Queryable, level: string, planeId: string) =>
    (await db.query<Template>(`SELECT ${COLUMNS} FROM ipam_templates WHERE unit_level = $1 AND plane_id = $2`, [level, planeId]))[0] ?? null,

  /** Creates or replaces the template of one unit level on one plane. */
  async upsert(db: Queryable, id: string, t: Omit<Template, 'id'>): Promise<void> {
    await db.query(
      `INSERT INTO ipam_templates (id, unit_level, plane_id, ipv4_parent_id, ipv4_length, ipv6_parent_id, ipv6_length, strategy)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (unit_level, plane_id) DO UPDATE SET ipv4_parent_id = EXCLUDED.ipv4_parent_id, ipv4_length = EXCLUDED.ipv4_length,
         ipv6_parent_id = EXCLUDED.ipv6_parent_id, ipv6_length = EXCLUDED.ipv6_length, strategy = EXCLUDED.strategy, updated_at = now()`,
      [id, t.unitLevel, t.planeId, t.ipv4ParentId, t.ipv4Length, t.ipv6ParentId, t.ipv6Length, t.strategy],
    );
  },
};
