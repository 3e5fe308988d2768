import type { Logger } from '../logger.ts';
import type { Store } from './store.ts';

/** How often the embedded database's planner statistics are refreshed (PostgreSQL's autovacuum does this itself). */
export const PGLITE_ANALYZE_EVERY_MS = 10 * 60_000;

/**
 * Planner statistics for the embedded database. PGlite is one backend without background workers, so no
 * autovacuum ever analyzes its tables: every table keeps reltuples = -1 and the planner plans on defaults, e.g.
 * 180 rows for the 4 clouds, so `clouds.list` hashed all 1,879 divisions on every call (4 ms of a 4.1 ms statement;
 * 0.1 ms with statistics). ANALYZE once at start, after migrations and seeding, then every `everyMs` as a
 * background job of the leader. It holds PGlite's one connection while it runs; its duration is logged. PostgreSQL
 * servers analyze by themselves: the job does nothing there.
 */
export function pgliteStatistics(store: Store, log: Logger, everyMs = PGLITE_ANALYZE_EVERY_MS): { analyze(): Promise<void>; start(): void; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const analyze = async () => {
    if (store.kind !== 'pglite') return;
    const started = performance.now();
    try {
      await store.exec('ANALYZE');
      log.info({ ms: Math.round(performance.now() - started) }, 'refreshed the embedded database\'s planner statistics');
    } catch (err) {
      log.warn({ err }, 'ANALYZE of the embedded database failed; plans keep the previous statistics');
    }
  };
  return {
    analyze,
    start() {
      if (store.kind !== 'pglite' || timer) return;
      timer = setInterval(() => (running = analyze()), everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
