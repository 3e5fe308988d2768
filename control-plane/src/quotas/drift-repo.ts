import type { Scope } from '../auth/scope.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

/**
 * Usage against what the cloud reports, after each inventory sync of that cloud. What a system's tenant
 * space holds (live VMs and workloads: vCPU, memory and GPU times replicas; VMs and volumes: storage) is
 * compared with the usage committed to the system's quota on that cloud and with the resources Ganyun delivered
 * there: more than committed, or less than delivered, is drift; the rows that differ replace the cloud's
 * previous drift list. Nothing is adjusted: usage moves only through the ledger, and an operator
 * decides what a difference means (a resource created behind Ganyun's back, one deleted, a failed commit).
 *
 * A tenant space belongs to a system by its label `ganyun.system` or by its name `sys-<system id>`.
 */
const RECONCILE = `
WITH spaces AS (
  SELECT o.tenant, bs.id AS system_id
  FROM inventory_objects o
  JOIN business_systems bs ON bs.id::text = COALESCE(o.spec->'labels'->>'ganyun.system', substring(o.tenant FROM '^sys-([0-9a-f-]{36})$'))
  WHERE o.cloud_id = $1 AND o.kind = 'tenant-space' AND o.deleted_at IS NULL
),
num AS (
  SELECT o.tenant, o.kind,
    COALESCE((o.spec->'size'->>'vcpu')::numeric, 0) AS vcpu, COALESCE((o.spec->'size'->>'memoryGiB')::numeric, 0) AS mem,
    COALESCE((o.spec->'size'->>'storageGiB')::numeric, 0) AS storage, COALESCE((o.spec->'size'->>'gpu')::numeric, 0) AS gpu,
    COALESCE((o.spec->'size'->>'replicas')::numeric, 1) AS replicas
  FROM inventory_objects o
  WHERE o.cloud_id = $1 AND o.deleted_at IS NULL AND o.kind IN ('vm', 'workload', 'volume') AND o.tenant IN (SELECT tenant FROM spaces)
),
per_tenant AS (
  SELECT tenant,
    sum(CASE WHEN kind IN ('vm', 'workload') THEN vcpu * replicas ELSE 0 END) AS vcpu,
    sum(CASE WHEN kind IN ('vm', 'workload') THEN mem * replicas ELSE 0 END) AS mem,
    sum(CASE WHEN kind IN ('vm', 'workload') THEN gpu * replicas ELSE 0 END) AS gpu,
    sum(CASE WHEN kind IN ('vm', 'volume') THEN storage ELSE 0 END) AS storage
  FROM num GROUP BY tenant
),
observed AS (
  -- A system with several tenant spaces on one cloud: their usage adds up.
  SELECT s.system_id, string_agg(DISTINCT s.tenant, ',') AS tenant, c.resource_class, sum(c.amount)::bigint AS observed
  FROM spaces s LEFT JOIN per_tenant t ON t.tenant = s.tenant
  CROSS JOIN LATERAL (VALUES ('vcpu', COALESCE(t.vcpu, 0)), ('memoryGiB', COALESCE(t.mem, 0)), ('gpu', COALESCE(t.gpu, 0)), ('storageGiB', COALESCE(t.storage, 0))) AS c(resource_class, amount)
  GROUP BY s.system_id, c.resource_class
),
recorded AS (
  SELECT n.ref::uuid AS system_id, u.resource_class, u.committed
  FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id AND n.level = 'system'
  WHERE u.cloud_id = $1 AND u.resource_class IN ('vcpu', 'memoryGiB', 'gpu', 'storageGiB')
),
delivered AS (
  -- What the resources Ganyun delivered there and holds live are sized at: the cloud must run at least this.
  SELECT r.system_id, q.key AS resource_class, sum(q.value::numeric) AS expected
  FROM resources r CROSS JOIN LATERAL jsonb_each_text(r.quota) AS q(key, value)
  WHERE r.cloud_id = $1 AND r.state = 'active' AND q.key IN ('vcpu', 'memoryGiB', 'gpu', 'storageGiB')
  GROUP BY r.system_id, q.key
)
INSERT INTO quota_drift (cloud_id, system_id, resource_class, tenant, recorded, observed, checked_at)
SELECT $1, o.system_id, o.resource_class, o.tenant, COALESCE(r.committed, 0), o.observed, $2
FROM observed o LEFT JOIN recorded r ON r.system_id = o.system_id AND r.resource_class = o.resource_class
                LEFT JOIN delivered d ON d.system_id = o.system_id AND d.resource_class = o.resource_class
-- Drift is the cloud running more than the books allow, or less than Ganyun delivered. Committed room that no
-- object uses (a quota-only grant, a host released but its room kept) is utilisation, not drift.
WHERE o.observed > COALESCE(r.committed, 0) OR o.observed < COALESCE(d.expected, 0)
ON CONFLICT (cloud_id, system_id, resource_class) DO UPDATE SET tenant = EXCLUDED.tenant, recorded = EXCLUDED.recorded, observed = EXCLUDED.observed, checked_at = EXCLUDED.checked_at
RETURNING 1`;

