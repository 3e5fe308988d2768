import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { followIdentityChanges } from './auth/identity-feed.ts';
import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '@ganyun/providers';
import { seedDemoPools } from './resources/address-pools.ts';
import { ExpirySweeper } from './resources/expiry.ts';
import { startIndicatorSnapshots } from './migrations/indicator-snapshots.ts';
import { startDr } from './dr/dr-module.ts';
import { registerFederationClouds } from './federation/register-clouds.ts';
import { CLOUDS_CHANNEL } from './federation/cloud-summaries.ts';
import { DEFAULT_RUNNER_OPTIONS, WorkflowRunner } from './engine/runner.ts';
import { newId } from './ids.ts';
import { WORKFLOW_CHANNEL, workflowsRepo } from './engine/workflows-repo.ts';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { AuditLog } from './audit/audit-log.ts';
import { createAppDeps, registerWorkflowActions } from './app-deps.ts';
import type { AppDeps } from './context.ts';
import { ensureAdmin } from './bootstrap.ts';
import type { Config } from './config.ts';
import { createHttpServer } from './http.ts';
import { HttpDrain } from './lifecycle/http-drain.ts';
import { DbSession } from './lifecycle/db-session.ts';
import { BackgroundLeader, LEADER_CHANNEL } from './lifecycle/leader.ts';
import { readinessOf } from './lifecycle/readiness.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { loadMasterKey } from './secrets/master-key.ts';
import { SealingService } from './secrets/sealing.ts';
import { migrate } from './store/migrate.ts';
import { openStore } from './store/open-store.ts';
import { openPostgresStore } from './store/postgres-store.ts';
import { seedDivisions } from './store/reference-data.ts';
import { pgliteStatistics } from './store/pglite-statistics.ts';
import { seedExtranetDemo } from './extranet/demo.ts';
import { seedQuotaDemo } from './quotas/quota-demo.ts';
import { startDailySnapshots } from './extranet/reachability.ts';
import { join } from 'node:path';
import { deriveAuditKeys } from './audit/chain.ts';
import { FileCheckpointSink } from './audit/checkpoints.ts';
import { startAuditCheckpoints } from './audit/checkpoint-timer.ts';

const VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../console/dist/console/browser', import.meta.url));

export interface ShutdownOptions {
  /** From the start of the stop until requests and workflow steps in flight are cut (default: config). */
  graceMs?: number;
  /** How long /readyz answers 503 before the server stops accepting (default: config; 0 for Ctrl-C). */
  delayMs?: number;
}

export interface ShutdownReport {
  /** Requests still unanswered at the end of the grace period. */
  cutRequests: number;
  /** Workflow steps still running then, handed to another replica. */
  releasedSteps: number;
}

export interface RunningApp {
  deps: AppDeps;
  server: Server;
  url: string;
  generatedAdminPassword?: string;
  /** Graceful stop: readiness off, drain delay, stop accepting, finish in-flight work within the grace period. */
  stop(opts?: ShutdownOptions): Promise<ShutdownReport>;
}

