import type { Queryable, Store } from '../store/store.ts';
import { lockForTransaction } from '../store/locks.ts';
import { coverageReport } from './coverage.ts';
import type { Family } from './inventory-repo.ts';

/** Records the latest outcome per unit, plane and family (a live probe always wins; inventory only over inventory). */
export async function recordReachability(db: Queryable, r: { unitCode: string; planeId: string; family: Family; ok: boolean; source: 'inventory' | 'live'; at: Date }) {
  await db.query(
    `INSERT INTO extranet_reachability (unit_code, plane_id, family, ok, source, at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (unit_code, plane_id, family) DO UPDATE SET ok = excluded.ok, source = excluded.source, at = excluded.at
     WHERE excluded.source = 'live' OR extranet_reachability.source = 'inventory'`,
    [r.unitCode, r.planeId, r.family, r.ok, r.source, r.at],
  );
}

/**
 * Reachability from the inventory for every unit at once (set-based): a (unit, plane, family) is reachable
 * when an up link carries the family to an up PE, the unit has an address of that family on that plane,
 * and some cloud is attached (up, with a prefix of that family) to the plane. Rows are written for every
 * (unit, plane, family) with an up link; live probe results are not overwritten. Returns the rows written.
 */
export async function sweepReachability(db: Queryable, at = new Date()): Promise<number> {
  // A clean recompute of the inventory rows (live rows stay): facts grouped from one UNION ALL, no per-row lookups.
  await db.query(`DELETE FROM extranet_reachability WHERE source = 'inventory'`);
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
}

/** Today's (or `day`'s) figures for the province and each city, replacing any taken earlier that day. */
export async function takeSnapshot(db: Queryable, opts: { day?: string; source?: 'daily' | 'manual' | 'demo' } = {}) {
  const report = await coverageReport(db);
  // The database's date, so the daily job's check (current_date) and the row agree whatever the time zones.
  const [{ day }] = (await db.query<{ day: string }>(`SELECT to_char(coalesce($1::date, current_date), 'YYYY-MM-DD') AS day`, [opts.day ?? null])) as [{ day: string }];
  const scopes = [{ code: '36', f: report.total, cells: report.cells }, ...report.byCity.filter((c) => c.code !== '36').map((c) => ({ code: c.code, f: c, cells: report.cellsByCity.filter((x) => x.code === c.code) }))];
  await db.query(
    `INSERT INTO extranet_snapshots (day, scope_code, units, dual_plane, single_homed, ipv6_ready, cells, source)
     SELECT $1::date, s.code, s.units, s.dual, s.single, s.v6, s.cells::jsonb, $8
     FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::text[]) AS s(code, units, dual, single, v6, cells)
     ON CONFLICT (day, scope_code) DO UPDATE SET units = excluded.units, dual_plane = excluded.dual_plane, single_homed = excluded.single_homed,
       ipv6_ready = excluded.ipv6_ready, cells = excluded.cells, source = excluded.source, taken_at = now()`,
    [day, scopes.map((s) => s.code), scopes.map((s) => s.f.units), scopes.map((s) => s.f.dualPlane), scopes.map((s) => s.f.singleHomed),
      scopes.map((s) => s.f.ipv6Ready), scopes.map((s) => JSON.stringify(s.cells.map(({ planeId, family, link, addr, reach, ready }) => ({ planeId, family, link, addr, reach, ready })))), opts.source ?? 'daily'],
  );
  return { day, scopes: scopes.length };
}

export async function snapshotHistory(db: Queryable, scopeCode: string, days: number) {
  return db.query<{ day: string; units: number; dualPlane: number; singleHomed: number; ipv6Ready: number; source: string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, units, dual_plane AS "dualPlane", single_homed AS "singleHomed", ipv6_ready AS "ipv6Ready", source
     FROM extranet_snapshots WHERE scope_code = $1 AND day > current_date - $2::int ORDER BY day`,
    [scopeCode, days],
  );
}

/**
 * Takes today's snapshot when there is none yet (after refreshing inventory reachability, so the day's
 * figures reflect the day's inventory); checked hourly so a long-running server keeps one per day.
 */
export function startDailySnapshots(store: Store, log: { warn(o: object, m: string): void }, everyMs = 3_600_000): { stop(): void; tick(): Promise<void> } {
  const tick = async () => {
    try {
      await store.transaction(async (tx) => {
        // Replicas take turns; the second finds the day's snapshot taken.
        await lockForTransaction(tx, 'reachabilitySnapshot');
        const [row] = await tx.query(`SELECT 1 FROM extranet_snapshots WHERE day = current_date AND scope_code = '36' AND source <> 'demo'`);
        if (row) return;
        await sweepReachability(tx);
        await takeSnapshot(tx);
      });
    } catch (err) {
      log.warn({ err }, 'extranet daily snapshot failed');
    }
  };
  const first = tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick: () => first.then(tick) };
}
