import { DEFAULT_FEDERATION_PATH, RemoteProvider, SimAdminClient, loadFederationConfig, type ProviderOp, type Resource } from '@ganyun/providers';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCharacter } from '../../control-plane/src/domain/credit-code.ts';
import { departmentsRepo } from '../../control-plane/src/departments/departments-repo.ts';
import { ActionRegistry } from '../../control-plane/src/engine/actions.ts';
import { WorkflowEngine } from '../../control-plane/src/engine/engine.ts';
import type { FederationService } from '../../control-plane/src/federation/contract.ts';
import { newId } from '../../control-plane/src/ids.ts';
import { tenantNameOf } from '../../control-plane/src/onboarding/onboarding-actions.ts';
import { QuotaServiceImpl } from '../../control-plane/src/quotas/quota-service.ts';
import { provisioningSteps, registerRequestActions } from '../../control-plane/src/requests/provisioning.ts';
import { requestsRepo } from '../../control-plane/src/requests/requests-repo.ts';
import { changeSteps, registerChangeActions } from '../../control-plane/src/resources/change-actions.ts';
import { resolveChange } from '../../control-plane/src/resources/change-items.ts';
import { planResources } from '../../control-plane/src/resources/item-checks.ts';
import { cloudObjectsOf, registerResourceActions, resourceSteps } from '../../control-plane/src/resources/provision-actions.ts';
import { quotaItemsOf, type ResourceItem } from '../../control-plane/src/resources/resource-items.ts';
import { resourcesRepo, type ResourceRow } from '../../control-plane/src/resources/resources-repo.ts';
import { seededRandom } from '../../control-plane/src/seeded-random.ts';
import { openPostgresStore } from '../../control-plane/src/store/postgres-store.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { systemsRepo } from '../../control-plane/src/systems/systems-repo.ts';
import { seedResourcePools } from '../../control-plane/src/testing/resource-pools.ts';
import { createScratchDatabase } from '../../control-plane/src/testing/test-store.ts';
import { waitFor } from '../../control-plane/src/testing/wait.ts';
import { freePort, startProduct, type RunningProduct } from './product.ts';
import { startSim } from './sim.ts';

/**
 * kill -9 at seeded random points of delivering resources (issue 16): control planes as child processes on one
 * PostgreSQL, the cloud a sim process. Per seed, a request of 2 hosts + 1 volume + 1 dual-stack segment is
 * provisioned with a kill somewhere in it, then (if provisioned) every resource is released through change
 * requests with a kill somewhere in those; after each restart the cloud's own state, IPAM and the quota books
 * are checked against each other. Shared by test/crash/delivery-crash.test.ts (a few seeds) and
 * bench/delivery-crash.ts (many).
 */
const CLOUD = 'nanchang';
/** Slow cloud calls, so that a kill lands inside one as often as between them. */
const SLOW_OPS: ProviderOp[] = ['createTenantSpace', 'updateTenantSpace', 'createResource', 'deleteResource'];
const LIMITS = [
  { cloudId: CLOUD, resourceClass: 'vcpu' as const, limit: 64 }, { cloudId: CLOUD, resourceClass: 'memoryGiB' as const, limit: 256 },
  { cloudId: CLOUD, resourceClass: 'storageGiB' as const, limit: 4000 }, { cloudId: CLOUD, resourceClass: 'ipv4Addresses' as const, limit: 256 },
  { cloudId: CLOUD, resourceClass: 'ipv6Prefixes64' as const, limit: 4 },
];
const RESOURCES: ResourceItem[] = [
  { kind: 'segment', name: 'app', network: 'extranet', ipv4Length: 26, dualStack: true },
  { kind: 'host', name: 'web', count: 2, flavour: 'c4m8', systemDiskGiB: 50, arch: 'x86_64', image: 'kylin-v10-sp3' },
  { kind: 'volume', name: 'data', sizeGiB: 500, host: 'web-1' },
] as ResourceItem[];
/** Released in this order (a resource others depend on goes after them), one round at a time. */
const RELEASE_ROUNDS = [['data', 'web-2'], ['web-1'], ['app']];

