/**
 * Next-free IPv6 /64 allocations on a scratch PostgreSQL database.
 *
 * Headline figures go through the product path: two control-plane processes, 64 HTTP clients calling
 * `ipam.allocatePrefix` (tRPC, plain JSON, a session token each: token check, zod, scope, the parent row lock,
 * the group-commit batcher and one audit record per allocation in the same commit).
 *  - sameParentPerSecond: all 64 clients in ONE parent (a /32), for SECONDS;
 *  - manyParentsPerSecond: client i in parent i (64 /48s), same run, same database;
 *  - duplicates: repeated or overlapping blocks found in the database afterwards (must be 0).
 * The same two phases are then run in this process straight on the service layer (the batcher over a
 * PostgreSQL pool, still audited, no HTTP or token checks), to show what the allocator itself costs.
 *
 *   npm run bench -- ipam        (writes bench/results/ipam.json; GANYUN_BENCH_PG selects the server)
 */
import { cpus, loadavg } from 'node:os';
import { AuditLog } from '../control-plane/src/audit/audit-log.ts';
import { AllocationBatcher } from '../control-plane/src/ipam/batcher.ts';
import { openPostgresStore } from '../control-plane/src/store/postgres-store.ts';
import { overlapsAndDuplicates, seedParents, startIpamCluster, trpcMutation } from '../test/ipam/ipam-cluster.ts';
import { deriveAuditKeys } from '../control-plane/src/audit/chain.ts';
import { MemoryCheckpointSink } from '../control-plane/src/audit/checkpoints.ts';
import { randomBytes } from 'node:crypto';
import { out, percentile, writeResult } from './support/results.ts';

