/**
 * Requests that deliver resources, end to end, over the in-process simulated federation (embedded PGlite):
 * 500 requests of mixed items (a dual-stack segment with a host, then hosts on it, volumes on them and container
 * workloads) from 50 systems on three clouds, each submitted, approved by the department and an operator, and
 * provisioned by its workflow (IPAM addresses, cloud objects through the provider under idempotency keys, quota
 * committed); then every resource released through resources.submitChange the same way (volumes, then hosts and
 * workloads, then segments), and what is left counted from the clouds' own state, IPAM and the quota counters.
 *
 *  - requests, wallMs (first submit to last provisioned), perRequestMs / msPerRequest (mean submit → provisioned,
 *    eight requests in flight), p95StepMs (95th percentile of the provisioning workflows' step durations);
 *  - overheadMsPerProviderCall: mean duration of the create steps ÷ the cloud objects each made. The simulated
 *    cloud answers in process at once, so this is the control plane's own time per provider call (store, IPAM,
 *    bookkeeping, engine, and waiting for the one PGlite connection with eight requests in flight); goal ≤ 5 ms.
 *    baselineMsPerProviderCall: the same create call made directly on the resilient provider, one at a time,
 *    in the same run; overheadRatio = the two divided;
 *  - overheadMsPerProviderCallSerial / overheadRatioSerial: the same for serialRequests more requests run one at a
 *    time after the others, so the steps wait for nobody: the control plane's own cost per call, without queueing;
 *  - after releasing them all: leakedObjects / leftoverObjects (objects left in the systems' tenant spaces on the
 *    clouds), leftoverAddresses (addresses and assigned prefixes in IPAM), quotaDrift (reserved + committed left on
 *    the systems' quota nodes); goal 0 for each.
 *
 *   npm run bench -- provision        (GANYUN_BENCH_PROVISION_REQUESTS to change 500; writes bench/results/provision.json)
 */
import { cpus, loadavg } from 'node:os';
import { tenantNameOf } from '../control-plane/src/onboarding/onboarding-actions.ts';
import { onboardingWorld, systemInput } from '../control-plane/src/testing/onboarding-fixtures.ts';
import { closeTestStore } from '../control-plane/src/testing/test-store.ts';
import { seedResourcePools } from '../control-plane/src/testing/resource-pools.ts';
import { out, writeResult } from './support/results.ts';

const REQUESTS = Number(process.env['GANYUN_BENCH_PROVISION_REQUESTS'] ?? 500);
const SYSTEMS = Math.max(1, Math.min(50, Math.ceil(REQUESTS / 10)));
const IN_FLIGHT = 8;
const CLOUDS = ['nanchang', 'jx-province', 'jingdezhen'];
const LIMITS = [
  { resourceClass: 'vcpu' as const, limit: 1000 }, { resourceClass: 'memoryGiB' as const, limit: 4000 }, { resourceClass: 'storageGiB' as const, limit: 100_000 },
  { resourceClass: 'ipv4Addresses' as const, limit: 4096 }, { resourceClass: 'ipv6Prefixes64' as const, limit: 64 },
];

// The server's own runner (concurrency 8, woken by NOTIFY), not the specs' small polling one.
const w = await onboardingWorld({ runner: 'product' });
await seedResourcePools(w.deps.store, CLOUDS);
const systems: { id: string; cloudId: string }[] = [];
for (let i = 0; i < SYSTEMS; i++) {
  const id = (await w.as.user.systems.create(systemInput({ name: `压测系统${String(i).padStart(3, '0')}` }))).id;
  const cloudId = CLOUDS[i % CLOUDS.length]!;
  const { workflowId } = await w.as.user.onboarding.start({ systemId: id, cloudId, limits: LIMITS });
  if ((await w.settled(workflowId, 60_000)).status !== 'succeeded') throw new Error(`onboarding of system ${i} failed`);
  systems.push({ id, cloudId });
}
out(`${SYSTEMS} systems onboarded on ${CLOUDS.join(', ')}`);

/** The k-th request of a system: first a segment and a host, then in turn a host, a volume on the last host, a workload. */
function itemsOf(k: number): unknown[] {
  const host = (n: number) => ({ kind: 'host', name: `h${n}`, flavour: 'c1m2', systemDiskGiB: 40, arch: 'x86_64', image: 'kylin-v10-sp3', segment: 'net' });
  if (k === 0) return [{ kind: 'segment', name: 'net', network: 'extranet', ipv4Length: 26, dualStack: true }, host(0)];
  switch (k % 3) {
    case 1: return [host(k)];
    case 2: return [{ kind: 'volume', name: `v${k}`, sizeGiB: 20, host: `h${k - 1}` }];
    default: return [{ kind: 'workload', name: `w${k}`, replicas: 2, size: 'c1m2', arch: 'x86_64', image: 'kylin-v10-sp3', segment: 'net' }];
  }
}

/** Runs `task` over `items` with `limit` in flight; per-system order is kept by the caller's grouping. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

/**
 * Waits for workflows to end, all of them with one query every 10 ms (as one operator's dashboard would), not one
 * poll per waiting request: eight pollers would put 800 statements a second on PGlite's one connection, in the way of
 * the very steps being measured.
 */
