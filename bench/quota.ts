/**
 * Reservations on one hot quota: two control-plane processes on a scratch PostgreSQL database, 64 concurrent
 * HTTP clients calling `quotas.reserve` (tRPC, plain JSON, a session token each) on one system whose
 * department, city and province are nearly as tight. Clients go on until the quota is full (each stops at its
 * first refusal). Then, in the same run and on the same database, 64 clients doing single-row UPDATEs on one
 * hot row: the ceiling a naive "UPDATE … SET used = used + n" design would hit. Finally the database is
 * checked: no row over its cap at any level, counters equal to their ledgers.
 *
 *   npm run bench -- quota        (writes bench/results/quota.json; GANYUN_BENCH_PG selects the server)
 */
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { AuditLog } from '../control-plane/src/audit/audit-log.ts';
import { createLogger } from '../control-plane/src/logger.ts';
import { QuotaServiceImpl } from '../control-plane/src/quotas/quota-service.ts';
import { ReserveBatcher } from '../control-plane/src/quotas/reserve-batcher.ts';
import { openPostgresStore } from '../control-plane/src/store/postgres-store.ts';
import { CLOUD, quotaViolations, seedHotQuota, startQuotaCluster, trpcMutation } from '../test/quota/quota-cluster.ts';
import { deriveAuditKeys } from '../control-plane/src/audit/chain.ts';
import { MemoryCheckpointSink } from '../control-plane/src/audit/checkpoints.ts';
import { randomBytes } from 'node:crypto';
import { out, percentile, writeResult } from './support/results.ts';

