import { keyset, keysetOrder, type PageRequest } from '../store/keyset.ts';
import { allOf } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { QuotaItem, QuotaLevel, Reservation, ReservationState, ResourceClass } from './contract.ts';
import type { UsageCounters } from './fit.ts';

/**
 * SQL of the quota tables. Every statement that touches several rows takes them as one jsonb parameter
 * (jsonb_to_recordset), so a batch of any size is one round trip, on PGlite and on PostgreSQL alike.
 */

export interface RowRef {
  nodeId: string;
  cloudId: string;
  resourceClass: ResourceClass;
}

export interface Delta extends RowRef {
  reserved: number;
  committed: number;
}

export interface LedgerEntry extends RowRef {
  kind: 'reserve' | 'commit' | 'release' | 'expire' | 'limit' | 'return';
  reservedDelta: number;
  committedDelta: number;
  reservationId: string | null;
  actor: string;
  ref: string;
  detail?: unknown;
}

export interface NodeRow {
  id: string;
  level: QuotaLevel;
  ref: string;
  parentId: string | null;
  path: string;
  departmentId: string | null;
}

interface ReservationRow {
  id: string;
  systemId: string;
  systemNodeId: string;
  idempotencyKey: string;
  items: QuotaItem[];
  state: ReservationState;
  ref: string;
  actor: string;
  expiresAt: Date;
  createdAt: Date;
}

const COUNTERS = `u.node_id AS "nodeId", u.cloud_id AS "cloudId", u.resource_class AS "resourceClass", u.limit_amount AS "limit",
  u.soft_limit AS "softLimit", u.cap, u.soft_cap AS "softCap", u.reserved, u.committed`;
const NODE = `id, level, ref, parent_id AS "parentId", path, department_id AS "departmentId"`;
const RESERVATION = `id, system_id AS "systemId", system_node_id AS "systemNodeId", idempotency_key AS "idempotencyKey", items, state, ref, actor,
  expires_at AS "expiresAt", created_at AS "createdAt"`;

export type NewReservation = Omit<ReservationRow, 'createdAt'> & { createdAt: Date };

const INSERT_RESERVATIONS = `INSERT INTO quota_reservations (id, system_id, system_node_id, idempotency_key, items, state, ref, actor, expires_at, created_at)
  SELECT id, system_id, system_node_id, idempotency_key, items, state, ref, actor, expires_at, created_at
  FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, system_id uuid, system_node_id uuid, idempotency_key text, items jsonb, state text, ref text,
    actor text, expires_at timestamptz, created_at timestamptz)`;
/** The database's own guard: a row whose cap a positive delta would break is not updated (and the CHECK refuses it anyway). */
const APPLY_DELTAS = `UPDATE quota_usage u SET reserved = u.reserved + d.dr, committed = u.committed + d.dc, updated_at = now()
  FROM jsonb_to_recordset($1::jsonb) AS d(n uuid, c text, r text, dr bigint, dc bigint)
  WHERE u.node_id = d.n AND u.cloud_id = d.c AND u.resource_class = d.r
    AND (d.dr + d.dc <= 0 OR u.cap IS NULL OR u.reserved + u.committed + d.dr + d.dc <= u.cap)
  RETURNING 1`;
const APPEND_LEDGER = `INSERT INTO quota_ledger (at, node_id, cloud_id, resource_class, kind, reserved_delta, committed_delta, reservation_id, actor, ref, detail)
  SELECT $2::timestamptz, n, c, r, kind, dr, dc, rid, actor, ref, detail
  FROM jsonb_to_recordset($1::jsonb) AS x(n uuid, c text, r text, kind text, dr bigint, dc bigint, rid uuid, actor text, ref text, detail jsonb)`;

