import { allOf, scopeFilter } from '../store/scope-filter.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import type { Queryable } from '../store/store.ts';
import { addressInsert, type NewAddress } from './address-insert.ts';
import { addressFromDb, blockFromDb, formatAddress, formatBlock, type Family, type Range } from './ip-math.ts';

/** SQL for IPAM. Texts leave here canonical (ip-math formats them), whatever PostgreSQL printed. */
export interface VrfRow {
  id: string;
  name: string;
  rd: string | null;
  importTargets: string[];
  exportTargets: string[];
  planeId: string | null;
  departmentId: string | null;
  kind: 'extranet' | 'department' | 'global';
  migrationState: 'planned' | 'in-progress' | 'migrated' | 'verified' | null;
  description: string;
}

export interface UsedRanges {
  used: Range[];
  /** The returned occupants: where each ends and its CIDR (to name the new fill hint). */
  bounds: { end: bigint; cidr: string }[];
  complete: boolean;
}

export type PrefixKind = 'aggregate' | 'container' | 'assigned';
export type PrefixStatus = 'active' | 'reserved' | 'deprecated';

export interface PrefixRow {
  id: string;
  vrfId: string;
  cidr: string;
  family: Family;
  parentId: string | null;
  depth: number;
  kind: PrefixKind;
  status: PrefixStatus;
  unitCode: string | null;
  planeId: string | null;
  description: string;
  idempotencyKey: string | null;
  /** Allocation hint (see the migration); internal. */
  fillCidr?: string | null;
}

export interface AddressRow {
  id: string;
  vrfId: string;
  prefixId: string;
  address: string;
  family: Family;
  status: PrefixStatus;
  unitCode: string | null;
  planeId: string | null;
  dnsName: string | null;
  description: string;
  idempotencyKey: string | null;
}

const VRF_COLUMNS = `id, name, rd, import_targets AS "importTargets", export_targets AS "exportTargets", plane_id AS "planeId",
  department_id AS "departmentId", kind, migration_state AS "migrationState", description`;
/** Beware: `cidr` and `address` come out as text aliases; ORDER BY must name the table's column (qualified). */
const PREFIX_COLUMNS = `id, vrf_id AS "vrfId", cidr::text AS cidr, family, parent_id AS "parentId", depth, kind, status,
  unit_code AS "unitCode", plane_id AS "planeId", description, idempotency_key AS "idempotencyKey"`;
/** The prefix columns plus the allocation hint, for the locked parent of an allocation. */
const PARENT_COLUMNS = `${PREFIX_COLUMNS}, fill_cidr::text AS "fillCidr"`;
const ADDRESS_COLUMNS = `id, vrf_id AS "vrfId", prefix_id AS "prefixId", address::text AS address, family, status,
  unit_code AS "unitCode", plane_id AS "planeId", dns_name AS "dnsName", description, idempotency_key AS "idempotencyKey"`;

const canonPrefix = (r: PrefixRow): PrefixRow => ({ ...r, cidr: formatBlock(blockFromDb(r.cidr)) });

/**
 * For a statement that reads which prefixes it needs and locks them at once: a query locking the prefixes whose ids
 * `ids` (a query of one uuid column) selects, FOR UPDATE in id order as lockPrefixes does, with lockPrefixes'
 * columns; `lockedPrefix` makes each of its rows (read back through json) what lockPrefixes answers.
 */
export const lockPrefixesQuery = (ids: string): string => `SELECT ${PARENT_COLUMNS} FROM ipam_prefixes WHERE id IN (${ids}) ORDER BY id FOR UPDATE`;
export const lockedPrefix = (r: PrefixRow): PrefixRow => canonPrefix(r);
const canonAddress = (r: AddressRow): AddressRow => {
  const a = addressFromDb(r.address);
  return { ...r, address: formatAddress(a.family, a.value) };
};

/** A prefix to insert: a row as stored, but with its parent (whose depth gives the row's) rather than parentId and depth. */
export interface NewPrefix extends Omit<PrefixRow, 'parentId' | 'depth' | 'fillCidr'> {
  parent: { id: string; depth: number; cidr: string } | null;
}

