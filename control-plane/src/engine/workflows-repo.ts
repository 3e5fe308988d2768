import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

import type { ClaimedStep, StepStatus, StepView, WorkflowEvent, WorkflowStatus, WorkflowView } from './workflow-types.ts';

/**
 * The channel every replica's runner LISTENs on (lifecycle/db-session.ts; PGlite: Store.listen). A NOTIFY is
 * delivered at commit, so a runner woken by it sees the work. The payload is empty: a runner only needs to claim.
 */
export const WORKFLOW_CHANNEL = 'ganyun_workflows';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

// Done steps are counted when read, not kept in a counter: a counter row would serialise every step of a workflow.
const WF_COLUMNS = `id, kind, title, status, input, department_id AS "departmentId", created_by AS "createdBy", error,
  steps_total AS "stepsTotal",
  (SELECT count(*)::int FROM workflow_steps s WHERE s.workflow_id = workflows.id AND s.status IN ('succeeded', 'skipped')) AS "stepsDone",
  created_at AS "createdAt", updated_at AS "updatedAt", finished_at AS "finishedAt"`;

const WORKFLOW_ORDER = keysetOrder('desc', ['created_at', 'timestamptz'], ['id', 'uuid']);

type WfRow = Omit<WorkflowView, 'createdAt' | 'updatedAt' | 'finishedAt'> & { createdAt: Date; updatedAt: Date; finishedAt: Date | null };
const toWorkflow = (r: WfRow): WorkflowView => ({ ...r, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)!, finishedAt: iso(r.finishedAt) });

/*
 * The three kinds of claimable step (see claim). Each selects (workflow_id, key, from_status) of at most
 * $2 steps, locked with SKIP LOCKED, starting from an index that holds only current work, not the history
 * of finished workflows.
 */

/** Steps whose runner died: taken over while the workflow is live (the work was started and must finish or unwind). */
const EXPIRED_LEASES = `
  SELECT s.workflow_id, s.key, s.status AS from_status
  FROM workflow_steps s JOIN workflows w ON w.id = s.workflow_id
  WHERE s.status IN ('running', 'compensating') AND s.lease_until < now()
    AND w.status IN ('running', 'paused', 'compensating', 'cancelling')
  ORDER BY s.lease_until
  LIMIT $2
  FOR UPDATE OF s SKIP LOCKED`;

/**
 * Succeeded steps of unwinding workflows whose dependents are all undone (or never ran), so that undoing
 * runs in reverse dependency order. The search starts from the unwinding workflows (succeeded steps of
 * finished workflows stay in the table forever) and reads each one's steps newest-finished first: a
 * dependent always finishes after its dependencies, so the steps read first are the ones to undo next and
 * the scan stops after a few rows instead of checking every succeeded step of a large plan on every claim.
 * The dependents check is a primary-key lookup per dependent, written as a scalar subquery so that the
 * planner cannot turn it into a scan of the whole plan (it did, as a join, while the table had no statistics).
 */
const TO_UNDO = `
  SELECT c.* FROM workflows w CROSS JOIN LATERAL (
    SELECT s.workflow_id, s.key, s.status AS from_status
    FROM workflow_steps s
    WHERE s.workflow_id = w.id AND s.status IN ('succeeded', 'unknown') AND s.compensable AND s.not_before <= now()
      AND NOT EXISTS (SELECT 1 FROM unnest(s.dependents) AS dep(key)
                      WHERE (SELECT d.status IN ('running', 'compensating') OR (d.status IN ('succeeded', 'unknown') AND d.compensable)
                             FROM workflow_steps d WHERE d.workflow_id = s.workflow_id AND d.key = dep.key))
    ORDER BY s.finished_at DESC
    LIMIT $2
    FOR UPDATE OF s SKIP LOCKED
  ) c
  WHERE w.status IN ('compensating', 'cancelling')`;

/** Pending steps with every dependency done (workflow_steps_ready_idx holds exactly those), of running workflows. */
const READY = `
  SELECT s.workflow_id, s.key, s.status AS from_status
  FROM workflow_steps s JOIN workflows w ON w.id = s.workflow_id
  WHERE s.status = 'pending' AND s.deps_remaining = 0 AND s.not_before <= now() AND w.status = 'running'
  ORDER BY s.not_before
  LIMIT $2
  FOR UPDATE OF s SKIP LOCKED`;

