import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
// pg_trgm: the trigram index behind systems.list's name search (migration 0230).
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PreparedStatements } from './pglite-prepared.ts';
import { INT8_OID, NUMERIC_OID, parseNumber, type Store } from './store.ts';

/** Embedded PostgreSQL (PGlite, WASM). `dataDir` undefined means in memory (tests). */
export async function openPgliteStore(dataDir: string | undefined): Promise<Store> {
  const db = await PGlite.create({
    dataDir,
    extensions: { btree_gist, pg_trgm },
    parsers: { [INT8_OID]: parseNumber, [NUMERIC_OID]: parseNumber },
  });
  // In memory (tests, benchmarks) there is no durability to protect: a commit need not wait for its WAL to be
  // written (to an in-memory file, 0.2 ms of every autocommit insert's 0.35 ms). On disk (npm start) it must, so
  // that a transaction committed before a kill -9 is there after the restart.
  if (dataDir === undefined) await db.exec('SET synchronous_commit = off');
  return wrapPglite(db);
}

export function wrapPglite(db: PGlite): Store {
  // Every statement through the prepared-statement cache: see pglite-prepared.ts for why.
  const prepared = new PreparedStatements(db);
  return {
    kind: 'pglite',
    query: (sql, params) => prepared.query(sql, params),
    // PGlite has one connection and queues every query and transaction behind a mutex,
    // so transactions here are naturally serialised. BEGIN, COMMIT and ROLLBACK are PGlite's own.
    transaction: (fn) => db.transaction(() => fn({ query: (sql, params) => prepared.queryInTransaction(sql, params) })),
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
    listen: async (channel, onNotify) => {
      const unlisten = await db.listen(channel, () => onNotify());
      return () => unlisten();
    },
  };
}
