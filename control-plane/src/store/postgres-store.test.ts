import pg from 'pg';
import { createScratchDatabase, TEST_PG_ADMIN_URL } from '../testing/test-store.ts';
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
}