const PG_ADMIN = process.env['GANYUN_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = 64;
const PROCESSES = 2;
const SECONDS = Number(process.env['GANYUN_BENCH_IPAM_SECONDS'] ?? 8);

interface Phase { perSecond: number; allocations: number; errors: number; p50Ms: number; p99Ms: number; cidrs: string[] }

/** 64 clients, each calling `one(client)` back to back for SECONDS; counts successes and latencies. */
async function phase(one: (client: number) => Promise<string | null>): Promise<Phase> {
  const latencies: number[] = [];
  const cidrs: string[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    while (performance.now() < until) {
      const t = performance.now();
      const cidr = await one(client).catch(() => null);
      latencies.push(performance.now() - t);
      if (cidr) cidrs.push(cidr);
      else errors++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: Math.round(cidrs.length / seconds), allocations: cidrs.length, errors, p50Ms: +percentile(latencies, 0.5).toFixed(1), p99Ms: +percentile(latencies, 0.99).toFixed(1), cidrs };
}

const summary = (p: Phase) => ({ perSecond: p.perSecond, allocations: p.allocations, errors: p.errors, p50Ms: p.p50Ms, p99Ms: p.p99Ms });

out(`starting ${PROCESSES} control planes on a scratch PostgreSQL database`);
const cluster = await startIpamCluster({ pgAdminUrl: PG_ADMIN, processes: PROCESSES, clients: CLIENTS });
try {
  const http = await seedParents(cluster.store, 'BENCH-HTTP', CLIENTS);
  const urls = cluster.products.map((p) => p.url);
  const viaHttp = (parentId: (client: number) => string) => async (client: number) => {
    const r = await trpcMutation(urls[client % PROCESSES]!, 'ipam.allocatePrefix', cluster.tokens[client]!, { parentId: parentId(client), length: 64 });
    return r.status === 200 ? String(r.body.result!.data['cidr']) : null;
  };
  // Warm the HTTP path and the processes' JIT on a parent that is not measured.
  const warm = (await Promise.all(Array.from({ length: 400 }, (_, i) => viaHttp(() => http.parents[1 + (i % 4)]!)(i % CLIENTS)))).filter(Boolean).length;

  // Context for the HTTP figures: the same clients on a read with the same token check and no allocation at all.
  out(`HTTP baseline: ${CLIENTS} clients calling ipam.vrfs (token check, no allocation) for ${SECONDS} s`);
  const baseline = await phase(async (client) => {
    const r = await fetch(`${urls[client % PROCESSES]}/trpc/ipam.vrfs`, { headers: { authorization: `Bearer ${cluster.tokens[client]}` } });
    await r.arrayBuffer();
    return r.ok ? 'ok' : null;
  });
  out(`  ${baseline.perSecond}/s`);
  out(`HTTP: ${CLIENTS} clients, next-free /64 in one parent for ${SECONDS} s`);
  const same = await phase(viaHttp(() => http.parents[0]!));
  out(`  ${same.perSecond}/s (${same.allocations} allocations, ${same.errors} errors, p50 ${same.p50Ms} ms, p99 ${same.p99Ms} ms)`);
  out(`HTTP: ${CLIENTS} clients in ${CLIENTS} parents for ${SECONDS} s`);
  const many = await phase(viaHttp((client) => http.parents[client]!));
  out(`  ${many.perSecond}/s (${many.allocations} allocations, ${many.errors} errors, p50 ${many.p50Ms} ms, p99 ${many.p99Ms} ms)`);

  // The service layer in this process: the same batcher and SQL the router uses, one pool, no HTTP.
  const store = await openPostgresStore(cluster.dbUrl, 20);
  const audit = new AuditLog(deriveAuditKeys(randomBytes(32)), new MemoryCheckpointSink());
  const batcher = new AllocationBatcher(store, audit);
  const svc = await seedParents(store, 'BENCH-SERVICE', CLIENTS);
  const viaService = (parentId: (client: number) => string) => async (client: number) => {
    const { prefix } = await batcher.submit(
      { parentId: parentId(client), length: 64, strategy: 'first-fit', idempotencyKey: null, kind: 'assigned', status: 'active', unitCode: null, planeId: null, description: '' },
      { actorId: null, actor: 'bench', role: 'network-engineer', requestId: `bench-${client}`, procedure: 'ipam.allocatePrefix' },
    );
    return prefix.cidr;
  };
  out(`service layer: ${CLIENTS} clients in one parent, then in ${CLIENTS} parents, ${SECONDS} s each`);
  const svcSame = await phase(viaService(() => svc.parents[0]!));
  const meanBatch = +(batcher.stats.requests / Math.max(1, batcher.stats.batches)).toFixed(1);
  const svcMany = await phase(viaService((client) => svc.parents[client]!));
  // Rows the database holds per VRF against the answers the clients got: a committed allocation whose answer
  // was lost would show up here.
  const byVrf = await store.query<{ name: string; n: number }>(
    `SELECT v.name, count(p.id)::int AS n FROM ipam_vrfs v LEFT JOIN ipam_prefixes p ON p.vrf_id = v.id AND p.depth > 0 GROUP BY v.name ORDER BY v.name`);
  out(`  one parent ${svcSame.perSecond}/s, ${CLIENTS} parents ${svcMany.perSecond}/s`);
  const db = await overlapsAndDuplicates(cluster.store);
  const allReturned = [...same.cidrs, ...many.cidrs].length;
  const clientDuplicates = allReturned - new Set([...same.cidrs.map((c) => `h0|${c}`), ...many.cidrs.map((c) => `h|${c}`)]).size;
  const result = {
    sameParentPerSecond: same.perSecond,
    manyParentsPerSecond: many.perSecond,
    duplicates: db.overlaps + db.duplicates,
    path: `HTTP (tRPC over loopback, JSON) to ${PROCESSES} control-plane processes on one PostgreSQL database: token check, zod, parent row lock, group commit, audit in the same commit (one record per caller per batch)`,
    http: { sameParent: summary(same), manyParents: summary(many), baselineReadPerSecond: baseline.perSecond },
    serviceLayer: { sameParentPerSecond: svcSame.perSecond, manyParentsPerSecond: svcMany.perSecond, meanBatchSize: meanBatch },
    check: {
      prefixRows: db.rows, overlappingPairs: db.overlaps, repeatedCidrs: db.duplicates, repeatedInAnswers: clientDuplicates,
      allocatedRowsByVrf: Object.fromEntries(byVrf.map((r) => [r.name, r.n])),
      answered: { http: same.allocations + many.allocations + warm, service: svcSame.allocations + svcMany.allocations },
    },
    machine: { cores: cpus().length, loadAverage1m: +loadavg()[0]!.toFixed(1) },
    clients: CLIENTS,
    processes: PROCESSES,
    secondsPerPhase: SECONDS,
    goal: { sameParentPerSecond: 2000, duplicates: 0 },
    at: new Date().toISOString(),
  };
  writeResult('ipam.json', result);
  out(JSON.stringify(result, null, 2));
  await store.close();
  if (result.duplicates !== 0 || clientDuplicates !== 0) process.exitCode = 1;
} finally {
  await cluster.stop();
}