// Qualified: the SELECT lists name their text forms `cidr` and `address`, which ORDER BY would take instead.
const PREFIX_ORDER = keysetOrder('asc', ['ipam_prefixes.cidr', 'cidr']);
const ADDRESS_ORDER = keysetOrder('asc', ['ipam_addresses.address', 'inet']);

/** A parent's occupant that bounds a gap, as `usedRanges` reads it. */
type UsedRow = { pid: string; prevHi: string | null; loText: string; hiText: string; cidr: string };

/**
 * The gap-bounding occupants of the parents $1 (ids) after $2 (their fill hints), numbered per parent (rn, for the
 * cut at $3): see usedRanges.
 */
const USED_RANGES_CTES = `WITH h AS (SELECT * FROM unnest($1::uuid[], $2::cidr[]) AS h(pid, after)),
       occ AS (
         SELECT h.pid, c.cidr::inet AS lo, broadcast(c.cidr) AS hi FROM h JOIN ipam_prefixes c ON c.parent_id = h.pid AND c.cidr > h.after
         UNION ALL
         SELECT h.pid, a.address, a.address FROM h JOIN ipam_addresses a ON a.prefix_id = h.pid AND a.address > h.after
       ), w AS (
         SELECT pid, lo, hi, lag(hi) OVER (PARTITION BY pid ORDER BY lo) AS prev_hi, lead(lo) OVER (PARTITION BY pid ORDER BY lo) AS next_lo FROM occ
       ), g AS (
         SELECT pid, lo, hi, prev_hi, row_number() OVER (PARTITION BY pid ORDER BY lo) AS rn FROM w
         -- CASE, not OR: "+ 1" on the last address of the space would overflow, and OR does not promise an order.
         -- set_masklen compares addresses whatever the lengths of the two blocks (cheaper than text round trips).
         WHERE CASE WHEN prev_hi IS NULL OR next_lo IS NULL THEN true
                    ELSE set_masklen(prev_hi + 1, masklen(lo)) <> lo OR set_masklen(hi + 1, masklen(next_lo)) <> next_lo END
       )`;

const usedRangesParams = (parents: readonly { id: string; family: Family; after: string | null }[], limit: number | null) =>
  [parents.map((p) => p.id), parents.map((p) => p.after ?? (p.family === 'ipv4' ? '0.0.0.0/0' : '::/0')), limit];

/** The occupied ranges of each parent from its gap-bounding occupants in address order. */
function usedRangesOf(rows: readonly UsedRow[], parents: readonly { id: string }[], limit: number | null): Map<string, UsedRanges> {
  const out = new Map<string, UsedRanges & { n: number; runStart: bigint | null }>();
  for (const p of parents) out.set(p.id, { used: [], bounds: [], complete: true, n: 0, runStart: null });
  // Each returned occupant is bounded by a gap on at least one side; occupants between two returned ones
  // are contiguous, so the used range between them is [lo of one, hi of the next run] — merge runs.
  for (const r of rows) {
    const acc = out.get(r.pid)!;
    const lo = addressFromDb(r.loText).value;
    const hi = addressFromDb(r.hiText).value + 1n;
    const gapBefore = r.prevHi === null || addressFromDb(r.prevHi).value + 1n !== lo;
    if (gapBefore || acc.runStart === null) acc.runStart = lo;
    const last = acc.used[acc.used.length - 1];
    if (!gapBefore && last && last.start === acc.runStart) last.end = hi;
    else acc.used.push({ start: acc.runStart, end: hi });
    acc.bounds.push({ end: hi, cidr: r.cidr });
    acc.n += 1;
  }
  return new Map([...out].map(([id, a]) => [id, { used: a.used, bounds: a.bounds, complete: limit === null || a.n < limit }]));
}

