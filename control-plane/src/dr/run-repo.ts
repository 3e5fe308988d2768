/** SQL of DR operations (runs): the run row, per-system evidence, confirmations and the cleanup ledger. */
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Scope } from '../auth/scope.ts';
import { ConflictError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';
import type { OperationKind } from './domain/approvals.ts';
import { emptyTimeline, mark, type Phase, type SystemTimeline } from './domain/rto.ts';

export type RunStatus = 'awaiting-approval' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'needs-attention';

export interface RunRow {
  readonly id: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly departmentId: string;
  readonly kind: OperationKind;
  readonly planId: string | null;
  readonly planVersion: number | null;
  readonly planDigest: string | null;
  readonly sourceCentre: string;
  readonly targetCentre: string;
  readonly workflowId: string | null;
  readonly status: RunStatus;
  readonly operatorId: string | null;
  readonly operator: string;
  readonly approverId: string | null;
  readonly approver: string | null;
  readonly scenario: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly reportDigest: string | null;
}

const COLUMNS = `r.id, r.group_id AS "groupId", g.name AS "groupName", r.department_id AS "departmentId", r.kind, r.plan_id AS "planId", r.plan_version AS "planVersion",
  r.plan_digest AS "planDigest", r.source_centre AS "sourceCentre", r.target_centre AS "targetCentre", r.workflow_id AS "workflowId", r.status,
  r.operator_id AS "operatorId", r.operator, r.approver_id AS "approverId", r.approver, r.scenario, r.started_at AS "startedAt", r.finished_at AS "finishedAt",
  r.report_digest AS "reportDigest"`;

type Raw = Omit<RunRow, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null };
const RUN_ORDER = keysetOrder('desc', ['r.started_at', 'timestamptz'], ['r.id', 'uuid']);
const view = (r: Raw): RunRow => ({ ...r, startedAt: new Date(r.startedAt).toISOString(), finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null });