const waiting = new Map<string, (w: { id: string; status: string; error: string | null }) => void>();
let watcher: NodeJS.Timeout | undefined;
function settled(workflowId: string): Promise<{ id: string; status: string; error: string | null }> {
  const done = new Promise<{ id: string; status: string; error: string | null }>((resolve) => waiting.set(workflowId, resolve));
  watcher ??= setInterval(() => void watch(), 10);
  return done;
}
let watching = false;
async function watch(): Promise<void> {
  if (watching || waiting.size === 0) return;
  watching = true;
  try {
    const ended = await w.deps.store.query<{ id: string; status: string; error: string | null }>(
      `SELECT id, status, error FROM workflows WHERE id = ANY($1::uuid[]) AND status IN ('succeeded', 'failed', 'cancelled', 'needs-attention')`, [[...waiting.keys()]]);
    for (const e of ended) {
      waiting.get(e.id)?.(e);
      waiting.delete(e.id);
    }
  } finally {
    watching = false;
  }
}

/** Submit, both approvals, then wait for the workflow: one request end to end. */
async function deliver(submit: () => Promise<{ id: string }>): Promise<{ ms: number; workflowId: string }> {
  const t0 = performance.now();
  const r = await submit();
  await w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
  const approved = await w.as.operator.requests.approve({ id: r.id, reason: '同意' });
  const done = await settled(approved.workflowId!);
  if (done.status !== 'succeeded') throw new Error(`request ${r.id} ended ${done.status}: ${done.error}`);
  return { ms: performance.now() - t0, workflowId: done.id };
}

// ------------------------------------------------------------------ provisioning
// Each system's requests run in order (a volume needs its host); the systems run side by side.
const perSystem = systems.map((s, i) => ({ ...s, count: Math.floor(REQUESTS / SYSTEMS) + (i < REQUESTS % SYSTEMS ? 1 : 0) }));
const latencies: number[] = [];
const workflows: string[] = [];
const started = performance.now();
await pool(perSystem, IN_FLIGHT, async (s) => {
  for (let k = 0; k < s.count; k++) {
    const { ms, workflowId } = await deliver(() => w.as.user.requests.submit({ systemId: s.id, cloudId: s.cloudId, title: `压测 ${k}`, resources: itemsOf(k) as never }));
    latencies.push(ms);
    workflows.push(workflowId);
  }
});
const wallMs = performance.now() - started;
const steps = await w.deps.store.query<{ action: string; ms: number }>(
  `SELECT action, extract(epoch FROM finished_at - started_at) * 1000 AS ms FROM workflow_steps WHERE workflow_id = ANY($1::uuid[]) AND status = 'succeeded'`, [workflows]);
const stepMs = steps.map((s) => Number(s.ms)).sort((a, b) => a - b);
const createSteps = steps.filter((s) => s.action === 'resource.create');
const made = await w.deps.store.query<{ objects: number }>(
  `SELECT coalesce(sum(CASE WHEN kind = 'segment' AND (spec->>'dualStack')::boolean THEN 2 ELSE 1 END), 0)::int AS objects FROM resources WHERE state = 'active'`);
const objects = made[0]!.objects;
const overheadMsPerProviderCall = createSteps.reduce((a, s) => a + Number(s.ms), 0) / Math.max(1, objects);
const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
out(`provisioned ${latencies.length} requests (${objects} cloud objects) in ${(wallMs / 1000).toFixed(1)} s; mean ${mean.toFixed(0)} ms per request, p95 step ${quantile(stepMs, 0.95).toFixed(1)} ms, ${overheadMsPerProviderCall.toFixed(2)} ms per provider call`);

// ------------------------------------------------------------------ one request at a time
// The same create steps with nothing else in flight: what the control plane itself adds to a provider call, without
// the wait for PGlite's one connection behind seven other requests (which the figure above includes).
const SERIAL = Math.max(3, Math.min(60, Math.floor(REQUESTS / 8)));
const nextK = new Map(perSystem.map((s) => [s.id, s.count]));
const serialWorkflows: string[] = [];
for (let i = 0; i < SERIAL; i++) {
  const s = perSystem[i % perSystem.length]!;
  const k = nextK.get(s.id)!;
  nextK.set(s.id, k + 1);
  serialWorkflows.push((await deliver(() => w.as.user.requests.submit({ systemId: s.id, cloudId: s.cloudId, title: `压测 ${k}`, resources: itemsOf(k) as never }))).workflowId);
}
const [serial] = await w.deps.store.query<{ ms: number; objects: number }>(
  `SELECT coalesce(sum(extract(epoch FROM st.finished_at - st.started_at) * 1000), 0)::float8 AS ms,
          coalesce(sum(CASE WHEN r.kind = 'segment' AND (r.spec->>'dualStack')::boolean THEN 2 ELSE 1 END), 0)::int AS objects
   FROM workflow_steps st JOIN resources r ON r.id = (st.params->>'resourceId')::uuid
   WHERE st.workflow_id = ANY($1::uuid[]) AND st.action = 'resource.create' AND st.status = 'succeeded'`, [serialWorkflows]);
