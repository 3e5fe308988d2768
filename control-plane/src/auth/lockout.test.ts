import { seedUser, TEST_PASSWORD } from '../testing/harness.ts';
import { adminAppForEachSpec } from '../testing/http-app.ts';

/** Issue 19.1, through the HTTP API: brute force in parallel and in batches must not get around the lockout. */
describe('login lockout under concurrency and batching (HTTP)', () => {
  const http = adminAppForEachSpec();
  let victimId: string;

  beforeEach(async () => {
    victimId = (await seedUser(http.app.deps, 'victim', ['auditor'])).id;
  });

  const victimView = async () => {
    const list = await http.app.call('users.list', {}, { token: http.adminToken, kind: 'query' });
    return (list.body.result!.data as { items: { id: string; locked: boolean }[] }).items.find((u) => u.id === victimId)!;
  };

  it('30 wrong passwords in parallel, then the right one: refused, and the account is locked', async () => {
    const wrong = await Promise.all(Array.from({ length: 30 }, (_, i) => http.app.call('auth.login', { username: 'victim', password: `wrong-${i}` })));
    expect(wrong.every((a) => a.status === 401)).toBeTrue();
    const right = await http.app.call('auth.login', { username: 'victim', password: TEST_PASSWORD });
    expect(right.status).toBe(401);
    expect(right.body.result).toBeUndefined();
    expect((await victimView()).locked).toBeTrue();
    // The lockout is one record in the chain, however many attempts raced into it.
    const lockouts = await http.app.deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE procedure = 'auth.lockout'`);
    expect(lockouts[0]!.n).toBe(1);
  });

  it('refuses auth.login in a batched request before checking anything, so a batch cannot hold many guesses', async () => {
    const n = 30;
    const paths = Array.from({ length: n }, () => 'auth.login').join(',');
    const body = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { username: 'victim', password: i === n - 1 ? TEST_PASSWORD : `wrong-${i}` }]));
    const res = await fetch(`${http.app.base}/trpc/${paths}?batch=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('cannot be batched');
    expect(await http.app.deps.metrics.registry.getSingleMetricAsString('ganyun_login_password_checks_total')).toMatch(/ 0$/m);
    expect((await victimView()).locked).toBeFalse();
    // A batch of other procedures still works (the console does not batch, other clients may).
    const ok = await fetch(`${http.app.base}/trpc/auth.me,auth.me?batch=1&input=${encodeURIComponent('{}')}`, { headers: { authorization: `Bearer ${http.adminToken}` } });
    expect(ok.status).toBe(200);
  });

  it('batched wrong passwords followed by the right one sent alone: refused, locked', async () => {
    const single = (password: string) => http.app.call('auth.login', { username: 'victim', password });
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 10 }, (_, i) => single(`wrong-${round}-${i}`)));
    expect((await single(TEST_PASSWORD)).status).toBe(401);
    expect((await victimView()).locked).toBeTrue();
  });

  it('a flood from one address is refused before hashing once the address is over its threshold', async () => {
    const attempts = await Promise.all(Array.from({ length: 40 }, (_, i) => http.app.call('auth.login', { username: `nobody${i}`, password: 'x' })));
    expect(attempts.every((a) => a.status === 401)).toBeTrue();
    const checks = Number(/ (\d+)$/m.exec(await http.app.deps.metrics.registry.getSingleMetricAsString('ganyun_login_password_checks_total'))![1]);
    expect(checks).toBeLessThanOrEqual(http.app.deps.settings.sourceLockoutThreshold);
    // Even the right password of a real account is refused from that address now, with the same answer.
    const right = await http.app.call('auth.login', { username: 'victim', password: TEST_PASSWORD });
    expect(right.status).toBe(401);
    expect(right.body.error!.message).toBe(attempts[0]!.body.error!.message);
  });

  it('a locked account and an unknown name get the same answer', async () => {
    for (let i = 0; i < 6; i++) await http.app.call('auth.login', { username: 'victim', password: `wrong-${i}` });
    const locked = await http.app.call('auth.login', { username: 'victim', password: TEST_PASSWORD });
    const unknown = await http.app.call('auth.login', { username: 'no-such-user', password: TEST_PASSWORD });
    expect([locked.status, locked.body.error!.message, locked.body.error!.data!.code])
      .toEqual([unknown.status, unknown.body.error!.message, unknown.body.error!.data!.code]);
  });

  it('grows the lock with each lockout (back-off) and an administrator\'s unlock resets it', async () => {
    const lockedFor = async () => (await http.app.deps.store.query<{ m: number }>(
      `SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS m FROM users WHERE id = $1`, [victimId]))[0]!.m;
    for (let i = 0; i < 5; i++) await http.app.call('auth.login', { username: 'victim', password: `wrong-${i}` });
    expect(await lockedFor()).toBe(15);
    await http.app.deps.store.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [victimId]);
    for (let i = 0; i < 5; i++) await http.app.call('auth.login', { username: 'victim', password: `wrong-${i}` });
    expect(await lockedFor()).toBe(30);
    expect((await http.app.call('users.unlock', { id: victimId }, { token: http.adminToken })).status).toBe(200);
    expect((await http.app.call('auth.login', { username: 'victim', password: TEST_PASSWORD })).status).toBe(200);
  });
});
