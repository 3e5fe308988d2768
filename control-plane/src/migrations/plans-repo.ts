import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Scope } from '../auth/scope.ts';
import type { Queryable } from '../store/store.ts';
import type { CapacityPool } from './plan-model.ts';

/** SQL of plans, their versions (the stored schedules), waves and the systems in each wave (0060_migrations.sql). */

export interface PlanRow {
  id: string;
  name: string;
  firstWeek: string;
  weeks: number;
  operatorHours: number[];
  cancelled: number[];
  pools: CapacityPool[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type VersionStatus = 'solving' | 'solved' | 'infeasible' | 'failed' | 'approved' | 'superseded';
export interface VersionRow {
  id: string;
  planId: string;
  version: number;
  whatIf: boolean;
  status: VersionStatus;
  workflowId: string | null;
  input: unknown;
  changes: unknown;
  progress: unknown;
  result: unknown;
  error: string | null;
  createdBy: string | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  createdAt: Date;
}

export type WaveStatus = 'planned' | 'prechecked' | 'running' | 'verified' | 'rolled-back' | 'failed' | 'superseded';
export interface WaveRow {
  id: string;
  planId: string;
  versionId: string;
  windowIndex: number;
  weekStart: string;
  status: WaveStatus;
  prechecks: unknown;
  workflowId: string | null;
  updatedAt: Date;
}
export interface WaveSystemRow {
  waveId: string;
  candidateId: string;
  departmentId: string;
  systemName: string;
  placement: unknown;
  confirmation: 'pending' | 'confirmed' | 'move-requested';
  note: string | null;
}

const PLAN_COLUMNS = `id, name, to_char(first_week, 'YYYY-MM-DD') AS "firstWeek", weeks, operator_hours AS "operatorHours", cancelled, pools,
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;
const VERSION_COLUMNS = `id, plan_id AS "planId", version, what_if AS "whatIf", status, workflow_id AS "workflowId", input, changes, progress, result, error,
  created_by AS "createdBy", approved_by AS "approvedBy", approved_at AS "approvedAt", created_at AS "createdAt"`;
/** Versions listed without their (large) input. */
const VERSION_SUMMARY = VERSION_COLUMNS.replace('input, ', `'null'::jsonb AS input, `);
const WAVE_COLUMNS = `w.id, w.plan_id AS "planId", w.version_id AS "versionId", w.window_index AS "windowIndex", to_char(w.week_start, 'YYYY-MM-DD') AS "weekStart",
  w.status, w.prechecks, w.workflow_id AS "workflowId", w.updated_at AS "updatedAt"`;

/** migrations.plans.list's order: the newest plan first, the id breaking ties (index of migration 0251). */
const PLAN_ORDER = keysetOrder('desc', ['p.created_at', 'timestamptz'], ['p.id', 'uuid']);

export const plansRepo = {
  /**
   * migrations.plans.list: a page, newest plan first, through store/keyset.ts. Province-wide callers see every
   * plan; a department sees the plans that hold one of its systems' candidates (an EXISTS over the plan's
   * members, on their primary key), so a page walks plans in index order and stops once it has `limit` of them.
   */
  async page(db: Queryable, scope: Scope, page: PageRequest): Promise<Page<PlanRow>> {
    const params: unknown[] = [];
    const own = scopeFilter(scope, params, 'c.department_id');
    const visible = own === null ? null
      : `EXISTS (SELECT 1 FROM migration_plan_members m JOIN migration_candidates c ON c.id = m.candidate_id WHERE m.plan_id = p.id AND ${own})`;
    const k = keyset(PLAN_ORDER, page, params);
    return k.page(await db.query<PlanRow>(
      `SELECT ${PLAN_COLUMNS}${k.select} FROM migration_plans p WHERE ${allOf(visible, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    ));
  },

