import pg from 'pg';
import { InputError } from '../errors.ts';

/**
 * Runs a probe query read-only (a READ ONLY transaction, rolled back; a statement timeout) and returns the
 * first column of the first row as text. Errors carry the database's message, never the DSN.
 */
export async function runSqlProbe(dsn: string, query: string, signal: AbortSignal, timeoutMs = 10_000): Promise<string | null> {
  const client = new pg.Client({ connectionString: dsn, connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs });
  const abort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    await client.query('BEGIN TRANSACTION READ ONLY');
    const res = await client.query({ text: query, rowMode: 'array' });
    await client.query('ROLLBACK');
    const first = (res.rows as unknown[][])[0]?.[0];
    return first === undefined || first === null ? null : String(first instanceof Date ? first.toISOString() : first);
  } catch (error) {
    if (error instanceof Error && /password|authentication/i.test(error.message)) throw new InputError('the database refused the probe connection\'s credentials');
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
    await client.end().catch(() => undefined);
  }
}