export interface DriftLine {
  cloudId: string;
  systemId: string;
  systemName: string;
  departmentId: string;
  resourceClass: string;
  tenant: string;
  recorded: number;
  observed: number;
  checkedAt: string;
}

/** Unique: the table's primary key, in its order. */
const DRIFT_ORDER = keysetOrder('asc', ['d.cloud_id', 'text'], ['d.system_id', 'uuid'], ['d.resource_class', 'text']);

function driftFilters(scope: Scope, f: { cloudId?: string | undefined }, params: unknown[]): (string | null)[] {
  return [f.cloudId ? `d.cloud_id = $${params.push(f.cloudId)}` : null, scopeFilter(scope, params, 'bs.department_id')];
}

export const driftRepo = {
  /** Replaces the cloud's drift lines with what its inventory shows now; how many lines differ. */
  async replaceForCloud(db: Queryable, cloudId: string, now: Date): Promise<number> {
    await db.query('DELETE FROM quota_drift WHERE cloud_id = $1', [cloudId]);
    return (await db.query(RECONCILE, [cloudId, now])).length;
  },

  /**
   * A page of the drift lines of the systems in the caller's scope (optionally of one cloud), by cloud, system and
   * resource class: the table's primary key, so the page is one walk of its index (store/keyset.ts). The lines are
   * stored rows (written by each sync), not computed per call. A system's lines stay together; systems come in
   * id order, not by name (an order by name would sort every line in scope for each page). Scope is the system's
   * department, through business_systems as before.
   */
  async page(db: Queryable, scope: Scope, f: { cloudId?: string | undefined }, page: PageRequest): Promise<Page<DriftLine>> {
    const params: unknown[] = [];
    const filters = driftFilters(scope, f, params);
    const k = keyset(DRIFT_ORDER, page, params);
    const p = k.page(await db.query<DriftLine & { checkedAt: Date }>(
      `SELECT d.cloud_id AS "cloudId", d.system_id AS "systemId", bs.name AS "systemName", bs.department_id AS "departmentId",
              d.resource_class AS "resourceClass", d.tenant, d.recorded, d.observed, d.checked_at AS "checkedAt"${k.select}
       FROM quota_drift d JOIN business_systems bs ON bs.id = d.system_id
       WHERE ${allOf(...filters, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    ));
    return { items: p.items.map((r) => ({ ...r, checkedAt: new Date(r.checkedAt).toISOString() })), nextCursor: p.nextCursor };
  },

  /** How many drift lines the caller's scope and filter admit (the count the console shows). */
  async total(db: Queryable, scope: Scope, f: { cloudId?: string | undefined }): Promise<number> {
    const params: unknown[] = [];
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM quota_drift d JOIN business_systems bs ON bs.id = d.system_id WHERE ${allOf(...driftFilters(scope, f, params))}`, params);
    return row?.n ?? 0;
  },
};