  async byId(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<PlanRow | undefined> {
    return (await db.query<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM migration_plans WHERE id = $1 ${opts.forUpdate ? 'FOR UPDATE' : ''}`, [id]))[0];
  },

  async nameTaken(db: Queryable, name: string, exceptId?: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM migration_plans WHERE name = $1 AND id <> $2', [name, exceptId ?? '00000000-0000-0000-0000-000000000000'])).length > 0;
  },

  async insert(db: Queryable, p: Omit<PlanRow, 'createdAt' | 'updatedAt' | 'cancelled'>): Promise<void> {
    await db.query(
      'INSERT INTO migration_plans (id, name, first_week, weeks, operator_hours, pools, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [p.id, p.name, p.firstWeek, p.weeks, p.operatorHours, JSON.stringify(p.pools), p.createdBy],
    );
  },

  async updateCapacity(db: Queryable, id: string, c: { operatorHours: number[]; pools: CapacityPool[]; cancelled: number[] }): Promise<void> {
    await db.query('UPDATE migration_plans SET operator_hours = $2, pools = $3, cancelled = $4, updated_at = now() WHERE id = $1', [id, c.operatorHours, JSON.stringify(c.pools), c.cancelled]);
  },

  async members(db: Queryable, planId: string): Promise<string[]> {
    return (await db.query<{ id: string }>('SELECT candidate_id AS id FROM migration_plan_members WHERE plan_id = $1', [planId])).map((r) => r.id);
  },

  /** Plans (other than `planId`) that already hold any of the candidates. */
  async otherPlansOf(db: Queryable, planId: string, candidateIds: string[]): Promise<{ candidateId: string; planName: string }[]> {
    return db.query(
      `SELECT m.candidate_id AS "candidateId", p.name AS "planName" FROM migration_plan_members m JOIN migration_plans p ON p.id = m.plan_id
       WHERE m.candidate_id = ANY($1::uuid[]) AND m.plan_id <> $2`, [candidateIds, planId]);
  },

  async addMembers(db: Queryable, planId: string, candidateIds: string[]): Promise<void> {
    await db.query('INSERT INTO migration_plan_members (plan_id, candidate_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [planId, candidateIds]);
  },

  async removeMembers(db: Queryable, planId: string, candidateIds: string[]): Promise<void> {
    await db.query('DELETE FROM migration_plan_members WHERE plan_id = $1 AND candidate_id = ANY($2::uuid[])', [planId, candidateIds]);
  },

  // ---------------------------------------------------------------- versions

  async versions(db: Queryable, planId: string): Promise<VersionRow[]> {
    return db.query<VersionRow>(`SELECT ${VERSION_SUMMARY} FROM migration_plan_versions WHERE plan_id = $1 ORDER BY version DESC`, [planId]);
  },

  async version(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<VersionRow | undefined> {
    return (await db.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM migration_plan_versions WHERE id = $1 ${opts.forUpdate ? 'FOR UPDATE' : ''}`, [id]))[0];
  },

  async insertVersion(db: Queryable, v: { id: string; planId: string; whatIf: boolean; input: unknown; changes: unknown; createdBy: string | null }): Promise<number> {
    // The plan row is locked by the caller: version numbers are taken one at a time.
    const [row] = await db.query<{ n: number }>('SELECT coalesce(max(version), 0)::int + 1 AS n FROM migration_plan_versions WHERE plan_id = $1', [v.planId]);
    await db.query(
      `INSERT INTO migration_plan_versions (id, plan_id, version, what_if, status, input, changes, created_by) VALUES ($1, $2, $3, $4, 'solving', $5, $6, $7)`,
      [v.id, v.planId, row!.n, v.whatIf, JSON.stringify(v.input), v.changes === null ? null : JSON.stringify(v.changes), v.createdBy],
    );
    return row!.n;
  },

  async setVersionWorkflow(db: Queryable, id: string, workflowId: string): Promise<void> {
    await db.query('UPDATE migration_plan_versions SET workflow_id = $2 WHERE id = $1', [id, workflowId]);
  },

  async setProgress(db: Queryable, id: string, progress: unknown): Promise<void> {
    await db.query(`UPDATE migration_plan_versions SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'solving'`, [id, JSON.stringify(progress)]);
  },

  async finishVersion(db: Queryable, id: string, f: { status: 'solved' | 'infeasible' | 'failed'; result: unknown; error: string | null }): Promise<boolean> {
    const rows = await db.query(
      `UPDATE migration_plan_versions SET status = $2, result = $3, error = $4, updated_at = now() WHERE id = $1 AND status = 'solving' RETURNING id`,
      [id, f.status, f.result === null ? null : JSON.stringify(f.result), f.error],
    );
    return rows.length > 0;
  },

  async approveVersion(db: Queryable, id: string, by: string): Promise<void> {
    await db.query(`UPDATE migration_plan_versions SET status = 'approved', approved_by = $2, approved_at = now(), updated_at = now() WHERE id = $1`, [id, by]);
  },

  async supersedeApproved(db: Queryable, planId: string, exceptId: string): Promise<void> {
    await db.query(`UPDATE migration_plan_versions SET status = 'superseded', updated_at = now() WHERE plan_id = $1 AND status = 'approved' AND id <> $2`, [planId, exceptId]);
  },

