import pg from 'pg';
import { createScratchDatabase, TEST_PG_ADMIN_URL } from '../testing/test-store.ts';
import { isDatabaseUnavailable } from './postgres-errors.ts';
import { openPostgresStore } from './postgres-store.ts';

// Needs a PostgreSQL server (the PostgreSQL run of the server specs); the embedded store has no pool.
if (TEST_PG_ADMIN_URL) {
  const adminUrl = TEST_PG_ADMIN_URL;
  describe('PostgreSQL store: an idle pooled connection that dies', () => {
    it('is reported to the handler instead of crashing the process, and the next query opens a new one', async () => {
      const scratch = await createScratchDatabase(adminUrl);
      const reported: Error[] = [];
      const store = await openPostgresStore(scratch.url, 2, (e) => reported.push(e));
      try {
        await store.query('SELECT 1'); // leaves one idle connection in the pool
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        const dbName = new URL(scratch.url).pathname.slice(1);
        const [killed] = (await admin.query<{ n: number }>(
          'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])).rows;
        await admin.end();
        expect(killed!.n).toBeGreaterThan(0);
        for (let i = 0; i < 100 && reported.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(reported.map((e) => e.message)).toEqual([jasmine.stringMatching(/terminat/)]);
        expect(await store.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await store.close();
        await scratch.drop();
      }
    });
  });

  describe('PostgreSQL store: a connection lost inside a transaction (issue 13.5, a database restart)', () => {
    it('rejects the transaction as "database unavailable" instead of crashing the process, and the pool recovers', async () => {
      const scratch = await createScratchDatabase(adminUrl);
      const store = await openPostgresStore(scratch.url, 2, () => undefined);
      try {
        const failed = await store.transaction(async (tx) => {
          const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid') as [{ pid: number }];
          const admin = new pg.Client({ connectionString: adminUrl });
          await admin.connect();
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await admin.end();
          // Between two statements: the client hears of it with no query running (an 'error' event).
          await new Promise((r) => setTimeout(r, 300));
          await tx.query('SELECT 1');
        }).then(() => null, (e: unknown) => e);
        expect(failed).toBeInstanceOf(Error);
        expect(isDatabaseUnavailable(failed)).withContext(String(failed)).toBeTrue();
        expect(await store.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
        expect(await store.transaction((tx) => tx.query<{ two: number }>('SELECT 2 AS two'))).toEqual([{ two: 2 }]);
      } finally {
        await store.close();
        await scratch.drop();
      }
    });
  });
}

describe('isDatabaseUnavailable', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
  it('knows a database that cannot be reached from an error in the statement', () => {
    expect(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBeTrue();
    expect(isDatabaseUnavailable(withCode('terminating connection due to administrator command', '57P01'))).toBeTrue();
    expect(isDatabaseUnavailable(withCode('the database system is starting up', '57P03'))).toBeTrue();
    expect(isDatabaseUnavailable(withCode('connection failure', '08006'))).toBeTrue();
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBeTrue();
    expect(isDatabaseUnavailable(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'))).toBeTrue();
    expect(isDatabaseUnavailable(new Error('batch failed', { cause: withCode('x', '57P01') }))).toBeTrue();
    expect(isDatabaseUnavailable(withCode('duplicate key value violates unique constraint', '23505'))).toBeFalse();
    expect(isDatabaseUnavailable(withCode('syntax error', '42601'))).toBeFalse();
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBeFalse();
  });
});