const PG_ADMIN = process.env['GANYUN_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = 64;
const PROCESSES = 2;
const ROOM = Number(process.env['GANYUN_BENCH_QUOTA_ROOM'] ?? 30_000);
const RAW_SECONDS = Number(process.env['GANYUN_BENCH_RAW_SECONDS'] ?? 8);

out(`starting ${PROCESSES} control planes on a scratch PostgreSQL database`);
const cluster = await startQuotaCluster({ pgAdminUrl: PG_ADMIN, processes: PROCESSES, clients: CLIENTS });
try {
  const { hot } = await seedHotQuota(cluster.store, ROOM, 50);
  const urls = cluster.products.map((p) => p.url);
  let seq = 0;
  const reserve = (client: number) => trpcMutation(urls[client % PROCESSES]!, 'quotas.reserve', cluster.tokens[client]!, {
    systemId: hot, items: [{ cloudId: CLOUD, resourceClass: 'vcpu', amount: 1 }], idempotencyKey: `bench-${client}-${seq++}`, ttlSeconds: 3600, ref: 'bench',
  });

  // Warm-up on another system-sized slice would change the figures; warm the HTTP path with a few checks instead.
  for (let i = 0; i < 200; i++) await trpcMutation(urls[i % PROCESSES]!, 'quotas.reserve', cluster.tokens[i % CLIENTS]!, { systemId: hot, items: [], idempotencyKey: 'warm', ttlSeconds: 60 });

  const cpuSeconds = async () => {
    let total = 0;
    for (const url of urls) total += Number(/^ganyun_process_process_cpu_seconds_total (\S+)/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? NaN);
    return total;
  };
  const cpuBefore = await cpuSeconds();
  const benchCpuBefore = process.cpuUsage();
  out(`${CLIENTS} clients reserving 1 vCPU at a time on one system with ${ROOM} vCPU of room (parents: ${ROOM + 50})`);
  const latencies: number[] = [];
  let granted = 0;
  let refused = 0;
  const errors: string[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (;;) {
      const t = performance.now();
      const r = await reserve(client);
      latencies.push(performance.now() - t);
      if (r.status === 200) granted++;
      else if (r.status === 409) {
        refused++;
        return;
      } else {
        errors.push(`${r.status}: ${r.body.error?.message}`);
        if (errors.length > 20) return;
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const serverCpuMsPerReservation = Math.round(((await cpuSeconds()) - cpuBefore) / granted * 1e6) / 1000;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const clientCpuMsPerReservation = Math.round((benchCpu.user + benchCpu.system) / granted) / 1000;
  const reservationsPerSecond = Math.round(granted / seconds);
  out(`reserved ${granted} in ${seconds.toFixed(2)} s → ${reservationsPerSecond}/s (${refused} refused at the end, ${errors.length} errors; p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms)`);
  if (errors.length) out(`errors: ${errors.slice(0, 5).join(' | ')}`);

  // Batch figures from each process's metrics.
  let batches = 0;
  let batched = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    batches += Number(/^ganyun_quota_reservation_batch_size_count (\d+)/m.exec(text)?.[1] ?? 0);
    batched += Number(/^ganyun_quota_reservation_batch_size_sum (\d+)/m.exec(text)?.[1] ?? 0);
  }

  out(`group commit: ${batches} batches, ${(batched / Math.max(1, batches)).toFixed(1)} reservations per batch on average; CPU per reservation: ${serverCpuMsPerReservation} ms in the control planes, ${clientCpuMsPerReservation} ms in the HTTP clients`);

  // Checked from the database: nothing over its cap anywhere; counters equal their ledgers; the hot system holds what was granted.
  const violations = await quotaViolations(cluster.store);
  const [row] = await cluster.store.query<{ reserved: number; cap: number }>(
    `SELECT u.reserved, u.cap FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id WHERE n.level = 'system' AND n.ref = $1 AND u.resource_class = 'vcpu'`, [hot]);
  const oversubscribed = violations.filter((v) => v.startsWith('over cap')).length + (granted > ROOM ? 1 : 0);
  if (violations.length) out(`violations: ${violations.slice(0, 5).join(' | ')}`);
  out(`hot system: ${row!.reserved} reserved of ${row!.cap}; clients were granted ${granted}`);
  // The control planes are done: their connections go back to the server before the raw clients take 64.
  for (const p of cluster.products) await p.stop();

  // For reference, the same group-commit path without HTTP and sessions: two batchers (two pools, as two
  // processes would have) in this process, 64 callers, on a second hot system with room to spare.
  const { hot: spare } = await seedHotQuota(cluster.store, 10_000_000, 0, '备用');
  const pools = await Promise.all([0, 1].map(() => openPostgresStore(cluster.dbUrl, 2)));
  const batchers = pools.map((store) => new ReserveBatcher({ store, audit: new AuditLog(deriveAuditKeys(randomBytes(32)), new MemoryCheckpointSink()), log: createLogger('warn') }, new QuotaServiceImpl()));
  let direct = 0;
  const directStarted = performance.now();
  const directDeadline = directStarted + RAW_SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    while (performance.now() < directDeadline) {
      await batchers[c % 2]!.submit({ systemId: spare, items: [{ cloudId: CLOUD, resourceClass: 'vcpu', amount: 1 }], idempotencyKey: `direct-${c}-${direct}`, ttlSeconds: 3600, ref: 'bench', actor: 'bench' },
        { actorId: null, actor: 'bench', role: null, requestId: `direct-${c}`, procedure: 'quotas.reserve' });
      direct++;
    }
  }));
  const batcherOnlyPerSecond = Math.round(direct / ((performance.now() - directStarted) / 1000));
  for (const p of pools) await p.close();
  out(`the same batches without HTTP (two batchers in-process): ${batcherOnlyPerSecond}/s`);

  // The raw ceiling: 64 clients, single-row UPDATEs of one hot row, each its own transaction.
  await cluster.store.query('CREATE TABLE bench_raw (id integer PRIMARY KEY, n bigint NOT NULL)');
  await cluster.store.query('INSERT INTO bench_raw VALUES (1, 0)');
  const pool = new pg.Pool({ connectionString: cluster.dbUrl, max: CLIENTS });
  pool.on('error', () => undefined); // idle clients cut off when the scratch database is dropped
  await Promise.all(Array.from({ length: CLIENTS }, () => pool.query('SELECT 1')));
  let updates = 0;
  const rawStarted = performance.now();
  const rawDeadline = rawStarted + RAW_SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < rawDeadline) {
      await pool.query('UPDATE bench_raw SET n = n + 1 WHERE id = 1');
      updates++;
    }
  }));
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  await pool.end();
  const rawUpdatesPerSecond = Math.round(updates / rawSeconds);
  out(`raw single-row UPDATEs: ${updates} in ${rawSeconds.toFixed(2)} s → ${rawUpdatesPerSecond}/s`);

  const result = {
    reservationsPerSecond, rawUpdatesPerSecond, ratio: Math.round((reservationsPerSecond / rawUpdatesPerSecond) * 1000) / 1000, oversubscribed,
    ledgerMismatches: violations.length - violations.filter((v) => v.startsWith('over cap')).length,
    reservations: granted, refused, errors: errors.length, grantedMatchesDatabase: row!.reserved === granted, seconds: Math.round(seconds * 1000) / 1000,
    latencyMs: { p50: Math.round(percentile(latencies, 0.5) * 10) / 10, p99: Math.round(percentile(latencies, 0.99) * 10) / 10 },
    batcherOnlyPerSecond,
    meanBatchSize: batches ? Math.round((batched / batches) * 10) / 10 : null, batches, serverCpuMsPerReservation, clientCpuMsPerReservation,
    cores: availableParallelism(), loadAverageAtEnd: Math.round(loadavg()[0]! * 100) / 100,
    clients: CLIENTS, processes: PROCESSES, room: ROOM,
    goals: { reservationsPerSecond: 2000, ratio: 0.3, oversubscribed: 0 },
    store: 'postgresql (scratch database, fsync on)', node: process.version, at: new Date().toISOString(),
  };
  writeResult('quota.json', result);
  out(JSON.stringify(result));
} catch (error) {
  process.stderr.write(`quota bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cluster.stop();
}
