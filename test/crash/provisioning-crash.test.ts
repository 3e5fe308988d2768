import { DEFAULT_FEDERATION_PATH, SimAdminClient, loadFederationConfig, type ProviderOp } from '@ganyun/providers';
import { waitFor } from '../../control-plane/src/testing/wait.ts';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCharacter } from '../../control-plane/src/domain/credit-code.ts';
import { ActionRegistry } from '../../control-plane/src/engine/actions.ts';
import { WorkflowEngine } from '../../control-plane/src/engine/engine.ts';
import { newId } from '../../control-plane/src/ids.ts';
import { QuotaServiceImpl } from '../../control-plane/src/quotas/quota-service.ts';
import { provisioningSteps } from '../../control-plane/src/requests/provisioning.ts';
import { requestsRepo } from '../../control-plane/src/requests/requests-repo.ts';
import { departmentsRepo } from '../../control-plane/src/departments/departments-repo.ts';
import { openPostgresStore } from '../../control-plane/src/store/postgres-store.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { systemsRepo } from '../../control-plane/src/systems/systems-repo.ts';
import { createScratchDatabase } from '../../control-plane/src/testing/test-store.ts';
import { freePort, startProduct, type RunningProduct } from '../support/product.ts';
import { startSim } from '../support/sim.ts';

/**
 * kill -9 during the provisioning of an approved request (control planes as child processes on one
 * PostgreSQL, the cloud a sim process). After a restart the request's quota reservation ends committed
 * (provisioning finished) or released (provisioning failed and unwound): never both, never neither, and
 * the request's status agrees with it.
 */