type FinishedStep = { workflowId: string; key: string; owner: string; from: 'running' | 'compensating'; to: StepStatus; event: { kind: string; data: unknown }; output?: unknown; error?: string | null; retryAfterMs?: number; refundAttempt?: boolean; attention?: string | null };

/** A step's end, written only while its owner still holds the lease, with its event (finishStep, finishStepAndLock). */
const FINISH_STEP = `finished AS (
    UPDATE workflow_steps SET status = $5, undo_attempts = undo_attempts - CASE WHEN $11::boolean THEN 1 ELSE 0 END, undo_refusals = undo_refusals + CASE WHEN $11::boolean THEN 1 ELSE 0 END, output = CASE WHEN $6::boolean THEN $7::jsonb ELSE output END, error = $8,
      outcome_unknown = outcome_unknown OR $5 = 'unknown', attention = COALESCE($10, attention),
      lease_owner = NULL, lease_until = NULL,
      not_before = now() + make_interval(secs => $9::double precision / 1000),
      finished_at = CASE WHEN $5 = 'pending' THEN NULL ELSE now() END
    WHERE workflow_id = $1 AND key = $2 AND lease_owner = $3 AND status = $4 RETURNING workflow_id, key),
  event AS (INSERT INTO workflow_events (workflow_id, kind, step_key, data) SELECT workflow_id, $12, key, $13::jsonb FROM finished)`;

const finishParams = (s: FinishedStep) => [s.workflowId, s.key, s.owner, s.from, s.to, s.output !== undefined, JSON.stringify(s.output ?? null), s.error ?? null, s.retryAfterMs ?? 0, s.attention ?? null,
  s.refundAttempt === true, s.event.kind, JSON.stringify(s.event.data ?? null)];