const reservationsJson = (rows: readonly NewReservation[]) => JSON.stringify(rows.map((r) => ({
  id: r.id, system_id: r.systemId, system_node_id: r.systemNodeId, idempotency_key: r.idempotencyKey, items: r.items, state: r.state,
  ref: r.ref, actor: r.actor, expires_at: r.expiresAt.toISOString(), created_at: r.createdAt.toISOString(),
})));
const deltasJson = (deltas: readonly Delta[]) => JSON.stringify(deltas.map((d) => ({ n: d.nodeId, c: d.cloudId, r: d.resourceClass, dr: d.reserved, dc: d.committed })));
const ledgerJson = (entries: readonly LedgerEntry[]) => JSON.stringify(entries.map((e) => ({
  n: e.nodeId, c: e.cloudId, r: e.resourceClass, kind: e.kind, dr: e.reservedDelta, dc: e.committedDelta, rid: e.reservationId,
  actor: e.actor, ref: e.ref, detail: e.detail ?? null,
})));

const refs = (rows: readonly RowRef[]) => JSON.stringify(rows.map((r) => ({ n: r.nodeId, c: r.cloudId, r: r.resourceClass })));

export const toReservation = (r: ReservationRow): Reservation => ({
  id: r.id, systemId: r.systemId, items: r.items, state: r.state, idempotencyKey: r.idempotencyKey, ref: r.ref,
  expiresAt: new Date(r.expiresAt).toISOString(), createdAt: new Date(r.createdAt).toISOString(),
});

const RESERVATION_ORDER = keysetOrder('desc', ['r.created_at', 'timestamptz'], ['r.id', 'uuid']);