const PG_ADMIN = process.env['GANYUN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLOUD = 'nanchang';
const TENANT_OPS: ProviderOp[] = ['observeTenantSpace', 'createTenantSpace', 'updateTenantSpace'];

describe('provisioning an approved request across a kill -9 (PostgreSQL, a sim cloud process)', () => {
  let sim: { child: ChildProcess; url: string };
  let db: { url: string; drop: () => Promise<void> };
  let store: Store;
  let env: Record<string, string>;
  let simAdmin: SimAdminClient;
  const quotas = new QuotaServiceImpl();
  const products: RunningProduct[] = [];

  beforeAll(async () => {
    sim = await startSim(CLOUD, await freePort(), ['--initial-resources', '0']);
    simAdmin = new SimAdminClient(sim.url);
    db = await createScratchDatabase(PG_ADMIN);
    const entry = (await loadFederationConfig(DEFAULT_FEDERATION_PATH)).clouds.find((c) => c.id === CLOUD)!;
    const federationFile = join(await mkdtemp(join(tmpdir(), 'ganyun-crash-')), 'federation.json');
    await writeFile(federationFile, JSON.stringify({ version: 1, clouds: [{ ...entry, provider: 'remote', endpoint: sim.url, sim: { ...entry.sim, replication: [] } }] }));
    env = {
      DATABASE_URL: db.url, GANYUN_SECRET_KEY: randomBytes(32).toString('hex'), GANYUN_FEDERATION_CONFIG: federationFile,
      GANYUN_ADMIN_PASSWORD: 'Crash-Test-Admin-1', GANYUN_WORKFLOW_LEASE_MS: '2000', GANYUN_SYNC_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'warn',
    };
    store = await openPostgresStore(db.url, 4);
    const boot = await startProduct(env); // migrates, registers the cloud and creates the admin
    await boot.stop();
  });

  afterAll(async () => {
    for (const p of products) await p.stop().catch(() => undefined);
    await store?.close();
    await db?.drop();
    sim?.child.kill('SIGTERM');
  });

  /**
   * An approved request exactly as `requests.approve` leaves it: system with a quota, a held reservation,
   * the request `provisioning`, its workflow started. (The approval path itself is covered by the server specs.)
   */
  async function approvedRequest(tag: string): Promise<{ requestId: string; reservationId: string; workflowId: string }> {
    return store.transaction(async (tx) => {
      const body = `11360000${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
      const departmentId = newId();
      await departmentsRepo.insert(tx, { id: departmentId, name: `崩溃测试局-${tag}`, creditCode: body + checkCharacter(body), parentId: null, divisionCode: '3601' });
      const [admin] = await tx.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`);
      const systemId = newId();
      await systemsRepo.insert(tx, systemId, departmentId, {
        name: `系统-${tag}`, ownerUserId: null, description: '', mlpsLevel: 2, dataClassification: 'internal', xinchuangRequired: false,
        architectures: ['x86_64'], drLevel: 2, drEdition: '2025', rpoSeconds: 60, rtoSeconds: 600,
      });
      await quotas.ensureSystemNode(tx, { systemId, departmentId, actor: 'crash-test' });
      await quotas.setSystemLimits(tx, { systemId, actor: 'crash-test', reason: 'setup', limits: [{ cloudId: CLOUD, resourceClass: 'vcpu', limit: 64 }] });
      const requestId = newId();
      const items = [{ resourceClass: 'vcpu' as const, amount: 8 }];
      const reservation = await quotas.reserve(tx, { systemId, items: items.map((i) => ({ ...i, cloudId: CLOUD })), idempotencyKey: `request:${requestId}`, ttlSeconds: 3600, ref: `request:${requestId}`, actor: 'crash-test' });
      await requestsRepo.insert(tx, {
        id: requestId, departmentId, systemId, requesterId: admin!.id, title: `crash ${tag}`, reason: '', placementMode: 'named', cloudId: CLOUD,
        items, resources: [], units: 8, status: 'provisioning', quotaIncrease: false, policyResults: [], placement: null, quotaCheck: null, chainId: null,
        reservationId: reservation.id, submittedAt: new Date(),
      });
      const actions = new ActionRegistry();
      // Only the names and whether they can be undone matter here (the engine records both at start); the
      // control planes run the real actions.
      const elsewhere = async () => { throw new Error('runs in the control plane'); };
      actions.register('request.hold', { run: elsewhere, compensate: elsewhere }).register('request.applyToCloud', { run: elsewhere, compensate: elsewhere }).register('request.commit', { run: elsewhere });
      const workflowId = await new WorkflowEngine(actions).start(tx, { kind: 'request-provisioning', title: `provision ${tag}`, input: { requestId }, departmentId, createdBy: 'crash-test', steps: provisioningSteps(requestId) });
      await requestsRepo.update(tx, requestId, { workflowId });
      return { requestId, reservationId: reservation.id, workflowId };
    });
  }

  const stepStatus = async (workflowId: string, key: string) =>
    (await store.query<{ status: string }>('SELECT status FROM workflow_steps WHERE workflow_id = $1 AND key = $2', [workflowId, key]))[0]?.status;
  const workflowStatus = async (id: string) => (await store.query<{ status: string }>('SELECT status FROM workflows WHERE id = $1', [id]))[0]!.status;
  /** The reservation's state and its ledger: how many commit and release movements it has. */
  const outcome = async (reservationId: string, requestId: string) => {
    const [r] = await store.query<{ state: string }>('SELECT state FROM quota_reservations WHERE id = $1', [reservationId]);
    const ledger = await store.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM quota_ledger WHERE reservation_id = $1 GROUP BY kind`, [reservationId]);
    const kinds = Object.fromEntries(ledger.map((l) => [l.kind, l.n]));
    const [usage] = await store.query<{ reserved: number; committed: number }>(
      `SELECT coalesce(sum(u.reserved), 0)::int AS reserved, coalesce(sum(u.committed), 0)::int AS committed FROM quota_usage u
       JOIN quota_nodes n ON n.id = u.node_id JOIN resource_requests q ON q.system_id::text = n.ref WHERE n.level = 'system' AND q.id = $1`, [requestId]);
    const request = (await requestsRepo.byId(store, requestId))!;
    return { state: r!.state, committed: kinds['commit'] ?? 0, released: kinds['release'] ?? 0, request: request.status, usage };
  };

  /** Starts a control plane, waits until the request's cloud step is in flight, kills it with SIGKILL. */
  async function killDuringApply(workflowId: string) {
    await simAdmin.setFaults({ latencyMs: 1500, ops: TENANT_OPS });
    const first = await startProduct(env);
    products.push(first);
    await waitFor('the cloud step in flight', async () => ((await stepStatus(workflowId, 'apply')) === 'running' ? true : undefined));
    await new Promise((r) => setTimeout(r, 300)); // inside the provider call
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(await stepStatus(workflowId, 'apply')).toBe('running'); // the kill really landed mid-step
    expect(await workflowStatus(workflowId)).toBe('running');
  }

  it('ends committed when the restarted control plane finishes provisioning', async () => {
    const { requestId, reservationId, workflowId } = await approvedRequest('commit');
    await killDuringApply(workflowId);
    await simAdmin.setFaults({});
    const second = await startProduct(env);
    products.push(second);
    await waitFor('workflow finished', async () => ((await workflowStatus(workflowId)) === 'running' ? undefined : true));
    expect(await workflowStatus(workflowId)).toBe('succeeded');
    expect(await outcome(reservationId, requestId)).toEqual({ state: 'committed', committed: 1, released: 0, request: 'provisioned', usage: { reserved: 0, committed: 8 } });
    await second.stop();
  });

  it('ends released when the cloud keeps failing after the restart, and the request says failed', async () => {
    const { requestId, reservationId, workflowId } = await approvedRequest('release');
    await killDuringApply(workflowId);
    await simAdmin.setFaults({ errorRate: 1, ops: TENANT_OPS });
    const second = await startProduct(env);
    products.push(second);
    await waitFor('workflow finished', async () => (['running', 'compensating'].includes(await workflowStatus(workflowId)) ? undefined : true));
    expect(await workflowStatus(workflowId)).toBe('failed');
    const steps = await store.query<{ key: string; status: string; error: string | null }>('SELECT key, status, error FROM workflow_steps WHERE workflow_id = $1 ORDER BY key', [workflowId]);
    expect(steps.map((s) => `${s.key}:${s.status}`)).withContext(JSON.stringify(steps)).toEqual(['apply:failed', 'commit:skipped', 'hold:compensated']);
    expect(await outcome(reservationId, requestId)).toEqual({ state: 'released', committed: 0, released: 1, request: 'failed', usage: { reserved: 0, committed: 0 } });
    await second.stop();
    await simAdmin.setFaults({});
  });

  it('lets two control planes provision many approved requests: every hold committed exactly once', async () => {
    await simAdmin.setFaults({ latencyMs: 150, ops: TENANT_OPS });
    const a = await startProduct(env);
    const b = await startProduct(env);
    products.push(a, b);
    const requests = [];
    for (let i = 0; i < 12; i++) requests.push(await approvedRequest(`pair-${i}`));
    for (const r of requests) {
      await waitFor(`workflow ${r.workflowId}`, async () => ((await workflowStatus(r.workflowId)) === 'running' ? undefined : true));
    }
    const outcomes = await Promise.all(requests.map((r) => outcome(r.reservationId, r.requestId)));
    expect(outcomes.filter((o) => o.state !== 'committed' || o.committed !== 1 || o.released !== 0 || o.request !== 'provisioned')).toEqual([]);
    const owners = await store.query<{ owner: string }>(
      `SELECT DISTINCT e.data->>'owner' AS owner FROM workflow_events e WHERE e.kind = 'step.started' AND e.workflow_id = ANY($1::uuid[])`, [requests.map((r) => r.workflowId)]);
    expect(owners.length).toBe(2); // both processes took part
    await a.stop();
    await b.stop();
    await simAdmin.setFaults({});
  });
});
