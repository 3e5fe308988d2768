/**
 * DR metrics on the app's registry: replication lag per link (the current RPO, read from the store when
 * scraped, so every replica reports what the last sync recorded), achieved RTO per system of closed runs,
 * objects left behind after a drill's cleanup and sandboxes the sweeper removed. Step durations are the
 * engine's `ganyun_workflow_step_duration_seconds` with the `dr.*` actions.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Queryable } from '../store/store.ts';
import { centresRepo } from './centres-repo.ts';

export function createDrMetrics(registry: Registry, store: Queryable) {
  return {
    lag: new Gauge({
      name: 'ganyun_dr_replication_lag_seconds',
      help: 'Replication lag per link at its last reading (the RPO a failover now would give)',
      labelNames: ['link', 'from', 'to', 'mode', 'state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const l of await centresRepo.links(store)) this.set({ link: l.id, from: l.from ?? '', to: l.to ?? '', mode: l.mode, state: l.state }, l.lagSeconds);
      },
    }),
    achievedRto: new Histogram({
      name: 'ganyun_dr_achieved_rto_seconds',
      help: 'Achieved RTO per system of closed DR runs, by kind',
      labelNames: ['kind'] as const,
      buckets: [10, 30, 60, 300, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400],
      registers: [registry],
    }),
    leaked: new Counter({
      name: 'ganyun_dr_leaked_objects_total',
      help: 'Drill objects still on a cloud when their run closed (the sweeper removes them later)',
      registers: [registry],
    }),
    swept: new Counter({
      name: 'ganyun_dr_sweeper_removed_total',
      help: 'Drill sandboxes removed by the sweeper',
      registers: [registry],
    }),
  };
}

export type DrMetrics = ReturnType<typeof createDrMetrics>;
