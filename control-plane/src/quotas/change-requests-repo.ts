import type { Scope } from '../auth/scope.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { ResourceClass } from './contract.ts';

/** SQL of quota-change requests (quota_change_requests), named after their node. */

export type ChangeStatus = 'pending' | 'approved' | 'rejected' | 'applied';

export interface ChangeRequest {
  id: string;
  nodeId: string;
  nodeLevel: string;
  nodeName: string;
  departmentId: string | null;
  cloudId: string;
  resourceClass: ResourceClass;
  currentLimit: number | null;
  requestedLimit: number;
  requestedSoft: number | null;
  reason: string;
  status: ChangeStatus;
  requestedBy: string;
  requestedByName: string;
  decidedByName: string | null;
  decisionReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}


const SELECT = `SELECT c.id, c.node_id AS "nodeId", n.level AS "nodeLevel", COALESCE(dv.name, d.name, bs.name, n.ref) AS "nodeName", n.department_id AS "departmentId",
  c.cloud_id AS "cloudId", c.resource_class AS "resourceClass", c.current_limit AS "currentLimit", c.requested_limit AS "requestedLimit",
  c.requested_soft AS "requestedSoft", c.reason, c.status, c.requested_by AS "requestedBy", c.requested_by_name AS "requestedByName",
  c.decided_by_name AS "decidedByName", c.decision_reason AS "decisionReason", c.created_at AS "createdAt", c.decided_at AS "decidedAt"
  /*keys*/ FROM quota_change_requests c JOIN quota_nodes n ON n.id = c.node_id
  LEFT JOIN divisions dv ON n.level IN ('province', 'city') AND dv.code = n.ref
  LEFT JOIN departments d ON n.level = 'department' AND d.id::text = n.ref
  LEFT JOIN business_systems bs ON n.level = 'system' AND bs.id::text = n.ref`;

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const shape = (r: ChangeRequest & { createdAt: Date | string; decidedAt: Date | string | null }): ChangeRequest => ({ ...r, createdAt: iso(r.createdAt)!, decidedAt: iso(r.decidedAt) });

const CHANGE_ORDER = keysetOrder('desc', ['c.created_at', 'timestamptz'], ['c.id', 'uuid']);

export const changeRequestsRepo = {
  async byId(db: Queryable, id: string, lock = false): Promise<ChangeRequest | undefined> {
    const [row] = await db.query<ChangeRequest>(`${SELECT} WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`, [id]);
    return row && shape(row);
  },

  async insert(db: Queryable, c: Pick<ChangeRequest, 'id' | 'nodeId' | 'cloudId' | 'resourceClass' | 'currentLimit' | 'requestedLimit' | 'requestedSoft' | 'reason' | 'status' | 'requestedBy' | 'requestedByName'> & { decidedAt: Date | null }): Promise<void> {
    await db.query(
      `INSERT INTO quota_change_requests (id, node_id, cloud_id, resource_class, current_limit, requested_limit, requested_soft, reason, status, requested_by, requested_by_name, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [c.id, c.nodeId, c.cloudId, c.resourceClass, c.currentLimit, c.requestedLimit, c.requestedSoft, c.reason, c.status, c.requestedBy, c.requestedByName, c.decidedAt],
    );
  },

  async setDecision(db: Queryable, id: string, d: { status: 'approved' | 'rejected'; byId: string; byName: string; reason: string }): Promise<void> {
    await db.query(
      `UPDATE quota_change_requests SET status = $2, decided_by = $3, decided_by_name = $4, decision_reason = $5, decided_at = now() WHERE id = $1`,
      [id, d.status, d.byId, d.byName, d.reason],
    );
  },

  /**
   * Change requests on the nodes of the caller's departments (province and city nodes: province-wide callers
   * only), newest first, a page at a time by (created_at, id) through store/keyset.ts (indexes of 0173).
   */
  async list(db: Queryable, scope: Scope, f: { status?: ChangeStatus; nodeId?: string }, page: PageRequest): Promise<Page<ChangeRequest>> {
    const params: unknown[] = [];
    const where = [
      f.status ? `c.status = $${params.push(f.status)}` : null,
      f.nodeId ? `c.node_id = $${params.push(f.nodeId)}::uuid` : null,
      scopeFilter(scope, params, 'n.department_id'),
    ];
    const k = keyset(CHANGE_ORDER, page, params);
    const p = k.page(await db.query<ChangeRequest>(`${SELECT.replace('/*keys*/', k.select)} WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
    return { items: p.items.map(shape), nextCursor: p.nextCursor };
  },
};
