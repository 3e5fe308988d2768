import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openPgliteStore } from './pglite-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { QueryObserver, Store } from './store.ts';

/** DATABASE_URL set → PostgreSQL; absent → embedded PGlite in `<dataDir>/pglite`. */
export async function openStore(opts: { databaseUrl?: string; dataDir: string; observe?: QueryObserver }): Promise<Store> {
  if (opts.databaseUrl) return openPostgresStore(opts.databaseUrl, opts.observe);
  const dir = join(opts.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  return openPgliteStore(dir, opts.observe);
}
