import type { Scope } from '../auth/scope.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { IndicatorInput, IndicatorRow } from './indicators.ts';

/** SQL of the province's progress indicators (indicators.ts) and their daily snapshots (0060_migrations.sql). */

export interface SnapshotRow extends IndicatorRow { day: string }

export const indicatorsRepo = {
  /**
   * Every business system with what the indicators need: its department and division, status, cloud and the
   * cloud's kind, and the CPU vendor it now runs on when a finished migration recorded it.
   */
  async inputs(db: Queryable): Promise<IndicatorInput[]> {
    return db.query<IndicatorInput>(
      `SELECT s.department_id AS "departmentId", d.name AS "departmentName", d.division_code AS division, s.status, s.cloud_id AS "cloudId",
         c.kind AS "cloudKind", CASE WHEN m.state = 'migrated' AND m.target_cloud_id = s.cloud_id THEN m.target_vendor END AS vendor
       FROM business_systems s JOIN departments d ON d.id = s.department_id
       LEFT JOIN clouds c ON c.id = s.cloud_id LEFT JOIN migration_candidates m ON m.system_id = s.id`,
    );
  },

  /** Writes the day's rows, replacing any written earlier that day (the job and an operator may both take one). */
  async upsertDay(db: Queryable, day: string, rows: readonly IndicatorRow[]): Promise<void> {
    await db.query(`DELETE FROM migration_indicator_snapshots WHERE day = $1::date AND NOT (scope || ':' || code = ANY($2::text[]))`, [day, rows.map((r) => `${r.scope}:${r.code}`)]);
    await db.query(
      `INSERT INTO migration_indicator_snapshots (day, scope, code, name, systems, on_cloud, on_xinchuang)
       SELECT $1::date, r.scope, r.code, r.name, r.systems, r.on_cloud, r.on_xinchuang
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[]) AS r(scope, code, name, systems, on_cloud, on_xinchuang)
       ON CONFLICT (day, scope, code) DO UPDATE SET name = excluded.name, systems = excluded.systems, on_cloud = excluded.on_cloud, on_xinchuang = excluded.on_xinchuang`,
      [day, rows.map((r) => r.scope), rows.map((r) => r.code), rows.map((r) => r.name), rows.map((r) => r.systems), rows.map((r) => r.onCloud), rows.map((r) => r.onXinchuang)],
    );
  },

  async hasDay(db: Queryable, day: string): Promise<boolean> {
    return (await db.query(`SELECT 1 FROM migration_indicator_snapshots WHERE day = $1::date AND scope = 'province' LIMIT 1`, [day])).length > 0;
  },

  /** The database's date (the job's "today" and the row's day agree whatever the time zones). */
  async today(db: Queryable): Promise<string> {
    return (await db.query<{ day: string }>(`SELECT to_char(current_date, 'YYYY-MM-DD') AS day`))[0]!.day;
  },

  /**
   * Snapshot rows between two days. A department-scoped caller reads its own departments' rows only (the
   * province and city rows count other departments' systems).
   */
  async history(db: Queryable, scope: Scope, range: { from: string; to: string; scope?: IndicatorRow['scope'] }): Promise<SnapshotRow[]> {
    const params: unknown[] = [range.from, range.to];
    // CASE: only department rows' codes are department ids (a city's code is no uuid); other rows are out of a department's scope.
    const scoped = scopeFilter(scope, params, `(CASE WHEN scope = 'department' THEN code::uuid END)`);
    const where = allOf('day BETWEEN $1::date AND $2::date', scoped, range.scope ? `scope = $${params.push(range.scope)}` : null);
    const rows = await db.query<Omit<SnapshotRow, 'onCloudShare' | 'xinchuangShare'>>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, scope, code, name, systems, on_cloud AS "onCloud", on_xinchuang AS "onXinchuang"
       FROM migration_indicator_snapshots WHERE ${where} ORDER BY day, CASE scope WHEN 'province' THEN 0 WHEN 'city' THEN 1 ELSE 2 END, code`,
      params,
    );
    return rows.map((r) => ({ ...r, onCloudShare: r.systems ? r.onCloud / r.systems : 0, xinchuangShare: r.systems ? r.onXinchuang / r.systems : 0 }));
  },
};
