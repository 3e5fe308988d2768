/**
 * Inventory syncs of the federated clouds and the schedule around them: one sync per cloud at a time (a second
 * request joins the running one), a device's whole inventory or a cloud's paged listing, work that follows a
 * successful sync, and the intervals of health checks and incremental syncs. Part of `Federation`, which supplies
 * the live providers.
 */
import type { ResilientProvider } from '@ganyun/providers';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Store } from '../store/store.ts';
import { cloudsRepo } from './clouds-repo.ts';
import { syncDeviceInventory } from './device-inventory.ts';
import { syncInventory, type SyncResult } from './inventory-sync.ts';
import { runRecordedSync } from './sync-run.ts';

export interface SyncSchedulerDeps {
  store: Store;
  metrics: Metrics;
  log: Logger;
  options: { healthIntervalMs: number; syncIntervalMs: number; fanOutDeadlineMs: number; pageSize: number; pagesPerSecond: number };
  provider(cloudId: string): ResilientProvider;
  /** The enabled, connected clouds. */
  enabledIds(): Promise<string[]>;
  /** One round of health checks (CloudHealth.checkAll). */
  checkAll(): Promise<void>;
}

export class SyncScheduler {
  private readonly running = new Map<string, { syncId: string; done: Promise<SyncResult | Error> }>();
  /** Called after each successful inventory sync of a cloud (DR refreshes the cloud's replication links). */
  private readonly synced: ((provider: ResilientProvider) => Promise<void>)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private halted = false;

  constructor(private readonly deps: SyncSchedulerDeps) {}

  /** Whether the schedule was stopped (work that would follow it is not started). */
  get stopped(): boolean {
    return this.halted;
  }

  /** Starts a sync unless one is running for that cloud (then that one's id is returned). */
  startSync(cloudId: string, mode: 'full' | 'incremental'): { syncId: string; done: Promise<SyncResult | Error> } {
    const current = this.running.get(cloudId);
    if (current) return current;
    const provider = this.deps.provider(cloudId);
    const syncId = newId();
    const device = provider.features?.deviceInventory;
    const { options } = this.deps;
    const done = runRecordedSync(this.deps, { syncId, cloudId, mode: device ? 'full' : mode }, async (store) => {
      // Hosts and devices have no incremental listing: every sync reads their facts, interfaces and VPN instances
      // whole, bounded like a registration (a device that hangs ends the sync as a timeout).
      if (device) return syncDeviceInventory(store, cloudId, device, AbortSignal.timeout(options.fanOutDeadlineMs * 5));
      const record = await cloudsRepo.byId(store, cloudId);
      const result = await syncInventory(store, provider, mode, {
        pageSize: options.pageSize,
        pagesPerSecond: record?.config.syncPagesPerSecond ?? options.pagesPerSecond,
      });
      for (const hook of this.synced) await hook(provider).catch((e: unknown) => this.deps.log.warn({ err: e, cloud: cloudId }, 'work after an inventory sync failed'));
      return result;
    }).finally(() => this.running.delete(cloudId));
    const entry = { syncId, done };
    this.running.set(cloudId, entry);
    return entry;
  }

  /** Adds work that follows every successful inventory sync; its failure is logged and never fails the sync. */
  onSynced(hook: (provider: ResilientProvider) => Promise<void>): void {
    this.synced.push(hook);
  }

  /** Health checks and incremental syncs on their intervals (and once right away). */
  start(): void {
    this.halted = false;
    const healthTick = () => {
      if (!this.halted) this.deps.checkAll().catch((e: unknown) => this.deps.log.error({ err: e }, 'health check round failed'));
    };
    const syncTick = () => {
      if (this.halted) return;
      this.deps.enabledIds()
        .then((ids) => ids.forEach((id) => this.startSync(id, 'incremental')))
        .catch((e: unknown) => this.deps.log.error({ err: e }, 'sync round failed'));
    };
    healthTick();
    syncTick();
    this.timers.push(setInterval(healthTick, this.deps.options.healthIntervalMs).unref(), setInterval(syncTick, this.deps.options.syncIntervalMs).unref());
  }

  /** Stops the schedule and waits for the running syncs. */
  async stop(): Promise<void> {
    this.halted = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
