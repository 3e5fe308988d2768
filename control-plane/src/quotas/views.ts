import { scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { QuotaLevel, ResourceClass } from './contract.ts';
import { pathIds, quotaRepo, type NodeRow } from './quota-repo.ts';

/** Read models of the quota tree for the API and the console: names, utilisation, ledger pages, explanations. */

const NAME = `COALESCE(dv.name, d.name, bs.name, n.ref)`;
const NAMED = `quota_nodes n
  LEFT JOIN divisions dv ON n.level IN ('province', 'city') AND dv.code = n.ref
  LEFT JOIN departments d ON n.level = 'department' AND d.id::text = n.ref
  LEFT JOIN business_systems bs ON n.level = 'system' AND bs.id::text = n.ref`;

export interface UsageLine {
  cloudId: string;
  resourceClass: ResourceClass;
  limit: number | null;
  softLimit: number | null;
  cap: number | null;
  softCap: number | null;
  reserved: number;
  committed: number;
  /** (reserved + committed) / cap, or null where this level does not cap. */
  utilisation: number | null;
}

export interface NodeSummary {
  id: string;
  level: QuotaLevel;
  ref: string;
  name: string;
  departmentId: string | null;
  children: number;
  usage: UsageLine[];
}

const utilisation = (l: { cap: number | null; reserved: number; committed: number }) => (l.cap === null ? null : l.cap === 0 ? (l.reserved + l.committed > 0 ? 1 : 0) : (l.reserved + l.committed) / l.cap);

async function summarise(db: Queryable, where: string, params: unknown[], cloudId?: string): Promise<NodeSummary[]> {
  const nodes = await db.query<Omit<NodeSummary, 'usage'>>(
    `SELECT n.id, n.level, n.ref, ${NAME} AS name, n.department_id AS "departmentId",
            (SELECT count(*)::int FROM quota_nodes c WHERE c.parent_id = n.id) AS children
     FROM ${NAMED} WHERE ${where} ORDER BY n.level, ${NAME} LIMIT 2000`,
    params,
  );
  if (!nodes.length) return [];
  const lines = await db.query<UsageLine & { nodeId: string }>(
    `SELECT node_id AS "nodeId", cloud_id AS "cloudId", resource_class AS "resourceClass", limit_amount AS "limit", soft_limit AS "softLimit",
            cap, soft_cap AS "softCap", reserved, committed
     FROM quota_usage WHERE node_id = ANY($1::uuid[]) AND ($2::text IS NULL OR cloud_id = $2) ORDER BY cloud_id, resource_class`,
    [nodes.map((n) => n.id), cloudId ?? null],
  );
  const byNode = new Map<string, UsageLine[]>();
  for (const { nodeId, ...l } of lines) {
    const list = byNode.get(nodeId) ?? [];
    list.push({ ...l, utilisation: utilisation(l) });
    byNode.set(nodeId, list);
  }
  return nodes.map((n) => ({ ...n, usage: byNode.get(n.id) ?? [] }));
}

export const quotaViews = {
  children: (db: Queryable, parentId: string, cloudId?: string) => summarise(db, 'n.parent_id = $1', [parentId], cloudId),
  roots: (db: Queryable, cloudId?: string) => summarise(db, 'n.parent_id IS NULL', [], cloudId),
  departmentNodes(db: Queryable, departmentIds: string[], cloudId?: string) {
    const params: unknown[] = [];
    return summarise(db, `n.level = 'department' AND ${scopeFilter({ departmentIds }, params, 'n.department_id')}`, params, cloudId);
  },

  async node(db: Queryable, node: NodeRow) {
    const [self] = await summarise(db, 'n.id = $1', [node.id]);
    const ancestors = pathIds(node.path).slice(0, -1);
    const crumbs = ancestors.length
      ? await db.query<{ id: string; level: QuotaLevel; name: string }>(`SELECT n.id, n.level, ${NAME} AS name FROM ${NAMED} WHERE n.id = ANY($1::uuid[])`, [ancestors])
      : [];
    const path = ancestors.map((id) => crumbs.find((c) => c.id === id)!).filter(Boolean);
    return { ...self!, parentId: node.parentId, path };
  },

  /** Ledger lines of the node's subtree, newest first, `limit` at a time (cursor = the last id seen). */
  async ledger(db: Queryable, node: NodeRow, f: { cloudId?: string; resourceClass?: string; cursor?: number; limit: number }) {
    const rows = await db.query<{
      id: number; at: Date; nodeId: string; systemName: string; cloudId: string; resourceClass: string; kind: string;
      reservedDelta: number; committedDelta: number; reservationId: string | null; actor: string; ref: string; detail: unknown;
    }>(
      `SELECT l.id, l.at, l.node_id AS "nodeId", ${NAME} AS "systemName", l.cloud_id AS "cloudId", l.resource_class AS "resourceClass", l.kind,
              l.reserved_delta AS "reservedDelta", l.committed_delta AS "committedDelta", l.reservation_id AS "reservationId", l.actor, l.ref, l.detail
       FROM quota_ledger l JOIN ${NAMED} ON n.id = l.node_id
       WHERE n.path LIKE $1 AND ($2::text IS NULL OR l.cloud_id = $2) AND ($3::text IS NULL OR l.resource_class = $3) AND ($4::bigint IS NULL OR l.id < $4)
       ORDER BY l.id DESC LIMIT $5`,
      [`${node.path}%`, f.cloudId ?? null, f.resourceClass ?? null, f.cursor ?? null, f.limit + 1],
    );
    const items = rows.slice(0, f.limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    return { items, nextCursor: rows.length > f.limit ? items[items.length - 1]!.id : null };
  },

  /**
   * Why a node uses what it uses on one cloud and class: its counters, the same figures summed from the
   * ledger of its subtree (they must agree), and the open reservations that make them up, one line each.
   */
  async explain(db: Queryable, node: NodeRow, cloudId: string, resourceClass: ResourceClass) {
    const [counters] = await quotaRepo.readRows(db, [{ nodeId: node.id, cloudId, resourceClass }]);
    const [sums] = await db.query<{ reserved: number; committed: number; lines: number }>(
      `SELECT COALESCE(sum(l.reserved_delta), 0)::bigint AS reserved, COALESCE(sum(l.committed_delta), 0)::bigint AS committed, count(*)::int AS lines
       FROM quota_ledger l JOIN quota_nodes n ON n.id = l.node_id WHERE n.path LIKE $1 AND l.cloud_id = $2 AND l.resource_class = $3`,
      [`${node.path}%`, cloudId, resourceClass],
    );
    const contributions = await db.query<{ reservationId: string; systemId: string; systemName: string; state: string; ref: string; reserved: number; committed: number; createdAt: Date }>(
      `SELECT r.id AS "reservationId", r.system_id AS "systemId", bs.name AS "systemName", r.state, r.ref, r.created_at AS "createdAt",
              sum(l.reserved_delta)::bigint AS reserved, sum(l.committed_delta)::bigint AS committed
       FROM quota_ledger l JOIN quota_nodes n ON n.id = l.node_id JOIN quota_reservations r ON r.id = l.reservation_id
       JOIN business_systems bs ON bs.id = r.system_id
       WHERE n.path LIKE $1 AND l.cloud_id = $2 AND l.resource_class = $3
       GROUP BY r.id, bs.name HAVING sum(l.reserved_delta) <> 0 OR sum(l.committed_delta) <> 0
       ORDER BY r.created_at, r.id LIMIT 1000`,
      [`${node.path}%`, cloudId, resourceClass],
    );
    const reserved = counters?.reserved ?? 0;
    const committed = counters?.committed ?? 0;
    return {
      cloudId, resourceClass, reserved, committed, cap: counters?.cap ?? null, limit: counters?.limit ?? null,
      ledger: { reserved: sums!.reserved, committed: sums!.committed, lines: sums!.lines },
      consistent: sums!.reserved === reserved && sums!.committed === committed,
      contributions: contributions.map((c) => ({ ...c, createdAt: new Date(c.createdAt).toISOString() })),
      contributionsTruncated: contributions.length === 1000,
    };
  },

  /** Usage (reserved + committed) at the end of each of the last `days` days, from the ledger of the subtree. */
  async history(db: Queryable, node: NodeRow, f: { cloudId?: string; resourceClass: ResourceClass; days: number }, now = new Date()) {
    const rows = await db.query<{ day: string; used: number }>(
      `WITH days AS (SELECT generate_series(date_trunc('day', $4::timestamptz) - ($3::int - 1) * interval '1 day', date_trunc('day', $4::timestamptz), interval '1 day') AS day)
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              (SELECT COALESCE(sum(l.reserved_delta + l.committed_delta), 0)::bigint FROM quota_ledger l JOIN quota_nodes n ON n.id = l.node_id
               WHERE n.path LIKE $1 AND ($2::text IS NULL OR l.cloud_id = $2) AND l.resource_class = $5 AND l.at < d.day + interval '1 day') AS used
       FROM days d ORDER BY d.day`,
      [`${node.path}%`, f.cloudId ?? null, f.days, now.toISOString(), f.resourceClass],
    );
    return rows;
  },
};
