import { isIP } from 'node:net';
import { InputError } from '../errors.ts';

/**
 * Keyset paging, the one way a list pages (issue 15.3 / 18.7). A page is "the first `limit` rows after the
 * last row of the previous page" in a total order (the sort key always ends in a unique column), so a page
 * costs an index walk of `limit` rows however deep it is and however large the table, and rows inserted or
 * deleted meanwhile never make a row repeat or vanish. No OFFSET.
 *
 * The cursor is opaque to clients: the last row's sort key, each value as PostgreSQL's own text of it (a
 * timestamp to the microsecond: a millisecond JavaScript Date would repeat or skip rows stamped within one
 * millisecond), compared in SQL against the column with the column's type.
 */

/** Page sizes every list accepts (`pageFields` in schemas.ts is the zod side of it). */
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;

export type KeyType = 'timestamptz' | 'uuid' | 'text' | 'int' | 'bigint' | 'numeric' | 'cidr' | 'inet';
/** A list's order: the key columns (SQL expressions) in order, all ascending or all descending. */
export interface KeysetOrder {
  readonly keys: readonly (readonly [expr: string, type: KeyType])[];
  readonly direction: 'asc' | 'desc';
}
export const keysetOrder = (direction: 'asc' | 'desc', ...keys: (readonly [string, KeyType])[]): KeysetOrder => ({ keys, direction });

export interface PageRequest {
  /** `nextCursor` of the previous page; absent for the first. */
  cursor?: string | undefined;
  limit: number;
}
export interface Page<T> {
  items: T[];
  /** null on the last page. */
  nextCursor: string | null;
}

const keyAlias = (i: number) => `_k${i}`;

function selectKey(expr: string, type: KeyType): string {
  return type === 'timestamptz' ? `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : `(${expr})::text`;
}

const VALID: Record<KeyType, (v: string) => boolean> = {
  timestamptz: (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  text: (v) => v.length <= 400,
  // The cursor's value is cast to the key's SQL type: one out of that type's range would be a database error (a 500),
  // not the refusal a forged cursor gets.
  int: (v) => /^-?\d{1,10}$/.test(v) && Math.abs(Number(v)) <= 2 ** 31 - 1,
  bigint: (v) => /^-?\d{1,18}$/.test(v),
  numeric: (v) => /^-?\d{1,40}(\.\d{1,40})?$/.test(v),
  cidr: (v) => { const [a, m, ...rest] = v.split('/'); return !rest.length && !!isIP(a ?? '') && /^\d{1,3}$/.test(m ?? ''); },
  inet: (v) => { const [a, m, ...rest] = v.split('/'); return !rest.length && !!isIP(a ?? '') && (m === undefined || /^\d{1,3}$/.test(m)); },
};

function decode(order: KeysetOrder, cursor: string): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === order.keys.length
      && values.every((v, i) => typeof v === 'string' && VALID[order.keys[i]![1]](v))) return values as string[];
  } catch {
    // falls through to the refusal
  }
  throw new InputError('not a cursor this list gave out', 'cursor');
}

export interface KeysetQuery {
  /** The condition "after the cursor" (null on the first page), for the WHERE clause. */
  readonly after: string | null;
  /** The key columns to add to the SELECT list (`, …` included). */
  readonly select: string;
  /** The ORDER BY list. */
  readonly orderBy: string;
  /** The LIMIT (a placeholder, or a literal when asked for): one row more than the page, to know whether there is a next one. */
  readonly limit: string;
  /** Cuts the rows read to the page, strips the key columns and makes the next cursor. */
  page<T extends object>(rows: T[]): Page<T>;
}

export interface KeysetOptions {
  /**
   * The page size written into the SQL instead of a parameter. With `LIMIT $n` PostgreSQL's plan cache (PGlite's
   * too) never finds the generic plan as cheap as a custom one (it assumes a tenth of the table), so every call is
   * planned again: 61 of 61 calls of requests.list, 1–7 ms each on PGlite, where its page query runs in less.
   * Tried for every list, it made no measurable difference to systems.list, so only requests.list asks for it.
   */
  literalLimit?: boolean;
}

/** A page size about to be written into SQL: a positive integer, never text. */
function literal(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`keyset: a page size must be a positive integer, not ${limit}`);
  return limit;
}

/**
 * The parts of one page's query, its values pushed onto `params` (a malformed cursor is an InputError on
 * `cursor`). A repository writes `SELECT cols${k.select} FROM … WHERE allOf(filters…, k.after) ORDER BY
 * ${k.orderBy} LIMIT ${k.limit}` and returns `k.page(rows)`; an index on (filter columns…, keys…) in the
 * same direction lets the planner stop after the page.
 */
export function keyset(order: KeysetOrder, page: PageRequest, params: unknown[], opts: KeysetOptions = {}): KeysetQuery {
  const dir = order.direction === 'desc' ? 'DESC' : 'ASC';
  let after: string | null = null;
  if (page.cursor !== undefined) {
    const values = decode(order, page.cursor);
    const left = order.keys.map(([expr]) => expr).join(', ');
    const right = order.keys.map(([, type], i) => `$${params.push(values[i])}::${type}`).join(', ');
    after = order.keys.length === 1 ? `${left} ${dir === 'DESC' ? '<' : '>'} ${right}` : `(${left}) ${dir === 'DESC' ? '<' : '>'} (${right})`;
  }
  const limit = opts.literalLimit ? String(literal(page.limit) + 1) : `$${params.push(page.limit + 1)}`;
  return {
    after,
    select: order.keys.map(([expr, type], i) => `, ${selectKey(expr, type)} AS "${keyAlias(i)}"`).join(''),
    orderBy: order.keys.map(([expr]) => `${expr} ${dir}`).join(', '),
    limit,
    page<T extends object>(rows: T[]): Page<T> {
      const items = rows.slice(0, page.limit);
      const last = items.at(-1) as Record<string, unknown> | undefined;
      const nextCursor = rows.length > page.limit && last
        ? Buffer.from(JSON.stringify(order.keys.map((_, i) => String(last[keyAlias(i)])))).toString('base64url')
        : null;
      for (const row of rows) for (let i = 0; i < order.keys.length; i++) delete (row as Record<string, unknown>)[keyAlias(i)];
      return { items, nextCursor };
    },
  };
}
