import { createLogger } from '../logger.ts';
import { WORKFLOW_CHANNEL, workflowsRepo } from '../engine/workflows-repo.ts';
import { openPostgresStore } from '../store/postgres-store.ts';
import type { Store } from '../store/store.ts';
import { createScratchDatabase, TEST_PG_ADMIN_URL } from '../testing/test-store.ts';
import { DbSession } from './db-session.ts';
import { BackgroundLeader, LEADER_CHANNEL } from './leader.ts';
import { readinessOf } from './readiness.ts';

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not within 10 s: ${what}`);
}

// Needs a PostgreSQL server: sessions, advisory locks and notifications between replicas are PostgreSQL's.
if (TEST_PG_ADMIN_URL) {
  const adminUrl = TEST_PG_ADMIN_URL;
  describe('background schedule on one replica, work notifications, readiness (PostgreSQL, three "replicas" in one process)', () => {
    let scratch: { url: string; drop: () => Promise<void> };
    let store: Store;
    const replicas: { name: string; session: DbSession; leader: BackgroundLeader; running: number; notified: number }[] = [];

    beforeEach(async () => {
      scratch = await createScratchDatabase(adminUrl);
      store = await openPostgresStore(scratch.url, 2);
      for (const name of ['a', 'b', 'c']) {
        const r = { name, running: 0, notified: 0 } as (typeof replicas)[number];
        let leader: BackgroundLeader | null = null;
        r.session = new DbSession(scratch.url, createLogger('silent'), {
          channels: { [WORKFLOW_CHANNEL]: () => r.notified++, [LEADER_CHANNEL]: () => void leader?.tryLead() },
          onUp: () => void leader?.tryLead(),
          onDown: () => leader?.sessionLost(),
          retryMs: 100,
        });
        leader = new BackgroundLeader(r.session, [{ name: 'job', start: () => void r.running++, stop: async () => void r.running-- }], createLogger('silent'), 300);
        r.leader = leader;
        r.session.start();
        leader.start();
        replicas.push(r);
      }
    });
    afterEach(async () => {
      for (const r of replicas.splice(0)) {
        await r.leader.stop();
        await r.session.stop();
      }
      await store.close();
      await scratch.drop();
    });

    const leaders = () => replicas.filter((r) => r.leader.isLeader);

    it('runs the jobs on exactly one replica and hands them over on a clean stop and when the leader\'s session dies', async () => {
      await until('every session up', () => replicas.every((r) => r.session.up));
      await until('a leader', () => leaders().length === 1);
      // Others keep trying for a while: still one.
      await new Promise((r) => setTimeout(r, 700));
      expect(leaders().length).toBe(1);
      expect(replicas.map((r) => r.running).reduce((a, b) => a + b, 0)).withContext('jobs running in all').toBe(1);

      // A clean stop hands the schedule over.
      const first = leaders()[0]!;
      await first.leader.stop();
      expect(first.running).toBe(0);
      await until('another leader after a clean stop', () => leaders().length === 1 && leaders()[0] !== first);

      // The leader's connection killed (as by kill -9 of its process): PostgreSQL drops the lock, another takes it.
      const second = leaders()[0]!;
      const [pid] = await second.session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await store.query('SELECT pg_terminate_backend($1)', [pid!.pid]);
      await until('the killed session\'s replica stepped down', () => second.running === 0);
      await until('a leader again', () => leaders().length === 1);
      expect(replicas.map((r) => r.running).reduce((a, b) => a + b, 0)).toBe(1);
    }, 60_000);

    it('tells every replica about work at commit, not before, and says not ready while its session is down', async () => {
      await until('every session up', () => replicas.every((r) => r.session.up));
      const seen = () => replicas.map((r) => r.notified);
      await store.transaction(async (tx) => {
        await workflowsRepo.notifyWork(tx);
        await new Promise((r) => setTimeout(r, 200));
        expect(seen()).withContext('nothing before the commit').toEqual([0, 0, 0]);
      });
      await until('every replica heard it', () => replicas.every((r) => r.notified === 1));

      const ready = readinessOf({ store: 'postgres', draining: () => false, session: replicas[0]!.session });
      expect(ready().ready).toBeTrue();
      const [pid] = await replicas[0]!.session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await store.query('SELECT pg_terminate_backend($1)', [pid!.pid]);
      await until('not ready', () => !ready().ready);
      expect(ready().status).toBe('database unreachable');
      await until('ready again once the session is back', () => ready().ready);
    }, 60_000);
  });
}
