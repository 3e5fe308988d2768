import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import { isoUtc } from '../store/sql-text.ts';
import type { PolicyResult } from '@ganyun/policies';
import type { QuotaCheck, ResourceClass } from '../quotas/contract.ts';
import type { ResourceChange } from '../resources/change-items.ts';
import type { PlannedResource } from '../resources/item-checks.ts';
import type { Queryable } from '../store/store.ts';
import { lockPrefixesQuery, lockedPrefix, type PrefixRow } from '../ipam/ipam-repo.ts';
import { eventParams, stepsInsert, type Decision, type NewStep, type RequestEvent, type StepRow } from './request-steps-repo.ts';

/** A create step's read of its request (requestsRepo.plannedResource). */
export interface PlannedRead {
  id: string;
  systemId: string;
  systemName: string;
  departmentId: string;
  cloudId: string;
  planned: PlannedResource | undefined;
  /** The segment a host or workload sits on, as it stands now (null when it has none or it is gone). */
  segment: { state: string; ipam: { ipv4PrefixId?: string; ipv6PrefixId?: string } } | null;
  /** The zone of the host a volume attaches to (null before the host is live, or for other kinds). */
  hostZone: string | null;
  /** With `lockSegmentPrefixes`: the segment's IPAM prefixes, locked (FOR UPDATE) by the same statement; [] without. */
  segmentPrefixes: PrefixRow[];
}

