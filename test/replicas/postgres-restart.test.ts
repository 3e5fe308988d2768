import { startLbCluster, type LbCluster } from './lb-cluster.ts';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';
import { databaseProblems, newOutcomes, runLoad, seedWorkload } from './workload.ts';

/**
 * Issue 13.5 (d): a PostgreSQL restart under load. Three release-build replicas behind HAProxy (lb-cluster.ts) on a
 * PostgreSQL cluster of this spec's own (private-postgres.ts: initdb into a temp dir, its own port; the shared
 * server on 5432 is never stopped). The database is stopped (`pg_ctl stop -m fast`) while 16 clients read and
 * write, kept down for a few seconds, and started again. While it is down every answer is a clean 503 (from a
 * replica, or from HAProxy once the replicas' /readyz say 503): no 500, no hang, no reset connection. Afterwards
 * the same replica processes (never restarted) serve again, and the database holds exactly what the clients were
 * told, key by key (a write refused with 503 is sent again with its key, as a client should).
 */
const CLIENTS = 16;

describe('a PostgreSQL restart under three replicas behind HAProxy', () => {
  let pg: PrivatePostgres;
  let cluster: LbCluster;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    cluster = await startLbCluster({ pgAdminUrl: pg.adminUrl, replicas: 3, clients: CLIENTS, roles: ['cloud-operator', 'network-engineer'] });
  }, 900_000); // may include the release build
  afterAll(async () => {
    try {
      pg?.start(); // if a failed spec left it down, so that the cluster's database can be dropped
    } catch {
      // running already
    }
    await cluster?.stop();
    pg?.destroy();
  }, 120_000);

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('answers 503 while the database is down and serves again when it is back, without restarting a replica', async () => {
    const seed = 77;
    const target = await seedWorkload(cluster.store, `pg${seed}`);
    const pids = cluster.replicas.map((r) => r.child.pid);
    let done = false;
    const outcomes = newOutcomes();
    const load = runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed, until: () => done, outcomes, acceptUnavailable: true });
    let before = 0;
    let duringDown = { requests: 0, unavailable: 0 };
    let afterUp = 0;
    try {
      await sleep(2000);
      before = outcomes.requests;
      expect(outcomes.unavailable).withContext('all answered while the database was up').toBe(0);
      pg.stop();
      const down = { requests: outcomes.requests, unavailable: outcomes.unavailable };
      await sleep(5000);
      duringDown = { requests: outcomes.requests - down.requests, unavailable: outcomes.unavailable - down.unavailable };
      pg.start();
      // Back: HAProxy sees every replica ready again (their /readyz reach the database), and requests succeed.
      try {
        for (const r of cluster.replicas) await cluster.waitForState(r.name, 'UP', 60_000);
      } catch (e) {
        // What the replicas say, for the failure message.
        for (const r of cluster.replicas) {
          const ready = await fetch(`${r.url}/readyz`, { signal: AbortSignal.timeout(5000) }).then(async (x) => `${x.status} ${await x.text()}`, (err: Error) => `no answer: ${err.message}`);
          console.log(`${r.name} /readyz: ${ready}\n${r.output().slice(-4000)}`);
        }
        console.log(`failures so far: ${outcomes.failures.length}\n${outcomes.failures.slice(0, 20).join('\n')}`);
        throw e;
      }
      const up = outcomes.requests;
      const unavailableAtUp = outcomes.unavailable;
      await sleep(3000);
      afterUp = outcomes.requests - up;
      expect(outcomes.unavailable - unavailableAtUp).withContext('no 503 once every replica is back in rotation').toBe(0);
    } finally {
      done = true;
      await load;
    }
    console.log(`PostgreSQL restart: ${before} requests before, ${duringDown.requests} while down (${duringDown.unavailable} answered 503), ${afterUp} in 3 s after; ${outcomes.failures.length} failed; HAProxy ${JSON.stringify(await cluster.haproxy.counters())}`);
    expect(outcomes.failures).withContext(outcomes.failures.slice(0, 20).join('\n')).toEqual([]);
    expect(duringDown.unavailable).withContext('requests were refused while the database was down').toBeGreaterThan(0);
    expect(afterUp).toBeGreaterThan(0);
    // The same processes: none was restarted, none died.
    expect(cluster.replicas.map((r) => r.child.pid)).toEqual(pids);
    expect(cluster.replicas.map((r) => r.child.exitCode)).toEqual([null, null, null]);
    expect(await databaseProblems(cluster.store, seed, outcomes)).toEqual([]);
  }, 300_000);
});
