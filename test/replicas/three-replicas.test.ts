import { SimAdminClient } from '@ganyun/providers';
import type { ChildProcess } from 'node:child_process';
import { freePort } from '../support/product.ts';
import { startSim } from '../support/sim.ts';
import { startProvisioning } from '../support/workflows.ts';
import { metricSum, startLbCluster, startReplica, type LbCluster } from './lb-cluster.ts';
import { CLOUD, databaseProblems, newOutcomes, percentiles, runLoad, seedWorkload } from './workload.ts';

/**
 * Issue 13.5 (a) and (c): three control-plane processes from the release build on one PostgreSQL database behind
 * a real HAProxy (lb-cluster.ts), under continuous load from 32 clients (reads, quota reservations and IPAM
 * allocations, each write with its idempotency key, some sent again as a client would retry).
 *
 * (a) A rolling restart of all three, one at a time (SIGTERM, exit, HAProxy sees it down, start again on its
 *     port, HAProxy sees it up): not one request may fail. SIGTERM turns /readyz 503 first; HAProxy takes the
 *     replica out while it still serves; then it stops accepting and finishes what is in flight.
 * (c) Reservations and allocations through all three: afterwards the database holds exactly what the clients
 *     were told, key by key, no quota level over its cap, no prefix twice or overlapping.
 *
 * (b) kill -9 of the replica running steps of a provisioning workflow (under the same load): the others take the
 *     steps over when the lease (2 s here) runs out and finish the workflow; the cloud (a simulated cloud in its own
 *     process, counting calls and effects per idempotency key) saw every piece of work done exactly once.
 *
 * Seeds: GANYUN_REPLICA_SEEDS (comma-separated, default "1,2"): the first drives the rolling restart, the others
 * each a load run without restarts. The bench (`npm run bench -- replicas`) runs more.
 */
