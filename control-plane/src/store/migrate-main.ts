import { readConfig } from '../config.ts';
import { openStore } from './open-store.ts';
import { migrate } from './migrate.ts';

/** `npm run migrate`: applies pending migrations to the configured store and exits. */
const config = readConfig();
const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.GANYUN_DATA_DIR });
try {
  const applied = await migrate(store);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema is up to date');
} finally {
  await store.close();
}
