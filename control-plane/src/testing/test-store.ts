import pg from 'pg';
import { openPgliteStore } from '../store/pglite-store.ts';
import { openPostgresStore } from '../store/postgres-store.ts';
import { migrate } from '../store/migrate.ts';
import { seedDivisions } from '../store/reference-data.ts';
import type { Store } from '../store/store.ts';

/**
 * One store per test process, migrated once (PGlite takes seconds to open; a fresh one per spec would
 * cost minutes). GANYUN_TEST_PG=postgres://…/postgres selects the PostgreSQL server: a fresh database is
 * created for this run and dropped at the end. Otherwise an in-memory PGlite.
 */
let current: Promise<{ store: Store; dropDatabase?: () => Promise<void> }> | undefined;

export const TEST_PG_ADMIN_URL = process.env['GANYUN_TEST_PG'];

async function open(): Promise<{ store: Store; dropDatabase?: () => Promise<void> }> {
  if (!TEST_PG_ADMIN_URL) {
    const store = await openPgliteStore(undefined);
    await migrate(store);
    await seedDivisions(store);
    return { store };
  }
  const { url, drop } = await createScratchDatabase(TEST_PG_ADMIN_URL);
  const store = await openPostgresStore(url);
  await migrate(store);
  await seedDivisions(store);
  return { store, dropDatabase: drop };
}

/** Creates a uniquely named database on the server behind `adminUrl`; `drop` removes it. */
export async function createScratchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ganyun_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testStore(): Promise<Store> {
  current ??= open();
  return current.then((c) => c.store);
}

/** Empties every table but the reference data, and restarts the audit chain. */
export async function resetTestStore(): Promise<Store> {
  const store = await testStore();
  const tables = (await store.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('divisions', 'schema_migrations', 'audit_head')`,
  )).map((r) => r.tablename);
  if (tables.length) await store.query(`TRUNCATE ${tables.join(', ')} CASCADE`);
  await store.query(`UPDATE audit_head SET seq = 0, hash = repeat('0', 64) WHERE id = 1`);
  return store;
}

export async function closeTestStore(): Promise<void> {
  if (!current) return;
  const c = await current;
  current = undefined;
  await c.store.close();
  await c.dropDatabase?.();
}
