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

/** PostgreSQL server through a node-postgres pool. */
export async function openPostgresStore(url: string, poolSize = 20, onIdleError: IdleConnectionErrorHandler = warnOnStderr): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', onIdleError);
  // Fail at start, with the server's own message, rather than on the first request.
  await pool.query('SELECT 1');
  const queryable = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params as unknown[] | undefined)).rows as T[],
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
