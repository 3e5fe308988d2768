import { isProviderError, toProviderError } from '@ganyun/providers';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Store } from '../store/store.ts';
import { inventoryRepo } from './inventory-repo.ts';
import type { SyncResult } from './inventory-sync.ts';

/**
 * One inventory sync of one cloud, recorded: its `sync_runs` row from start to outcome, the object and duration
 * metrics, a warning when it fails. `read` does the work (a paged listing, or a device's whole inventory) and
 * returns what it stored; a failure comes back as the typed error, never thrown, so a schedule keeps going.
 */
export async function runRecordedSync(
  deps: { store: Store; metrics: Metrics; log: Logger },
  run: { syncId: string; cloudId: string; mode: 'full' | 'incremental' },
  read: (store: Store) => Promise<SyncResult>,
): Promise<SyncResult | Error> {
  const { store, metrics, log } = deps;
  const { syncId, cloudId } = run;
  const started = performance.now();
  let mode = run.mode;
  try {
    await inventoryRepo.startRun(store, { id: syncId, cloudId, mode: run.mode, startedAt: new Date() });
    const result = await read(store);
    mode = result.mode;
    await inventoryRepo.finishRun(store, syncId, { mode, status: 'succeeded', objects: result.objects, counts: result.counts, error: null, cursor: result.cursor });
    for (const change of ['created', 'updated', 'deleted'] as const) metrics.syncObjects.inc({ cloud: cloudId, change }, result.counts[change]);
    return result;
  } catch (e) {
    const err = isProviderError(e) ? e : toProviderError(e, cloudId, 'sync');
    log.warn({ cloud: cloudId, syncId, code: err.code, msg: err.message }, 'inventory sync failed');
    await inventoryRepo
      .finishRun(store, syncId, { mode, status: 'failed', objects: 0, counts: { created: 0, updated: 0, deleted: 0 }, error: `${err.code}: ${err.message}`.slice(0, 500), cursor: null })
      .catch((e2: unknown) => log.error({ err: e2, syncId }, 'could not record the failed sync'));
    return err;
  } finally {
    metrics.syncDuration.observe({ cloud: cloudId, mode }, (performance.now() - started) / 1000);
  }
}
