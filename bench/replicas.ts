/**
 * What replicas cost (issue 13, Measure). The machine has 2 cores, so throughput cannot grow with replicas here;
 * what is measured is the price of running several: server CPU milliseconds per request and database round trips
 * per request of one mixed read/write workload through HAProxy, with 1, 2 and 3 release-build replicas on one
 * PostgreSQL; p99 per procedure family; and failed requests during rolling restarts of three replicas.
 *
 * Set-up (test/replicas/lb-cluster.ts, the same as the replica specs): replicas from the release build (plain
 * `node`, no TypeScript loader), HAProxy in front (roundrobin, /readyz checks, redispatch), a PostgreSQL cluster
 * of the bench's own (test/replicas/private-postgres.ts, port of its own, fsync off) with pg_stat_statements
 * loaded, so that round trips are counted by the server: every top-level statement a replica sends (BEGIN and
 * COMMIT included) is one `call`. Statements PostgreSQL runs inside another (the foreign-key checks of an INSERT,
 * `SELECT 1 FROM ONLY … FOR KEY SHARE`) are no round trip: they are counted apart (`dbStatementsPerRequestInclNested`,
 * what `dbRoundTripsPerRequest` counted before 2026-12-06 evening). The workload (test/replicas/workload.ts): closed-loop clients, 25 % auth.me, 10 %
 * quotas.node, 10 % ipam.prefixes, 25 % quotas.reserve, 25 % ipam.allocatePrefix, 5 % a write sent again with
 * its key (a client retry); room enough that no reservation is refused (a refusal is cheaper than a grant).
 * The load generator is the specs' own (it checks every answer and keeps latencies per family), not autocannon,
 * which reports one latency distribution for a whole mix and cannot tell a refusal from a grant.
 *
 * Server CPU: user + system time of every replica process from /proc/<pid>/stat over the measured window
 * (background loops included: they are part of what a replica costs), divided by the requests answered in it.
 * Before the load, 5 s of idle measure what a replica burns with no request (its timers and polls), so that the
 * cost a request adds can be told from the fixed cost of a replica (`cpuMsPerRequestAboveIdle`).
 *
 * Warm-up: every replica is a V8 of its own that compiles (TurboFan) its hot code after enough calls, so a fresh
 * replica costs 2–3 times as much per request as a warm one for its first few thousand requests, and a
 * warm-up of a fixed duration leaves 3 replicas (a third of the requests each) colder than 1. The warm-up is
 * therefore the same number of requests per replica (GANYUN_BENCH_WARMUP_PER_REPLICA, at least 4 s) for 1, 2 and
 * 3; its own CPU per request is kept (`coldCpuMsPerRequest`: what a replica costs while it warms up, e.g. one
 * the autoscaler just added). The measured window is then the same duration for every replica count.
 *
 *   npm run bench -- replicas        (writes bench/results/replicas.json)
 *   GANYUN_BENCH_SECONDS=20          measured seconds per replica count (after the warm-up)
 *   GANYUN_BENCH_WARMUP_PER_REPLICA=8000  warm-up requests per replica
 *   GANYUN_BENCH_CLIENTS=32          concurrent clients
 *   GANYUN_BENCH_SEEDS=11,12,13      one rolling restart of all three replicas per seed
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Store } from '../control-plane/src/store/store.ts';
import { startLbCluster, type LbCluster } from '../test/replicas/lb-cluster.ts';
import { startPrivatePostgres } from '../test/replicas/private-postgres.ts';
import { databaseProblems, newOutcomes, percentiles, runLoad, seedWorkload } from '../test/replicas/workload.ts';
import { out, writeResult } from './support/results.ts';

const SECONDS = Number(process.env['GANYUN_BENCH_SECONDS'] ?? 20);
const CLIENTS = Number(process.env['GANYUN_BENCH_CLIENTS'] ?? 32);
const SEEDS = (process.env['GANYUN_BENCH_SEEDS'] ?? '11,12,13').split(',').map(Number);
const WARMUP_SECONDS = 4;
const WARMUP_PER_REPLICA = Number(process.env['GANYUN_BENCH_WARMUP_PER_REPLICA'] ?? 8000);
const IDLE_SECONDS = 5;
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of a process in ms (fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Top-level statements (round trips), all statements (nested foreign-key checks included) and transactions so far. */
async function dbCounters(store: Store): Promise<{ statements: number; withNested: number; transactions: number }> {
  const [row] = await store.query<{ statements: string; with_nested: string; transactions: string }>(
    `SELECT (SELECT COALESCE(sum(calls) FILTER (WHERE toplevel), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))::text AS statements,
            (SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))::text AS with_nested,
            (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database())::text AS transactions`);
  return { statements: Number(row!.statements), withNested: Number(row!.with_nested), transactions: Number(row!.transactions) };
}