export const workflowsRepo = {
  /**
   * Locks the workflow's row (FOR NO KEY UPDATE: event inserts hold KEY SHARE on it through their foreign
   * key, and FOR UPDATE would deadlock two finishers that each inserted an event) and answers its status;
   * undefined when there is no such workflow. Every writer that settles a workflow takes this lock first.
   */
  async lockForSettle(tx: Queryable, id: string): Promise<string | undefined> {
    return (await tx.query<{ status: string }>('SELECT status FROM workflows WHERE id = $1 FOR NO KEY UPDATE', [id]))[0]?.status;
  },

  /**
   * A new workflow, running: its row, all its steps, its workflow.started event and the announcement (NOTIFY, at
   * commit) by one statement (plans have thousands of steps; a one-host request's provisioning took four statements).
   * depends_on and dependents travel as JSON (arrays of arrays do not unnest). Dependents are the reverse edges,
   * computed here once. The steps' foreign key is checked at the end of the statement, when the row exists.
   */
  async create(db: Queryable, w: { id: string; kind: string; title: string; input: unknown; departmentId: string | null; createdBy: string | null },
    steps: { key: string; action: string; params: unknown; dependsOn: string[]; compensable: boolean; undoUnfinished: boolean; maxAttempts: number }[]): Promise<void> {
    const dependents = new Map<string, string[]>(steps.map((s) => [s.key, []]));
    for (const s of steps) for (const d of s.dependsOn) dependents.get(d)?.push(s.key);
    await db.query(
      `WITH wf AS (
         INSERT INTO workflows (id, kind, title, status, input, department_id, created_by, steps_total) VALUES ($1, $2, $3, 'running', $4, $5, $6, $7) RETURNING id),
       steps AS (
         INSERT INTO workflow_steps (workflow_id, key, action, params, depends_on, dependents, deps_remaining, compensable, undo_unfinished, status, max_attempts)
         SELECT $1, s.key, s.action, s.params, ARRAY(SELECT jsonb_array_elements_text(s.depends_on)), ARRAY(SELECT jsonb_array_elements_text(s.dependents)),
                jsonb_array_length(s.depends_on), s.compensable, s.undo_unfinished, 'pending', s.max_attempts
         FROM jsonb_to_recordset($8::jsonb) AS s(key text, action text, params jsonb, depends_on jsonb, dependents jsonb, compensable boolean, undo_unfinished boolean, max_attempts integer)),
       started AS (INSERT INTO workflow_events (workflow_id, kind, step_key, data) SELECT id, 'workflow.started', NULL, $9::jsonb FROM wf)
       SELECT pg_notify('${WORKFLOW_CHANNEL}', '') FROM wf`,
      [w.id, w.kind, w.title, JSON.stringify(w.input), w.departmentId, w.createdBy, steps.length, JSON.stringify(steps.map((s) => ({
        key: s.key, action: s.action, params: s.params ?? null, depends_on: s.dependsOn, dependents: dependents.get(s.key) ?? [],
        compensable: s.compensable, undo_unfinished: s.undoUnfinished, max_attempts: s.maxAttempts,
      }))), JSON.stringify({ steps: steps.length })],
    );
  },

  async byId(db: Queryable, id: string): Promise<WorkflowView | undefined> {
    const [row] = await db.query<WfRow>(`SELECT ${WF_COLUMNS} FROM workflows WHERE id = $1`, [id]);
    return row && toWorkflow(row);
  },

  /**
   * A page newest first by (created_at, id) through store/keyset.ts (the cursor keeps created_at to the
   * microsecond: a millisecond ISO time would repeat or skip rows created within one millisecond). An index
   * serves each filter (migration 0140).
   */
  async list(db: Queryable, opts: { departmentIds: string[] | null; status?: WorkflowStatus; kind?: string }, page: PageRequest): Promise<Page<WorkflowView>> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (opts.departmentIds) where.push(scopeFilter({ departmentIds: opts.departmentIds }, params, 'department_id')!);
    if (opts.status) where.push(`status = $${params.push(opts.status)}`);
    if (opts.kind) where.push(`kind = $${params.push(opts.kind)}`);
    const k = keyset(WORKFLOW_ORDER, page, params);
    const rows = await db.query<WfRow>(`SELECT ${WF_COLUMNS}${k.select} FROM workflows WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params);
    const p = k.page(rows);
    return { items: p.items.map(toWorkflow), nextCursor: p.nextCursor };
  },

  async steps(db: Queryable, workflowId: string): Promise<StepView[]> {
    const rows = await db.query<Omit<StepView, 'startedAt' | 'finishedAt'> & { startedAt: Date | null; finishedAt: Date | null }>(
      `SELECT key, action, depends_on AS "dependsOn", status, attempts, max_attempts AS "maxAttempts", output, error, attention, outcome_unknown AS "outcomeUnknown",
              started_at AS "startedAt", finished_at AS "finishedAt"
       FROM workflow_steps WHERE workflow_id = $1 ORDER BY started_at NULLS LAST, key`,
      [workflowId],
    );
    return rows.map((r) => ({ ...r, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt) }));
  },

  /**
   * Claims up to `limit` steps for `owner`: first steps whose lease expired (their runner died: started
   * work is finished first), then steps to undo of unwinding workflows, then ready steps of running
   * workflows. SKIP LOCKED lets replicas claim side by side without waiting on each other.
   *
   * Each kind has its own locking SELECT, starting from an index that holds only current work, and the
   * UNION ALL under LIMIT reads (and locks) only as many rows as it returns. One SELECT with the three
   * cases joined by OR let the planner scan every succeeded step, and run the "dependents undone"
   * subquery on each, before it looked at the workflow's status: every claim cost O(steps²).
   */
  async claim(db: Queryable, owner: string, limit: number, leaseMs: number): Promise<ClaimedStep[]> {
    // The claimed steps' start events are written by the same statement (step.started / step.compensating), and a
    // step to run gets its dependencies' outputs with it: a step costs no extra round trips before its action runs.
    return db.query<ClaimedStep>(
      `WITH expired AS (${EXPIRED_LEASES}), to_undo AS (${TO_UNDO}), ready AS (${READY}),
       candidates AS (SELECT * FROM expired UNION ALL SELECT * FROM to_undo UNION ALL SELECT * FROM ready LIMIT $2),
       claimed AS (
         UPDATE workflow_steps s SET
           status = CASE WHEN c.from_status IN ('pending', 'running') THEN 'running' ELSE 'compensating' END,
           attempts = CASE WHEN c.from_status IN ('pending', 'running') THEN s.attempts + 1 ELSE s.attempts END,
           undo_attempts = CASE WHEN c.from_status IN ('succeeded', 'unknown', 'compensating') THEN s.undo_attempts + 1 ELSE s.undo_attempts END,
           lease_owner = $1, lease_until = now() + make_interval(secs => $3::double precision / 1000),
           started_at = COALESCE(s.started_at, now())
         FROM candidates c
         WHERE s.workflow_id = c.workflow_id AND s.key = c.key
         RETURNING s.workflow_id AS "workflowId", s.key, s.action, s.params, s.status,
                   CASE WHEN s.status = 'running' THEN s.attempts ELSE s.undo_attempts END AS attempts,
                   s.max_attempts AS "maxAttempts", s.output, c.from_status IN ('running', 'compensating') AS takeover, s.outcome_unknown AS "outcomeUnknown",
                   s.undo_refusals AS "undoRefusals", cardinality(s.dependents) > 0 AS "hasDependents",
                   CASE WHEN s.status = 'running' THEN
                     (SELECT coalesce(jsonb_object_agg(d.key, d.output), '{}'::jsonb) FROM workflow_steps d WHERE d.workflow_id = s.workflow_id AND d.key = ANY(s.depends_on))
                   END AS inputs),
       started AS (
         INSERT INTO workflow_events (workflow_id, kind, step_key, data)
         SELECT "workflowId", CASE WHEN status = 'running' THEN 'step.started' ELSE 'step.compensating' END, key, jsonb_build_object('attempt', attempts, 'owner', $1::text)
         FROM claimed)
       SELECT * FROM claimed`,
      [owner, limit, leaseMs],
    );
  },

  async extendLease(db: Queryable, workflowId: string, key: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await db.query(
      `UPDATE workflow_steps SET lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE workflow_id = $1 AND key = $2 AND lease_owner = $3 AND status IN ('running', 'compensating') RETURNING 1`,
      [workflowId, key, owner, leaseMs],
    );
    return rows.length === 1;
  },

  /**
   * Hands back every lease `owner` holds (a runner shutting down past its grace period): the steps look
   * expired at once, so another runner takes them over now instead of after the lease runs out, and any
   * late result of this owner is refused (it no longer holds the lease).
   */
  async releaseLeases(db: Queryable, owner: string): Promise<{ workflowId: string; key: string }[]> {
    return db.query<{ workflowId: string; key: string }>(
      `UPDATE workflow_steps SET lease_owner = NULL, lease_until = now() - interval '1 millisecond'
       WHERE lease_owner = $1 AND status IN ('running', 'compensating') RETURNING workflow_id AS "workflowId", key`,
      [owner],
    );
  },

  /**
   * A step succeeded: its dependents have one dependency less. Rows are locked in key order, so two
   * steps finishing at once with shared dependents never wait on each other in a cycle (deadlock).
   *
   * With `handTo`, up to `handTo.limit` of the steps this makes ready are claimed for that runner in the same
   * statement, as `claim` would (attempt counted, lease, start event, inputs): the finishing runner runs them next
   * without a claim of its own, one statement (and, on PGlite, one turn on the one connection) less per step. The
   * caller passes it only while the workflow runs (it holds the workflow's lock and read its status). Ready steps
   * not handed over are announced (NOTIFY at commit), so that other runners and replicas share them.
   */
  async releaseDependents(db: Queryable, workflowId: string, key: string, handTo?: { owner: string; limit: number; leaseMs: number }): Promise<ClaimedStep[]> {
    const rows = await db.query<ClaimedStep & { taken: boolean; announce: boolean; announced: unknown }>(
      `WITH d AS (
         SELECT key, deps_remaining = 1 AS unblocked, deps_remaining = 1 AND not_before <= now() AS ready FROM workflow_steps
         WHERE workflow_id = $1 AND key = ANY((SELECT dependents FROM workflow_steps WHERE workflow_id = $1 AND key = $2)::text[])
         ORDER BY key FOR UPDATE),
       picked AS (SELECT key, ready AND row_number() OVER (PARTITION BY ready ORDER BY key) <= $3 AS take, unblocked FROM d),
       released AS (
         UPDATE workflow_steps s SET
           deps_remaining = s.deps_remaining - 1,
           status = CASE WHEN p.take THEN 'running' ELSE s.status END,
           attempts = CASE WHEN p.take THEN s.attempts + 1 ELSE s.attempts END,
           lease_owner = CASE WHEN p.take THEN $4 ELSE s.lease_owner END,
           lease_until = CASE WHEN p.take THEN now() + make_interval(secs => $5::double precision / 1000) ELSE s.lease_until END,
           started_at = CASE WHEN p.take THEN COALESCE(s.started_at, now()) ELSE s.started_at END
         FROM picked p
         WHERE s.workflow_id = $1 AND s.key = p.key
         RETURNING s.workflow_id AS "workflowId", s.key, s.action, s.params, s.status, s.attempts, s.max_attempts AS "maxAttempts", s.output,
                   false AS takeover, s.outcome_unknown AS "outcomeUnknown", s.undo_refusals AS "undoRefusals", cardinality(s.dependents) > 0 AS "hasDependents",
                   CASE WHEN p.take THEN
                     (SELECT coalesce(jsonb_object_agg(x.key, x.output), '{}'::jsonb) FROM workflow_steps x WHERE x.workflow_id = s.workflow_id AND x.key = ANY(s.depends_on))
                   END AS inputs,
                   p.take AS taken, p.unblocked AND NOT p.take AS announce),
       started AS (
         INSERT INTO workflow_events (workflow_id, kind, step_key, data)
         SELECT "workflowId", 'step.started', key, jsonb_build_object('attempt', attempts, 'owner', $4::text) FROM released WHERE taken)
       SELECT r.*, CASE WHEN r.announce THEN pg_notify('${WORKFLOW_CHANNEL}', '') END AS announced FROM released r`,
      [workflowId, key, handTo?.limit ?? 0, handTo?.owner ?? null, handTo?.leaseMs ?? 0],
    );
    return rows.filter((r) => r.taken).map(({ taken: _taken, announce: _announce, announced: _announced, ...step }) => step);
  },

  /** Announces claimable work to every runner, at commit (a workflow started, resumed, cancelled or unwinding; leases handed back). */
  async notifyWork(db: Queryable): Promise<void> {
    await db.query(`SELECT pg_notify('${WORKFLOW_CHANNEL}', '')`);
  },

  /**
   * Moves a step this owner holds to `to`. Returns false when the lease was lost: the result is then
   * dropped, and the runner that took over redoes the step with the same idempotency key.
   */
  async finishStep(db: Queryable, s: FinishedStep): Promise<boolean> {
    const rows = await db.query(`WITH ${FINISH_STEP} SELECT 1 FROM finished`, finishParams(s));
    return rows.length === 1;
  },

  /**
   * finishStep, and then (only when the lease was held) the workflow's lock as lockForSettle takes it, by the same
   * statement: one turn less on PGlite's one connection for every step that records nothing of its own. The step's
   * row is locked first and the workflow's after it, as by the two statements. Undefined when the lease was lost.
   */
  async finishStepAndLock(db: Queryable, s: FinishedStep): Promise<{ status: string | undefined } | undefined> {
    const [row] = await db.query<{ status: string | null }>(
      `WITH ${FINISH_STEP},
       locked AS (SELECT status FROM workflows WHERE id = $1 AND EXISTS (SELECT 1 FROM finished) FOR NO KEY UPDATE)
       SELECT (SELECT status FROM locked) AS status FROM finished`,
      finishParams(s),
    );
    return row && { status: row.status ?? undefined };
  },

  /**
   * The end of a running (or paused) workflow whose every step is done: hasOpenSteps, setStatus('succeeded') and
   * its event (workflow.succeeded) by one statement, for a caller holding the workflow's lock (settle). True when it ended.
   */
  async succeedIfDone(db: Queryable, workflowId: string): Promise<boolean> {
    const rows = await db.query(
      `WITH ended AS (
         UPDATE workflows SET status = 'succeeded', updated_at = now(), finished_at = now()
         WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM workflow_steps WHERE workflow_id = $1 AND status IN ('pending', 'running', 'failed', 'unknown', 'needs-attention'))
         RETURNING id),
       event AS (INSERT INTO workflow_events (workflow_id, kind, step_key, data) SELECT id, 'workflow.succeeded', NULL, 'null'::jsonb FROM ended)
       SELECT 1 FROM ended`,
      [workflowId],
    );
    return rows.length === 1;
  },

  async setStatus(db: Queryable, id: string, to: WorkflowStatus, opts: { from?: WorkflowStatus[]; error?: string | null } = {}): Promise<boolean> {
    const terminal = ['succeeded', 'failed', 'cancelled', 'needs-attention'].includes(to);
    const rows = await db.query(
      `UPDATE workflows SET status = $2, error = COALESCE($3, error), updated_at = now(), finished_at = CASE WHEN $4::boolean THEN now() ELSE finished_at END
       WHERE id = $1 AND ($5::text[] IS NULL OR status = ANY($5::text[])) RETURNING 1`,
      [id, to, opts.error ?? null, terminal, opts.from ?? null],
    );
    return rows.length === 1;
  },

  async hasUndoLeft(db: Queryable, workflowId: string): Promise<boolean> {
    const [row] = await db.query<{ left: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM workflow_steps WHERE workflow_id = $1 AND status IN ('running', 'compensating'))
           OR EXISTS (SELECT 1 FROM (SELECT 1 FROM workflow_steps WHERE workflow_id = $1 AND status IN ('succeeded', 'unknown') AND compensable
                                     ORDER BY finished_at LIMIT 1) AS first_to_undo) AS left`,
      [workflowId],
    );
    return row!.left;
  },

  /** Steps whose undo could not be completed, with the object each may have left behind. */
  async needingAttention(db: Queryable, workflowId: string): Promise<{ key: string; attention: string | null; error: string | null }[]> {
    return db.query(`SELECT key, attention, error FROM workflow_steps WHERE workflow_id = $1 AND status = 'needs-attention' ORDER BY key`, [workflowId]);
  },

  async skipPending(db: Queryable, id: string): Promise<void> {
    // A step waiting for a retry has run: if its action undoes an unfinished run, it may have left effects and is
    // compensated like one whose outcome is unknown, at once (not after the retry's delay); anything else that
    // has not finished is skipped.
    await db.query(
      `UPDATE workflow_steps SET finished_at = now(), not_before = now(),
         status = CASE WHEN attempts > 0 AND compensable AND undo_unfinished THEN 'unknown' ELSE 'skipped' END,
         outcome_unknown = outcome_unknown OR (attempts > 0 AND compensable AND undo_unfinished)
       WHERE workflow_id = $1 AND status = 'pending'`,
      [id],
    );
  },

  async addEvent(db: Queryable, e: { workflowId: string; kind: string; stepKey?: string | null; data?: unknown }): Promise<void> {
    await db.query('INSERT INTO workflow_events (workflow_id, kind, step_key, data) VALUES ($1, $2, $3, $4)', [e.workflowId, e.kind, e.stepKey ?? null, JSON.stringify(e.data ?? null)]);
  },

  async eventsAfter(db: Queryable, workflowId: string, afterSeq: number, limit = 500): Promise<WorkflowEvent[]> {
    const rows = await db.query<Omit<WorkflowEvent, 'at'> & { at: Date }>(
      `SELECT seq, workflow_id AS "workflowId", at, kind, step_key AS "stepKey", data FROM workflow_events WHERE workflow_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [workflowId, afterSeq, limit],
    );
    return rows.map((r) => ({ ...r, at: iso(r.at)! }));
  },

  async readyDepth(db: Queryable): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM workflow_steps s JOIN workflows w ON w.id = s.workflow_id WHERE w.status = 'running' AND s.status = 'pending'`,
    );
    return row!.n;
  },
};
