import { createScratchDatabase, TEST_PG_ADMIN_URL } from '../testing/test-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import { loadMigrations, migrate } from './migrate.ts';
import type { Store } from './store.ts';

// Needs a PostgreSQL server (the PostgreSQL run of the server specs): the race is between server sessions.
if (TEST_PG_ADMIN_URL) {
  const adminUrl = TEST_PG_ADMIN_URL;
  const CONTROL_PLANES = 10;
  const ROUNDS = 3;

  describe('migrations: ten control planes starting at the same instant on an empty PostgreSQL', () => {
    it(`all ${CONTROL_PLANES} start in each of ${ROUNDS} rounds, and the schema is migrated exactly once`, async () => {
      const all = await loadMigrations();
      for (let round = 0; round < ROUNDS; round++) {
        const scratch = await createScratchDatabase(adminUrl);
        // Each control plane has its own pool, as separate replicas would; connections are opened before
        // the start so that the migrations begin together rather than staggered by connection set-up.
        const stores: Store[] = [];
        try {
          for (let i = 0; i < CONTROL_PLANES; i++) {
            const store = await openPostgresStore(scratch.url, 1);
            await store.query('SELECT 1');
            stores.push(store);
          }
          const outcomes = await Promise.allSettled(stores.map((s) => migrate(s, all)));
          const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
          expect(failures).withContext(`round ${round}`).toEqual([]);
          // Exactly one start applied the migrations; the others waited on the lock and found nothing to do.
          const applied = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.length : -1));
          expect(applied.filter((n) => n === all.length).length).withContext(`round ${round}`).toBe(1);
          expect(applied.filter((n) => n === 0).length).withContext(`round ${round}`).toBe(CONTROL_PLANES - 1);
          const rows = await stores[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
          expect(rows[0]!.n).toBe(all.length);
        } finally {
          await Promise.all(stores.map((s) => s.close()));
          await scratch.drop();
        }
      }
    }, 240_000);
  });
}
