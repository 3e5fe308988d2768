/**
 * Wires DR into a running control plane: centres from the cloud registry at start, replication links
 * refreshed after every inventory sync of a cloud (kept as history), the workflow actions of DR operations,
 * and the sweeper that closes ended runs (report, zero-leak check) and removes leaked drill sandboxes.
 */
import type { AppDeps } from '../context.ts';
import { refreshCentres, refreshLinks } from './centre-service.ts';
import { registerDrActions, type DrActionDeps } from './run-actions.ts';
import { startSweeper } from './run-closer.ts';
import { createDrMetrics } from './dr-metrics.ts';
import { probeConnectionsRepo } from './probe-connections-repo.ts';

export interface DrModuleOptions {
  /** Sweeps every this many ms (0: no sweeper; specs sweep by hand). */
  readonly sweepIntervalMs?: number;
  /** false: the sweeper is returned unstarted, for the caller's schedule (app.ts runs it on one replica, lifecycle/leader.ts). */
  readonly startSweeper?: boolean;
  readonly actions?: Partial<Pick<DrActionDeps, 'pollMs' | 'waitScale'>>;
}

export async function startDr(deps: Pick<AppDeps, 'store' | 'federation' | 'actions' | 'audit' | 'log' | 'metrics' | 'quotas' | 'engine' | 'sealing'>, opts: DrModuleOptions = {}): Promise<{ stop(): Promise<void>; sweeper: { start(): void; stop(): Promise<void> } }> {
  await deps.store.transaction((tx) => refreshCentres(tx));
  deps.federation.onSynced(async (provider) => {
    await refreshLinks(deps.store, provider);
  });
  registerDrActions(deps.actions, {
    store: deps.store, federation: deps.federation, ...opts.actions,
    openProbeConnection: (id) => probeConnectionsRepo.openDsn(deps.store, deps.sealing, id),
  });
  const interval = opts.sweepIntervalMs ?? 2000;
  const metrics = createDrMetrics(deps.metrics.registry, deps.store);
  let running: { stop(): Promise<void> } | null = null;
  const sweeper = {
    start() {
      if (interval > 0) running ??= startSweeper({ ...deps, metrics, quotas: deps.quotas, engine: deps.engine }, interval);
    },
    async stop() {
      const r = running;
      running = null;
      await r?.stop();
    },
  };
  if (opts.startSweeper !== false) sweeper.start();
  return { stop: () => sweeper.stop(), sweeper };
}