export const ipamRepo = {
  async vrfs(db: Queryable, departmentIds: string[] | null): Promise<VrfRow[]> {
    const params: unknown[] = [];
    return db.query<VrfRow>(
      `SELECT ${VRF_COLUMNS} FROM ipam_vrfs WHERE ${allOf(scopeFilter({ departmentIds }, params, 'department_id', { shared: true }))} ORDER BY name`,
      params,
    );
  },
  async vrfById(db: Queryable, id: string): Promise<VrfRow | null> {
    return (await db.query<VrfRow>(`SELECT ${VRF_COLUMNS} FROM ipam_vrfs WHERE id = $1`, [id]))[0] ?? null;
  },
  async vrfByName(db: Queryable, name: string): Promise<VrfRow | null> {
    return (await db.query<VrfRow>(`SELECT ${VRF_COLUMNS} FROM ipam_vrfs WHERE name = $1`, [name]))[0] ?? null;
  },
  async insertVrf(db: Queryable, v: VrfRow): Promise<void> {
    await db.query(
      `INSERT INTO ipam_vrfs (id, name, rd, import_targets, export_targets, plane_id, department_id, kind, migration_state, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [v.id, v.name, v.rd, v.importTargets, v.exportTargets, v.planeId, v.departmentId, v.kind, v.migrationState, v.description],
    );
  },
  async updateVrf(db: Queryable, v: VrfRow): Promise<void> {
    await db.query(
      `UPDATE ipam_vrfs SET rd = $2, import_targets = $3, export_targets = $4, plane_id = $5, migration_state = $6, description = $7, updated_at = now()
       WHERE id = $1`,
      [v.id, v.rd, v.importTargets, v.exportTargets, v.planeId, v.migrationState, v.description],
    );
  },
  /** The VRF using this route distinguisher, if any. */
  async vrfWithRd(db: Queryable, rd: string): Promise<{ id: string; name: string } | undefined> {
    const [other] = await db.query<{ name: string; id: string }>('SELECT id, name FROM ipam_vrfs WHERE rd = $1', [rd]);
    return other;
  },
  async departmentExists(db: Queryable, id: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM departments WHERE id = $1', [id])).length > 0;
  },
  async prefixCountOfVrf(db: Queryable, vrfId: string): Promise<number> {
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_prefixes WHERE vrf_id = $1', [vrfId]);
    return n!.n;
  },
  async deleteVrf(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM ipam_vrfs WHERE id = $1', [id]);
  },

  async prefixById(db: Queryable, id: string): Promise<PrefixRow | null> {
    const r = (await db.query<PrefixRow>(`SELECT ${PREFIX_COLUMNS} FROM ipam_prefixes WHERE id = $1`, [id]))[0];
    return r ? canonPrefix(r) : null;
  },
  /** The parent lock of an allocation: one row, never the table. */
  async lockPrefix(tx: Queryable, id: string): Promise<PrefixRow | null> {
    const r = (await tx.query<PrefixRow>(`SELECT ${PREFIX_COLUMNS} FROM ipam_prefixes WHERE id = $1 FOR UPDATE`, [id]))[0];
    return r ? canonPrefix(r) : null;
  },
  async prefixes(db: Queryable, vrfIds: string[]): Promise<PrefixRow[]> {
    return (await db.query<PrefixRow>(`SELECT ${PREFIX_COLUMNS} FROM ipam_prefixes WHERE vrf_id = ANY($1::uuid[]) ORDER BY vrf_id, ipam_prefixes.cidr`, [vrfIds])).map(canonPrefix);
  },
  async prefixesByIds(db: Queryable, ids: string[]): Promise<PrefixRow[]> {
    if (!ids.length) return [];
    return (await db.query<PrefixRow>(`SELECT ${PREFIX_COLUMNS} FROM ipam_prefixes WHERE id = ANY($1::uuid[]) ORDER BY ipam_prefixes.cidr`, [ids])).map(canonPrefix);
  },
  /**
   * A page of the children of a prefix (null: the top level of the VRF) in address order (store/keyset.ts; the
   * children of one parent never overlap, so the CIDR alone is a unique key). Two shapes so each walks its index
   * in order and stops at the page (roots: ipam_prefixes_roots_idx, children: ipam_prefixes_children_idx);
   * IS NOT DISTINCT FROM would use neither.
   */
  async childPage(db: Queryable, vrfId: string, parentId: string | null, page: PageRequest): Promise<Page<PrefixRow>> {
    const params: unknown[] = [vrfId];
    const where = parentId === null ? 'vrf_id = $1 AND parent_id IS NULL' : `vrf_id = $1 AND parent_id = $${params.push(parentId)}`;
    const k = keyset(PREFIX_ORDER, page, params);
    const p = k.page(await db.query<PrefixRow>(`SELECT ${PREFIX_COLUMNS}${k.select} FROM ipam_prefixes WHERE ${allOf(where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
    return { items: p.items.map(canonPrefix), nextCursor: p.nextCursor };
  },
  async childCounts(db: Queryable, ids: string[]): Promise<Map<string, number>> {
    const rows = await db.query<{ id: string; n: number }>(
      'SELECT parent_id AS id, count(*)::int AS n FROM ipam_prefixes WHERE parent_id = ANY($1::uuid[]) GROUP BY parent_id', [ids]);
    return new Map(rows.map((r) => [r.id, r.n]));
  },
  async prefixesByKeys(db: Queryable, keys: string[]): Promise<PrefixRow[]> {
    if (!keys.length) return [];
    return (await db.query<PrefixRow>(`SELECT ${PREFIX_COLUMNS} FROM ipam_prefixes WHERE idempotency_key = ANY($1::text[])`, [keys])).map(canonPrefix);
  },
  /** Prefixes of the VRF that overlap `cidr` in any way (containing, inside, equal), shortest first. */
  async overlapping(db: Queryable, vrfId: string, cidr: string): Promise<PrefixRow[]> {
    return (await db.query<PrefixRow>(
      `SELECT ${PREFIX_COLUMNS} FROM ipam_prefixes WHERE vrf_id = $1 AND cidr && $2::cidr ORDER BY masklen(ipam_prefixes.cidr), ipam_prefixes.cidr LIMIT 50`,
      [vrfId, cidr],
    )).map(canonPrefix);
  },
  /**
   * `overlapping` for many blocks (CSV import): for each (vrfId, cidr) at index i, the same list as `overlapping`
   * would return, under key i. Two statements whatever the number of blocks: which prefixes overlap which block
   * (one index probe per block inside the database), then each of those prefixes once (a file's rows share
   * their ancestors), so rows shared by many blocks are read and made canonical once.
   */
  async overlappingMany(db: Queryable, blocks: readonly { vrfId: string; cidr: string }[]): Promise<Map<number, PrefixRow[]>> {
    const out = new Map<number, PrefixRow[]>();
    if (!blocks.length) return out;
    const pairs = await db.query<{ i: number; id: string }>(
      `SELECT (f.i - 1)::int AS i, p.id FROM unnest($1::uuid[], $2::cidr[]) WITH ORDINALITY AS f(vrf_id, cidr, i)
       CROSS JOIN LATERAL (
         SELECT id, cidr FROM ipam_prefixes WHERE vrf_id = f.vrf_id AND ipam_prefixes.cidr && f.cidr
         ORDER BY masklen(ipam_prefixes.cidr), ipam_prefixes.cidr LIMIT 50
       ) p
       ORDER BY f.i, masklen(p.cidr), p.cidr`,
      [blocks.map((b) => b.vrfId), blocks.map((b) => b.cidr)],
    );
    const rows = new Map((await ipamRepo.prefixesByIds(db, [...new Set(pairs.map((p) => p.id))])).map((r) => [r.id, r]));
    for (const { i, id } of pairs) {
      const list = out.get(i) ?? [];
      list.push(rows.get(id)!);
      out.set(i, list);
    }
    return out;
  },
  async unitPrefixes(db: Queryable, unitCode: string, planeId: string, parentIds: string[]): Promise<PrefixRow[]> {
    return (await db.query<PrefixRow>(
      `SELECT ${PREFIX_COLUMNS} FROM ipam_prefixes WHERE unit_code = $1 AND plane_id = $2 AND parent_id = ANY($3::uuid[]) ORDER BY family`,
      [unitCode, planeId, parentIds],
    )).map(canonPrefix);
  },

  /** One statement for a whole batch (group commit): arrays unnested into rows. */
  async insertPrefixes(tx: Queryable, rows: readonly NewPrefix[]): Promise<void> {
    if (!rows.length) return;
    const col = <T>(f: (r: NewPrefix) => T) => rows.map(f);
    await tx.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, depth, kind, status, unit_code, plane_id, description, idempotency_key)
       SELECT id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr,
              CASE WHEN parent_id IS NULL THEN 0 ELSE parent_depth + 1 END, kind, status, unit_code, plane_id, description, idempotency_key
       FROM unnest($1::uuid[], $2::uuid[], $3::cidr[], $4::text[], $5::uuid[], $6::int[], $7::cidr[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         AS t(id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, kind, status, unit_code, plane_id, description, idempotency_key)`,
      [col((r) => r.id), col((r) => r.vrfId), col((r) => r.cidr), col((r) => r.family), col((r) => r.parent?.id ?? null),
        col((r) => r.parent?.depth ?? null), col((r) => r.parent?.cidr ?? null), col((r) => r.kind), col((r) => r.status),
        col((r) => r.unitCode), col((r) => r.planeId), col((r) => r.description), col((r) => r.idempotencyKey)],
    );
  },
  async deletePrefix(tx: Queryable, id: string): Promise<void> {
    await tx.query('DELETE FROM ipam_prefixes WHERE id = $1', [id]);
  },
  async hasDescendants(db: Queryable, id: string): Promise<{ prefixes: number; addresses: number }> {
    const [r] = await db.query<{ prefixes: number; addresses: number }>(
      `SELECT (SELECT count(*)::int FROM ipam_prefixes WHERE parent_id = $1) AS prefixes, (SELECT count(*)::int FROM ipam_addresses WHERE prefix_id = $1) AS addresses`,
      [id],
    );
    return r!;
  },

  /**
   * The gaps between what already occupies each parent (child prefixes and addresses recorded directly in it),
   * computed in SQL over the occupants in address order (lag/lead over the sorted children, not a walk over
   * addresses), for several parents in one statement. Only occupants after `after` are read (the parent's fill
   * hint: everything up to its end is occupied), through the (parent_id, cidr) index. Per parent: the occupied
   * ranges that bound a gap (enough to rebuild every gap), their CIDRs, and whether the list was cut at `limit`.
   */
  async usedRanges(db: Queryable, parents: readonly { id: string; family: Family; after: string | null }[], limit: number | null): Promise<Map<string, UsedRanges>> {
    const rows = await db.query<UsedRow>(
      `${USED_RANGES_CTES}
       SELECT pid, host(prev_hi) AS "prevHi", host(lo) AS "loText", host(hi) AS "hiText", lo::cidr::text AS cidr FROM g
       WHERE $3::int IS NULL OR rn <= $3::int
       ORDER BY pid, g.lo`,
      usedRangesParams(parents, limit),
    );
    return usedRangesOf(rows, parents, limit);
  },
  /**
   * `addressesByKeys` and `usedRanges` in one statement (an address allocation, after it has locked the prefixes:
   * both read what the lock's holders committed, as the two statements did one after the other).
   */
  async addressesByKeysAndUsedRanges(db: Queryable, keys: string[], parents: readonly { id: string; family: Family; after: string | null }[], limit: number | null): Promise<{ seen: AddressRow[]; used: Map<string, UsedRanges> }> {
    const [row] = await db.query<{ seen: AddressRow[]; used: (UsedRow & { lo: string })[] }>(
      `${USED_RANGES_CTES}
       SELECT (SELECT coalesce(json_agg(u ORDER BY u.pid, u.lo), '[]')
                 FROM (SELECT pid, host(prev_hi) AS "prevHi", host(lo) AS "loText", host(hi) AS "hiText", lo::cidr::text AS cidr, lo FROM g
                       WHERE $3::int IS NULL OR rn <= $3::int) u) AS used,
              (SELECT coalesce(json_agg(a), '[]') FROM (SELECT ${ADDRESS_COLUMNS} FROM ipam_addresses WHERE idempotency_key = ANY($4::text[])) a) AS seen`,
      [...usedRangesParams(parents, limit), keys],
    );
    return { seen: row!.seen.map(canonAddress), used: usedRangesOf(row!.used, parents, limit) };
  },

  async setFill(tx: Queryable, fills: readonly { id: string; cidr: string | null }[]): Promise<void> {
    if (!fills.length) return;
    await tx.query(
      'UPDATE ipam_prefixes p SET fill_cidr = f.cidr FROM unnest($1::uuid[], $2::cidr[]) AS f(id, cidr) WHERE p.id = f.id',
      [fills.map((f) => f.id), fills.map((f) => f.cidr)],
    );
  },
  /** Something in the prefix was freed: the hint may now lie past a gap, so forget it. */
  async clearFill(tx: Queryable, id: string): Promise<void> {
    await tx.query('UPDATE ipam_prefixes SET fill_cidr = NULL WHERE id = $1 AND fill_cidr IS NOT NULL', [id]);
  },

  /** Locks several parents in one statement, in id order (the one lock order, so no two transactions deadlock). */
  async lockPrefixes(tx: Queryable, ids: readonly string[]): Promise<PrefixRow[]> {
    return (await tx.query<PrefixRow>(`SELECT ${PARENT_COLUMNS} FROM ipam_prefixes WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids])).map(canonPrefix);
  },

  async addressById(db: Queryable, id: string): Promise<AddressRow | null> {
    const r = (await db.query<AddressRow>(`SELECT ${ADDRESS_COLUMNS} FROM ipam_addresses WHERE id = $1`, [id]))[0];
    return r ? canonAddress(r) : null;
  },
  /** A page of a prefix's addresses in address order (store/keyset.ts over ipam_addresses_prefix_idx). */
  async addressPage(db: Queryable, prefixId: string, page: PageRequest): Promise<Page<AddressRow>> {
    const params: unknown[] = [prefixId];
    const k = keyset(ADDRESS_ORDER, page, params);
    const p = k.page(await db.query<AddressRow>(`SELECT ${ADDRESS_COLUMNS}${k.select} FROM ipam_addresses WHERE ${allOf('prefix_id = $1', k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
    return { items: p.items.map(canonAddress), nextCursor: p.nextCursor };
  },
  async addressesByKeys(db: Queryable, keys: string[]): Promise<AddressRow[]> {
    if (!keys.length) return [];
    return (await db.query<AddressRow>(`SELECT ${ADDRESS_COLUMNS} FROM ipam_addresses WHERE idempotency_key = ANY($1::text[])`, [keys])).map(canonAddress);
  },
  /** The id of the narrowest prefix of the VRF holding the address, if any. */
  async narrowestPrefixHolding(db: Queryable, vrfId: string, address: string): Promise<string | undefined> {
    const [holder] = await db.query<{ id: string }>(
      'SELECT id FROM ipam_prefixes WHERE vrf_id = $1 AND cidr >>= $2::inet ORDER BY masklen(cidr) DESC LIMIT 1',
      [vrfId, address],
    );
    return holder?.id;
  },
  async addressRecorded(db: Queryable, vrfId: string, address: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM ipam_addresses WHERE vrf_id = $1 AND address = $2::inet', [vrfId, address])).length > 0;
  },
  /** Records addresses, all in one statement (a dual-stack host's two). */
  async insertAddresses(tx: Queryable, rows: readonly NewAddress[]): Promise<void> {
    if (!rows.length) return;
    const insert = addressInsert(rows);
    await tx.query(insert.sql, insert.params);
  },
  async deleteAddress(tx: Queryable, id: string): Promise<void> {
    await tx.query('DELETE FROM ipam_addresses WHERE id = $1', [id]);
  },
  /** The id of the prefix with exactly this CIDR in the VRF. */
  async prefixIdByCidr(db: Queryable, vrfId: string, cidr: string): Promise<string | undefined> {
    const [prefix] = await db.query<{ id: string }>('SELECT id FROM ipam_prefixes WHERE vrf_id = $1 AND cidr = $2::cidr', [vrfId, cidr]);
    return prefix?.id;
  },
  /** Addresses allocated under a step's key (`<key>:…`, one per plane and family). */
  async addressIdsUnderKey(db: Queryable, key: string): Promise<string[]> {
    return (await db.query<{ id: string }>(`SELECT id FROM ipam_addresses WHERE left(idempotency_key, length($1) + 1) = $1 || ':'`, [key])).map((r) => r.id);
  },

  async unitLevel(db: Queryable, code: string): Promise<string | null> {
    return (await db.query<{ level: string }>('SELECT level FROM access_units WHERE code = $1', [code]))[0]?.level ?? null;
  },
  async knownUnits(db: Queryable, codes: string[]): Promise<Set<string>> {
    if (!codes.length) return new Set();
    return new Set((await db.query<{ code: string }>('SELECT code FROM access_units WHERE code = ANY($1::text[])', [codes])).map((r) => r.code));
  },
  async knownPlanes(db: Queryable, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    return new Set((await db.query<{ id: string }>('SELECT id FROM extranet_planes WHERE id = ANY($1::text[])', [ids])).map((r) => r.id));
  },
};
