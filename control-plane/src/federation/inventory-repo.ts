import type { Scope } from '../auth/scope.ts';
import { scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

/** One observed object, flattened for a bulk upsert. */
export interface ObservedObject {
  key: string;
  kind: string;
  tenant: string | null;
  name: string;
  arch: string | null;
  status: string | null;
  spec: unknown;
  revision: number;
}

export interface ChangeCounts {
  created: number;
  updated: number;
  deleted: number;
}

export interface SyncRunRow {
  id: string;
  mode: 'full' | 'incremental';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  objects: number;
  created: number;
  updated: number;
  deleted: number;
  error: string | null;
}

/**
 * One statement per page: the page travels as one jsonb parameter, is unpacked by jsonb_to_recordset and
 * upserted in one multi-row INSERT … ON CONFLICT. The SET clause reads the row as it was to classify the change
 * (new or back from deleted → created, new revision → updated), which the statement then counts.
 */
const UPSERT_PAGE = `
WITH up AS (
  INSERT INTO inventory_objects AS t (cloud_id, key, kind, tenant, name, arch, status, spec, revision, first_seen_at, last_seen_at, deleted_at, last_change)
  SELECT $1, key, kind, tenant, name, arch, status, spec, revision, $3, $3, NULL, 'created'
    FROM jsonb_to_recordset($2::jsonb) AS x(key text, kind text, tenant text, name text, arch text, status text, spec jsonb, revision bigint)
  ON CONFLICT (cloud_id, key) DO UPDATE SET
    kind = EXCLUDED.kind, tenant = EXCLUDED.tenant, name = EXCLUDED.name, arch = EXCLUDED.arch, status = EXCLUDED.status,
    spec = EXCLUDED.spec, revision = EXCLUDED.revision, last_seen_at = EXCLUDED.last_seen_at, deleted_at = NULL,
    first_seen_at = CASE WHEN t.deleted_at IS NULL THEN t.first_seen_at ELSE EXCLUDED.first_seen_at END,
    last_change = CASE WHEN t.deleted_at IS NOT NULL THEN 'created' WHEN t.revision IS DISTINCT FROM EXCLUDED.revision THEN 'updated' ELSE 'none' END
  RETURNING t.last_change
)
SELECT count(*) FILTER (WHERE last_change = 'created')::int AS created, count(*) FILTER (WHERE last_change = 'updated')::int AS updated FROM up`;

export const inventoryRepo = {
  async upsertPage(db: Queryable, cloudId: string, objects: ObservedObject[], seenAt: Date): Promise<{ created: number; updated: number }> {
    if (objects.length === 0) return { created: 0, updated: 0 };
    const [row] = await db.query<{ created: number; updated: number }>(UPSERT_PAGE, [cloudId, JSON.stringify(objects), seenAt]);
    return { created: row!.created, updated: row!.updated };
  },

  /** Tombstones from an incremental listing. */
  async markDeleted(db: Queryable, cloudId: string, keys: string[], at: Date): Promise<number> {
    if (keys.length === 0) return 0;
    const rows = await db.query(
      'UPDATE inventory_objects SET deleted_at = $3 WHERE cloud_id = $1 AND key = ANY($2::text[]) AND deleted_at IS NULL RETURNING 1',
      [cloudId, keys, at],
    );
    return rows.length;
  },

  /** After a full listing: whatever was not seen in it has gone behind Ganyun's back. */
  async markUnseenDeleted(db: Queryable, cloudId: string, seenAt: Date): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `WITH gone AS (UPDATE inventory_objects SET deleted_at = $2 WHERE cloud_id = $1 AND deleted_at IS NULL AND last_seen_at < $2 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [cloudId, seenAt],
    );
    return row!.n;
  },

  async cursor(db: Queryable, cloudId: string): Promise<string | null> {
    const [row] = await db.query<{ cursor: string | null }>('SELECT cursor FROM cloud_sync_state WHERE cloud_id = $1', [cloudId]);
    return row?.cursor ?? null;
  },

  async setCursor(db: Queryable, cloudId: string, cursor: string): Promise<void> {
    await db.query(
      'INSERT INTO cloud_sync_state (cloud_id, cursor) VALUES ($1, $2) ON CONFLICT (cloud_id) DO UPDATE SET cursor = EXCLUDED.cursor',
      [cloudId, cursor],
    );
  },

  /** Records what Ganyun provisioned, so that drift shows when the cloud's object stops matching it. */
  async setExpected(db: Queryable, cloudId: string, obj: Omit<ObservedObject, 'revision'>, expected: unknown, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO inventory_objects (cloud_id, key, kind, tenant, name, arch, status, spec, revision, first_seen_at, last_seen_at, expected)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9, $10)
       ON CONFLICT (cloud_id, key) DO UPDATE SET expected = EXCLUDED.expected`,
      [cloudId, obj.key, obj.kind, obj.tenant, obj.name, obj.arch, obj.status, JSON.stringify(obj.spec), at, expected === null ? null : JSON.stringify(expected)],
    );
  },

  /**
   * An object Ganyun may have made and could not remove or account for (a workflow step needs attention):
   * listed as orphaned, with why, until a sync or an operator settles it. Inserted when no sync saw it yet.
   */
  async markOrphaned(db: Queryable, cloudId: string, obj: Omit<ObservedObject, 'revision' | 'status' | 'spec'> & { spec: unknown }, why: string, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO inventory_objects (cloud_id, key, kind, tenant, name, arch, status, spec, revision, first_seen_at, last_seen_at, orphaned_by)
       VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, 0, $8, $8, $9)
       ON CONFLICT (cloud_id, key) DO UPDATE SET orphaned_by = EXCLUDED.orphaned_by`,
      [cloudId, obj.key, obj.kind, obj.tenant, obj.name, obj.arch, JSON.stringify(obj.spec), at, why.slice(0, 1000)],
    );
  },

  async orphans(db: Queryable, cloudId: string) {
    return db.query<{ key: string; kind: string; name: string; orphanedBy: string; deletedAt: Date | null }>(
      `SELECT key, kind, name, orphaned_by AS "orphanedBy", deleted_at AS "deletedAt" FROM inventory_objects
        WHERE cloud_id = $1 AND orphaned_by IS NOT NULL ORDER BY key LIMIT 1000`,
      [cloudId],
    );
  },

  async clearExpected(db: Queryable, cloudId: string, key: string): Promise<void> {
    await db.query('UPDATE inventory_objects SET expected = NULL WHERE cloud_id = $1 AND key = $2', [cloudId, key]);
  },

  async withExpectations(db: Queryable, cloudId: string) {
    return db.query<{ key: string; kind: string; name: string; spec: unknown; expected: unknown; deletedAt: Date | null }>(
      `SELECT key, kind, name, spec, expected, deleted_at AS "deletedAt" FROM inventory_objects
        WHERE cloud_id = $1 AND expected IS NOT NULL ORDER BY key LIMIT 1000`,
      [cloudId],
    );
  },

  /**
   * A page of a cloud's inventory as the caller may see it: a department caller sees only the objects of its
   * systems' tenant spaces (a tenant space belongs to a system by its label `ganyun.system` or its name
   * `sys-<system id>`, as onboarding names it); objects of no system are the operators' (issue 19.5).
   */
  async list(db: Queryable, cloudId: string, scope: Scope, q: { kind?: string; search?: string; includeDeleted?: boolean; orphaned?: boolean; limit: number; cursor?: string }) {
    const params: unknown[] = [cloudId];
    const where = ['cloud_id = $1'];
    const owned = scopeFilter(scope, params, 'bs.department_id');
    if (owned) {
      where.push(`EXISTS (SELECT 1 FROM business_systems bs WHERE ${owned}
        AND bs.id::text IN (o.spec->'labels'->>'ganyun.system', substring(COALESCE(o.tenant, o.name) FROM '^sys-([0-9a-f-]{36})$')))`);
    }
    if (q.kind) where.push(`kind = $${params.push(q.kind)}`);
    if (q.search) where.push(`(name ILIKE $${params.push(`%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} OR key ILIKE $${params.length})`);
    if (!q.includeDeleted) where.push('deleted_at IS NULL');
    if (q.orphaned) where.push('orphaned_by IS NOT NULL');
    if (q.cursor) where.push(`key > $${params.push(q.cursor)}`);
    const rows = await db.query<{ key: string; kind: string; tenant: string | null; name: string; arch: string | null; status: string | null; lastSeenAt: Date; deletedAt: Date | null; orphanedBy: string | null }>(
      `SELECT key, kind, tenant, name, arch, status, last_seen_at AS "lastSeenAt", deleted_at AS "deletedAt", orphaned_by AS "orphanedBy"
         FROM inventory_objects o WHERE ${where.join(' AND ')} ORDER BY key LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    const more = rows.length > q.limit;
    const items = more ? rows.slice(0, q.limit) : rows;
    return { items, nextCursor: more ? items.at(-1)!.key : null };
  },

  async startRun(db: Queryable, run: { id: string; cloudId: string; mode: 'full' | 'incremental'; startedAt: Date }): Promise<void> {
    await db.query(
      `INSERT INTO sync_runs (id, cloud_id, mode, status, started_at) VALUES ($1, $2, $3, 'running', $4)`,
      [run.id, run.cloudId, run.mode, run.startedAt],
    );
  },

  async finishRun(db: Queryable, id: string, r: { mode: 'full' | 'incremental'; status: 'succeeded' | 'failed'; objects: number; counts: ChangeCounts; error: string | null; cursor: string | null }) {
    await db.query(
      `UPDATE sync_runs SET mode = $2, status = $3, finished_at = now(), objects = $4, created = $5, updated = $6, deleted = $7,
         error = $8, cursor = $9, updated_at = now() WHERE id = $1`,
      [id, r.mode, r.status, r.objects, r.counts.created, r.counts.updated, r.counts.deleted, r.error, r.cursor],
    );
  },

  async runs(db: Queryable, cloudId: string, limit = 20): Promise<SyncRunRow[]> {
    return db.query<SyncRunRow>(
      `SELECT id, mode, status, started_at AS "startedAt", finished_at AS "finishedAt", objects, created, updated, deleted, error
         FROM sync_runs WHERE cloud_id = $1 ORDER BY started_at DESC LIMIT $2`,
      [cloudId, limit],
    );
  },

  async run(db: Queryable, id: string): Promise<SyncRunRow | undefined> {
    const [row] = await db.query<SyncRunRow>(
      `SELECT id, mode, status, started_at AS "startedAt", finished_at AS "finishedAt", objects, created, updated, deleted, error FROM sync_runs WHERE id = $1`,
      [id],
    );
    return row;
  },

  /** The live objects of some kinds on one cloud (a device's host, interfaces and VPN instances), by kind and name. */
  async liveOfKinds(db: Queryable, cloudId: string, kinds: string[]) {
    return db.query<{ kind: string; name: string; spec: unknown; lastSeenAt: Date }>(
      `SELECT kind, name, spec, last_seen_at AS "lastSeenAt" FROM inventory_objects
        WHERE cloud_id = $1 AND deleted_at IS NULL AND kind = ANY($2::text[]) ORDER BY kind, name`,
      [cloudId, kinds],
    );
  },

  /** How many live objects of each kind one cloud holds. */
  async liveCountsByKind(db: Queryable, cloudId: string) {
    return db.query<{ kind: string; n: number }>(
      'SELECT kind, count(*)::int AS n FROM inventory_objects WHERE cloud_id = $1 AND deleted_at IS NULL GROUP BY kind ORDER BY kind',
      [cloudId],
    );
  },
};
