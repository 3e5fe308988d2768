/**
 * Inventory sync at province scale: 14 simulated clouds holding 100,000 resources in all (two of them as
 * separate sim processes reached over HTTP through RemoteProvider), fully synced into an in-memory PGlite
 * store through the control plane's real sync code; then how fast one change becomes visible through the
 * incremental sync schedule, and what one cloud being down costs a fan-out query.
 *
 *   npm run bench -- sync        (writes bench/results/sync.json)
 */
import { DEFAULT_FEDERATION_PATH, SimAdminClient, loadFederationConfig, type CloudEntry, type FederationConfig, type ResourceSpec } from '@ganyun/providers';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Federation } from '../control-plane/src/federation/federation.ts';
import { registerFederationClouds } from '../control-plane/src/federation/register-clouds.ts';
import { createLogger } from '../control-plane/src/logger.ts';
import { createMetrics } from '../control-plane/src/metrics.ts';
import { SealingService } from '../control-plane/src/secrets/sealing.ts';
import { migrate } from '../control-plane/src/store/migrate.ts';
import { openPgliteStore } from '../control-plane/src/store/pglite-store.ts';
import { seedDivisions } from '../control-plane/src/store/reference-data.ts';
import { out, root, writeResult } from './support/results.ts';

const TOTAL = 100_000;
const CLOUDS = 14;
const REMOTE = 2;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Bigger host pools than the default federation, so that every seeded resource finds room.
const base = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
const perCloud = Math.ceil(TOTAL / CLOUDS);
const scaled: CloudEntry[] = base.clouds.slice(0, CLOUDS).map((c) => ({
  ...c, sim: { ...c.sim!, initialResources: perCloud, replication: [], hostPools: c.sim!.hostPools.map((p) => ({ ...p, hosts: p.hosts * 60 })) },
}));
const dir = mkdtempSync(join(tmpdir(), 'ganyun-bench-'));
const configPath = join(dir, 'federation.json');
writeFileSync(configPath, JSON.stringify({ version: 1, clouds: scaled } satisfies FederationConfig));

function spawnSim(cloudId: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'providers/src/simulated/server-main.ts', '--cloud', cloudId, '--port', String(port), '--config', configPath], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`sim ${cloudId} exited with ${code}`)));
  });
}

const remoteIds = scaled.slice(-REMOTE).map((c) => c.id);
out(`seeding ${CLOUDS} clouds × ${perCloud} resources (${REMOTE} as separate processes: ${remoteIds.join(', ')})`);
const sims = await Promise.all(remoteIds.map((id, i) => spawnSim(id, 27_400 + i + Math.floor(Math.random() * 1000) * 10)));
const children = sims.map((s) => s.child);
try {
  const store = await openPgliteStore(undefined);
  await migrate(store);
  await seedDivisions(store);
  const metrics = createMetrics();
  const log = createLogger('warn');
  const sealing = new SealingService(randomBytes(32));
  const federation = new Federation({ store, sealing, metrics, log }, { syncIntervalMs: 200, healthIntervalMs: 3_600_000, pagesPerSecond: 50, fanOutDeadlineMs: 2_000 });
  const entries = scaled.map((c) => {
    const i = remoteIds.indexOf(c.id);
    if (i < 0) return c;
    const { sim: _sim, ...rest } = c;
    return { ...rest, provider: 'remote', endpoint: sims[i]!.url };
  });
  await registerFederationClouds({ store, sealing, log }, { version: 1, clouds: entries });
  const t0 = performance.now();
  await federation.load(); // in-process clouds seed their inventory here
  out(`in-process clouds built in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  const ids = scaled.map((c) => c.id);

  // 1. Full sync of all clouds at once.
  const started = performance.now();
  const results = await Promise.all(ids.map((id) => federation.sync(id, 'full')));
  const fullSyncSeconds = (performance.now() - started) / 1000;
  const failed = results.filter((r) => r instanceof Error);
  if (failed.length) throw new Error(`full sync failed: ${failed.map(String).join('; ')}`);
  const [count] = await store.query<{ resources: number; objects: number }>(
    `SELECT count(*) FILTER (WHERE kind <> 'tenant-space')::int AS resources, count(*)::int AS objects FROM inventory_objects WHERE deleted_at IS NULL`,
  );
  const resourcesPerSecond = Math.round(count!.resources / fullSyncSeconds);
  out(`full sync: ${count!.resources} resources (${count!.objects} objects with tenant spaces) from ${CLOUDS} clouds in ${fullSyncSeconds.toFixed(2)} s (${resourcesPerSecond}/s)`);

  // 2. Fan-out latency, all up vs one cloud down (the down cloud fails fast once its circuit is open).
  const fanOutMs = async (n: number) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await federation.capacity();
      xs.push(performance.now() - t);
    }
    return median(xs);
  };
  await fanOutMs(5);
  const allUpMs = await fanOutMs(30);
  const downId = remoteIds[0]!;
  const downAdmin = new SimAdminClient(sims[0]!.url);
  await downAdmin.setFaults({ down: true });
  for (let i = 0; i < 10 && federation.circuit(downId) !== 'open'; i++) await federation.capacity();
  const answer = await federation.capacity();
  const oneDownMs = await fanOutMs(30);
  const oneCloudDownRatio = oneDownMs / allUpMs;
  out(`capacity fan-out: all up ${allUpMs.toFixed(1)} ms, ${downId} down ${oneDownMs.toFixed(1)} ms (circuit ${federation.circuit(downId)}; ${answer.results.length} answers + ${answer.errors.length} error) → ratio ${oneCloudDownRatio.toFixed(2)}`);
  await downAdmin.setFaults({});

  // 3. One change in a cloud (the other sim process) → visible in the store through the incremental schedule.
  federation.start();
  await new Promise((r) => setTimeout(r, 500));
  const changedId = remoteIds[1]!;
  const [sample] = await store.query<{ spec: ResourceSpec }>(`SELECT spec FROM inventory_objects WHERE cloud_id = $1 AND kind = 'vm' LIMIT 1`, [changedId]);
  const spec = { ...sample!.spec, name: `bench-${Date.now().toString(36)}` };
  const key = `resource:${spec.tenant}/${spec.kind}/${spec.name}`;
  const changedAt = performance.now();
  await new SimAdminClient(sims[1]!.url).mutate({ op: 'put-resource', spec });
  let changeVisibleSeconds = NaN;
  while (performance.now() - changedAt < 10_000) {
    const [row] = await store.query(`SELECT 1 FROM inventory_objects WHERE cloud_id = $1 AND key = $2 AND deleted_at IS NULL`, [changedId, key]);
    if (row) {
      changeVisibleSeconds = (performance.now() - changedAt) / 1000;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  out(`one change visible after ${changeVisibleSeconds.toFixed(3)} s (incremental sync every 200 ms)`);
  await federation.stop();
  await store.close();

  const result = {
    fullSyncSeconds: round(fullSyncSeconds), resourcesPerSecond, changeVisibleSeconds: round(changeVisibleSeconds), oneCloudDownRatio: round(oneCloudDownRatio),
    clouds: CLOUDS, resources: count!.resources, objects: count!.objects, separateProcesses: REMOTE, fanOutAllUpMs: round(allUpMs), fanOutOneDownMs: round(oneDownMs),
    goals: { fullSyncSeconds: 10, changeVisibleSeconds: 1, oneCloudDownRatio: 1.2 }, store: 'pglite (in memory)', node: process.version, at: new Date().toISOString(),
  };
  writeResult('sync.json', result);
  out(JSON.stringify(result));
} finally {
  for (const c of children) c.kill('SIGTERM');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