export const runRepo = {
  async list(db: Queryable, scope: Scope, opts: { groupId?: string; ids?: readonly string[]; open?: boolean; limit?: number } = {}): Promise<RunRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    // The department filter of the caller's scope (the shared store/ scope helper replaces this once it lands).
    const scoped = scopeFilter(scope, params, 'r.department_id');
    if (scoped) where.push(scoped);
    if (opts.groupId) where.push(`r.group_id = $${params.push(opts.groupId)}`);
    if (opts.ids) where.push(`r.id = ANY($${params.push(opts.ids)}::uuid[])`);
    if (opts.open) where.push('r.finished_at IS NULL');
    const rows = await db.query<Raw>(
      `SELECT ${COLUMNS} FROM dr_runs r JOIN dr_protection_groups g ON g.id = r.group_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY r.started_at DESC LIMIT $${params.push(opts.limit ?? 200)}`, params);
    return rows.map(view);
  },

  /** A page of runs, newest first, within the caller's scope (optionally of one group); store/keyset.ts over migration 0257's indexes. */
  async page(db: Queryable, scope: Scope, f: { groupId?: string }, page: PageRequest): Promise<Page<RunRow>> {
    const params: unknown[] = [];
    const scoped = scopeFilter(scope, params, 'r.department_id');
    const group = f.groupId ? `r.group_id = $${params.push(f.groupId)}` : null;
    const k = keyset(RUN_ORDER, page, params);
    const rows = await db.query<Raw>(
      `SELECT ${COLUMNS}${k.select} FROM dr_runs r JOIN dr_protection_groups g ON g.id = r.group_id
        WHERE ${allOf(scoped, group, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params);
    const p = k.page(rows);
    return { items: p.items.map(view), nextCursor: p.nextCursor };
  },

  async byId(db: Queryable, id: string): Promise<RunRow | undefined> {
    return (await this.list(db, { departmentIds: null }, { ids: [id] }))[0];
  },

  /**
   * Inserts a run; the partial unique index allows one unfinished run per group, also across control planes
   * starting one at the same moment. The second is refused naming the first.
   */
  async insert(db: Queryable, r: { id: string; groupId: string; departmentId: string; kind: OperationKind; planId: string | null; planVersion: number | null; planDigest: string | null; sourceCentre: string; targetCentre: string; status: RunStatus; operatorId: string; operator: string; scenario: string }): Promise<void> {
    const inserted = await db.query(
      `INSERT INTO dr_runs (id, group_id, department_id, kind, plan_id, plan_version, plan_digest, source_centre, target_centre, status, operator_id, operator, scenario)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (group_id) WHERE finished_at IS NULL DO NOTHING RETURNING id`,
      [r.id, r.groupId, r.departmentId, r.kind, r.planId, r.planVersion, r.planDigest, r.sourceCentre, r.targetCentre, r.status, r.operatorId, r.operator, r.scenario],
    );
    if (inserted.length === 0) {
      const [first] = await db.query<{ id: string; kind: string; operator: string }>('SELECT id, kind, operator FROM dr_runs WHERE group_id = $1 AND finished_at IS NULL', [r.groupId]);
      throw new ConflictError(first ? `the group already has a ${first.kind} running (${first.id}, started by ${first.operator}): one operation at a time` : 'the group already has an operation running');
    }
  },

  async setWorkflow(db: Queryable, id: string, workflowId: string, approver: { id: string; name: string } | null): Promise<void> {
    await db.query(`UPDATE dr_runs SET workflow_id = $2, status = 'running', approver_id = $3, approver = $4 WHERE id = $1`, [id, workflowId, approver?.id ?? null, approver?.name ?? null]);
  },

  async finish(db: Queryable, id: string, status: RunStatus, report: unknown, digest: string | null): Promise<boolean> {
    const rows = await db.query(`UPDATE dr_runs SET status = $2, finished_at = now(), report = $3, report_digest = $4 WHERE id = $1 AND finished_at IS NULL RETURNING id`,
      [id, status, report === null ? null : JSON.stringify(report), digest]);
    return rows.length > 0;
  },

  async report(db: Queryable, id: string): Promise<unknown> {
    const [row] = await db.query<{ report: unknown }>('SELECT report FROM dr_runs WHERE id = $1', [id]);
    return row?.report ?? null;
  },

  /** Runs whose workflow has ended but that are not closed yet (the sweeper closes them, also after a crash). */
  async endedUnclosed(db: Queryable): Promise<{ id: string; workflowStatus: string }[]> {
    return db.query(`SELECT r.id, w.status AS "workflowStatus" FROM dr_runs r JOIN workflows w ON w.id = r.workflow_id
      WHERE r.finished_at IS NULL AND w.status IN ('succeeded', 'failed', 'cancelled', 'needs-attention')`);
  },

  // ---------------------------------------------------------------- per system

  async insertSystems(db: Queryable, runId: string, systemIds: readonly string[]): Promise<void> {
    await db.query(`INSERT INTO dr_run_systems (run_id, system_id, timeline) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`, [runId, systemIds, JSON.stringify(emptyTimeline())]);
  },

  /** Marks a phase edge for systems of a run, monotonic per system (row-locked read-modify-write). */
  async mark(db: Queryable, runId: string, systemIds: readonly string[], phase: Phase | 'cutover', edge: 'start' | 'end', atMs = Date.now()): Promise<void> {
    const rows = await db.query<{ systemId: string; timeline: SystemTimeline }>(
      `SELECT system_id AS "systemId", timeline FROM dr_run_systems WHERE run_id = $1 AND system_id = ANY($2::uuid[]) ORDER BY system_id FOR UPDATE`, [runId, systemIds]);
    for (const r of rows) {
      const next = mark(r.timeline, phase, edge, atMs);
      if (next !== r.timeline) await db.query('UPDATE dr_run_systems SET timeline = $3 WHERE run_id = $1 AND system_id = $2', [runId, r.systemId, JSON.stringify(next)]);
    }
  },

  async setLag(db: Queryable, runId: string, systemId: string, lag: number): Promise<void> {
    await db.query('UPDATE dr_run_systems SET lag_at_cut = COALESCE(lag_at_cut, $3) WHERE run_id = $1 AND system_id = $2', [runId, systemId, lag]);
  },

  async setVerified(db: Queryable, runId: string, systemId: string, verified: boolean): Promise<void> {
    // A failed verification stays failed: a later pass of another probe does not clear it.
    await db.query('UPDATE dr_run_systems SET business_verified = CASE WHEN business_verified = false THEN false ELSE $3 END WHERE run_id = $1 AND system_id = $2', [runId, systemId, verified]);
  },

  async systems(db: Queryable, runId: string): Promise<{ systemId: string; timeline: SystemTimeline; lagAtCut: number | null; businessVerified: boolean | null }[]> {
    return db.query(`SELECT system_id AS "systemId", timeline, lag_at_cut AS "lagAtCut", business_verified AS "businessVerified" FROM dr_run_systems WHERE run_id = $1 ORDER BY system_id`, [runId]);
  },

  /**
   * The system each of a run's workflow steps acts on, with its name: the console labels `verify:<i>`,
   * `sandbox:<i>`, `step:reprotect-<i>` … by system, and the index is only a position in the group at start
   * (membership may have changed since), so the step's own parameters say which system it is.
   */
  async stepSystems(db: Queryable, workflowId: string): Promise<Map<string, { systemId: string; systemName: string }>> {
    const rows = await db.query<{ key: string; systemId: string; systemName: string }>(
      `SELECT w.key, s.id AS "systemId", s.name AS "systemName"
       FROM workflow_steps w JOIN business_systems s ON s.id::text = COALESCE(w.params->>'systemId', w.params->'step'->>'systemId')
       WHERE w.workflow_id = $1`, [workflowId]);
    return new Map(rows.map((r) => [r.key, { systemId: r.systemId, systemName: r.systemName }]));
  },

  // ---------------------------------------------------------------- confirmations

  async confirmations(db: Queryable, runId: string, stepKey?: string): Promise<{ stepKey: string; userId: string; username: string; at: string }[]> {
    const rows = await db.query<{ stepKey: string; userId: string; username: string; at: Date }>(
      `SELECT step_key AS "stepKey", user_id AS "userId", username, at FROM dr_confirmations WHERE run_id = $1 AND ($2::text IS NULL OR step_key = $2) ORDER BY at`, [runId, stepKey ?? null]);
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  },

  async addConfirmation(db: Queryable, runId: string, stepKey: string, c: { userId: string; username: string }): Promise<void> {
    await db.query('INSERT INTO dr_confirmations (run_id, step_key, user_id, username) VALUES ($1, $2, $3, $4)', [runId, stepKey, c.userId, c.username]);
  },

  // ---------------------------------------------------------------- cleanup ledger

  /** Recorded before the call that creates the sandbox: a crash between the two leaves a ledger row, never an unknown object. */
  async recordObject(db: Queryable, o: { runId: string; cloudId: string; sandbox: string; zone: string; systemId: string; ttlSeconds: number }): Promise<void> {
    await db.query(
      `INSERT INTO dr_ledger (run_id, cloud_id, sandbox, zone, system_id, expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) ON CONFLICT DO NOTHING`,
      [o.runId, o.cloudId, o.sandbox, o.zone, o.systemId, o.ttlSeconds],
    );
  },

  async markRemoved(db: Queryable, cloudId: string, sandbox: string, by: string): Promise<void> {
    await db.query('UPDATE dr_ledger SET removed_at = COALESCE(removed_at, now()), removed_by = COALESCE(removed_by, $3) WHERE cloud_id = $1 AND sandbox = $2', [cloudId, sandbox, by]);
  },

  async ledger(db: Queryable, runId: string): Promise<{ cloudId: string; sandbox: string; zone: string; systemId: string; removedAt: string | null; removedBy: string | null }[]> {
    const rows = await db.query<{ cloudId: string; sandbox: string; zone: string; systemId: string; removedAt: Date | null; removedBy: string | null }>(
      `SELECT cloud_id AS "cloudId", sandbox, zone, system_id AS "systemId", removed_at AS "removedAt", removed_by AS "removedBy" FROM dr_ledger WHERE run_id = $1 ORDER BY sandbox`, [runId]);
    return rows.map((r) => ({ ...r, removedAt: r.removedAt ? new Date(r.removedAt).toISOString() : null }));
  },

  /** Ledger rows not removed whose run has ended or whose TTL has passed: what the sweeper removes. */
  async sweepable(db: Queryable): Promise<{ runId: string; cloudId: string; sandbox: string }[]> {
    return db.query(`SELECT l.run_id AS "runId", l.cloud_id AS "cloudId", l.sandbox FROM dr_ledger l JOIN dr_runs r ON r.id = l.run_id
      WHERE l.removed_at IS NULL AND (r.finished_at IS NOT NULL OR l.expires_at < now())`);
  },

  /** Whether an operation is running on a group now, and whether any ever ran (its reports refer to the group). */
  async activityOf(db: Queryable, groupId: string): Promise<{ active: { id: string; kind: string } | undefined; ran: boolean }> {
    const [active] = await db.query<{ id: string; kind: string }>('SELECT id, kind FROM dr_runs WHERE group_id = $1 AND finished_at IS NULL', [groupId]);
    const [ran] = await db.query('SELECT 1 FROM dr_runs WHERE group_id = $1 LIMIT 1', [groupId]);
    return { active, ran: ran !== undefined };
  },

  /** A step of the run's workflow: its parameters (a manual step's description) and status. */
  async workflowStep<P>(db: Queryable, workflowId: string, stepKey: string): Promise<{ params: P; status: string } | undefined> {
    const [step] = await db.query<{ params: P; status: string }>('SELECT params, status FROM workflow_steps WHERE workflow_id = $1 AND key = $2', [workflowId, stepKey]);
    return step;
  },
};