export const REQUEST_STATUSES = ['pending', 'approved', 'provisioning', 'provisioned', 'rejected', 'cancelled', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type ApprovalMode = 'single' | 'countersign' | 'or-sign';

export interface RequestItem {
  resourceClass: ResourceClass;
  amount: number;
}

export interface RequestRow {
  id: string;
  departmentId: string;
  departmentName: string;
  systemId: string;
  systemName: string;
  requesterId: string;
  requesterName: string;
  title: string;
  reason: string;
  placementMode: 'named' | 'auto';
  cloudId: string;
  items: RequestItem[];
  /** The resources it creates (hosts, volumes, workloads, segments), ids fixed at submit; empty for a quota-only request. */
  resources: PlannedResource[];
  /** 'new' creates resources (or moves quota only); 'change' resizes or releases one live resource (`change`). */
  kind: 'new' | 'change';
  change: ResourceChange | null;
  units: number;
  status: RequestStatus;
  quotaIncrease: boolean;
  policyResults: PolicyResult[];
  placement: unknown;
  quotaCheck: QuotaCheck | null;
  chainId: string | null;
  currentStep: number;
  reservationId: string | null;
  workflowId: string | null;
  error: string | null;
  submittedAt: Date;
  decidedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

/** One approver's decision on a step of a request. */
const COLUMNS = `r.id, r.department_id AS "departmentId", d.name AS "departmentName", r.system_id AS "systemId", s.name AS "systemName",
  r.requester_id AS "requesterId", u.display_name AS "requesterName", r.title, r.reason, r.placement_mode AS "placementMode",
  r.cloud_id AS "cloudId", r.items, r.resources, r.kind, r.change, r.units, r.status, r.quota_increase AS "quotaIncrease", r.policy_results AS "policyResults",
  r.placement, r.quota_check AS "quotaCheck", r.chain_id AS "chainId", r.current_step AS "currentStep", r.reservation_id AS "reservationId",
  r.workflow_id AS "workflowId", r.error, r.submitted_at AS "submittedAt", r.decided_at AS "decidedAt", r.finished_at AS "finishedAt", r.updated_at AS "updatedAt"`;
const FROM = `FROM resource_requests r JOIN departments d ON d.id = r.department_id JOIN business_systems s ON s.id = r.system_id JOIN users u ON u.id = r.requester_id`;

/**
 * A request as requests.list and requests.queue show it: the row's own fields and names without the detail-only
 * JSON (placement, policy results, quota check: requests.get has them), its resources as id, kind and name, the
 * times as ISO strings, and the active step (the first active one by index) and whether any active step is past due.
 */
export interface RequestListRow extends Omit<RequestRow, 'resources' | 'policyResults' | 'placement' | 'quotaCheck' | 'submittedAt' | 'decidedAt' | 'finishedAt' | 'updatedAt'> {
  resources: Pick<PlannedResource, 'id' | 'kind' | 'name'>[];
  submittedAt: string;
  decidedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  activeStep: { name: string; mode: ApprovalMode; dueAt: string | null } | null;
  overdue: boolean;
}

/**
 * One list row as one json value: the drivers parse a page's rows with one JSON.parse each instead of ~30 fields
 * each (PGlite copies and decodes every field apart; node-postgres runs a parser per field and a Date per
 * timestamp), and the times come out as the strings the API answers with.
 */
const LIST_ROW = `json_build_object('id', r.id, 'departmentId', r.department_id, 'departmentName', d.name, 'systemId', r.system_id, 'systemName', s.name,
  'requesterId', r.requester_id, 'requesterName', u.display_name, 'title', r.title, 'reason', r.reason, 'placementMode', r.placement_mode,
  'cloudId', r.cloud_id, 'items', r.items,
  'resources', CASE WHEN jsonb_array_length(r.resources) = 0 THEN '[]'::json ELSE
    (SELECT json_agg(json_build_object('id', x.e->'id', 'kind', x.e->'kind', 'name', x.e->'name') ORDER BY x.n) FROM jsonb_array_elements(r.resources) WITH ORDINALITY AS x(e, n)) END,
  'kind', r.kind, 'change', r.change, 'units', r.units, 'status', r.status, 'quotaIncrease', r.quota_increase, 'chainId', r.chain_id,
  'currentStep', r.current_step, 'reservationId', r.reservation_id, 'workflowId', r.workflow_id, 'error', r.error,
  'submittedAt', ${isoUtc('r.submitted_at')}, 'decidedAt', ${isoUtc('r.decided_at')}, 'finishedAt', ${isoUtc('r.finished_at')}, 'updatedAt', ${isoUtc('r.updated_at')},
  'activeStep', CASE WHEN a.name IS NULL THEN NULL ELSE json_build_object('name', a.name, 'mode', a.mode, 'dueAt', ${isoUtc('a.due_at')}) END,
  'overdue', coalesce(aa.overdue, false)) AS "row"`;
/**
 * The active step of each request of the page (the first active one by index) and whether any active step is past
 * due at `now` (isOverdue of each step: `now` is whole milliseconds, so comparing the microseconds says what the
 * truncated Date says), for the page's requests at once: one look at the steps per page, not one per row (on PGlite
 * each scan of a table asks the file system for its size, and the steps of a page mostly do not exist).
 */
const ACTIVE_STEPS = (now: string) => `SELECT st.request_id, min(st.idx) AS idx, bool_or(st.due_at < ${now}::timestamptz) AS overdue
  FROM request_approval_steps st WHERE st.request_id IN (SELECT id FROM page) AND st.status = 'active' GROUP BY st.request_id`;

/** What requests.list and the approval queue filter on (department scope included). */
export interface RequestFilter { departmentIds: string[] | null; requesterId?: string; systemId?: string; status?: RequestStatus; ids?: string[]; approverId?: string }
const REQUEST_ORDER = keysetOrder('desc', ['r.submitted_at', 'timestamptz'], ['r.id', 'uuid']);

/** The filter's conditions on `r` (resource_requests), its values pushed onto `params`. */
function requestWhere(f: RequestFilter, params: unknown[]): string[] {
  const where: string[] = [];
  // One department (the common case) comes out as plain equality, so the planner walks the index in order and stops at the page.
  const scoped = scopeFilter({ departmentIds: f.departmentIds }, params, 'r.department_id');
  if (scoped) where.push(scoped);
  if (f.requesterId) where.push(`r.requester_id = $${params.push(f.requesterId)}`);
  if (f.status) where.push(`r.status = $${params.push(f.status)}`);
  if (f.systemId) where.push(`r.system_id = $${params.push(f.systemId)}`);
  if (f.ids) where.push(`r.id = ANY($${params.push(f.ids)}::uuid[])`);
  if (f.approverId) {
    // Waiting on this approver: the active step names them and they have not decided it yet.
    const a = params.push(f.approverId);
    where.push(`r.status = 'pending' AND EXISTS (SELECT 1 FROM request_approval_steps st WHERE st.request_id = r.id AND st.idx = r.current_step
      AND st.status = 'active' AND st.approver_ids @> ARRAY[$${a}::uuid]
      AND NOT EXISTS (SELECT 1 FROM request_decisions x WHERE x.request_id = r.id AND x.step_idx = st.idx AND x.approver_id = $${a}::uuid))`);
  }
  return where;
}

export const requestsRepo = {
  /**
   * The first `limit` (default 500) requests that match, newest first (one page of `page`).
   */
  async list(db: Queryable, f: RequestFilter & { limit?: number }): Promise<RequestRow[]> {
    return (await requestsRepo.page(db, f, { limit: f.limit ?? 500 })).items;
  },

  /**
   * Newest first, keyset-paged by (submitted_at, id) through store/keyset.ts (the cursor keeps submitted_at to
   * the microsecond), so a page costs the same however deep it is and however large the table (index
   * resource_requests_department_page_idx / _page_idx, 0041).
   */
  async page(db: Queryable, f: RequestFilter, page: PageRequest): Promise<Page<RequestRow>> {
    const params: unknown[] = [];
    const where = requestWhere(f, params);
    const k = keyset(REQUEST_ORDER, page, params);
    return k.page(await db.query<RequestRow>(`SELECT ${COLUMNS}${k.select} ${FROM} WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
  },

  /**
   * A page as requests.list and requests.queue show it (`RequestListRow`), filtered and ordered as `page`, in one
   * statement: each row one json value with its active step and overdue flag folded in (`now` decides overdue).
   */
  async listPage(db: Queryable, f: RequestFilter, page: PageRequest, now: Date): Promise<Page<RequestListRow>> {
    const params: unknown[] = [];
    const where = requestWhere(f, params);
    // The page size as a literal: with `LIMIT $n` every call was planned again (store/keyset.ts, literalLimit).
    const k = keyset(REQUEST_ORDER, page, params, { literalLimit: true });
    const at = `$${params.push(now.toISOString())}`;
    // The page walks the index and stops (as `page`); its steps are read once for all of it, then the rows are built.
    const rows = await db.query<{ row: RequestListRow }>(
      `WITH page AS MATERIALIZED (SELECT r.* FROM resource_requests r WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}),
         aa AS (${ACTIVE_STEPS(at)})
       SELECT ${LIST_ROW}${k.select} FROM page r JOIN departments d ON d.id = r.department_id JOIN business_systems s ON s.id = r.system_id
         JOIN users u ON u.id = r.requester_id LEFT JOIN aa ON aa.request_id = r.id LEFT JOIN request_approval_steps a ON a.request_id = aa.request_id AND a.idx = aa.idx
       ORDER BY ${k.orderBy}`, params);
    const p = k.page(rows);
    return { items: p.items.map((x) => x.row), nextCursor: p.nextCursor };
  },

  /**
   * How many requests wait on this approver (requests.queue's total): counted from the active steps naming
   * them (the GIN index request_approval_steps_active_idx), so it costs their queue, not the table.
   */
  async queueTotal(db: Queryable, approverId: string): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM request_approval_steps st JOIN resource_requests r ON r.id = st.request_id AND r.current_step = st.idx
        WHERE st.status = 'active' AND st.approver_ids @> ARRAY[$1::uuid] AND r.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM request_decisions x WHERE x.request_id = r.id AND x.step_idx = st.idx AND x.approver_id = $1::uuid)`,
      [approverId],
    );
    return row?.n ?? 0;
  },

  /** Whether the system has any resource request at all (a system with requests is retired, never deleted). */
  async anyForSystem(db: Queryable, systemId: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM resource_requests WHERE system_id = $1 LIMIT 1', [systemId])).length > 0;
  },

  async byId(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<RequestRow | undefined> {
    if (opts.forUpdate) await db.query('SELECT 1 FROM resource_requests WHERE id = $1 FOR UPDATE', [id]);
    return (await this.list(db, { departmentIds: null, ids: [id] }))[0];
  },

  /**
   * A request with its approval steps (and, with `decisions`, its decisions) in one statement: what a decision
   * reads before it decides (after locking the row with `lock`) and what it answers with after. The same fields as
   * `byId`, `steps` and `decisions`.
   */
  async withSteps(db: Queryable, id: string, opts: { decisions?: boolean } = {}): Promise<{ request: RequestRow; steps: StepRow[]; decisions: Decision[] } | undefined> {
    const [row] = await db.query<RequestRow & { stepRows: (Omit<StepRow, 'startedAt' | 'dueAt' | 'decidedAt'> & Record<'startedAt' | 'dueAt' | 'decidedAt', string | null>)[]; decisionRows: (Omit<Decision, 'at'> & { at: string })[] | null }>(
      `SELECT ${COLUMNS},
         (SELECT coalesce(json_agg(json_build_object('requestId', st.request_id, 'idx', st.idx, 'name', st.name, 'mode', st.mode, 'approverIds', st.approver_ids,
            'status', st.status, 'slaHours', st.sla_hours, 'startedAt', st.started_at, 'dueAt', st.due_at, 'decidedAt', st.decided_at) ORDER BY st.idx), '[]')
          FROM request_approval_steps st WHERE st.request_id = r.id) AS "stepRows",
         CASE WHEN $2::boolean THEN (SELECT coalesce(json_agg(json_build_object('stepIdx', x.step_idx, 'approverId', x.approver_id, 'approverName', u.display_name,
            'decision', x.decision, 'reason', x.reason, 'at', x.at) ORDER BY x.at, x.step_idx), '[]')
          FROM request_decisions x JOIN users u ON u.id = x.approver_id WHERE x.request_id = r.id) END AS "decisionRows"
       ${FROM} WHERE r.id = $1`,
      [id, opts.decisions ?? false],
    );
    if (!row) return undefined;
    const { stepRows, decisionRows, ...request } = row;
    const date = (t: string | null) => (t === null ? null : new Date(t));
    return {
      request,
      steps: stepRows.map((st) => ({ ...st, startedAt: date(st.startedAt), dueAt: date(st.dueAt), decidedAt: date(st.decidedAt) })),
      decisions: (decisionRows ?? []).map((d) => ({ ...d, at: new Date(d.at) })),
    };
  },
  /** Locks the request's row (FOR UPDATE) until the transaction ends; false when there is no such request. */
  async lock(db: Queryable, id: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM resource_requests WHERE id = $1 FOR UPDATE', [id])).length > 0;
  },

  /**
   * What one provisioning step needs of its request: the system, department and cloud, and the one planned
   * resource it creates (undefined when the request plans no such resource), without the request's view.
   */
  /**
   * What a create step needs of its request, in one statement: the planned item, the system's name, and what it
   * stands on (a host's or workload's segment: its state and IPAM holdings; a volume's host: its zone).
   */
  async plannedResource(db: Queryable, requestId: string, resourceId: string, opts: { lockSegmentPrefixes?: boolean } = {}): Promise<PlannedRead | undefined> {
    const read = `SELECT q.id, q.system_id AS "systemId", s.name AS "systemName", q.department_id AS "departmentId", q.cloud_id AS "cloudId", p.planned,
              (SELECT jsonb_build_object('state', g.state, 'ipam', g.ipam) FROM resources g WHERE g.id = (p.planned->'segment'->>'id')::uuid) AS segment,
              (SELECT h.zone FROM resources h WHERE h.id = (p.planned->'host'->>'id')::uuid) AS "hostZone"
       FROM resource_requests q JOIN business_systems s ON s.id = q.system_id
       LEFT JOIN LATERAL (SELECT x AS planned FROM jsonb_array_elements(q.resources) AS x WHERE x->>'id' = $2 LIMIT 1) p ON true
       WHERE q.id = $1`;
    // The segment's prefixes locked by the same statement (an address allocation's lock, which lockParents would
    // take next): the plan is read as before the lock, the prefixes as their last holder left them; a segment
    // released meanwhile took its prefixes with it, and the lock finds none.
    const [row] = await db.query<Omit<PlannedRead, 'planned' | 'segmentPrefixes'> & { planned: PlannedResource | null; segmentPrefixes?: PrefixRow[] }>(opts.lockSegmentPrefixes
      ? `WITH plan AS (${read}),
         locked AS (${lockPrefixesQuery(`SELECT (plan.segment->'ipam'->>f)::uuid FROM plan, unnest(ARRAY['ipv4PrefixId', 'ipv6PrefixId']) AS f WHERE plan.segment->'ipam'->>f IS NOT NULL`)})
         SELECT plan.*, (SELECT coalesce(json_agg(locked), '[]') FROM locked) AS "segmentPrefixes" FROM plan`
      : read,
      [requestId, resourceId],
    );
    return row && { ...row, planned: row.planned ?? undefined, segmentPrefixes: (row.segmentPrefixes ?? []).map(lockedPrefix) };
  },

  /**
   * A new request; with `also`, its approval steps (insertSteps) and its first event (addEvent) written by the same
   * statement (data-modifying CTEs: the foreign keys are checked at its end, when the request's row is there).
   */
  async insert(
    db: Queryable,
    r: Omit<RequestRow, 'departmentName' | 'systemName' | 'requesterName' | 'decidedAt' | 'finishedAt' | 'updatedAt' | 'currentStep' | 'workflowId' | 'error' | 'kind' | 'change'> & { change?: ResourceChange; askHash?: string },
    also: { steps?: NewStep[]; now?: Date; event?: RequestEvent } = {},
  ): Promise<void> {
    const params: unknown[] = [r.id, r.departmentId, r.systemId, r.requesterId, r.title, r.reason, r.placementMode, r.cloudId, JSON.stringify(r.items), r.units, r.status,
      r.quotaIncrease, JSON.stringify(r.policyResults), JSON.stringify(r.placement), JSON.stringify(r.quotaCheck), r.chainId, r.reservationId, r.submittedAt,
      JSON.stringify(r.resources), r.change ? 'change' : 'new', r.change ? JSON.stringify(r.change) : null, r.change?.resourceId ?? null, r.askHash ?? null];
    const inserts = [`INSERT INTO resource_requests (id, department_id, system_id, requester_id, title, reason, placement_mode, cloud_id, items, units, status,
         quota_increase, policy_results, placement, quota_check, chain_id, reservation_id, submitted_at, resources, kind, change, target_resource_id, ask_hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23)`];
    if (also.steps?.length) inserts.push(stepsInsert(params, also.steps, also.now!));
    if (also.event) inserts.push(`INSERT INTO request_events (request_id, kind, actor, data) VALUES ($1, ${eventParams(also.event).map((v) => `$${params.push(v)}`).join(', ')})`);
    const last = inserts.pop()!;
    await db.query(inserts.length ? `WITH ${inserts.map((x, i) => `w${i} AS (${x})`).join(', ')} ${last}` : last, params);
  },

  /** The department's open request (pending, approved, provisioning) that asks for exactly this, if any. */
  async openByAskHash(db: Queryable, departmentId: string, askHash: string): Promise<{ id: string; status: string } | undefined> {
    const rows = await db.query<{ id: string; status: string }>(
      `SELECT id, status FROM resource_requests
        WHERE department_id = $1 AND ask_hash = $2 AND status IN ('pending', 'approved', 'provisioning')
        ORDER BY submitted_at LIMIT 1`,
      [departmentId, askHash],
    );
    return rows[0];
  },

  async update(db: Queryable, id: string, patch: Partial<Pick<RequestRow, 'status' | 'currentStep' | 'reservationId' | 'workflowId' | 'error' | 'decidedAt' | 'finishedAt'>>): Promise<void> {
    const cols: Record<string, string> = { status: 'status', currentStep: 'current_step', reservationId: 'reservation_id', workflowId: 'workflow_id', error: 'error', decidedAt: 'decided_at', finishedAt: 'finished_at' };
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) sets.push(`${cols[k]} = $${params.push(v)}`);
    await db.query(`UPDATE resource_requests SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, params);
  },

  /** The requests that created or changed a resource, oldest first (its history). */
  async ofResource(db: Queryable, resourceId: string): Promise<RequestRow[]> {
    const ids = await db.query<{ id: string }>(
      `SELECT id FROM resource_requests WHERE target_resource_id = $1
       UNION SELECT request_id FROM resources WHERE id = $1`, [resourceId]);
    if (!ids.length) return [];
    return (await this.list(db, { departmentIds: null, ids: ids.map((x) => x.id) })).reverse();
  },

  /** Ends a request that is provisioning (provisioned, failed or cancelled); false when it was not provisioning. */
  /** With `event`: that event too, by the same statement, when (and only when) the request was ended. */
  async endProvisioning(tx: Queryable, id: string, status: 'provisioned' | 'failed' | 'cancelled', error: string | null, event?: RequestEvent): Promise<boolean> {
    const end = `UPDATE resource_requests SET status = $2, error = $3, finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'provisioning' RETURNING id`;
    const rows = await tx.query(event
      ? `WITH ended AS (${end}), ev AS (INSERT INTO request_events (request_id, kind, actor, data) SELECT id, $4, $5, $6 FROM ended) SELECT id FROM ended`
      : end,
    event ? [id, status, error, ...eventParams(event)] : [id, status, error]);
    return rows.length > 0;
  },

  /** Who asked for the request (an expiry release acts on their behalf). */
  async requesterOf(db: Queryable, id: string): Promise<string | undefined> {
    const [row] = await db.query<{ requesterId: string }>('SELECT requester_id AS "requesterId" FROM resource_requests WHERE id = $1', [id]);
    return row?.requesterId;
  },

  /** The resource's change request still open (pending, approved or provisioning), if any: one at a time per resource. */
  async openChangeOf(db: Queryable, resourceId: string): Promise<string | undefined> {
    const [row] = await db.query<{ id: string }>(
      `SELECT id FROM resource_requests WHERE target_resource_id = $1 AND kind = 'change' AND status IN ('pending', 'approved', 'provisioning')`, [resourceId]);
    return row?.id;
  },

  /**
   * What the apply step reads, in one statement (one snapshot): the request, the items already provisioned for its
   * system on its cloud (provisionedItems) and the data of its first `cloud.before` event (null when none).
   */
  async forApply(db: Queryable, id: string): Promise<{ request: RequestRow; provisionedItems: RequestItem[]; cloudBefore: unknown } | undefined> {
    const [row] = await db.query<RequestRow & { provisioned: RequestItem[][]; cloudBefore: unknown }>(
      `SELECT ${COLUMNS},
         (SELECT coalesce(json_agg(o.items), '[]') FROM resource_requests o
           WHERE o.system_id = r.system_id AND o.cloud_id = r.cloud_id AND o.status = 'provisioned' AND o.id <> r.id) AS provisioned,
         (SELECT e.data FROM request_events e WHERE e.request_id = r.id AND e.kind = 'cloud.before' ORDER BY e.id LIMIT 1) AS "cloudBefore"
       ${FROM} WHERE r.id = $1`,
      [id],
    );
    if (!row) return undefined;
    const { provisioned, cloudBefore, ...request } = row;
    return { request, provisionedItems: provisioned.flat(), cloudBefore };
  },

  /** Locks the request's row (FOR UPDATE) and reads what committing its provisioning needs of it. */
  async lockForCommit(tx: Queryable, id: string): Promise<Pick<RequestRow, 'id' | 'systemId' | 'cloudId' | 'items' | 'reservationId'> | undefined> {
    const [row] = await tx.query<Pick<RequestRow, 'id' | 'systemId' | 'cloudId' | 'items' | 'reservationId'>>(
      `SELECT id, system_id AS "systemId", cloud_id AS "cloudId", items, reservation_id AS "reservationId" FROM resource_requests WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  },

  /** The request's quota hold: null when it holds none, undefined when there is no such request. */
  async reservationOf(db: Queryable, id: string): Promise<string | null | undefined> {
    const [row] = await db.query<{ reservationId: string | null }>('SELECT reservation_id AS "reservationId" FROM resource_requests WHERE id = $1', [id]);
    return row ? row.reservationId : undefined;
  },

  /** Items already provisioned for this system on this cloud: what its tenant space's quota must hold besides a new request. */
  async provisionedItems(db: Queryable, systemId: string, cloudId: string, exceptId: string): Promise<RequestItem[]> {
    const rows = await db.query<{ items: RequestItem[] }>(`SELECT items FROM resource_requests WHERE system_id = $1 AND cloud_id = $2 AND status = 'provisioned' AND id <> $3`, [systemId, cloudId, exceptId]);
    return rows.flatMap((r) => r.items);
  },
};
