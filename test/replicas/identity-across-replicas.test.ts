import { startCluster, trpcMutation, type Cluster } from '../support/cluster.ts';

/**
 * The verified caller cache across replicas: two control-plane processes on one PostgreSQL, each caching callers
 * for 30 s (the default). A logout through one replica must be refused by the other long before that TTL: the
 * database notifies every replica (migration 0040, auth/identity-feed.ts). The spec waits for the refusal with a
 * deadline far below the TTL; it asserts the behaviour (refused, not served from a stale cache), not a time.
 */
const PG_ADMIN = process.env['GANYUN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function me(baseUrl: string, token: string): Promise<number> {
  const res = await fetch(`${baseUrl}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

describe('identity changes reach every replica (two processes, PostgreSQL)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ pgAdminUrl: PG_ADMIN, processes: 2, clients: 2, user: { username: 'replica-user', role: 'auditor' }, env: { GANYUN_CALLER_CACHE_MS: '30000' } });
  }, 180_000);
  afterAll(async () => cluster?.stop(), 60_000);

  it('a logout through replica A is refused by replica B, whose cache had the token', async () => {
    const [a, b] = cluster.products;
    const [token, other] = cluster.tokens;
    // Both replicas have resolved (and cached) the token.
    expect([await me(a!.url, token!), await me(b!.url, token!)]).toEqual([200, 200]);
    const out = await trpcMutation(a!.url, 'auth.logout', token!, {});
    expect(out.status).toBe(200);
    expect(await me(a!.url, token!)).toBe(401); // the replica that did it: at once
    let statusAtB = 200;
    for (let i = 0; i < 100 && statusAtB === 200; i++) {
      statusAtB = await me(b!.url, token!);
      if (statusAtB === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(statusAtB).withContext('replica B must stop serving the revoked token from its 30 s cache').toBe(401);
    // The same user's other session is untouched on both.
    expect([await me(a!.url, other!), await me(b!.url, other!)]).toEqual([200, 200]);
  }, 60_000);
});
