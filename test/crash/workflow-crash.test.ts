import { DEFAULT_FEDERATION_PATH, SimAdminClient, loadFederationConfig } from '@ganyun/providers';
import { waitFor } from '../../control-plane/src/testing/wait.ts';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore } from '../../control-plane/src/store/postgres-store.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { createScratchDatabase } from '../../control-plane/src/testing/test-store.ts';
import { freePort, startProduct, type RunningProduct } from '../support/product.ts';
import { startSim } from '../support/sim.ts';
import { startProvisioning } from '../support/workflows.ts';

/**
 * Durability of provisioning workflows across real processes: control planes as child processes on one
 * PostgreSQL database, a simulated cloud in its own process that counts calls and effects per
 * idempotency key. A control plane is killed with SIGKILL in the middle of a workflow; a restarted one
 * finishes it with no step lost and no effect done twice. Two control planes share a plan without overlap.
 */
const PG_ADMIN = process.env['GANYUN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLOUD = 'xc-kunpeng';

describe('workflows across control-plane processes (PostgreSQL, a sim cloud process)', () => {
  let sim: { child: ChildProcess; url: string };
  let db: { url: string; drop: () => Promise<void> };
  let store: Store;
  let env: Record<string, string>;
  const products: RunningProduct[] = [];

  beforeAll(async () => {
    sim = await startSim(CLOUD, await freePort(), ['--initial-resources', '0']);
    db = await createScratchDatabase(PG_ADMIN);
    const config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
    const entry = config.clouds.find((c) => c.id === CLOUD)!;
    const dir = await mkdtemp(join(tmpdir(), 'ganyun-crash-'));
    const federationFile = join(dir, 'federation.json');
    await writeFile(federationFile, JSON.stringify({ version: 1, clouds: [{ ...entry, provider: 'remote', endpoint: sim.url, sim: { ...entry.sim, replication: [] } }] }));
    env = {
      DATABASE_URL: db.url,
      GANYUN_SECRET_KEY: randomBytes(32).toString('hex'),
      GANYUN_FEDERATION_CONFIG: federationFile,
      GANYUN_ADMIN_PASSWORD: 'Crash-Test-Admin-1',
      GANYUN_WORKFLOW_LEASE_MS: '2000',
      GANYUN_SYNC_INTERVAL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
    };
    store = await openPostgresStore(db.url, 4);
  });

  afterAll(async () => {
    for (const p of products) await p.stop().catch(() => undefined);
    await store?.close();
    await db?.drop();
    sim?.child.kill('SIGTERM');
  });

  const stepCounts = async (id: string) => {
    const rows = await store.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM workflow_steps WHERE workflow_id = $1 GROUP BY status', [id]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  };
  const workflowStatus = async (id: string) => (await store.query<{ status: string }>('SELECT status FROM workflows WHERE id = $1', [id]))[0]!.status;

  it('finishes a workflow after its control plane is killed with SIGKILL mid-way, doing each effect once', async () => {
    const simAdmin = new SimAdminClient(sim.url);
    // Slow creations down so that the kill lands while steps are in flight.
    await simAdmin.setFaults({ latencyMs: 250, ops: ['createResource'] });
    const first = await startProduct(env);
    products.push(first);
    const { id, keys } = await startProvisioning(store, { cloudId: CLOUD, tenant: 'crash-tenant', resources: 40, arch: 'arm64', createdBy: 'crash-test' });

    await waitFor('some steps done', async () => ((await stepCounts(id))['succeeded'] ?? 0) >= 6 || undefined);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const atKill = await stepCounts(id);
    expect(atKill['pending'] ?? 0).toBeGreaterThan(0); // the kill really was mid-way
    expect(await workflowStatus(id)).toBe('running');

    const second = await startProduct(env);
    products.push(second);
    await waitFor('workflow finished', async () => {
      const s = await workflowStatus(id);
      return s === 'running' ? undefined : s;
    });
    expect(await workflowStatus(id)).toBe('succeeded');
    expect(await stepCounts(id)).toEqual({ succeeded: 41 });

    // The cloud saw each piece of work done exactly once; the steps in flight at the kill were asked twice at most.
    const ledger = await Promise.all(keys.map((k) => simAdmin.idempotency(k)));
    expect(ledger.filter((l) => l.effects !== 1).map((l) => l.key)).toEqual([]);
    expect(ledger.every((l) => l.calls <= 2)).toBeTrue();
    // Asked twice = in flight at the kill, redone by the survivor under the same key (a step killed before
    // it reached the cloud was asked once).
    const askedTwice = ledger.filter((l) => l.calls === 2).length;
    expect(askedTwice).toBeLessThanOrEqual(atKill['running'] ?? 0);
    // And the store recorded one success per step.
    const [{ n }] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_events WHERE workflow_id = $1 AND kind = 'step.succeeded'`, [id]);
    expect(n).toBe(41);
    await second.stop();
    await simAdmin.setFaults({});
  });

  it('lets two control planes share one plan: every step run once, by either of them', async () => {
    const simAdmin = new SimAdminClient(sim.url);
    await simAdmin.setFaults({ latencyMs: 40, ops: ['createResource'] });
    const a = await startProduct(env);
    const b = await startProduct(env);
    products.push(a, b);
    const { id, keys } = await startProvisioning(store, { cloudId: CLOUD, tenant: 'shared-tenant', resources: 80, arch: 'arm64', createdBy: 'crash-test' });
    await waitFor('workflow finished', async () => ((await workflowStatus(id)) === 'running' ? undefined : true));
    expect(await workflowStatus(id)).toBe('succeeded');
    const ledger = await Promise.all(keys.map((k) => simAdmin.idempotency(k)));
    expect(ledger.every((l) => l.effects === 1 && l.calls === 1)).toBeTrue();
    const owners = await store.query<{ owner: string; n: number }>(
      `SELECT data->>'owner' AS owner, count(*)::int AS n FROM workflow_events WHERE workflow_id = $1 AND kind = 'step.started' GROUP BY 1`, [id]);
    expect(owners.length).toBe(2); // both processes worked on it
    expect(owners.reduce((sum, o) => sum + o.n, 0)).toBe(81); // and no step started twice
    await simAdmin.setFaults({});
  });
});
