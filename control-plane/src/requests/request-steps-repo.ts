import type { Queryable } from '../store/store.ts';
import type { ApprovalMode } from './requests-repo.ts';

/**
 * SQL of a request's approval steps, its approvers' decisions and its history (events): what approving reads and
 * writes, apart from the request row itself (requests-repo.ts). Writes that move a step and the request together
 * are single statements (data-modifying CTEs), so a decision costs as few round trips as it can.
 */

export interface Decision { stepIdx: number; approverId: string; approverName: string; decision: 'approve' | 'reject'; reason: string; at: Date }

export interface StepRow {
  requestId: string;
  idx: number;
  name: string;
  mode: ApprovalMode;
  approverIds: string[];
  status: 'waiting' | 'active' | 'approved' | 'rejected' | 'skipped';
  slaHours: number;
  startedAt: Date | null;
  dueAt: Date | null;
  decidedAt: Date | null;
}

/** An approval step of a new request, its approvers resolved. */
export interface NewStep { name: string; mode: ApprovalMode; approverIds: string[]; slaHours: number }

/** The INSERT of a new request's steps (the first active, the others waiting), the request's id being $1 of `params`. */
export function stepsInsert(params: unknown[], steps: readonly NewStep[], now: Date): string {
  const rows = steps.map((s, idx) => {
    const at = [idx, s.name, s.mode, s.approverIds, idx === 0 ? 'active' : 'waiting', s.slaHours, idx === 0 ? now : null, idx === 0 ? new Date(now.getTime() + s.slaHours * 3600_000) : null]
      .map((v) => `$${params.push(v)}`);
    return `($1, ${at.join(', ')})`;
  });
  return `INSERT INTO request_approval_steps (request_id, idx, name, mode, approver_ids, status, sla_hours, started_at, due_at) VALUES ${rows.join(', ')}`;
}

/** An event of a request's history, as addEvent writes it. */
export interface RequestEvent { kind: string; actor: string | null; data?: unknown }
export const eventParams = (e: RequestEvent) => [e.kind, e.actor, e.data === undefined || e.data === null ? null : JSON.stringify(e.data)];

export const requestStepsRepo = {
  /** All of a request's steps in one statement (the first active, the others waiting). */
  async insertSteps(db: Queryable, requestId: string, steps: NewStep[], now: Date): Promise<void> {
    if (!steps.length) return;
    const params: unknown[] = [requestId];
    await db.query(stepsInsert(params, steps, now), params);
  },

  async steps(db: Queryable, requestId: string): Promise<StepRow[]> {
    return db.query<StepRow>(
      `SELECT request_id AS "requestId", idx, name, mode, approver_ids AS "approverIds", status, sla_hours AS "slaHours",
         started_at AS "startedAt", due_at AS "dueAt", decided_at AS "decidedAt" FROM request_approval_steps WHERE request_id = $1 ORDER BY idx`, [requestId]);
  },

  async setStep(db: Queryable, requestId: string, idx: number, status: StepRow['status'], now: Date, slaHours?: number): Promise<void> {
    if (status === 'active') {
      await db.query(`UPDATE request_approval_steps SET status = 'active', started_at = $3, due_at = $3::timestamptz + make_interval(hours => $4::int) WHERE request_id = $1 AND idx = $2`, [requestId, idx, now, slaHours]);
    } else {
      await db.query('UPDATE request_approval_steps SET status = $3, decided_at = $4 WHERE request_id = $1 AND idx = $2', [requestId, idx, status, now]);
    }
  },

  async skipRemaining(db: Queryable, requestId: string): Promise<void> {
    await db.query(`UPDATE request_approval_steps SET status = 'skipped' WHERE request_id = $1 AND status IN ('waiting', 'active')`, [requestId]);
  },

  async decisions(db: Queryable, requestId: string): Promise<Decision[]> {
    return db.query(
      `SELECT x.step_idx AS "stepIdx", x.approver_id AS "approverId", u.display_name AS "approverName", x.decision, x.reason, x.at
       FROM request_decisions x JOIN users u ON u.id = x.approver_id WHERE x.request_id = $1 ORDER BY x.at, x.step_idx`, [requestId]);
  },

  /** `decide` and `addEvent` (the decision's event) in one statement. */
  async decideWithEvent(db: Queryable, d: { requestId: string; stepIdx: number; approverId: string; decision: 'approve' | 'reject'; reason: string; at: Date }, event: RequestEvent): Promise<void> {
    await db.query(
      `WITH d AS (INSERT INTO request_decisions (request_id, step_idx, approver_id, decision, reason, at) VALUES ($1, $2, $3, $4, $5, $6))
       INSERT INTO request_events (request_id, kind, actor, data) VALUES ($1, $7, $8, $9)`,
      [d.requestId, d.stepIdx, d.approverId, d.decision, d.reason, d.at, ...eventParams(event)]);
  },

  /**
   * A step approved and the next one started, in one statement: setStep(from, 'approved'), setStep(to, 'active'),
   * update(currentStep: to) and addEvent(event).
   */
  async advanceStep(db: Queryable, requestId: string, from: number, to: { idx: number; slaHours: number }, now: Date, event: RequestEvent): Promise<void> {
    await db.query(
      `WITH done AS (UPDATE request_approval_steps SET status = 'approved', decided_at = $4 WHERE request_id = $1 AND idx = $2),
       next AS (UPDATE request_approval_steps SET status = 'active', started_at = $4, due_at = $4::timestamptz + make_interval(hours => $5::int) WHERE request_id = $1 AND idx = $3),
       req AS (UPDATE resource_requests SET current_step = $3, updated_at = now() WHERE id = $1)
       INSERT INTO request_events (request_id, kind, actor, data) VALUES ($1, $6, $7, $8)`,
      [requestId, from, to.idx, now, to.slaHours, ...eventParams(event)]);
  },

  /**
   * The last step approved and the request provisioning, in one statement: setStep(stepIdx, 'approved', stepDecidedAt),
   * update(status 'provisioning', reservationId, workflowId, decidedAt) and addEvent(event).
   */
  async startProvisioning(db: Queryable, requestId: string, p: { stepIdx: number; stepDecidedAt: Date; reservationId: string | null; workflowId: string; decidedAt: Date }, event: RequestEvent): Promise<void> {
    await db.query(
      `WITH done AS (UPDATE request_approval_steps SET status = 'approved', decided_at = $3 WHERE request_id = $1 AND idx = $2),
       req AS (UPDATE resource_requests SET status = 'provisioning', reservation_id = $4, workflow_id = $5, decided_at = $6, updated_at = now() WHERE id = $1)
       INSERT INTO request_events (request_id, kind, actor, data) VALUES ($1, $7, $8, $9)`,
      [requestId, p.stepIdx, p.stepDecidedAt, p.reservationId, p.workflowId, p.decidedAt, ...eventParams(event)]);
  },

  async addEvent(db: Queryable, requestId: string, kind: string, actor: string | null, data: unknown = null): Promise<void> {
    await db.query('INSERT INTO request_events (request_id, kind, actor, data) VALUES ($1, $2, $3, $4)', [requestId, kind, actor, data === null ? null : JSON.stringify(data)]);
  },

  async events(db: Queryable, requestId: string): Promise<{ at: Date; kind: string; actor: string | null; data: unknown }[]> {
    return db.query('SELECT at, kind, actor, data FROM request_events WHERE request_id = $1 ORDER BY id', [requestId]);
  },
};
