import type { Queryable } from '../store/store.ts';
import type { Family } from './inventory-repo.ts';

/** SQL of reachability (extranet_reachability) and the daily coverage snapshots (extranet_snapshots). */

/** One scope's row of a snapshot: its figures and its readiness cells as JSON. */
export interface SnapshotRow { code: string; units: number; dualPlane: number; singleHomed: number; ipv6Ready: number; cells: string }

export const reachabilityRepo = {
  /** Records the latest outcome per unit, plane and family (a live probe always wins; inventory only over inventory). */
  async record(db: Queryable, r: { unitCode: string; planeId: string; family: Family; ok: boolean; source: 'inventory' | 'live'; at: Date }): Promise<void> {
    await db.query(
      `INSERT INTO extranet_reachability (unit_code, plane_id, family, ok, source, at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (unit_code, plane_id, family) DO UPDATE SET ok = excluded.ok, source = excluded.source, at = excluded.at
     WHERE excluded.source = 'live' OR extranet_reachability.source = 'inventory'`,
      [r.unitCode, r.planeId, r.family, r.ok, r.source, r.at],
    );
  },

  async deleteInventoryRows(db: Queryable): Promise<void> {
    await db.query(`DELETE FROM extranet_reachability WHERE source = 'inventory'`);
  },

  /** Writes inventory reachability for every (unit, plane, family) with an up link, live rows left alone; returns the rows written. */
  async insertFromInventory(db: Queryable, at: Date): Promise<number> {
    const rows = await db.query(
      `WITH c AS (SELECT plane_id, 'ipv4' AS family FROM extranet_cloud_attachments WHERE state = 'up' AND prefix_v4 IS NOT NULL
                UNION SELECT plane_id, 'ipv6' FROM extranet_cloud_attachments WHERE state = 'up' AND prefix_v6 IS NOT NULL),
     facts AS (
       SELECT unit_code, plane_id, family, bool_or(k = 1) AS link, bool_or(k = 2) AS addr FROM (
         SELECT lk.unit_code, lk.plane_id, f.family, 1 AS k
         FROM extranet_links lk JOIN extranet_devices pe ON pe.id = lk.pe_device_id AND pe.state = 'up'
         CROSS JOIN LATERAL unnest(lk.families) AS f(family) WHERE lk.state = 'up'
         UNION ALL SELECT unit_code, plane_id, family, 2 FROM ipam_prefixes WHERE unit_code IS NOT NULL AND plane_id IS NOT NULL AND status = 'active'
         UNION ALL SELECT unit_code, plane_id, family, 2 FROM ipam_addresses WHERE unit_code IS NOT NULL AND plane_id IS NOT NULL AND status = 'active') x
       GROUP BY 1, 2, 3)
     INSERT INTO extranet_reachability (unit_code, plane_id, family, ok, source, at)
     SELECT f.unit_code, f.plane_id, f.family, f.link AND f.addr AND c.plane_id IS NOT NULL, 'inventory', $1
     FROM facts f LEFT JOIN c ON c.plane_id = f.plane_id AND c.family = f.family WHERE f.link
     ON CONFLICT (unit_code, plane_id, family) DO NOTHING
     RETURNING 1`,
      [at],
    );
    return rows.length;
  },

  /** `day` (or the database's current date) as YYYY-MM-DD. */
  async dayOf(db: Queryable, day: string | null): Promise<string> {
    const [row] = (await db.query<{ day: string }>(`SELECT to_char(coalesce($1::date, current_date), 'YYYY-MM-DD') AS day`, [day])) as [{ day: string }];
    return row.day;
  },

  /** Writes a day's snapshot rows, replacing any taken earlier that day. */
  async upsertSnapshots(db: Queryable, day: string, rows: SnapshotRow[], source: string): Promise<void> {
    await db.query(
      `INSERT INTO extranet_snapshots (day, scope_code, units, dual_plane, single_homed, ipv6_ready, cells, source)
     SELECT $1::date, s.code, s.units, s.dual, s.single, s.v6, s.cells::jsonb, $8
     FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::text[]) AS s(code, units, dual, single, v6, cells)
     ON CONFLICT (day, scope_code) DO UPDATE SET units = excluded.units, dual_plane = excluded.dual_plane, single_homed = excluded.single_homed,
       ipv6_ready = excluded.ipv6_ready, cells = excluded.cells, source = excluded.source, taken_at = now()`,
      [day, rows.map((s) => s.code), rows.map((s) => s.units), rows.map((s) => s.dualPlane), rows.map((s) => s.singleHomed),
        rows.map((s) => s.ipv6Ready), rows.map((s) => s.cells), source],
    );
  },

  async history(db: Queryable, scopeCode: string, days: number) {
    return db.query<{ day: string; units: number; dualPlane: number; singleHomed: number; ipv6Ready: number; source: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, units, dual_plane AS "dualPlane", single_homed AS "singleHomed", ipv6_ready AS "ipv6Ready", source
     FROM extranet_snapshots WHERE scope_code = $1 AND day > current_date - $2::int ORDER BY day`,
      [scopeCode, days],
    );
  },

  /** Whether today's province snapshot (other than a demo one) has been taken. */
  async hasTodaysSnapshot(db: Queryable): Promise<boolean> {
    const [row] = await db.query(`SELECT 1 FROM extranet_snapshots WHERE day = current_date AND scope_code = '36' AND source <> 'demo'`);
    return !!row;
  },

  /** Past days scaled down from today's figures (a steady roll-out), marked `demo`. */
  async backfillDemo(db: Queryable, days: number): Promise<void> {
    await db.query(
      `INSERT INTO extranet_snapshots (day, scope_code, units, dual_plane, single_homed, ipv6_ready, cells, source)
     SELECT s.day - d, s.scope_code, s.units,
            round(s.dual_plane * (1 - d * 0.006))::int, round(s.single_homed * (1 + d * 0.004))::int, round(s.ipv6_ready * (1 - d * 0.018))::int,
            '[]'::jsonb, 'demo'
     FROM extranet_snapshots s CROSS JOIN generate_series(1, $1::int) AS d
     ON CONFLICT (day, scope_code) DO NOTHING`,
      [days],
    );
  },
};
