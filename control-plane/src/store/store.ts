/**
 * The one store interface over both engines. Everything above it writes plain PostgreSQL SQL with
 * $1-style parameters; the same statements run on embedded PGlite and on a PostgreSQL server.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Embedded PGlite only: calls `onNotify` on each NOTIFY of `channel` (in process, at commit); resolves with the
   * unlisten. PostgreSQL listens on a dedicated session instead (lifecycle/db-session.ts): a pooled connection cannot.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

/** Called after every query, for the store-duration metric. */
export type QueryObserver = (seconds: number, ok: boolean) => void;

/**
 * Both engines return int8 and numeric as strings by default (pg) or differently (PGlite); we parse
 * them the same way on both so that repositories never see engine differences. Values beyond 2^53
 * are not expected in this schema (counters, amounts); IPAM keeps big integers in inet/text columns.
 */
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;
export const parseNumber = (value: string): number => Number(value);

/** Wraps a store so that every query, inside transactions too, is timed for the metrics. */
export function observeStore(store: Store, observe: QueryObserver): Store {
  const timedQueryable = (q: Queryable): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      const started = process.hrtime.bigint();
      let ok = false;
      try {
        const rows = await q.query<T>(sql, params);
        ok = true;
        return rows;
      } finally {
        observe(Number(process.hrtime.bigint() - started) / 1e9, ok);
      }
    },
  });
  return {
    ...store,
    kind: store.kind,
    ...timedQueryable(store),
    transaction: (fn) => store.transaction((tx) => fn(timedQueryable(tx))),
    exec: (sql) => store.exec(sql),
    close: () => store.close(),
  };
}