  async approved(db: Queryable, planId: string): Promise<VersionRow | undefined> {
    return (await db.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM migration_plan_versions WHERE plan_id = $1 AND status = 'approved'`, [planId]))[0];
  },

  // ---------------------------------------------------------------- waves

  /**
   * Waves of a plan (all versions, by window, newest first within one) that hold at least one system in the
   * caller's scope; index migration_waves_plan_idx (0254) reads one plan's waves in that order.
   */
  async waves(db: Queryable, scope: Scope, filter: { planId?: string; ids?: string[]; statuses?: WaveStatus[]; exceptStatuses?: WaveStatus[] }): Promise<WaveRow[]> {
    const params: unknown[] = [];
    const scoped = scopeFilter(scope, params, 'ws.department_id');
    const where = `WHERE ${allOf(
      filter.planId ? `w.plan_id = $${params.push(filter.planId)}` : null,
      filter.ids ? `w.id = ANY($${params.push(filter.ids)}::uuid[])` : null,
      filter.statuses ? `w.status = ANY($${params.push(filter.statuses)}::text[])` : null,
      filter.exceptStatuses ? `w.status <> ALL($${params.push(filter.exceptStatuses)}::text[])` : null,
      scoped ? `EXISTS (SELECT 1 FROM migration_wave_systems ws WHERE ws.wave_id = w.id AND ${scoped})` : null,
    )}`;
    return db.query<WaveRow>(`SELECT ${WAVE_COLUMNS} FROM migration_waves w ${where} ORDER BY w.window_index, w.created_at DESC`, params);
  },

  async wave(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<WaveRow | undefined> {
    return (await db.query<WaveRow>(`SELECT ${WAVE_COLUMNS} FROM migration_waves w WHERE w.id = $1 ${opts.forUpdate ? 'FOR UPDATE' : ''}`, [id]))[0];
  },

  async insertWave(db: Queryable, w: { id: string; planId: string; versionId: string; windowIndex: number; weekStart: string }): Promise<void> {
    await db.query(`INSERT INTO migration_waves (id, plan_id, version_id, window_index, week_start, status) VALUES ($1, $2, $3, $4, $5, 'planned')`,
      [w.id, w.planId, w.versionId, w.windowIndex, w.weekStart]);
  },

  async insertWaveSystems(db: Queryable, rows: { waveId: string; candidateId: string; departmentId: string; placement: unknown }[]): Promise<void> {
    if (!rows.length) return;
    await db.query(
      `INSERT INTO migration_wave_systems (wave_id, candidate_id, department_id, placement)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::jsonb[])`,
      [rows.map((r) => r.waveId), rows.map((r) => r.candidateId), rows.map((r) => r.departmentId), rows.map((r) => JSON.stringify(r.placement))],
    );
  },

  /** Moves a wave from one of `from` to `to`; false when it was not in one of them (someone else moved it first). */
  async setWaveStatus(db: Queryable, id: string, to: WaveStatus, from: WaveStatus[], extra: { prechecks?: unknown; workflowId?: string } = {}): Promise<boolean> {
    const rows = await db.query(
      `UPDATE migration_waves SET status = $2, prechecks = coalesce($4, prechecks), workflow_id = coalesce($5, workflow_id), updated_at = now()
       WHERE id = $1 AND status = ANY($3::text[]) RETURNING id`,
      [id, to, from, extra.prechecks === undefined ? null : JSON.stringify(extra.prechecks), extra.workflowId ?? null],
    );
    return rows.length > 0;
  },

  async supersedePlannedWaves(db: Queryable, planId: string): Promise<void> {
    await db.query(`UPDATE migration_waves SET status = 'superseded', updated_at = now() WHERE plan_id = $1 AND status = 'planned'`, [planId]);
  },

  async waveSystems(db: Queryable, scope: Scope, waveIds: string[]): Promise<WaveSystemRow[]> {
    const params: unknown[] = [waveIds];
    const where = `WHERE ${allOf('ws.wave_id = ANY($1::uuid[])', scopeFilter(scope, params, 'ws.department_id'))}`;
    return db.query<WaveSystemRow>(
      `SELECT ws.wave_id AS "waveId", ws.candidate_id AS "candidateId", ws.department_id AS "departmentId", s.name AS "systemName", ws.placement,
         ws.confirmation, ws.note
       FROM migration_wave_systems ws JOIN migration_candidates c ON c.id = ws.candidate_id JOIN business_systems s ON s.id = c.system_id
       ${where} ORDER BY s.name`,
      params,
    );
  },

  /**
   * Every wave that held the candidate, newest week first, with its plan's name and version number and the
   * department's answer: the system's migration history (a superseded wave stays, as a re-plan left it).
   */
  async candidateWaves(db: Queryable, candidateId: string): Promise<(WaveRow & { planName: string; version: number; confirmation: string; note: string | null })[]> {
    return db.query(
      `SELECT ${WAVE_COLUMNS}, p.name AS "planName", v.version, ws.confirmation, ws.note
       FROM migration_wave_systems ws JOIN migration_waves w ON w.id = ws.wave_id
         JOIN migration_plans p ON p.id = w.plan_id JOIN migration_plan_versions v ON v.id = w.version_id
       WHERE ws.candidate_id = $1 ORDER BY w.week_start DESC, w.created_at DESC`,
      [candidateId],
    );
  },

  async setConfirmation(db: Queryable, waveId: string, candidateId: string, confirmation: 'confirmed' | 'move-requested', note: string | null): Promise<void> {
    await db.query('UPDATE migration_wave_systems SET confirmation = $3, note = $4 WHERE wave_id = $1 AND candidate_id = $2', [waveId, candidateId, confirmation, note]);
  },

  /** Window index of each candidate in a wave under way (prechecked or running) of the plan: a re-plan keeps them there. */
  async underWay(db: Queryable, planId: string): Promise<Map<string, number>> {
    const rows = await db.query<{ candidateId: string; windowIndex: number }>(
      `SELECT ws.candidate_id AS "candidateId", w.window_index AS "windowIndex" FROM migration_waves w JOIN migration_wave_systems ws ON ws.wave_id = w.id
       WHERE w.plan_id = $1 AND w.status IN ('prechecked', 'running', 'verified')`, [planId]);
    return new Map(rows.map((r) => [r.candidateId, r.windowIndex]));
  },
};
