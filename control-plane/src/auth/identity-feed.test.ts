import pg from 'pg';
import { waitFor } from '../testing/wait.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';
import { migrate } from '../store/migrate.ts';
import { openPostgresStore } from '../store/postgres-store.ts';
import { seedDivisions } from '../store/reference-data.ts';
import { usersRepo } from './users-repo.ts';
import { createScratchDatabase, TEST_PG_ADMIN_URL } from '../testing/test-store.ts';
import { CallerCache } from './caller-cache.ts';
import { followIdentityChanges } from './identity-feed.ts';
import { issueToken, resolveCaller } from './sessions.ts';

// Needs a PostgreSQL server: the feed is how replicas sharing one hear each other's identity changes.
if (TEST_PG_ADMIN_URL) {
  const adminUrl = TEST_PG_ADMIN_URL;
  describe('identity change feed (PostgreSQL, a second connection playing another replica)', () => {
    it('clears the cache on a revocation, a disabled user or a new department made elsewhere, and trusts nothing while the feed is lost', async () => {
      const scratch = await createScratchDatabase(adminUrl);
      const store = await openPostgresStore(scratch.url, 4);
      const cache = new CallerCache(60_000);
      const feed = followIdentityChanges(scratch.url, cache, createLogger('silent'), 100);
      expect(cache.isSuspended).withContext('nothing is trusted before the feed listens').toBeTrue();
      try {
        await migrate(store);
        await seedDivisions(store);
        const userId = newId();
        await usersRepo.insert(store, { id: userId, username: 'feed-user', displayName: 'Feed user', departmentId: null, roles: ['auditor'], passwordHash: 'x', mustChangePassword: false });
        await feed.listening;
        expect(cache.isSuspended).toBeFalse();

        // Another replica revokes the token: the cached caller is forgotten and the token refused.
        const first = await issueToken(store, { userId, kind: 'session', name: null, ttlMinutes: 60 });
        expect((await resolveCaller(store, first.token, cache))?.username).toBe('feed-user');
        expect(cache.size).toBe(1);
        await store.query('UPDATE tokens SET revoked_at = now() WHERE id = $1', [first.id]);
        await waitFor('the revocation is heard', () => cache.size === 0);
        expect(await resolveCaller(store, first.token, cache)).toBeNull();

        // Another replica disables the user.
        const second = await issueToken(store, { userId, kind: 'session', name: null, ttlMinutes: 60 });
        await resolveCaller(store, second.token, cache);
        expect(cache.size).toBe(1);
        await store.query('UPDATE users SET disabled = true WHERE id = $1', [userId]);
        await waitFor('the disabled user is heard', () => cache.size === 0);
        expect(await resolveCaller(store, second.token, cache)).toBeNull();

        // A department scope cached, then the tree changes elsewhere.
        cache.setScope(userId, { departmentIds: ['d'] }, cache.generation);
        await store.query(`INSERT INTO departments (id, name, credit_code, division_code) VALUES ($1, 'Feed dept', '11360000FEED00001X', (SELECT min(code) FROM divisions))`, [newId()]);
        await waitFor('the department change is heard', () => cache.getScope(userId) === undefined);

        // The listening connection dies: the cache is off until the feed listens again.
        await store.query('UPDATE users SET disabled = false WHERE id = $1', [userId]);
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'`, [new URL(scratch.url).pathname.slice(1)]);
        await admin.end();
        await waitFor('the lost feed is noticed', () => cache.isSuspended);
        await resolveCaller(store, second.token, cache);
        await waitFor('the feed listens again', () => !cache.isSuspended);
        const third = await issueToken(store, { userId, kind: 'session', name: null, ttlMinutes: 60 });
        await resolveCaller(store, third.token, cache);
        expect(cache.size).toBe(1);
      } finally {
        await feed.stop();
        await store.close();
        await scratch.drop();
      }
    });
  });
}