const overheadMsPerProviderCallSerial = serial!.ms / Math.max(1, serial!.objects);
out(`one at a time: ${SERIAL} requests (${serial!.objects} cloud objects), ${overheadMsPerProviderCallSerial.toFixed(2)} ms per provider call`);

// Baseline in the same run: the same provider calls without the control plane (the resilient provider straight to
// the in-process cloud, one at a time), so the create steps' time can be read against what the call itself costs.
const provider = w.deps.federation.provider('nanchang');
await provider.createTenantSpace({ name: 'bench-baseline', quota: { vcpu: 1e6, memoryGiB: 1e6, storageGiB: 1e7, gpu: 0 } }, { idempotencyKey: 'bench-baseline' });
const BASELINE_CALLS = 200;
const b0 = performance.now();
for (let i = 0; i < BASELINE_CALLS; i++) {
  await provider.createResource({ tenant: 'bench-baseline', kind: 'vm', name: `b${i}`, arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu: 1, memoryGiB: 2, storageGiB: 40 } }, { idempotencyKey: `bench-baseline-${i}` });
}
const baselineMsPerProviderCall = (performance.now() - b0) / BASELINE_CALLS;
for (let i = 0; i < BASELINE_CALLS; i++) await provider.deleteResource({ tenant: 'bench-baseline', kind: 'vm', name: `b${i}` }, { idempotencyKey: `bench-baseline-del-${i}` });
out(`baseline: ${baselineMsPerProviderCall.toFixed(3)} ms per bare provider call; create steps take ${(overheadMsPerProviderCall / baselineMsPerProviderCall).toFixed(0)}× that per object with ${IN_FLIGHT} requests in flight, ${(overheadMsPerProviderCallSerial / baselineMsPerProviderCall).toFixed(0)}× one at a time`);

// ------------------------------------------------------------------ release everything
const live = await w.deps.store.query<{ id: string; kind: string }>(`SELECT id, kind FROM resources WHERE state = 'active'`);
for (const wave of [['volume'], ['host', 'workload'], ['segment']]) {
  await pool(live.filter((r) => wave.includes(r.kind)), IN_FLIGHT, async (r) => {
    await deliver(() => w.as.user.resources.submitChange({ resourceId: r.id, change: { action: 'release' }, reason: '压测回收' }));
  });
}
const tenants = new Set(systems.map((s) => tenantNameOf(s.id)));
let leftoverObjects = 0;
for (const cloudId of CLOUDS) {
  const cloud = w.deps.federation.simulated(cloudId)!.cloud;
  for (let page: string | undefined, first = true; first || page; first = false) {
    const p = cloud.listInventory({ pageSize: 5000, ...(page ? { page } : {}) });
    leftoverObjects += p.items.filter((it) => it.type === 'resource' && tenants.has(it.resource.spec.tenant) && it.resource.state !== 'deleting').length;
    page = p.nextPage;
  }
}
const [ipam] = await w.deps.store.query<{ n: number }>(`SELECT ((SELECT count(*) FROM ipam_addresses) + (SELECT count(*) FROM ipam_prefixes WHERE kind = 'assigned'))::int AS n`);
const [quota] = await w.deps.store.query<{ n: number }>(
  `SELECT coalesce(sum(u.reserved + u.committed), 0)::int AS n FROM quota_usage u JOIN quota_nodes q ON q.id = u.node_id WHERE q.level = 'system' AND q.ref = ANY($1::text[])`, [systems.map((s) => s.id)]);
out(`released ${live.length} resources: ${leftoverObjects} objects left on the clouds, ${ipam!.n} IPAM rows, quota drift ${quota!.n}`);

clearInterval(watcher);
await w.stop();
await closeTestStore();

const result = {
  requests: latencies.length,
  wallMs: Math.round(wallMs),
  perRequestMs: round(mean),
  msPerRequest: round(mean),
  p95StepMs: round(quantile(stepMs, 0.95)),
  overheadMsPerProviderCall: round(overheadMsPerProviderCall),
  baselineMsPerProviderCall: Math.round(baselineMsPerProviderCall * 1000) / 1000,
  overheadRatio: round(overheadMsPerProviderCall / baselineMsPerProviderCall),
  overheadMsPerProviderCallSerial: round(overheadMsPerProviderCallSerial),
  overheadRatioSerial: round(overheadMsPerProviderCallSerial / baselineMsPerProviderCall),
  serialRequests: SERIAL,
  cloudObjects: objects,
  releasedResources: live.length,
  leakedObjects: leftoverObjects,
  leftoverObjects,
  leftoverAddresses: ipam!.n,
  quotaDrift: quota!.n,
  systems: SYSTEMS,
  inFlight: IN_FLIGHT,
  store: w.deps.store.kind,
  machine: { cpus: cpus().length, load1: Math.round(loadavg()[0]! * 10) / 10 },
};
writeResult('provision.json', result);
out(JSON.stringify(result));
out('wrote bench/results/provision.json');

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
