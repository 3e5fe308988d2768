import type { Scope } from '../auth/scope.ts';
import { scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { QuotaLevel, ResourceClass } from './contract.ts';
import type { NodeSummary, UsageLine } from './views.ts';

/** SQL of the quota tree's read models (views.ts): nodes with their names, usage lines, ledger pages and sums. */

const NAME = `COALESCE(dv.name, d.name, bs.name, n.ref)`;
const NAMED = `quota_nodes n
  LEFT JOIN divisions dv ON n.level IN ('province', 'city') AND dv.code = n.ref
  LEFT JOIN departments d ON n.level = 'department' AND d.id::text = n.ref
  LEFT JOIN business_systems bs ON n.level = 'system' AND bs.id::text = n.ref`;

type NodeHead = Omit<NodeSummary, 'usage'>;
const nodes = (db: Queryable, where: string, params: unknown[]) =>
  db.query<NodeHead>(
      `SELECT n.id, n.level, n.ref, ${NAME} AS name, n.department_id AS "departmentId",
            (SELECT count(*)::int FROM quota_nodes c WHERE c.parent_id = n.id) AS children
     FROM ${NAMED} WHERE ${where} ORDER BY n.level, ${NAME} LIMIT 2000`,
    params,
  );

export const quotaViewsRepo = {
  childNodes: (db: Queryable, parentId: string) => nodes(db, 'n.parent_id = $1', [parentId]),
  rootNodes: (db: Queryable) => nodes(db, 'n.parent_id IS NULL', []),
  /** Department nodes of the departments in `scope`. */
  departmentNodes(db: Queryable, scope: Scope) {
    const params: unknown[] = [];
    return nodes(db, `n.level = 'department' AND ${scopeFilter(scope, params, 'n.department_id')}`, params);
  },
  nodeById: (db: Queryable, id: string) => nodes(db, 'n.id = $1', [id]),

  /** Usage lines of these nodes (on one cloud, or all). */
  async usageLines(db: Queryable, nodeIds: string[], cloudId: string | null) {
    return db.query<Omit<UsageLine, 'utilisation'> & { nodeId: string }>(
      `SELECT node_id AS "nodeId", cloud_id AS "cloudId", resource_class AS "resourceClass", limit_amount AS "limit", soft_limit AS "softLimit",
            cap, soft_cap AS "softCap", reserved, committed
     FROM quota_usage WHERE node_id = ANY($1::uuid[]) AND ($2::text IS NULL OR cloud_id = $2) ORDER BY cloud_id, resource_class`,
      [nodeIds, cloudId],
    );
  },

  /** Ids, levels and names of these nodes (a breadcrumb), in no particular order. */
  async names(db: Queryable, ids: string[]) {
    return db.query<{ id: string; level: QuotaLevel; name: string }>(`SELECT n.id, n.level, ${NAME} AS name FROM ${NAMED} WHERE n.id = ANY($1::uuid[])`, [ids]);
  },

  /** Ledger lines of the subtree at `path`, newest first, one more than `f.limit` (the caller pages). */
  async ledgerPage(db: Queryable, path: string, f: { cloudId?: string; resourceClass?: string; cursor?: number; limit: number }) {
    return db.query<{
      id: number; at: Date; nodeId: string; systemName: string; cloudId: string; resourceClass: string; kind: string;
      reservedDelta: number; committedDelta: number; reservationId: string | null; actor: string; ref: string; detail: unknown;
    }>(
      `SELECT l.id, l.at, l.node_id AS "nodeId", ${NAME} AS "systemName", l.cloud_id AS "cloudId", l.resource_class AS "resourceClass", l.kind,
              l.reserved_delta AS "reservedDelta", l.committed_delta AS "committedDelta", l.reservation_id AS "reservationId", l.actor, l.ref, l.detail
       FROM quota_ledger l JOIN ${NAMED} ON n.id = l.node_id
       WHERE n.path LIKE $1 AND ($2::text IS NULL OR l.cloud_id = $2) AND ($3::text IS NULL OR l.resource_class = $3) AND ($4::bigint IS NULL OR l.id < $4)
       ORDER BY l.id DESC LIMIT $5`,
      [`${path}%`, f.cloudId ?? null, f.resourceClass ?? null, f.cursor ?? null, f.limit + 1],
    );
  },

  /** The subtree's ledger summed for one cloud and class. */
  async ledgerSums(db: Queryable, path: string, cloudId: string, resourceClass: ResourceClass) {
    const [sums] = await db.query<{ reserved: number; committed: number; lines: number }>(
      `SELECT COALESCE(sum(l.reserved_delta), 0)::bigint AS reserved, COALESCE(sum(l.committed_delta), 0)::bigint AS committed, count(*)::int AS lines
       FROM quota_ledger l JOIN quota_nodes n ON n.id = l.node_id WHERE n.path LIKE $1 AND l.cloud_id = $2 AND l.resource_class = $3`,
      [`${path}%`, cloudId, resourceClass],
    );
    return sums!;
  },

  /** The open reservations that make up the subtree's usage of one cloud and class (at most 1000). */
  async contributions(db: Queryable, path: string, cloudId: string, resourceClass: ResourceClass) {
    return db.query<{ reservationId: string; systemId: string; systemName: string; state: string; ref: string; reserved: number; committed: number; createdAt: Date }>(
      `SELECT r.id AS "reservationId", r.system_id AS "systemId", bs.name AS "systemName", r.state, r.ref, r.created_at AS "createdAt",
              sum(l.reserved_delta)::bigint AS reserved, sum(l.committed_delta)::bigint AS committed
       FROM quota_ledger l JOIN quota_nodes n ON n.id = l.node_id JOIN quota_reservations r ON r.id = l.reservation_id
       JOIN business_systems bs ON bs.id = r.system_id
       WHERE n.path LIKE $1 AND l.cloud_id = $2 AND l.resource_class = $3
       GROUP BY r.id, bs.name HAVING sum(l.reserved_delta) <> 0 OR sum(l.committed_delta) <> 0
       ORDER BY r.created_at, r.id LIMIT 1000`,
      [`${path}%`, cloudId, resourceClass],
    );
  },

  /** Usage of the subtree at the end of each of the `days` days up to `now`, from its ledger. */
  async dailyUsage(db: Queryable, path: string, f: { cloudId?: string; resourceClass: ResourceClass; days: number }, now: Date) {
    return db.query<{ day: string; used: number }>(
      `WITH days AS (SELECT generate_series(date_trunc('day', $4::timestamptz) - ($3::int - 1) * interval '1 day', date_trunc('day', $4::timestamptz), interval '1 day') AS day)
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              (SELECT COALESCE(sum(l.reserved_delta + l.committed_delta), 0)::bigint FROM quota_ledger l JOIN quota_nodes n ON n.id = l.node_id
               WHERE n.path LIKE $1 AND ($2::text IS NULL OR l.cloud_id = $2) AND l.resource_class = $5 AND l.at < d.day + interval '1 day') AS used
       FROM days d ORDER BY d.day`,
      [`${path}%`, f.cloudId ?? null, f.days, now.toISOString(), f.resourceClass],
    );
  },
};