const PG_ADMIN = process.env['GANYUN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = 32;
const SEEDS = (process.env['GANYUN_REPLICA_SEEDS'] ?? '1,2').split(',').map(Number);

describe('three release-build replicas behind HAProxy (PostgreSQL)', () => {
  let cluster: LbCluster;
  let sim: { child: ChildProcess; url: string };
  beforeAll(async () => {
    sim = await startSim(CLOUD, await freePort(), ['--initial-resources', '0']);
    cluster = await startLbCluster({
      pgAdminUrl: PG_ADMIN, replicas: 3, clients: CLIENTS, roles: ['cloud-operator', 'network-engineer'],
      cloudEntry: (entry) => ({ ...entry, provider: 'remote', endpoint: sim.url }), env: { GANYUN_WORKFLOW_LEASE_MS: '2000' },
    });
  }, 900_000); // may include the release build (npm run build:server)
  afterAll(async () => {
    await cluster?.stop();
    sim?.child.kill('SIGTERM');
  }, 120_000);

  it(`restarts all three one at a time under load with no failed request (seed ${SEEDS[0]})`, async () => {
    const seed = SEEDS[0]!;
    const target = await seedWorkload(cluster.store, `rr${seed}`);
    let done = false;
    const outcomes = newOutcomes();
    const load = runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed, until: () => done, outcomes });
    const exits: (number | null)[] = [];
    try {
      await new Promise((r) => setTimeout(r, 1000));
      for (let i = 0; i < 3; i++) {
        const before = outcomes.requests;
        exits.push((await cluster.restart(i)).exitCode);
        // Load went on while this replica was away (the others served it).
        expect(outcomes.requests).withContext(`requests during the restart of r${i + 1}`).toBeGreaterThan(before);
      }
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      done = true;
      await load;
    }
    const lb = await cluster.haproxy.counters();
    console.log(`rolling restart, seed ${seed}: ${outcomes.requests} requests, ${outcomes.refused} refused over quota, ${outcomes.failures.length} failed; HAProxy ${JSON.stringify(lb)}; ms ${JSON.stringify(percentiles(outcomes))}`);
    expect(exits).withContext('each replica stopped cleanly on SIGTERM').toEqual([0, 0, 0]);
    expect(outcomes.failures.length).withContext(outcomes.failures.slice(0, 20).join('\n')).toBe(0);
    expect(outcomes.requests).toBeGreaterThan(500);
    expect(outcomes.reserved.size).toBeGreaterThan(50);
    expect(outcomes.allocated.size).toBeGreaterThan(50);
    expect(outcomes.byFamily.retry.length).toBeGreaterThan(0);
    // Every replica served load after its restart: HAProxy put each back in rotation.
    const served = await Promise.all(cluster.replicas.map(async (r) => (await metricSum(r.url, 'ganyun_api_requests_total')) > 0));
    expect(served).toEqual([true, true, true]);
    expect(await databaseProblems(cluster.store, seed, outcomes)).toEqual([]);
  }, 600_000);

  for (const seed of SEEDS.slice(1)) {
    it(`grants quota and allocates prefixes through all three with nothing oversubscribed or duplicated (seed ${seed})`, async () => {
      const target = await seedWorkload(cluster.store, `c${seed}`, 300);
      const outcomes = await runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed, perClient: 30 });
      expect(outcomes.failures).withContext(outcomes.failures.slice(0, 20).join('\n')).toEqual([]);
      expect(outcomes.reserved.size).toBeGreaterThan(50);
      expect(outcomes.refused).withContext('demand was above the quota left').toBeGreaterThan(0);
      expect(await databaseProblems(cluster.store, seed, outcomes)).toEqual([]);
    }, 300_000);
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('finishes a workflow exactly once after the replica running it is killed with SIGKILL, under load', async () => {
    const store = cluster.store;
    const simAdmin = new SimAdminClient(sim.url);
    await simAdmin.setFaults({ latencyMs: 300, ops: ['createResource'] });
    const seed = 900 + SEEDS[0]!;
    const target = await seedWorkload(store, `k${seed}`);
    let done = false;
    const outcomes = newOutcomes();
    const load = runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed, until: () => done, outcomes });
    const steps = 30;
    const { id, keys } = await startProvisioning(cluster.store, { cloudId: CLOUD, tenant: 'kill-tenant', resources: steps, arch: 'x86_64', createdBy: 'replica-test' });
    const stepCounts = async () => Object.fromEntries((await store.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM workflow_steps WHERE workflow_id = $1 GROUP BY status', [id])).map((r) => [r.status, r.n])) as Record<string, number>;
    let victimIndex = -1;
    let atKill: Record<string, number> = {};
    let victimOwner = '';
    try {
      // The replica holding the most running steps once a few have succeeded.
      victimOwner = await waitFor('a replica running steps mid-way', async () => {
        const counts = await stepCounts();
        if ((counts['succeeded'] ?? 0) < 3) return undefined;
        const [top] = await store.query<{ owner: string }>(
          `SELECT lease_owner AS owner FROM workflow_steps WHERE workflow_id = $1 AND status = 'running' AND lease_owner IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, [id]);
        return top?.owner;
      });
      const pid = Number(victimOwner.split(':')[1]);
      victimIndex = cluster.replicas.findIndex((r) => r.child.pid === pid);
      expect(victimIndex).withContext(`owner ${victimOwner} is one of the replicas`).toBeGreaterThanOrEqual(0);
      await cluster.replicas[victimIndex]!.kill();
      atKill = await stepCounts();
      await waitFor('the workflow to finish', async () => {
        const [w] = await store.query<{ status: string }>('SELECT status FROM workflows WHERE id = $1', [id]);
        return w!.status === 'running' ? undefined : w!.status;
      });
    } finally {
      done = true;
      await load;
      await simAdmin.setFaults({});
    }
    expect(atKill['succeeded'] ?? 0).withContext('the kill was mid-way').toBeLessThan(steps + 1);
    expect((atKill['running'] ?? 0) + (atKill['pending'] ?? 0)).withContext('the kill was mid-way').toBeGreaterThan(0);
    const [w] = await store.query<{ status: string }>('SELECT status FROM workflows WHERE id = $1', [id]);
    expect(w!.status).toBe('succeeded');
    expect(await stepCounts()).toEqual({ succeeded: steps + 1 });
    // The cloud saw each piece of work done once (a step in flight at the kill was asked again under its key).
    const ledger = await Promise.all(keys.map((k) => simAdmin.idempotency(k)));
    expect(ledger.filter((l) => l.effects !== 1).map((l) => l.key)).toEqual([]);
    const [{ n }] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_events WHERE workflow_id = $1 AND kind = 'step.succeeded'`, [id]) as [{ n: number }];
    expect(n).toBe(steps + 1);
    // Another replica finished it: the steps that were left at the kill were run by the survivors.
    const lastStarted = await store.query<{ owner: string }>(
      `SELECT data->>'owner' AS owner FROM workflow_events WHERE workflow_id = $1 AND kind = 'step.started' ORDER BY seq DESC LIMIT 1`, [id]);
    expect(lastStarted[0]?.owner).not.toBe(victimOwner);
    // The load through HAProxy went on; requests in flight on the killed replica were retried on another.
    const lb = await cluster.haproxy.counters();
    console.log(`kill -9 of ${cluster.replicas[victimIndex]!.name}: ${outcomes.requests} requests, ${outcomes.failures.length} failed; HAProxy ${JSON.stringify(lb)}`);
    expect(outcomes.failures).withContext(outcomes.failures.slice(0, 20).join('\n')).toEqual([]);
    expect(await databaseProblems(store, seed, outcomes)).toEqual([]);
    // Bring the killed replica back for whatever runs next.
    const victim = cluster.replicas[victimIndex]!;
    cluster.replicas[victimIndex] = await startReplica(victim.name, victim.port, cluster.env);
    await cluster.waitForState(victim.name, 'UP');
  }, 300_000);
});