/** Opens the store, migrates, seeds reference data, ensures the admin, starts HTTP. Used by main.ts and the e2e tests. */
export async function startApp(config: Config, log: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningApp> {
  const metrics = createMetrics();
  const onIdleError = (err: Error) => log.warn({ err }, 'an idle PostgreSQL connection was closed; the pool opens a new one when needed');
  const store = await openStore({
    onIdleError,
    databaseUrl: config.DATABASE_URL,
    dataDir: config.GANYUN_DATA_DIR,
    observe: (seconds, ok) => metrics.storeQueryDuration.observe({ outcome: ok ? 'ok' : 'error' }, seconds),
  });
  const applied = await migrate(store);
  if (applied.length) log.info({ applied }, 'migrations applied');
  await seedDivisions(store);
  const { key, generated } = await loadMasterKey(config.GANYUN_SECRET_KEY, config.GANYUN_DATA_DIR);
  if (generated) log.warn({ dataDir: config.GANYUN_DATA_DIR }, 'generated a new sealing key in the data dir (secret.key, mode 0600): back it up');
  // The engine wakes the runner when work arrives; the runner needs `deps`, so it is wired after them.
  let wakeRunner = () => {};
  const sealing = new SealingService(key, config.GANYUN_SEAL_ALGORITHM);
  // The audit chain's keys derive from the sealing key (never in the database); its checkpoints go outside it.
  const audit = new AuditLog(
    deriveAuditKeys(key),
    new FileCheckpointSink(config.GANYUN_AUDIT_CHECKPOINT_FILE ?? join(config.GANYUN_DATA_DIR, 'audit-checkpoints.jsonl')),
    (outcome) => metrics.auditAppends.inc({ outcome }),
  );
  // Quota reservation batches hold the hot quota rows: on PostgreSQL they get two connections of their own.
  const batchStore = config.DATABASE_URL ? await openPostgresStore(config.DATABASE_URL, 2, onIdleError) : store;
  const deps = createAppDeps({
    store, batchStore, audit, sealing, metrics, log,
    version: VERSION,
    settings: { tokenTtlMinutes: config.GANYUN_TOKEN_TTL_MINUTES, lockoutThreshold: 5, lockoutMinutes: 15, sourceLockoutThreshold: 30 },
    callerCacheMs: config.GANYUN_CALLER_CACHE_MS,
    federation: { healthIntervalMs: config.GANYUN_HEALTH_INTERVAL_SECONDS * 1000, syncIntervalMs: config.GANYUN_SYNC_INTERVAL_SECONDS * 1000 },
    wake: () => wakeRunner(),
  });
  const { federation } = deps;
  // Several replicas share PostgreSQL: each hears every identity change through the database.
  const identityFeed = config.DATABASE_URL ? followIdentityChanges(config.DATABASE_URL, deps.callers, log) : null;
  const admin = await ensureAdmin(deps, config.GANYUN_ADMIN_PASSWORD);
  // Clouds: the federation file seeds the registry on first start; from then on the registry is the truth.
  const registered = await registerFederationClouds(deps, await loadFederationConfig(config.GANYUN_FEDERATION_CONFIG ?? DEFAULT_FEDERATION_PATH));
  if (registered) log.info({ clouds: registered }, 'registered the clouds of the federation file');
  await federation.load();
  registerWorkflowActions(deps);
  // DR: centres from the registry now, replication links after every inventory sync.
  const dr = await startDr(deps, { startSweeper: false });
  // Extranet: the demo inventory on the first start of an empty database, then one snapshot a day.
  const extranetDemo = config.GANYUN_EXTRANET_DEMO_VILLAGES ? await seedExtranetDemo(store, { villagesPerTownship: config.GANYUN_EXTRANET_DEMO_VILLAGES }) : null;
  if (extranetDemo) log.info(extranetDemo, 'seeded the demo extranet (villages synthesised)');
  // Demo quotas on the demo departments' systems (and province and city caps), only while no limit exists.
  const quotaDemo = extranetDemo ? await seedQuotaDemo(store, deps.quotas) : null;
  if (quotaDemo) log.info(quotaDemo, 'seeded the demo quotas');
  // Address pools for requested segments: the clouds' extranet attachment prefixes and a demo internet-facing block each.
  const pools = extranetDemo ? await store.transaction((tx) => seedDemoPools(tx)) : 0;
  if (pools) log.info({ pools }, 'seeded the demo address pools of the clouds');
  // The embedded database has no autovacuum: planner statistics now (after seeding) and then on the schedule.
  const statistics = pgliteStatistics(store, log);
  await statistics.analyze();
  const stopSnapshots = startDailySnapshots(store, log);
  const stopIndicatorSnapshots = startIndicatorSnapshots(store, log);
  const checkpoints = startAuditCheckpoints(audit, store, log, config.GANYUN_AUDIT_CHECKPOINT_SECONDS * 1000);
  const expiry = new ExpirySweeper(deps);
  const runner = new WorkflowRunner(deps, { ...DEFAULT_RUNNER_OPTIONS, leaseMs: config.GANYUN_WORKFLOW_LEASE_MS, owner: `${hostname()}:${process.pid}:${newId().slice(0, 8)}` });
  metrics.setQueueDepthSource(() => workflowsRepo.readyDepth(store));
  wakeRunner = () => runner.wake();
  /*
   * Idle replicas cost (almost) nothing (issue 13): the runner sleeps until work is announced (NOTIFY at commit,
   * heard on this replica's database session, or in process on PGlite) instead of polling four times a second;
   * the background schedule runs on one replica at a time (lifecycle/leader.ts); /readyz answers from the
   * session's state (lifecycle/readiness.ts). Each job is safe on several replicas at once (SKIP LOCKED,
   * idempotent sweeps): the lock only stops N replicas from doing N times the same polling.
   */
  let leader: BackgroundLeader | null = null;
  const session = config.DATABASE_URL
    ? new DbSession(config.DATABASE_URL, log, {
      channels: { [WORKFLOW_CHANNEL]: () => runner.wake(), [LEADER_CHANNEL]: () => void leader?.tryLead(), [CLOUDS_CHANNEL]: () => deps.cloudSummaries.invalidate() },
      // Back after a loss: look for work announced meanwhile, and for the schedule if nobody holds it; the cloud
      // list's snapshot is trusted only while its changes can be heard.
      onUp: () => {
        deps.cloudSummaries.resume();
        runner.wake();
        void leader?.tryLead();
      },
      onDown: () => {
        deps.cloudSummaries.suspend();
        leader?.sessionLost();
      },
    })
    : null;
  const unlisten = store.listen ? await store.listen(WORKFLOW_CHANNEL, () => runner.wake()) : null;
  leader = new BackgroundLeader(session, [
    { name: 'cloud health checks and inventory syncs', start: () => federation.start(), stop: () => federation.stopSchedule() },
    // Expired quota holds released.
    { name: 'quota reaper', start: () => deps.quotaRuntime.reaper.start(), stop: () => deps.quotaRuntime.reaper.stop() },
    // Resources past their end date (after notice) released.
    { name: 'resource expiry', start: () => expiry.start(), stop: () => expiry.stop() },
    { name: 'DR sweeper', start: () => dr.sweeper.start(), stop: () => dr.sweeper.stop() },
    { name: 'embedded database statistics (PGlite only)', start: () => statistics.start(), stop: () => statistics.stop() },
  ], log);
  session?.start();
  leader.start();
  runner.start();
  const server = createHttpServer(deps, {
    maxBodyBytes: config.GANYUN_MAX_BODY_BYTES, trustProxyHops: config.GANYUN_TRUST_PROXY_HOPS, metricsToken: config.GANYUN_METRICS_TOKEN, consoleDir: config.GANYUN_CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR, draining: () => httpDrain.draining,
    readiness: readinessOf({ store: store.kind, draining: () => httpDrain.draining, session }),
  });
  const httpDrain = new HttpDrain(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  return {
    deps,
    server,
    url: `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`,
    generatedAdminPassword: admin.generatedPassword,
    async stop(opts: ShutdownOptions = {}) {
      const graceMs = opts.graceMs ?? config.GANYUN_SHUTDOWN_GRACE_MS;
      const deadline = Date.now() + graceMs;
      httpDrain.startDraining();
      // This replica takes no new workflow steps from now on; the others do.
      const runnerStopped = runner.stop(graceMs);
      const delayMs = Math.min(opts.delayMs ?? config.GANYUN_SHUTDOWN_DELAY_MS, graceMs);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const [{ cut }, { released }] = await Promise.all([httpDrain.close(deadline), runnerStopped]);
      stopSnapshots.stop();
      stopIndicatorSnapshots.stop();
      await checkpoints.stop();
      // The schedule's lock is handed over (another replica takes it at once), then the session closes.
      await leader.stop();
      await federation.stop();
      await unlisten?.();
      await session?.stop();
      await identityFeed?.stop();
      if (batchStore !== store) await batchStore.close();
      await store.close();
      return { cutRequests: cut, releasedSteps: released };
    },
  };
}
