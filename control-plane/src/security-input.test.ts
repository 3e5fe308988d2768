import { auditTrail, seedUser, sessionToken, snapshot } from './testing/harness.ts';
import { adminAppForEachSpec } from './testing/http-app.ts';

/** Issue 19.3 and 19.6 through the HTTP API: one canonical encoding, no 5xx with database text for bad input. */
describe('canonical input text (HTTP)', () => {
  const http = adminAppForEachSpec();

  const BAD = ['x\ud800', '\udc00y', 'a\u0000b', '\u0000'];

  it('a lone surrogate or a NUL in every string field of auth.login and users.create: 400, nothing written, the chain still verifies', async () => {
    const before = await snapshot(http.app.deps);
    for (const bad of BAD) {
      for (const input of [{ username: bad, password: 'Correct-Horse-9' }, { username: 'root', password: bad }]) {
        const res = await http.app.call('auth.login', input);
        expect(`${res.status} ${res.body.error?.data?.code}`).toBe('400 BAD_REQUEST');
        expect(res.text).not.toMatch(/UTF8|invalid input syntax|byte sequence/);
      }
      const valid = { username: 'newbie', displayName: '新用户', password: 'Correct-Horse-9!x', departmentId: null, roles: ['auditor'] };
      for (const field of ['username', 'displayName', 'password'] as const) {
        const res = await http.app.call('users.create', { ...valid, [field]: bad }, { token: http.adminToken });
        expect(`${field} ${res.status}`).toBe(`${field} 400`);
        expect(res.text).not.toMatch(/UTF8|invalid input syntax|byte sequence/);
      }
      const keyed = await http.app.call('users.create', { ...valid, [bad]: 1 }, { token: http.adminToken });
      expect(keyed.status).toBe(400);
    }
    expect(await snapshot(http.app.deps)).toEqual(before);
    const verify = await http.app.call('audit.verify', undefined, { token: http.adminToken });
    expect(verify.body.result!.data).toEqual(jasmine.objectContaining({ ok: true }));
    // The refused calls of the signed-in admin are audited (without the bad text); the anonymous ones are only counted.
    const trail = await auditTrail(http.app.deps);
    expect(trail.filter((r) => r.procedure === 'users.create').length).toBe(BAD.length * 4);
    expect(trail.some((r) => r.procedure === 'auth.login')).toBeFalse();
  });

  it('whatever text reaches the audit trail is hashed as stored (server-made text with a lone surrogate)', async () => {
    await http.app.deps.store.transaction((tx) => http.app.deps.audit.append(tx, {
      actorId: null, actor: 'x\ud800', role: null, procedure: 'test.surrogate', target: 'a\u0000b', outcome: 'error',
      before: { 'k\udfff': 'v\ud800' }, after: null, requestId: 'r1', error: 'e\ud800',
    }));
    const verify = await http.app.call('audit.verify', undefined, { token: http.adminToken });
    expect(verify.body.result!.data).toEqual(jasmine.objectContaining({ ok: true }));
  });

  it('a subscription refused while streaming answers with its real code and is audited', async () => {
    const dept = await http.app.deps.store.query<{ id: string }>(`SELECT gen_random_uuid() AS id`);
    const user = await seedUser(http.app.deps, 'dept-user', ['department-user']);
    const token = await sessionToken(http.app.deps, user.id);
    const controller = new AbortController();
    const res = await fetch(`${http.app.base}/trpc/workflows.onProgress?input=${encodeURIComponent(JSON.stringify({ id: dept[0]!.id }))}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      if (/"code":-?\d+/.test(text) || text.includes('serialized-error')) break;
    }
    controller.abort();
    expect(text).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect(text).not.toContain('INTERNAL_SERVER_ERROR');
    const trail = await auditTrail(http.app.deps);
    expect(trail.find((r) => r.procedure === 'workflows.onProgress')).toEqual(jasmine.objectContaining({ outcome: jasmine.stringMatching(/denied|error/) }));
  });
});