interface Measured {
  replicas: number;
  requests: number;
  requestsPerSecond: number;
  cpuMs: number;
  cpuMsPerRequest: number;
  cpuMsPerReplica: number[];
  /** CPU a replica burns with no request at all (timers, runner and reaper polls, metrics), ms per second, measured before the load. */
  idleCpuMsPerSecondPerReplica: number;
  /** The same window's CPU less the replicas' idle burn, per request: the cost a request adds. */
  cpuMsPerRequestAboveIdle: number;
  loadAverageBefore: number;
  /** Statements a replica sends with no request, per second, and the most frequent of them. */
  idleDbRoundTripsPerSecondPerReplica: number;
  idleTopStatements: { calls: number; query: string }[];
  /** The statements sent most under load, in calls per request: where the round trips of a request go. */
  loadTopStatements: { perRequest: number; query: string }[];
  haproxyCpuMsPerRequest: number;
  /** Requests of the warm-up (the same number per replica for every count) and the CPU per request they cost. */
  warmupRequests: number;
  warmupSeconds: number;
  coldCpuMsPerRequest: number;
  dbRoundTripsPerRequest: number;
  /** Round trips plus the statements PostgreSQL ran inside them (foreign-key checks). */
  dbStatementsPerRequestInclNested: number;
  dbTransactionsPerRequest: number;
  failed: number;
  failures: string[];
  latencyMs: Record<string, { n: number; p50: number; p99: number }>;
}

const pg = await startPrivatePostgres(['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all', 'pg_stat_statements.max=10000']);
const roles = ['cloud-operator', 'network-engineer'] as const;
const results: Measured[] = [];
/**
 * The control: one replica, warm, with the clients one of three replicas gets (32 / 3), the same duration. It
 * tells what grows with the number of replicas (coordination) from what grows because each replica is given
 * less to do (smaller group-commit batches, a less busy process).
 */