export const quotaRepo = {
  async nodeByRef(db: Queryable, level: QuotaLevel, ref: string): Promise<NodeRow | undefined> {
    return (await db.query<NodeRow>(`SELECT ${NODE} FROM quota_nodes WHERE level = $1 AND ref = $2`, [level, ref]))[0];
  },
  async nodeById(db: Queryable, id: string): Promise<NodeRow | undefined> {
    return (await db.query<NodeRow>(`SELECT ${NODE} FROM quota_nodes WHERE id = $1`, [id]))[0];
  },
  async nodesByIds(db: Queryable, ids: string[]): Promise<NodeRow[]> {
    return db.query<NodeRow>(`SELECT ${NODE} FROM quota_nodes WHERE id = ANY($1::uuid[])`, [ids]);
  },
  /** Creates the node unless it exists (two replicas may race here: the unique (level, ref) settles it). */
  async ensureNode(db: Queryable, n: { id: string; level: QuotaLevel; ref: string; parent: NodeRow | null; departmentId: string | null }): Promise<NodeRow> {
    await db.query(
      `INSERT INTO quota_nodes (id, level, ref, parent_id, path, department_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (level, ref) DO NOTHING`,
      [n.id, n.level, n.ref, n.parent?.id ?? null, `${n.parent?.path ?? '/'}${n.id}/`, n.departmentId],
    );
    return (await quotaRepo.nodeByRef(db, n.level, n.ref))!;
  },
  /** System nodes by system id. */
  async systemNodes(db: Queryable, systemIds: string[]): Promise<NodeRow[]> {
    return db.query<NodeRow>(`SELECT ${NODE} FROM quota_nodes WHERE level = 'system' AND ref = ANY($1::text[])`, [systemIds]);
  },

  /** Creates missing counter rows (no limit) so they can be locked; existing rows are untouched. */
  async ensureRows(db: Queryable, rows: readonly RowRef[]): Promise<void> {
    if (!rows.length) return;
    await db.query(
      `INSERT INTO quota_usage (node_id, cloud_id, resource_class)
       SELECT n, c, r FROM jsonb_to_recordset($1::jsonb) AS k(n uuid, c text, r text) ORDER BY n, c, r
       ON CONFLICT DO NOTHING`,
      [refs(rows)],
    );
  },
  /**
   * Locks the rows in one global order (node, cloud, class): every writer of quota_usage locks through here
   * or in the same order, so concurrent batches queue instead of deadlocking.
   */
  async lockRows(db: Queryable, rows: readonly RowRef[]): Promise<UsageCounters[]> {
    if (!rows.length) return [];
    return db.query<UsageCounters>(
      `SELECT ${COUNTERS} FROM quota_usage u
       JOIN jsonb_to_recordset($1::jsonb) AS k(n uuid, c text, r text) ON u.node_id = k.n AND u.cloud_id = k.c AND u.resource_class = k.r
       ORDER BY u.node_id, u.cloud_id, u.resource_class FOR UPDATE OF u`,
      [refs(rows)],
    );
  },
  /**
   * The batcher's one round trip before deciding: locks the rows (same order as lockRows) and reads the
   * idempotency keys (the audit head is locked later, at the end of the batch, by AuditLog.appendMany). The key read uses the statement's snapshot,
   * taken before any lock wait, so it may miss a key another replica committed meanwhile: then the unique index
   * refuses the insert and the batch is retried (the retry sees it). No second hold is possible either way.
   */
  async lockRowsAndKeys(db: Queryable, rows: readonly RowRef[], keys: string[]): Promise<{ rows: UsageCounters[]; existing: ReservationRow[] }> {
    const [r] = await db.query<{ rows: UsageCounters[]; existing: ReservationRow[] }>(
      `WITH locked AS (
         SELECT ${COUNTERS} FROM quota_usage u
         JOIN jsonb_to_recordset($1::jsonb) AS k(n uuid, c text, r text) ON u.node_id = k.n AND u.cloud_id = k.c AND u.resource_class = k.r
         ORDER BY u.node_id, u.cloud_id, u.resource_class FOR UPDATE OF u
       ), existing AS (SELECT ${RESERVATION} FROM quota_reservations WHERE idempotency_key = ANY($2::text[]))
       SELECT (SELECT COALESCE(json_agg(locked), '[]') FROM locked) AS rows,
              (SELECT COALESCE(json_agg(existing), '[]') FROM existing) AS existing`,
      [refs(rows), keys],
    );
    return { rows: r!.rows, existing: r!.existing };
  },
  /**
   * Reservations, counter deltas (with the cap guard) and ledger lines in one statement. Returns how many counter rows moved; the caller compares.
   */
  async writeReservations(db: Queryable, reservations: NewReservation[], deltas: readonly Delta[], ledger: readonly LedgerEntry[], at: Date): Promise<number> {
    const [r] = await db.query<{ moved: number }>(
      `WITH ins AS (${INSERT_RESERVATIONS} RETURNING 1),
       upd AS (${APPLY_DELTAS.replace('$1', '$2')}),
       led AS (${APPEND_LEDGER.replace('$1', '$3').replace('$2', '$4')} RETURNING 1)
       SELECT (SELECT count(*) FROM upd)::int AS moved, (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM led)::int AS lines`,
      [reservationsJson(reservations), deltasJson(deltas), ledgerJson(ledger), at.toISOString()],
    );
    return r!.moved;
  },
  /**
   * Held amounts moved (a commit, release or expiry): the counters, their ledger lines and the reservations' end by
   * one statement (they were three). Returns how many counter rows moved; the caller compares, and throws (so that
   * its transaction does not commit) on a mismatch.
   */
  async moveAndEnd(db: Queryable, deltas: readonly Delta[], ledger: readonly LedgerEntry[], end: { ids: string[]; state: ReservationState }, at: Date): Promise<number> {
    const [r] = await db.query<{ moved: number }>(
      `WITH upd AS (${APPLY_DELTAS}),
       led AS (${APPEND_LEDGER.replace('$1', '$2').replace('$2::timestamptz', '$3::timestamptz')} RETURNING 1),
       ended AS (UPDATE quota_reservations SET state = $4, ended_at = $3 WHERE id = ANY($5::uuid[]) RETURNING 1)
       SELECT (SELECT count(*) FROM upd)::int AS moved, (SELECT count(*) FROM led)::int AS lines, (SELECT count(*) FROM ended)::int AS ended`,
      [deltasJson(deltas), ledgerJson(ledger), at.toISOString(), end.state, end.ids],
    );
    return r!.moved;
  },
  async readRows(db: Queryable, rows: readonly RowRef[]): Promise<UsageCounters[]> {
    if (!rows.length) return [];
    return db.query<UsageCounters>(
      `SELECT ${COUNTERS} FROM quota_usage u
       JOIN jsonb_to_recordset($1::jsonb) AS k(n uuid, c text, r text) ON u.node_id = k.n AND u.cloud_id = k.c AND u.resource_class = k.r`,
      [refs(rows)],
    );
  },
  /**
   * Applies deltas with the database as the last guard: a row whose cap the delta would break is not
   * updated (and the table's CHECK refuses it anyway). Returns how many rows moved; the caller compares.
   */
  async applyDeltas(db: Queryable, deltas: readonly Delta[]): Promise<number> {
    if (!deltas.length) return 0;
    return (await db.query(APPLY_DELTAS, [deltasJson(deltas)])).length;
  },
  async setLimit(db: Queryable, row: RowRef & { limit: number | null; softLimit: number | null; cap: number | null; softCap: number | null }): Promise<void> {
    await db.query(
      `UPDATE quota_usage SET limit_amount = $4, soft_limit = $5, cap = $6, soft_cap = $7, updated_at = now()
       WHERE node_id = $1 AND cloud_id = $2 AND resource_class = $3`,
      [row.nodeId, row.cloudId, row.resourceClass, row.limit, row.softLimit, row.cap, row.softCap],
    );
  },

  async reservationsByKeys(db: Queryable, keys: string[]): Promise<Array<ReservationRow>> {
    if (!keys.length) return [];
    return db.query<ReservationRow>(`SELECT ${RESERVATION} FROM quota_reservations WHERE idempotency_key = ANY($1::text[])`, [keys]);
  },
  /** The reservation under an idempotency key, its row locked (heldReplay). */
  async lockReservationByKey(db: Queryable, key: string): Promise<ReservationRow | undefined> {
    return (await db.query<ReservationRow>(`SELECT ${RESERVATION} FROM quota_reservations WHERE idempotency_key = $1 FOR UPDATE`, [key]))[0];
  },
  async lockReservations(db: Queryable, ids: string[]): Promise<ReservationRow[]> {
    return db.query<ReservationRow>(`SELECT ${RESERVATION} FROM quota_reservations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  },
  /** Held reservations past their expiry, locked; rows another replica is reaping are skipped, not waited for. */
  async lockExpired(db: Queryable, now: Date, limit: number): Promise<ReservationRow[]> {
    return db.query<ReservationRow>(
      `SELECT ${RESERVATION} FROM quota_reservations WHERE state = 'held' AND expires_at <= $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  },
  async insertReservations(db: Queryable, rows: NewReservation[]): Promise<void> {
    if (!rows.length) return;
    await db.query(INSERT_RESERVATIONS, [reservationsJson(rows)]);
  },
  /** Whether committed usage was already given back under this key (QuotaService.returnCommitted). */
  async returnedUnder(db: Queryable, key: string): Promise<boolean> {
    return (await db.query(`SELECT 1 FROM quota_ledger WHERE kind = 'return' AND detail->>'returnKey' = $1 LIMIT 1`, [key])).length > 0;
  },

  async appendLedger(db: Queryable, entries: readonly LedgerEntry[], at: Date): Promise<void> {
    if (!entries.length) return;
    await db.query(APPEND_LEDGER, [ledgerJson(entries), at.toISOString()]);
  },

  async overcommit(db: Queryable, cloudId: string, resourceClass: ResourceClass): Promise<number> {
    if (resourceClass !== 'vcpu' && resourceClass !== 'memoryGiB') return 1;
    const [row] = await db.query<{ ratio: number }>(`SELECT ratio FROM quota_overcommit WHERE cloud_id = $1 AND resource_class = $2`, [cloudId, resourceClass]);
    return row ? Number(row.ratio) : 1;
  },
  /** Every overcommit ratio set, by cloud and class. */
  async overcommitRatios(db: Queryable): Promise<{ cloudId: string; resourceClass: string; ratio: number }[]> {
    return (await db.query<{ cloudId: string; resourceClass: string; ratio: number }>(
      `SELECT cloud_id AS "cloudId", resource_class AS "resourceClass", ratio FROM quota_overcommit ORDER BY cloud_id, resource_class`,
    )).map((r) => ({ ...r, ratio: Number(r.ratio) }));
  },

  /** Reservations of the systems below a node (its subtree), newest first. */
  /** Reservations of the systems under a node, newest first, a page at a time by (created_at, id) (store/keyset.ts, indexes of 0173). */
  async reservationsUnder(db: Queryable, node: NodeRow, f: { state?: string }, page: PageRequest) {
    const params: unknown[] = [`${node.path}%`];
    const where = ['n.path LIKE $1', f.state ? `r.state = $${params.push(f.state)}` : null];
    const k = keyset(RESERVATION_ORDER, page, params);
    const p = k.page(await db.query<{ id: string; systemId: string; items: unknown; state: string; idempotencyKey: string; ref: string; actor: string; expiresAt: Date; createdAt: Date }>(
      `SELECT r.id, r.system_id AS "systemId", r.items, r.state, r.idempotency_key AS "idempotencyKey", r.ref, r.actor, r.expires_at AS "expiresAt", r.created_at AS "createdAt"${k.select}
       FROM quota_reservations r JOIN quota_nodes n ON n.id = r.system_node_id
       WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    ));
    return { items: p.items.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt).toISOString(), createdAt: new Date(r.createdAt).toISOString() })), nextCursor: p.nextCursor };
  },

  /** The province-level usage rows of one cloud and class, locked (an overcommit change recomputes their caps). */
  async lockProvinceRows(db: Queryable, cloudId: string, resourceClass: ResourceClass) {
    return db.query<{ nodeId: string; limit: number | null; softLimit: number | null; used: number }>(
      `SELECT u.node_id AS "nodeId", u.limit_amount AS "limit", u.soft_limit AS "softLimit", u.reserved + u.committed AS used
     FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id
     WHERE n.level = 'province' AND u.cloud_id = $1 AND u.resource_class = $2 ORDER BY u.node_id FOR UPDATE OF u`,
      [cloudId, resourceClass],
    );
  },
  async setOvercommit(db: Queryable, cloudId: string, resourceClass: ResourceClass, ratio: number): Promise<void> {
    await db.query(
      `INSERT INTO quota_overcommit (cloud_id, resource_class, ratio) VALUES ($1, $2, $3)
     ON CONFLICT (cloud_id, resource_class) DO UPDATE SET ratio = EXCLUDED.ratio, updated_at = now()`,
      [cloudId, resourceClass, ratio],
    );
  },
  /** A department's division code (its place in the tree: city or province). */
  async departmentDivision(db: Queryable, departmentId: string): Promise<{ id: string; divisionCode: string } | undefined> {
    const [d] = await db.query<{ id: string; divisionCode: string }>(`SELECT id, division_code AS "divisionCode" FROM departments WHERE id = $1`, [departmentId]);
    return d;
  },
  async systemDepartment(db: Queryable, systemId: string): Promise<{ departmentId: string } | undefined> {
    const [system] = await db.query<{ departmentId: string }>(`SELECT department_id AS "departmentId" FROM business_systems WHERE id = $1`, [systemId]);
    return system;
  },
  async isCityDivision(db: Queryable, code: string): Promise<boolean> {
    const [div] = await db.query(`SELECT 1 FROM divisions WHERE code = $1 AND level = 'city'`, [code]);
    return !!div;
  },
  async knownClouds(db: Queryable, ids: string[]): Promise<string[]> {
    return (await db.query<{ id: string }>(`SELECT id FROM clouds WHERE id = ANY($1::text[])`, [ids])).map((r) => r.id);
  },
};

/** The ids on a node's path, root first (the path column holds them). */
export const pathIds = (path: string): string[] => path.split('/').filter(Boolean);
