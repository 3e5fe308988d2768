import { createHash } from 'node:crypto';
import pg from 'pg';
import { INT8_OID, NUMERIC_OID, parseNumber, type Queryable, type Store } from './store.ts';

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID || oid === NUMERIC_OID ? parseNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * What to do when an idle pooled connection dies (server restart, failover, an administrator terminating
 * backends): the pool has already dropped it and opens a new one on demand, so it is worth a warning, not a
 * crash. node-postgres emits this as an 'error' event, which without a listener kills the process.
 */
export type IdleConnectionErrorHandler = (error: Error) => void;

const warnOnStderr: IdleConnectionErrorHandler = (error) => {
  process.emitWarning(`an idle PostgreSQL connection was closed: ${error.message}`, 'GanyunStoreWarning');
};

/** The server's answer when a prepared statement's result columns changed under it. */
const RESULT_TYPE_CHANGED = '0A000';
const names = new Map<string, string>();
const MAX_NAMED = 2000;

/**
 * Every statement is prepared under a name derived from its text, once per pooled connection (node-postgres keeps
 * the names it prepared), so the server parses it once and keeps its plan (plan_cache_mode auto) instead of
 * planning it on every call: the workflow claim and the list queries plan for longer than they run. The name is
 * a hash of the text, so that one text has one name on every connection; the first MAX_NAMED distinct texts are
 * named (the code has a few hundred: lists build theirs from a few filters), any later one runs unnamed.
 */
function statementName(sql: string): string | undefined {
  let name = names.get(sql);
  if (!name) {
    // Texts past the bound run unnamed: a statement built with literals would otherwise prepare without end.
    if (names.size >= MAX_NAMED) return undefined;
    name = `g_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/** PostgreSQL server through a node-postgres pool. */
export async function openPostgresStore(url: string, poolSize = 20, onIdleError: IdleConnectionErrorHandler = warnOnStderr): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', onIdleError);
  // Fail at start, with the server's own message, rather than on the first request.
  await pool.query('SELECT 1');
  const queryable = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: readonly unknown[]) => {
      const values = params as unknown[] | undefined;
      try {
        return (await client.query({ name: statementName(sql), text: sql, values })).rows as T[];
      } catch (error) {
        // A statement prepared on this connection before a migration changed its result columns: run it unnamed.
        if ((error as { code?: string }).code !== RESULT_TYPE_CHANGED) throw error;
        return (await client.query(sql, values)).rows as T[];
      }
    },
  });
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // While checked out the client has no listener of the pool's: a connection lost between two statements
      // (a database restart) would be an unhandled 'error' event and end the process. Keep it; the next
      // statement fails, and the broken client is destroyed on release instead of going back to the pool.
      let lost: Error | undefined;
      const onError = (err: Error) => (lost = err);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(lost);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
