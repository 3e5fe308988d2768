import { anonymousCaller, auditTrail, callerAs, errorOf, freshDeps, seedUser, snapshot, TEST_PASSWORD } from '../testing/harness.ts';

describe('auth', () => {
  it('logs in, answers me, and logs out (the token stops working)', async () => {
    const deps = await freshDeps();
    await seedUser(deps, 'alice', ['cloud-operator']);
    const session = await anonymousCaller(deps).auth.login({ username: 'alice', password: TEST_PASSWORD });
    expect(session.token).toMatch(/^gys_/);
    const alice = anonymousCaller(deps, session.token);
    expect((await alice.auth.me()).username).toBe('alice');
    await alice.auth.logout();
    expect((await errorOf(() => alice.auth.me())).code).toBe('UNAUTHORIZED');
    const trail = await auditTrail(deps);
    expect(trail.map((r) => `${r.procedure}:${r.outcome}:${r.actor}`)).toEqual(['auth.login:ok:alice', 'auth.logout:ok:alice', 'auth.tokenRefused:denied:alice']);
  });

  it('gives the same answer for an unknown user and a wrong password; chains the real account\'s, counts both', async () => {
    const deps = await freshDeps();
    await seedUser(deps, 'bob', ['auditor']);
    const a = await errorOf(() => anonymousCaller(deps).auth.login({ username: 'nobody', password: 'x' }));
    const b = await errorOf(() => anonymousCaller(deps).auth.login({ username: 'bob', password: 'wrong' }));
    expect(a).toEqual(b);
    expect(a.code).toBe('UNAUTHORIZED');
    expect((await auditTrail(deps)).map((r) => `${r.actor}:${r.outcome}`)).toEqual(['bob:denied']);
    expect(await deps.metrics.registry.getSingleMetricAsString('ganyun_login_failures_total')).toContain('reason="bad-credentials"} 2');
  });

  it('locks an account after 5 failures, even with the right password, until an admin unlocks it', async () => {
    const deps = await freshDeps();
    const carol = await seedUser(deps, 'carol', ['auditor']);
    const admin = await seedUser(deps, 'root', ['admin']);
    for (let i = 0; i < 5; i++) await errorOf(() => anonymousCaller(deps).auth.login({ username: 'carol', password: 'wrong' }));
    expect((await errorOf(() => anonymousCaller(deps).auth.login({ username: 'carol', password: TEST_PASSWORD }))).code).toBe('UNAUTHORIZED'); // the same answer as an unknown name (issue 19.8)
    const view = await (await callerAs(deps, admin.id)).users.unlock({ id: carol.id });
    expect(view.locked).toBeFalse();
    expect((await anonymousCaller(deps).auth.login({ username: 'carol', password: TEST_PASSWORD })).token).toBeTruthy();
  });

  it('records when a token was last used, writing at most once a minute (no hot row under a busy client)', async () => {
    const deps = await freshDeps();
    await seedUser(deps, 'fay', ['auditor']);
    const { token } = await anonymousCaller(deps).auth.login({ username: 'fay', password: TEST_PASSWORD });
    const lastUsed = async () => (await deps.store.query<{ t: string | null }>(`SELECT last_used_at::text AS t FROM tokens`))[0]!.t;
    expect(await lastUsed()).toBeNull();
    await anonymousCaller(deps, token).auth.me();
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await anonymousCaller(deps, token).auth.me();
    expect(await lastUsed()).toBe(first);
    await deps.store.query(`UPDATE tokens SET last_used_at = now() - interval '2 minutes'`);
    const stale = await lastUsed();
    await anonymousCaller(deps, token).auth.me();
    expect(await lastUsed()).not.toBe(stale);
  });

  it('refuses an expired token and a malformed one', async () => {
    const deps = await freshDeps();
    await seedUser(deps, 'dave', ['auditor']);
    const { token } = await anonymousCaller(deps).auth.login({ username: 'dave', password: TEST_PASSWORD });
    await deps.store.query(`UPDATE tokens SET expires_at = now() - interval '1 second'`);
    expect((await errorOf(() => anonymousCaller(deps, token).auth.me())).code).toBe('UNAUTHORIZED');
    expect((await errorOf(() => anonymousCaller(deps, 'not-a-token').auth.me())).code).toBe('UNAUTHORIZED');
  });

  it('issues API tokens that work, can be listed without their secret, and revoked', async () => {
    const deps = await freshDeps();
    const erin = await seedUser(deps, 'erin', ['network-engineer']);
    const me = await callerAs(deps, erin.id);
    const api = await me.auth.createApiToken({ name: 'nightly export', ttlDays: 30 });
    expect(api.token).toMatch(/^gya_/);
    const bot = anonymousCaller(deps, api.token);
    expect((await bot.auth.me()).username).toBe('erin');
    expect((await errorOf(() => bot.auth.createApiToken({ name: 'more', ttlDays: 1 }))).code).toBe('FORBIDDEN');
    const listed = await me.auth.listApiTokens();
    expect(listed.items.map((t) => t.name)).toEqual(['nightly export']);
    expect(JSON.stringify(listed)).not.toContain(api.token);
    await me.auth.revokeToken({ id: api.id });
    expect((await errorOf(() => bot.auth.me())).code).toBe('UNAUTHORIZED');
  });

  it('changes the password, ending the other sessions; a wrong current password changes nothing', async () => {
    const deps = await freshDeps();
    await seedUser(deps, 'frank', ['auditor']);
    const s1 = await anonymousCaller(deps).auth.login({ username: 'frank', password: TEST_PASSWORD });
    const s2 = await anonymousCaller(deps).auth.login({ username: 'frank', password: TEST_PASSWORD });
    const before = await snapshot(deps);
    const wrong = await errorOf(() => anonymousCaller(deps, s1.token).auth.changePassword({ currentPassword: 'nope', newPassword: 'New-Password-456' }));
    expect(wrong.fieldErrors).toEqual({ currentPassword: ['current password is wrong'] });
    expect(await snapshot(deps)).toEqual(before);
    const weak = await errorOf(() => anonymousCaller(deps, s1.token).auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'weak' }));
    expect(Object.keys(weak.fieldErrors!)).toEqual(['newPassword']);
    await anonymousCaller(deps, s1.token).auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'New-Password-456' });
    expect((await anonymousCaller(deps, s1.token).auth.me()).username).toBe('frank');
    expect((await errorOf(() => anonymousCaller(deps, s2.token).auth.me())).code).toBe('UNAUTHORIZED');
    expect((await anonymousCaller(deps).auth.login({ username: 'frank', password: 'New-Password-456' })).token).toBeTruthy();
  });

  it('lets a user with an initial password do nothing but change it', async () => {
    const deps = await freshDeps();
    const gina = await seedUser(deps, 'gina', ['auditor'], null, true);
    const caller = await callerAs(deps, gina.id);
    expect((await caller.auth.me()).mustChangePassword).toBeTrue();
    expect((await errorOf(() => caller.audit.list({ limit: 5 }))).message).toMatch(/change your password/);
    await caller.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'Garden-Path-789' });
    expect((await caller.audit.list({ limit: 5 })).items.length).toBeGreaterThan(0);
  });

  it('never writes a password or token to the log', async () => {
    const deps = await freshDeps();
    await seedUser(deps, 'hank', ['auditor']);
    const { token } = await anonymousCaller(deps).auth.login({ username: 'hank', password: TEST_PASSWORD });
    await errorOf(() => anonymousCaller(deps).auth.login({ username: 'hank', password: 'Wrong-Secret-1' }));
    await anonymousCaller(deps, token).auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'Harbour-Lights-789' });
    expect(deps.logs.text.length).toBeGreaterThan(0);
    for (const secret of [TEST_PASSWORD, 'Wrong-Secret-1', 'Harbour-Lights-789', token]) expect(deps.logs.text).not.toContain(secret);
    const audit = JSON.stringify(await auditTrail(deps));
    for (const secret of [TEST_PASSWORD, 'Wrong-Secret-1', 'Harbour-Lights-789', token]) expect(audit).not.toContain(secret);
  });
});