let control: { clients: number; requests: number; requestsPerSecond: number; cpuMsPerRequest: number; dbRoundTripsPerRequest: number; dbTransactionsPerRequest: number } | null = null;
const restarts: { seed: number; requests: number; failed: number; failures: string[]; haproxy: Record<string, number> }[] = [];
try {
  for (const n of [1, 2, 3]) {
    const cluster = await startLbCluster({ pgAdminUrl: pg.adminUrl, replicas: n, clients: CLIENTS, roles: [...roles] });
    try {
      await cluster.store.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      const target = await seedWorkload(cluster.store, `bench${n}`, 10_000_000);
      // Idle first: what the replicas cost with no request.
      const idlePids = cluster.replicas.map((r) => r.child.pid!);
      await cluster.store.query('SELECT pg_stat_statements_reset()');
      const idleDb0 = await dbCounters(cluster.store);
      const idle0 = idlePids.map(cpuMs);
      const idleStarted = performance.now();
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      const idleSeconds = (performance.now() - idleStarted) / 1000;
      const idleMsPerSecond = idlePids.map((p, i) => cpuMs(p) - idle0[i]!).reduce((a, b) => a + b, 0) / n / idleSeconds;
      const idleDb1 = await dbCounters(cluster.store);
      const idleStatementsPerSecond = (idleDb1.statements - idleDb0.statements - 2) / n / idleSeconds;
      const idleTop = await cluster.store.query<{ calls: number; query: string }>(
        `SELECT calls::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query FROM pg_stat_statements
         WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 6`);
      const loadBefore = loadavg()[0]!;
      let phase: 'warmup' | 'measure' | 'done' = 'warmup';
      const warm = newOutcomes();
      const pids = cluster.replicas.map((r) => r.child.pid!);
      const warmCpu0 = pids.map(cpuMs);
      const warmStarted = performance.now();
      const warmLoad = runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed: 100 + n, until: () => phase !== 'warmup', outcomes: warm });
      // The same number of requests per replica (HAProxy's round robin spreads them evenly), and at least 4 s.
      while (warm.requests < WARMUP_PER_REPLICA * n || performance.now() - warmStarted < WARMUP_SECONDS * 1000) await new Promise((r) => setTimeout(r, 200));
      const warmRequests = warm.requests;
      const warmSeconds = (performance.now() - warmStarted) / 1000;
      const coldCpu = pids.map((p, i) => cpuMs(p) - warmCpu0[i]!).reduce((a, b) => a + b, 0);
      // The measured window: a fresh outcome record, CPU and database counters read at both ends.
      const outcomes = newOutcomes();
      const cpu0 = pids.map(cpuMs);
      const hp0 = cpuMs(cluster.haproxy.child.pid!);
      await cluster.store.query('SELECT pg_stat_statements_reset()');
      const db0 = await dbCounters(cluster.store);
      phase = 'measure';
      await warmLoad;
      const started = performance.now();
      await runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed: 200 + n, until: () => performance.now() - started > SECONDS * 1000, outcomes });
      const seconds = (performance.now() - started) / 1000;
      const cpu1 = pids.map(cpuMs);
      const hp1 = cpuMs(cluster.haproxy.child.pid!);
      const db1 = await dbCounters(cluster.store);
      const loadTop = await cluster.store.query<{ calls: number; query: string }>(
        `SELECT calls::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query FROM pg_stat_statements
         WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 10`);
      phase = 'done';
      const perReplica = cpu1.map((c, i) => c - cpu0[i]!);
      const total = perReplica.reduce((a, b) => a + b, 0);
      const problems = await databaseProblems(cluster.store, 200 + n, outcomes);
      if (problems.length) throw new Error(`the database disagrees with the clients (${n} replicas):\n${problems.slice(0, 10).join('\n')}`);
      const m: Measured = {
        replicas: n, requests: outcomes.requests, requestsPerSecond: Math.round(outcomes.requests / seconds),
        cpuMs: Math.round(total), cpuMsPerRequest: round(total / outcomes.requests, 3), cpuMsPerReplica: perReplica.map(Math.round),
        idleCpuMsPerSecondPerReplica: round(idleMsPerSecond, 1), cpuMsPerRequestAboveIdle: round((total - idleMsPerSecond * n * seconds) / outcomes.requests, 3),
        loadAverageBefore: round(loadBefore, 1),
        idleDbRoundTripsPerSecondPerReplica: round(idleStatementsPerSecond, 1), idleTopStatements: idleTop,
        loadTopStatements: loadTop.map((t) => ({ perRequest: round(t.calls / outcomes.requests, 3), query: t.query })),
        haproxyCpuMsPerRequest: round((hp1 - hp0) / outcomes.requests, 3),
        warmupRequests: warmRequests, warmupSeconds: round(warmSeconds, 1), coldCpuMsPerRequest: round(coldCpu / warmRequests, 3),
        // The bench's own two counter queries are taken off.
        dbRoundTripsPerRequest: round((db1.statements - db0.statements - 2) / outcomes.requests, 2),
        dbStatementsPerRequestInclNested: round((db1.withNested - db0.withNested - 2) / outcomes.requests, 2),
        dbTransactionsPerRequest: round((db1.transactions - db0.transactions - 2) / outcomes.requests, 2),
        failed: outcomes.failures.length + warm.failures.length, failures: [...warm.failures, ...outcomes.failures].slice(0, 10), latencyMs: percentiles(outcomes),
      };
      results.push(m);
      if (n === 1) {
        const clients = Math.ceil(CLIENTS / 3);
        const o = newOutcomes();
        const c0 = cpuMs(pids[0]!);
        await cluster.store.query('SELECT pg_stat_statements_reset()');
        const d0 = await dbCounters(cluster.store);
        const t0 = performance.now();
        await runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens.slice(0, clients), target, seed: 400, until: () => performance.now() - t0 > SECONDS * 1000, outcomes: o });
        const s = (performance.now() - t0) / 1000;
        const c1 = cpuMs(pids[0]!);
        const d1 = await dbCounters(cluster.store);
        const problems2 = await databaseProblems(cluster.store, 400, o);
        if (problems2.length || o.failures.length) throw new Error(`control run: ${[...o.failures, ...problems2].slice(0, 10).join('\n')}`);
        control = {
          clients, requests: o.requests, requestsPerSecond: Math.round(o.requests / s), cpuMsPerRequest: round((c1 - c0) / o.requests, 3),
          dbRoundTripsPerRequest: round((d1.statements - d0.statements - 2) / o.requests, 2), dbTransactionsPerRequest: round((d1.transactions - d0.transactions - 2) / o.requests, 2),
        };
        out(`control: 1 replica with ${clients} clients: ${o.requests} requests (${control.requestsPerSecond}/s), ${control.cpuMsPerRequest} CPU ms/request, ${control.dbRoundTripsPerRequest} round trips and ${control.dbTransactionsPerRequest} transactions/request`);
      }
      out(`${n} replica(s), load average ${m.loadAverageBefore}: warm-up ${m.warmupRequests} requests in ${m.warmupSeconds} s at ${m.coldCpuMsPerRequest} CPU ms/request; ${m.requests} requests in ${seconds.toFixed(1)} s (${m.requestsPerSecond}/s), ${m.cpuMsPerRequest} CPU ms/request (${m.cpuMsPerReplica.join(' + ')} ms; idle ${m.idleCpuMsPerSecondPerReplica} ms/s per replica, ${m.cpuMsPerRequestAboveIdle} ms/request above idle; idle ${m.idleDbRoundTripsPerSecondPerReplica} statements/s per replica), ` +
        `${m.dbRoundTripsPerRequest} round trips and ${m.dbTransactionsPerRequest} transactions/request, ${m.failed} failed; p99 ${JSON.stringify(Object.fromEntries(Object.entries(m.latencyMs).map(([k, v]) => [k, v.p99])))}`);
    } finally {
      await cluster.stop();
    }
  }

  // Rolling restarts of three replicas under the same load, one per seed.
  const cluster: LbCluster = await startLbCluster({ pgAdminUrl: pg.adminUrl, replicas: 3, clients: CLIENTS, roles: [...roles] });
  try {
    for (const seed of SEEDS) {
      const target = await seedWorkload(cluster.store, `rr${seed}`, 10_000_000);
      let done = false;
      const outcomes = newOutcomes();
      const load = runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed, until: () => done, outcomes });
      const before = await cluster.haproxy.counters();
      try {
        await new Promise((r) => setTimeout(r, 1000));
        for (let i = 0; i < 3; i++) await cluster.restart(i);
        await new Promise((r) => setTimeout(r, 1000));
      } finally {
        done = true;
        await load;
      }
      const after = await cluster.haproxy.counters();
      const problems = await databaseProblems(cluster.store, seed, outcomes);
      const haproxy = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
      restarts.push({ seed, requests: outcomes.requests, failed: outcomes.failures.length + problems.length, failures: [...outcomes.failures, ...problems].slice(0, 10), haproxy });
      out(`rolling restart (seed ${seed}): ${outcomes.requests} requests, ${outcomes.failures.length} failed, ${problems.length} database problems; HAProxy ${JSON.stringify(haproxy)}`);
    }
  } finally {
    await cluster.stop();
  }
} finally {
  pg.destroy();
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const by = <T>(f: (m: Measured) => T) => Object.fromEntries(results.map((m) => [String(m.replicas), f(m)]));
const cpu = by((m) => m.cpuMsPerRequest);
const result = {
  cpuMsPerRequest: cpu,
  cpuRatio3to1: round(cpu['3']! / cpu['1']!, 3),
  dbRoundTripsPerRequest: by((m) => m.dbRoundTripsPerRequest),
  failedDuringRollingRestart: restarts.reduce((s, r) => s + r.failed, 0),
  goal: { cpuRatio3to1: 1.15, failedDuringRollingRestart: 0 },
  cpuMsPerRequestAboveIdle: by((m) => m.cpuMsPerRequestAboveIdle),
  idleCpuMsPerSecondPerReplica: by((m) => m.idleCpuMsPerSecondPerReplica),
  idleDbRoundTripsPerSecondPerReplica: by((m) => m.idleDbRoundTripsPerSecondPerReplica),
  dbTransactionsPerRequest: by((m) => m.dbTransactionsPerRequest),
  dbStatementsPerRequestInclNested: by((m) => m.dbStatementsPerRequestInclNested),
  coldCpuMsPerRequest: by((m) => m.coldCpuMsPerRequest),
  requestsPerSecond: by((m) => m.requestsPerSecond),
  p99MsByFamily: by((m) => Object.fromEntries(Object.entries(m.latencyMs).map(([k, v]) => [k, v.p99]))),
  runs: results,
  oneReplicaAtThePerReplicaConcurrencyOfThree: control,
  rollingRestarts: restarts,
  setup: {
    clients: CLIENTS, measuredSeconds: SECONDS, warmup: `${WARMUP_PER_REPLICA} requests per replica, at least ${WARMUP_SECONDS} s`,
    workload: '25% auth.me, 10% quotas.node, 10% ipam.prefixes, 25% quotas.reserve, 25% ipam.allocatePrefix (/64), 5% a write resent with its key',
    server: 'release build (node --conditions=ganyun-release control-plane/dist/main.js), LOG_LEVEL=warn',
    loadBalancer: 'HAProxy, roundrobin, httpchk /readyz, redispatch, retries 3 on conn-failure/empty-response',
    database: 'private PostgreSQL cluster (fsync off), pg_stat_statements for round trips',
    cores: availableParallelism(), loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
    note: 'the load generator, HAProxy, PostgreSQL and the replicas share the same cores (and the machine is shared with other work)',
  },
  at: new Date().toISOString(),
};
writeResult('replicas.json', result);
out(`cpuRatio3to1 ${result.cpuRatio3to1} (goal ≤ 1.15); failed during rolling restarts ${result.failedDuringRollingRestart} (goal 0); wrote bench/results/replicas.json`);
