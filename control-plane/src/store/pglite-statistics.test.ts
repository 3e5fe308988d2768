import { createLogger } from '../logger.ts';
import { openPgliteStore } from './pglite-store.ts';
import { pgliteStatistics } from './pglite-statistics.ts';
import type { Store } from './store.ts';

/** The embedded database's stand-in for autovacuum's ANALYZE (store/pglite-statistics.ts), on a PGlite of its own. */
describe('PGlite planner statistics', () => {
  let store: Store;
  const log = createLogger('silent');
  beforeAll(async () => {
    store = await openPgliteStore(undefined);
    await store.exec('CREATE TABLE stats_spec (id int PRIMARY KEY); INSERT INTO stats_spec SELECT generate_series(1, 500);');
  });
  afterAll(() => store.close());
  const tuples = async () => (await store.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'stats_spec'`))[0]!.n;

  it('gives the planner the sizes of the tables at once, and again on its schedule', async () => {
    expect(await tuples()).toBe(-1); // never analyzed: PGlite has no autovacuum
    const stats = pgliteStatistics(store, log, 30);
    await stats.analyze();
    expect(await tuples()).toBe(500);
    await store.query('INSERT INTO stats_spec SELECT generate_series(501, 800)');
    stats.start();
    const deadline = Date.now() + 5000;
    while ((await tuples()) !== 800 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await stats.stop();
    expect(await tuples()).toBe(800);
  });

  it('leaves a PostgreSQL server to its own autovacuum', async () => {
    const exec = jasmine.createSpy('exec');
    const server = { kind: 'postgres', exec } as unknown as Store;
    const stats = pgliteStatistics(server, log, 10);
    await stats.analyze();
    stats.start();
    await new Promise((r) => setTimeout(r, 40));
    await stats.stop();
    expect(exec).not.toHaveBeenCalled();
  });
});
