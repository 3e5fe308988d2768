import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openPgliteStore } from './pglite-store.ts';
import { openPostgresStore, type IdleConnectionErrorHandler } from './postgres-store.ts';
import { observeStore, type QueryObserver, type Store } from './store.ts';

/** DATABASE_URL set → PostgreSQL; absent → embedded PGlite in `<dataDir>/pglite`. */
export async function openStore(opts: { databaseUrl?: string; dataDir: string; observe?: QueryObserver; onIdleError?: IdleConnectionErrorHandler }): Promise<Store> {
  let store: Store;
  if (opts.databaseUrl) store = await openPostgresStore(opts.databaseUrl, undefined, opts.onIdleError);
  else {
    const dir = join(opts.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    store = await openPgliteStore(dir);
  }
  return opts.observe ? observeStore(store, opts.observe) : store;
}
