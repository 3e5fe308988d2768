/** SQL of the drill calendar. Reads take the caller's scope. */
import type { Scope } from '../auth/scope.ts';
import type { Queryable } from '../store/store.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';

export type WindowStatus = 'scheduled' | 'started' | 'missed' | 'cancelled';

export interface DrillCapacity {
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly storageGiB: number;
}

export interface WindowRow {
  readonly id: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly departmentId: string;
  readonly planId: string;
  readonly planName: string;
  readonly targetCentre: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly ownerId: string;
  readonly owner: string;
  readonly note: string;
  readonly capacity: DrillCapacity;
  readonly reservationId: string | null;
  readonly status: WindowStatus;
  /** Why it is not started yet, missed, or its capacity not held (empty when nothing to say). */
  readonly reason: string;
  readonly runId: string | null;
  readonly runStatus: string | null;
  readonly createdAt: string;
}

const SELECT = `SELECT c.id, c.group_id AS "groupId", g.name AS "groupName", c.department_id AS "departmentId", c.plan_id AS "planId",
  p.name AS "planName", c.target_centre AS "targetCentre", c.window_start AS "windowStart", c.window_end AS "windowEnd",
  c.owner_id AS "ownerId", c.owner, c.note, c.capacity, c.reservation_id AS "reservationId", c.status, c.reason, c.run_id AS "runId",
  r.status AS "runStatus", c.created_at AS "createdAt"
  FROM dr_calendar c JOIN dr_protection_groups g ON g.id = c.group_id JOIN dr_plans p ON p.id = c.plan_id
  LEFT JOIN dr_runs r ON r.id = c.run_id`;

type Raw = Omit<WindowRow, 'windowStart' | 'windowEnd' | 'createdAt'> & { windowStart: Date; windowEnd: Date; createdAt: Date };
const toRow = (r: Raw): WindowRow => ({
  ...r, windowStart: new Date(r.windowStart).toISOString(), windowEnd: new Date(r.windowEnd).toISOString(), createdAt: new Date(r.createdAt).toISOString(),
});

export const calendarRepo = {
  async insert(db: Queryable, w: {
    id: string; groupId: string; departmentId: string; planId: string; targetCentre: string; windowStart: Date; windowEnd: Date;
    ownerId: string; owner: string; note: string; capacity: DrillCapacity; reservationId: string | null; reason: string;
  }): Promise<void> {
    await db.query(
      `INSERT INTO dr_calendar (id, group_id, department_id, plan_id, target_centre, window_start, window_end, owner_id, owner, note, capacity, reservation_id, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [w.id, w.groupId, w.departmentId, w.planId, w.targetCentre, w.windowStart.toISOString(), w.windowEnd.toISOString(), w.ownerId, w.owner, w.note,
        JSON.stringify(w.capacity), w.reservationId, w.reason],
    );
  },

  async byId(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<WindowRow | undefined> {
    const rows = await db.query<Raw>(`${SELECT} WHERE c.id = $1${opts.forUpdate ? ' FOR UPDATE OF c' : ''}`, [id]);
    return rows[0] && toRow(rows[0]);
  },

  async list(db: Queryable, scope: Scope, f: { from: Date; to: Date; groupId?: string; limit: number }): Promise<WindowRow[]> {
    const params: unknown[] = [f.from.toISOString(), f.to.toISOString()];
    const where = allOf(`c.window_end >= $1`, `c.window_start < $2`, scopeFilter(scope, params, 'c.department_id'), f.groupId ? `c.group_id = $${params.push(f.groupId)}` : null);
    params.push(f.limit);
    return (await db.query<Raw>(`${SELECT} WHERE ${where} ORDER BY c.window_start, c.id LIMIT $${params.length}`, params)).map(toRow);
  },

  /** Windows of the group, still to come or under way, that overlap [start, end). */
  async overlapping(db: Queryable, groupId: string, start: Date, end: Date): Promise<WindowRow[]> {
    return (await db.query<Raw>(
      `${SELECT} WHERE c.group_id = $1 AND c.status IN ('scheduled', 'started') AND c.window_start < $3 AND c.window_end > $2 ORDER BY c.window_start`,
      [groupId, start.toISOString(), end.toISOString()],
    )).map(toRow);
  },

  /** Scheduled windows that have opened (each is then locked on its own, so replicas split the work). */
  async due(db: Queryable, now: Date, limit = 20): Promise<string[]> {
    return (await db.query<{ id: string }>(
      `SELECT id FROM dr_calendar WHERE status = 'scheduled' AND window_start <= $1 ORDER BY window_start LIMIT $2`, [now.toISOString(), limit])).map((r) => r.id);
  },

  /** Scheduled windows whose capacity is not held yet and that end within the quota service's longest hold. */
  async unheld(db: Queryable, horizon: Date, limit = 20): Promise<string[]> {
    return (await db.query<{ id: string }>(
      `SELECT id FROM dr_calendar WHERE status = 'scheduled' AND reservation_id IS NULL AND window_end <= $1 ORDER BY window_start LIMIT $2`,
      [horizon.toISOString(), limit])).map((r) => r.id);
  },

  /** Locks one window for a change; undefined when another replica holds it. */
  async lock(db: Queryable, id: string): Promise<WindowRow | undefined> {
    const [locked] = await db.query<{ id: string }>('SELECT id FROM dr_calendar WHERE id = $1 FOR UPDATE SKIP LOCKED', [id]);
    return locked ? this.byId(db, id) : undefined;
  },

  /** Keeps why a scheduled window could not be handled yet. */
  async noteReason(db: Queryable, id: string, reason: string): Promise<void> {
    await db.query(`UPDATE dr_calendar SET reason = $2 WHERE id = $1 AND status = 'scheduled'`, [id, reason.slice(0, 500)]);
  },

  async update(db: Queryable, id: string, change: { status?: WindowStatus; runId?: string; reason?: string; reservationId?: string | null }): Promise<void> {
    await db.query(
      `UPDATE dr_calendar SET status = coalesce($2, status), run_id = coalesce($3, run_id), reason = coalesce($4, reason),
         reservation_id = CASE WHEN $5::boolean THEN $6::uuid ELSE reservation_id END WHERE id = $1`,
      [id, change.status ?? null, change.runId ?? null, change.reason ?? null, change.reservationId !== undefined, change.reservationId ?? null],
    );
  },

  /** Groups (in scope) with a window scheduled or started from `from` on. */
  async groupsWithUpcoming(db: Queryable, scope: Scope, from: Date): Promise<Set<string>> {
    const params: unknown[] = [from.toISOString()];
    const rows = await db.query<{ groupId: string }>(
      `SELECT DISTINCT group_id AS "groupId" FROM dr_calendar c WHERE c.status IN ('scheduled', 'started') AND c.window_end >= $1 AND ${allOf(scopeFilter(scope, params, 'c.department_id'))}`, params);
    return new Set(rows.map((r) => r.groupId));
  },
};
