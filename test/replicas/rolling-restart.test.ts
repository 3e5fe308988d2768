import { metricSum, startLbCluster, type LbCluster } from './lb-cluster.ts';
import { databaseProblems, newOutcomes, percentiles, runLoad, seedWorkload } from './workload.ts';

/**
 * Issue 13.5 (a) and (c): three control-plane processes from the release build on one PostgreSQL database behind
 * a real HAProxy (lb-cluster.ts), under continuous load from 48 clients (reads, quota reservations and IPAM
 * allocations, each write with its idempotency key, some sent again as a client would retry).
 *
 * (a) A rolling restart of all three, one at a time (SIGTERM, exit, HAProxy sees it down, start again on its
 *     port, HAProxy sees it up): not one request may fail. SIGTERM turns /readyz 503 first; HAProxy takes the
 *     replica out while it still serves; then it stops accepting and finishes what is in flight.
 * (c) Reservations and allocations through all three: afterwards the database holds exactly what the clients
 *     were told, key by key, no quota level over its cap, no prefix twice or overlapping.
 *
 * Seeds: GANYUN_REPLICA_SEEDS (comma-separated, default "1,2"): the first drives the rolling restart, the others
 * each a load run without restarts. The bench (`npm run bench -- replicas`) runs more.
 */
const PG_ADMIN = process.env['GANYUN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = 48;
const SEEDS = (process.env['GANYUN_REPLICA_SEEDS'] ?? '1,2').split(',').map(Number);

describe('three release-build replicas behind HAProxy (PostgreSQL)', () => {
  let cluster: LbCluster;
  beforeAll(async () => {
    cluster = await startLbCluster({ pgAdminUrl: PG_ADMIN, replicas: 3, clients: CLIENTS, roles: ['cloud-operator', 'network-engineer'] });
  }, 900_000); // may include the release build (npm run build:server)
  afterAll(async () => cluster?.stop(), 120_000);

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
      const target = await seedWorkload(cluster.store, `c${seed}`, 600);
      const outcomes = await runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed, perClient: 40 });
      expect(outcomes.failures).withContext(outcomes.failures.slice(0, 20).join('\n')).toEqual([]);
      expect(outcomes.reserved.size).toBeGreaterThan(50);
      expect(outcomes.refused).withContext('demand was above the quota left').toBeGreaterThan(0);
      expect(await databaseProblems(cluster.store, seed, outcomes)).toEqual([]);
    }, 300_000);
  }
});