export interface SeedOutcome {
  seed: number;
  provisioning: { killed: boolean; afterSteps: number; delayMs: number; failCloud: boolean; status: string };
  release: { killed: boolean; round: number; delayMs: number; ran: boolean };
  violations: string[];
  /** With violations: the control planes' error lines, to find the cause. */
  log?: string[];
}

export interface DeliveryCrashWorld {
  runSeed(seed: number): Promise<SeedOutcome>;
  stop(): Promise<void>;
}

export async function deliveryCrashWorld(pgAdmin: string): Promise<DeliveryCrashWorld> {
  const sim: { child: ChildProcess; url: string } = await startSim(CLOUD, await freePort(), ['--initial-resources', '0']);
  const simAdmin = new SimAdminClient(sim.url);
  const cloud = new RemoteProvider({ cloudId: CLOUD, endpoint: sim.url });
  const db = await createScratchDatabase(pgAdmin);
  const entry = (await loadFederationConfig(DEFAULT_FEDERATION_PATH)).clouds.find((c) => c.id === CLOUD)!;
  const federationFile = join(await mkdtemp(join(tmpdir(), 'ganyun-crash-')), 'federation.json');
  await writeFile(federationFile, JSON.stringify({ version: 1, clouds: [{ ...entry, provider: 'remote', endpoint: sim.url, sim: { ...entry.sim, replication: [] } }] }));
  const env = {
    DATABASE_URL: db.url, GANYUN_SECRET_KEY: randomBytes(32).toString('hex'), GANYUN_FEDERATION_CONFIG: federationFile,
    GANYUN_ADMIN_PASSWORD: 'Crash-Test-Admin-1', GANYUN_WORKFLOW_LEASE_MS: '2000', GANYUN_SYNC_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'warn',
  };
  const store: Store = await openPostgresStore(db.url, 4);
  const products: RunningProduct[] = [];
  const boot = await startProduct(env); // migrates, registers the cloud and creates the admin
  await boot.stop();
  await seedResourcePools(store, [CLOUD]);
  const catalogue = (await cloud.connect()).capabilities;
  const quotas = new QuotaServiceImpl();
  // The real registry (its runs never happen here: the engine records only the names and what can be undone at start).
  const actions = new ActionRegistry();
  const elsewhere = {} as FederationService;
  registerRequestActions(actions, { store, federation: elsewhere, quotas: () => quotas });
  registerResourceActions(actions, { store, federation: elsewhere });
  registerChangeActions(actions, { store, federation: elsewhere, quotas: () => quotas });
  const engine = new WorkflowEngine(actions);

  const start = async () => {
    const p = await startProduct(env);
    products.push(p);
    return p;
  };
  const kill = async (p: RunningProduct) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGKILL');
    await exited;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const workflowStatus = async (id: string) => (await store.query<{ status: string }>('SELECT status FROM workflows WHERE id = $1', [id]))[0]!.status;
  const ended = (id: string) => waitFor(`workflow ${id} ended`, async () => (['running', 'compensating', 'cancelling'].includes(await workflowStatus(id)) ? undefined : true), { timeoutMs: 180_000 });
  const succeededSteps = async (id: string) => (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_steps WHERE workflow_id = $1 AND status = 'succeeded'`, [id]))[0]!.n;

  /** The tenant's live objects on the cloud, from the sim's own inventory (objects going away wait until they are gone). */
  async function objectsOf(tenant: string): Promise<Resource[]> {
    for (let i = 0; ; i++) {
      const mine: Resource[] = [];
      let page = await cloud.listInventory({ pageSize: 1000 });
      for (;;) {
        for (const it of page.items) if (it.type === 'resource' && it.resource.spec.tenant === tenant) mine.push(it.resource);
        if (page.nextPage === undefined || page.nextPage === null) break;
        page = await cloud.listInventory({ pageSize: 1000, page: page.nextPage });
      }
      if (!mine.some((r) => r.state === 'deleting') || i > 200) return mine.filter((r) => r.state !== 'deleting');
      await sleep(50);
    }
  }

  /** A system with quota and an approved request of the resources, exactly as `requests.approve` leaves it. */
  async function approvedRequest(tag: string) {
    return store.transaction(async (tx) => {
      const body = `11360000${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
      const departmentId = newId();
      await departmentsRepo.insert(tx, { id: departmentId, name: `交付崩溃-${tag}`, creditCode: body + checkCharacter(body), parentId: null, divisionCode: '3601' });
      const [admin] = await tx.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`);
      const systemId = newId();
      await systemsRepo.insert(tx, systemId, departmentId, {
        name: `交付系统-${tag}`, ownerUserId: null, description: '', mlpsLevel: 2, dataClassification: 'internal', xinchuangRequired: false,
        architectures: ['x86_64'], drLevel: 2, drEdition: '2025', rpoSeconds: 60, rtoSeconds: 600,
      });
      await quotas.ensureSystemNode(tx, { systemId, departmentId, actor: 'crash-test' });
      await quotas.setSystemLimits(tx, { systemId, actor: 'crash-test', reason: 'setup', limits: LIMITS });
      const system = (await systemsRepo.byId(tx, systemId))!;
      const plan = await planResources(tx, { system, cloudId: CLOUD, resources: RESOURCES, catalogue, departmentIds: null });
      const items = quotaItemsOf(RESOURCES, []);
      const requestId = newId();
      const reservation = await quotas.reserve(tx, { systemId, items: items.map((i) => ({ ...i, cloudId: CLOUD })), idempotencyKey: `request:${requestId}`, ttlSeconds: 3600, ref: `request:${requestId}`, actor: 'crash-test' });
      await requestsRepo.insert(tx, {
        id: requestId, departmentId, systemId, requesterId: admin!.id, title: `delivery ${tag}`, reason: '', placementMode: 'named', cloudId: CLOUD,
        items, resources: plan, units: 8, status: 'provisioning', quotaIncrease: false, policyResults: [], placement: null, quotaCheck: null, chainId: null,
        reservationId: reservation.id, submittedAt: new Date(),
      });
      const workflowId = await engine.start(tx, {
        kind: 'request-provisioning', title: `provision ${tag}`, input: { requestId }, departmentId, createdBy: 'crash-test',
        steps: provisioningSteps(requestId, (after) => resourceSteps(requestId, plan, after)),
      });
      await requestsRepo.update(tx, requestId, { workflowId });
      return { requestId, systemId, reservationId: reservation.id, workflowId };
    });
  }

  /** A release of one live resource, approved (as the expiry sweeper starts one); its workflow id. */
  const startRelease = (resourceId: string) => store.transaction(async (tx) => {
    const r = (await resourcesRepo.byId(tx, resourceId))!;
    const [origin] = await tx.query<{ requesterId: string }>('SELECT requester_id AS "requesterId" FROM resource_requests WHERE id = $1', [r.requestId]);
    const id = newId();
    const change = resolveChange(r.id, r.spec, r.quota, { action: 'release' });
    await requestsRepo.insert(tx, {
      id, departmentId: r.departmentId, systemId: r.systemId, requesterId: origin!.requesterId, title: `回收 ${r.kind} ${r.name}`, reason: 'crash test',
      placementMode: 'named', cloudId: r.cloudId, items: [], resources: [], change, units: 0, status: 'provisioning', quotaIncrease: false,
      policyResults: [], placement: null, quotaCheck: null, chainId: null, reservationId: null, submittedAt: new Date(),
    });
    const workflowId = await engine.start(tx, { kind: 'resource-change', title: `release ${r.name}`, input: { requestId: id }, departmentId: r.departmentId, createdBy: 'crash-test', steps: changeSteps(id, change) });
    await requestsRepo.update(tx, id, { workflowId, decidedAt: new Date() });
    return workflowId;
  });

  const rowsOf = (systemId: string) => store.query<{ id: string }>('SELECT id FROM resources WHERE system_id = $1', [systemId])
    .then(async (ids) => (await Promise.all(ids.map((x) => resourcesRepo.byId(store, x.id)))).filter((r): r is ResourceRow => r !== undefined && r !== null));
  /** IPAM rows (addresses and assigned prefixes) made for the system's resources (their descriptions name the resource). */
  const ipamOf = async (rows: ResourceRow[]) => {
    if (!rows.length) return [];
    const like = rows.map((r) => `%(resource ${r.id})`);
    return (await store.query<{ id: string }>(
      `SELECT id::text FROM ipam_addresses WHERE description LIKE ANY($1::text[]) UNION ALL SELECT id::text FROM ipam_prefixes WHERE kind = 'assigned' AND description LIKE ANY($1::text[])`, [like])).map((x) => x.id).sort();
  };
  const usageOf = async (systemId: string) => Object.fromEntries((await store.query<{ c: string; reserved: number; committed: number }>(
    `SELECT u.resource_class AS c, u.reserved::int AS reserved, u.committed::int AS committed FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id
     WHERE n.level = 'system' AND n.ref = $1 AND u.cloud_id = $2`, [systemId, CLOUD])).filter((u) => u.reserved || u.committed).map((u) => [u.c, { reserved: u.reserved, committed: u.committed }]));

  /** Every key a resource's cloud objects were touched under (create, its cleanup and undo, a release): each took effect at most once. */
  async function keysTwice(rows: ResourceRow[], workflows: Map<string, string>): Promise<string[]> {
    const bad: string[] = [];
    for (const row of rows) {
      const create = `${workflows.get(row.requestId)}/${row.kind}:${row.name}`;
      const release = await store.query<{ w: string }>(`SELECT workflow_id::text AS w FROM resource_requests WHERE target_resource_id = $1 AND workflow_id IS NOT NULL`, [row.id]);
      const bases = [create, `${create}/cleanup`, `${create}/undo`, ...release.map((x) => `${x.w}/cloud`)];
      for (const base of bases) {
        for (const o of cloudObjectsOf(row)) {
          const k = await simAdmin.idempotency(`${base}:${o.name}`);
          if (k.effects > 1) bad.push(`key ${k.key}: ${k.effects} effects`);
          // A live resource's objects were made under its create key: once (also shows the keys here are the ones used).
          if (base === create && row.state === 'active' && k.effects !== 1) bad.push(`key ${k.key} of live ${row.name}: ${k.effects} effects`);
        }
      }
    }
    return bad;
  }

  /** The invariants after a workflow ended: the cloud, IPAM and the books agree with the resource rows. */
  async function check(phase: string, systemId: string, workflows: Map<string, string>, reservationId: string, released: boolean): Promise<string[]> {
    const v: string[] = [];
    const rows = await rowsOf(systemId);
    const live = rows.filter((r) => r.state !== 'released');
    const objects = await objectsOf(tenantNameOf(systemId));
    const names = objects.map((o) => `${o.spec.kind}:${o.spec.name}`).sort();
    const wanted = live.flatMap((r) => cloudObjectsOf(r).map((o) => `${o.kind}:${o.name}`)).sort();
    if (JSON.stringify(names) !== JSON.stringify(wanted)) v.push(`${phase}: objects on the cloud ${JSON.stringify(names)} ≠ of the live rows ${JSON.stringify(wanted)} (states ${rows.map((r) => `${r.name}:${r.state}`).join(',')})`);
    if (live.some((r) => r.state !== 'active')) v.push(`${phase}: rows not settled: ${live.map((r) => `${r.name}:${r.state}`).join(',')}`);
    if (released && live.length) v.push(`${phase}: rows left after release: ${live.map((r) => r.name).join(',')}`);
    // Addresses: IPAM holds exactly the rows' addresses; a segment's prefixes are those of its objects on the cloud.
    const held = await ipamOf(rows);
    const expected = live.flatMap((r) => Object.values(r.ipam).filter((x): x is string => typeof x === 'string')).sort();
    if (JSON.stringify(held) !== JSON.stringify(expected)) v.push(`${phase}: IPAM holds ${held.length} rows for the system, the live rows name ${expected.length}`);
    for (const r of live.filter((x) => x.kind === 'segment')) {
      for (const o of cloudObjectsOf(r)) {
        const on = objects.find((x) => x.spec.kind === o.kind && x.spec.name === o.name);
        const cidr = o.family === 'ipv6' ? r.ipv6 : r.ipv4;
        if (on && on.spec.cidr !== cidr) v.push(`${phase}: segment ${o.name} is ${on.spec.cidr ?? '-'} on the cloud, ${cidr ?? '-'} in the books`);
      }
    }
    // Quota: the request's hold committed xor released, nothing reserved, committed usage = what is live.
    // The ledger has one movement per resource class: a commit or a release of each, never both, never twice.
    const moves = await store.query<{ kind: string; c: string; n: number }>(`SELECT kind, resource_class AS c, count(*)::int AS n FROM quota_ledger WHERE reservation_id = $1 AND kind IN ('commit', 'release') GROUP BY kind, node_id, resource_class`, [reservationId]);
    const [res] = await store.query<{ state: string }>('SELECT state FROM quota_reservations WHERE id = $1', [reservationId]);
    const kinds = [...new Set(moves.map((m) => m.kind))];
    if (!(['committed', 'released'].includes(res!.state) && kinds.length === 1 && kinds[0] === (res!.state === 'committed' ? 'commit' : 'release') && moves.every((m) => m.n === 1))) {
      v.push(`${phase}: reservation ${res!.state} with movements ${JSON.stringify(moves)}`);
    }
    const usage = await usageOf(systemId);
    const want: Record<string, { reserved: number; committed: number }> = {};
    for (const r of live) for (const [k, n] of Object.entries(r.quota)) if (typeof n === 'number' && n) (want[k] ??= { reserved: 0, committed: 0 }).committed += n;
    const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
    if (sorted(usage) !== sorted(want)) v.push(`${phase}: usage ${sorted(usage)} ≠ of the live rows ${sorted(want)}`);
    v.push(...(await keysTwice(rows, workflows)).map((x) => `${phase}: ${x}`));
    return v;
  }

  async function runSeed(seed: number): Promise<SeedOutcome> {
    const rnd = seededRandom(seed);
    const out: SeedOutcome = {
      seed, provisioning: { killed: false, afterSteps: Math.floor(rnd() * 7), delayMs: Math.floor(rnd() * 500), failCloud: rnd() < 0.25, status: '' },
      release: { killed: false, round: Math.floor(rnd() * RELEASE_ROUNDS.length), delayMs: Math.floor(rnd() * 600), ran: false }, violations: [],
    };
    await simAdmin.setFaults({ latencyMs: 100 + Math.floor(rnd() * 300), ops: SLOW_OPS });
    const req = await approvedRequest(`s${seed}-${newId().slice(0, 6)}`);
    const workflows = new Map([[req.requestId, req.workflowId]]);
    const seedProducts: RunningProduct[] = [];
    const startSeed = async () => {
      const x = await start();
      seedProducts.push(x);
      return x;
    };
    let cp = await startSeed();
    // Kill after a seeded number of succeeded steps and a seeded delay.
    const p = out.provisioning;
    await waitFor('steps succeeded', async () => ((await succeededSteps(req.workflowId)) >= p.afterSteps || (await workflowStatus(req.workflowId)) !== 'running' ? true : undefined), { timeoutMs: 180_000 });
    await sleep(p.delayMs);
    p.killed = (await workflowStatus(req.workflowId)) === 'running';
    await kill(cp);
    // Some seeds find the cloud refusing every create after the restart: provisioning fails and unwinds.
    await simAdmin.setFaults(p.failCloud ? { errorRate: 1, ops: ['createResource'] } : { latencyMs: 100, ops: SLOW_OPS });
    cp = await startSeed();
    await ended(req.workflowId);
    p.status = await workflowStatus(req.workflowId);
    out.violations.push(...(await check('provisioning', req.systemId, workflows, req.reservationId, false)));
    const request = (await requestsRepo.byId(store, req.requestId))!;
    const expectedRequest = p.status === 'succeeded' ? 'provisioned' : 'failed';
    if (request.status !== expectedRequest) out.violations.push(`provisioning: workflow ${p.status} but request ${request.status}`);
    await simAdmin.setFaults({ latencyMs: 100 + Math.floor(rnd() * 300), ops: SLOW_OPS });

    if (p.status === 'succeeded') {
      const r = out.release;
      r.ran = true;
      const rows = await rowsOf(req.systemId);
      for (const [i, round] of RELEASE_ROUNDS.entries()) {
        const started = await Promise.all(round.map((name) => startRelease(rows.find((x) => x.name === name)!.id)));
        if (i === r.round) {
          await sleep(r.delayMs);
          r.killed = (await Promise.all(started.map(workflowStatus))).some((s) => s === 'running');
          await kill(cp);
          await simAdmin.setFaults({ latencyMs: 100, ops: SLOW_OPS });
          cp = await startSeed();
        }
        for (const w of started) {
          await ended(w);
          if ((await workflowStatus(w)) !== 'succeeded') out.violations.push(`release round ${i}: workflow ${w} ${await workflowStatus(w)}`);
        }
        const released = await store.query<{ id: string; w: string }>(`SELECT id, workflow_id::text AS w FROM resource_requests WHERE system_id = $1 AND kind = 'change'`, [req.systemId]);
        for (const x of released) workflows.set(x.id, x.w);
      }
      out.violations.push(...(await check('release', req.systemId, workflows, req.reservationId, true)));
      if (Object.keys(await usageOf(req.systemId)).length) out.violations.push(`release: quota left ${JSON.stringify(await usageOf(req.systemId))}`);
    }
    await cp.stop();
    await simAdmin.setFaults({});
    if (out.violations.length || !['succeeded', 'failed'].includes(out.provisioning.status)) {
      // The provisioning workflow's steps as they ended, then the control planes' error lines: where it went wrong.
      const steps = await store.query<{ line: string }>(
        `SELECT key || ' ' || status || ' run×' || attempts || ' undo×' || undo_attempts || COALESCE(' ' || left(error, 160), '') AS line
         FROM workflow_steps WHERE workflow_id = $1 ORDER BY key`, [req.workflowId]);
      const events = process.env['GANYUN_CRASH_EVENTS'] ? await store.query<{ line: string }>(
        `SELECT to_char(at, 'MI:SS.MS') || ' ' || kind || ' ' || COALESCE(step_key, '') || COALESCE(' ' || left(data::text, 140), '') AS line
         FROM workflow_events WHERE workflow_id = $1 ORDER BY seq`, [req.workflowId]) : [];
      out.log = [...steps.map((x) => x.line), ...events.map((x) => x.line), ...seedProducts.flatMap((x) => x.output().split('\n').filter((l) => /"level":(50|60)/.test(l)).map((l) => l.slice(0, 600))).slice(0, 8)];
    }
    return out;
  }

  return {
    runSeed,
    async stop() {
      for (const p of products) await p.stop().catch(() => undefined);
      await cloud.close();
      await store.close();
      await db.drop();
      sim.child.kill('SIGTERM');
    },
  };
}
