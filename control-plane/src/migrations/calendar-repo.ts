import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Scope } from '../auth/scope.ts';
import type { Queryable } from '../store/store.ts';

/** SQL of the constraints' calendar: departments' maintenance slots and blackout days (0060_migrations.sql). */

export interface SlotRow { id: string; departmentId: string; departmentName: string; weekday: number; start: string; hours: number }
export type BlackoutSource = 'statutory' | 'operator' | 'department';
export interface BlackoutRow { id: string; from: string; to: string; reason: string; departmentIds: string[] | null; source: BlackoutSource }

const BLACKOUT_COLUMNS = `id, to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to", reason, department_ids AS "departmentIds", source`;

export const calendarRepo = {
  async slots(db: Queryable, scope: Scope, departmentIds?: string[]): Promise<SlotRow[]> {
    const params: unknown[] = [];
    const where = `WHERE ${allOf(scopeFilter(scope, params, 'm.department_id'), departmentIds ? scopeFilter({ departmentIds }, params, 'm.department_id') : null)}`;
    return db.query<SlotRow>(
      `SELECT m.id, m.department_id AS "departmentId", d.name AS "departmentName", m.weekday, m.start_time AS "start", m.hours
       FROM migration_slots m JOIN departments d ON d.id = m.department_id ${where} ORDER BY d.name, m.weekday, m.start_time`,
      params,
    );
  },

  /** Replaces a department's slots (the editor sends the whole week). */
  async replaceSlots(db: Queryable, departmentId: string, slots: { id: string; weekday: number; start: string; hours: number }[]): Promise<void> {
    await db.query('DELETE FROM migration_slots WHERE department_id = $1', [departmentId]);
    for (const s of slots) {
      await db.query('INSERT INTO migration_slots (id, department_id, weekday, start_time, hours) VALUES ($1, $2, $3, $4, $5)', [s.id, departmentId, s.weekday, s.start, s.hours]);
    }
  },

  /** Blackouts overlapping [from, to] (all when omitted) that apply to someone in the scope. */
  async blackouts(db: Queryable, scope: Scope, range: { from?: string; to?: string } = {}): Promise<BlackoutRow[]> {
    const params: unknown[] = [];
    const scoped = scopeFilter(scope, params, 'department_ids', { shared: true, array: true });
    const where = `WHERE ${allOf(
      scoped,
      range.to ? `from_date <= $${params.push(range.to)}::date` : null,
      range.from ? `to_date >= $${params.push(range.from)}::date` : null,
    )}`;
    return db.query<BlackoutRow>(`SELECT ${BLACKOUT_COLUMNS} FROM migration_blackouts ${where} ORDER BY from_date, to_date, reason`, params);
  },

  async blackout(db: Queryable, id: string): Promise<BlackoutRow | undefined> {
    return (await db.query<BlackoutRow>(`SELECT ${BLACKOUT_COLUMNS} FROM migration_blackouts WHERE id = $1`, [id]))[0];
  },

  async insertBlackout(db: Queryable, b: BlackoutRow): Promise<boolean> {
    // A statutory holiday already imported is not imported twice (the partial unique index).
    const rows = await db.query(
      `INSERT INTO migration_blackouts (id, from_date, to_date, reason, department_ids, source) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING id`,
      [b.id, b.from, b.to, b.reason, b.departmentIds, b.source],
    );
    return rows.length > 0;
  },

  async updateBlackout(db: Queryable, b: Omit<BlackoutRow, 'source'>): Promise<void> {
    await db.query('UPDATE migration_blackouts SET from_date = $2, to_date = $3, reason = $4, department_ids = $5 WHERE id = $1', [b.id, b.from, b.to, b.reason, b.departmentIds]);
  },

  async deleteBlackout(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM migration_blackouts WHERE id = $1', [id]);
  },

  async statutoryYears(db: Queryable): Promise<number[]> {
    const rows = await db.query<{ y: number }>(`SELECT DISTINCT extract(year FROM from_date)::int AS y FROM migration_blackouts WHERE source = 'statutory' ORDER BY 1`);
    return rows.map((r) => r.y);
  },
};
