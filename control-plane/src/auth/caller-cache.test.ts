import type { Caller } from '../context.ts';
import { anonymousCaller, callerAs, errorOf, freshDeps, seedUser, TEST_PASSWORD } from '../testing/harness.ts';
import { CallerCache } from './caller-cache.ts';

const caller = (name: string): Caller => ({
  userId: name, username: name, displayName: name, roles: ['auditor'], departmentId: null, departmentName: null, tokenId: name, tokenKind: 'session', mustChangePassword: false,
});

describe('caller cache', () => {
  it('answers within its TTL, forgets after it, and caches nothing when the TTL is 0', () => {
    let now = 1_000;
    const cache = new CallerCache(1_000, () => now);
    cache.set('h1', caller('amy'), cache.generation);
    now += 999;
    expect(cache.get('h1')?.username).toBe('amy');
    now += 1;
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.size).toBe(0);
    const off = new CallerCache(0);
    off.set('h1', caller('amy'), off.generation);
    expect(off.get('h1')).toBeUndefined();
  });

  it('stays bounded: past its size the oldest entry goes first', () => {
    const cache = new CallerCache(60_000, Date.now, 2);
    cache.set('a', caller('a'), cache.generation);
    cache.set('b', caller('b'), cache.generation);
    cache.set('c', caller('c'), cache.generation);
    expect([cache.get('a'), cache.get('b')?.username, cache.get('c')?.username]).toEqual([undefined, 'b', 'c']);
  });

  it('drops an answer read before a clear, never outlives the token, and trusts nothing while suspended', () => {
    let now = 1_000;
    const cache = new CallerCache(60_000, () => now);
    // A read that began before a revocation and ends after it must not put the old caller back.
    const before = cache.generation;
    cache.clear();
    cache.set('h1', caller('amy'), before);
    expect(cache.get('h1')).toBeUndefined();
    cache.setScope('amy', { departmentIds: ['d1'] }, before);
    expect(cache.getScope('amy')).toBeUndefined();
    // The token expires before the TTL: the entry goes with it.
    cache.set('h2', caller('bob'), cache.generation, now + 500);
    now += 500;
    expect(cache.get('h2')).toBeUndefined();
    // Suspended (the change feed is down): nothing is answered or stored; resuming starts empty.
    cache.set('h3', caller('cy'), cache.generation);
    cache.setScope('cy', { departmentIds: ['d2'] }, cache.generation);
    expect(cache.getScope('cy')).toEqual({ departmentIds: ['d2'] });
    cache.suspend();
    expect(cache.get('h3')).toBeUndefined();
    cache.set('h3', caller('cy'), cache.generation);
    cache.resume();
    expect(cache.get('h3')).toBeUndefined();
    expect(cache.getScope('cy')).toBeUndefined();
    cache.set('h3', caller('cy'), cache.generation);
    expect(cache.get('h3')?.username).toBe('cy');
  });

  it('through the API: a change made behind its back shows after the TTL; logout and a disabled user in this process at once', async () => {
    let now = Date.now();
    const deps = { ...(await freshDeps()), callers: new CallerCache(1_000, () => now) };
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const ann = await seedUser(deps, 'ann', ['auditor']);
    const login = async () => anonymousCaller(deps, (await anonymousCaller(deps).auth.login({ username: 'ann', password: TEST_PASSWORD })).token);

    // Disabled by another replica (here: straight in the database): trusted for at most the TTL.
    const first = await login();
    expect((await first.auth.me()).username).toBe('ann');
    await deps.store.query('UPDATE users SET disabled = true WHERE id = $1', [ann.id]);
    expect((await first.auth.me()).username).toBe('ann');
    now += 1_000;
    expect((await errorOf(() => first.auth.me())).code).toBe('UNAUTHORIZED');
    await deps.store.query('UPDATE users SET disabled = false WHERE id = $1', [ann.id]);

    // Logout in this process: the token stops working at once.
    const second = await login();
    await second.auth.me();
    await second.auth.logout();
    expect((await errorOf(() => second.auth.me())).code).toBe('UNAUTHORIZED');

    // An admin disabling the user in this process: at once too.
    const third = await login();
    await third.auth.me();
    await admin.users.update({ id: ann.id, disabled: true });
    expect((await errorOf(() => third.auth.me())).code).toBe('UNAUTHORIZED');
  });
});
