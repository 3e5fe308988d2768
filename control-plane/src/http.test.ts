import { auditTrail, seedUser, snapshot, TEST_PASSWORD } from './testing/harness.ts';
import { startHttpApp, type HttpApp } from './testing/http-app.ts';

/** The HTTP surface, over real sockets on loopback (the test support's HTTP app, with a 4 KiB body limit). */
describe('HTTP surface', () => {
  let app: HttpApp;
  let base: string;

  beforeEach(async () => {
    app = await startHttpApp({}, { maxBodyBytes: 4096 });
    base = app.base;
    await seedUser(app.deps, 'root', ['admin']);
  });
  afterEach(async () => app.stop());

  const login = async () => {
    const res = await fetch(`${base}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: TEST_PASSWORD }) });
    return ((await res.json()) as { result: { data: { token: string } } }).result.data.token;
  };

  it('serves queries by GET with ?input= and mutations by POST, without a transformer', async () => {
    const token = await login();
    const res = await fetch(`${base}/trpc/divisions.list?input=${encodeURIComponent(JSON.stringify({ parentCode: '36' }))}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { items: { code: string; name: string }[] } } };
    expect(body.result.data.items.length).toBe(11);
    expect(body.result.data.items[0]).toEqual(jasmine.objectContaining({ code: '3601', name: '南昌市' }));
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 without a token and flattens zod issues into fieldErrors', async () => {
    const anonymous = await fetch(`${base}/trpc/users.list`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { data: { reason: unknown } } }).error.data.reason).toEqual({ code: 'auth.required' });
    const token = await login();
    const res = await fetch(`${base}/trpc/departments.create`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: '测试单位', creditCode: '91350100M000100Y44', parentId: null, divisionCode: '36' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: { code: string; fieldErrors: Record<string, string[]>; stack?: string; reason: unknown } } };
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.data.fieldErrors['creditCode']![0]).toMatch(/check character/);
    expect(body.error.data.stack).toBeUndefined();
    // The stable description the console translates, and a sentence instead of zod's JSON (issue 17.4).
    expect(body.error.message).toMatch(/^creditCode: .*check character/);
    expect(body.error.data.reason).toEqual({ code: 'input.invalid', path: ['creditCode'], params: { count: 1 }, issues: [{ path: ['creditCode'], code: 'system.creditCode' }] });
  });

  it('answers a missing right with 403 auth.roleMissing and a too-short field with its bound as a parameter', async () => {
    await seedUser(app.deps, 'viewer', ['auditor']);
    const res = await fetch(`${base}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: TEST_PASSWORD }) });
    const token = ((await res.json()) as { result: { data: { token: string } } }).result.data.token;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const denied = await fetch(`${base}/trpc/departments.create`, { method: 'POST', headers, body: JSON.stringify({ name: '测试单位', creditCode: '91350100M000100Y44', parentId: null, divisionCode: '36' }) });
    const deniedBody = (await denied.json()) as { error: { message: string; data: { reason: { code: string; params: Record<string, unknown> } } } };
    expect([denied.status, deniedBody.error.data.reason.code]).toEqual([403, 'auth.roleMissing']);
    expect(deniedBody.error.data.reason.params['roles']).toEqual(jasmine.any(String));
    const adminHeaders = { ...headers, authorization: `Bearer ${await login()}` };
    const short = await fetch(`${base}/trpc/departments.create`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name: '', creditCode: '91350100M000100Y44', parentId: null, divisionCode: '36' }) });
    const shortBody = (await short.json()) as { error: { message: string; data: { reason: { code: string; issues: unknown[] } } } };
    expect(short.status).toBe(400);
    expect(shortBody.error.message).not.toMatch(/[[{]/);
    expect(shortBody.error.data.reason.issues).toContain(jasmine.objectContaining({ path: ['name'], code: 'input.tooSmall', params: jasmine.objectContaining({ origin: 'string' }) }));
  });

  it('rejects malformed JSON and an oversized body, changing nothing', async () => {
    const token = await login();
    const before = await snapshot(app.deps);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const malformed = await fetch(`${base}/trpc/users.create`, { method: 'POST', headers, body: '{"username": "x",' });
    expect(malformed.status).toBe(400);
    const parsed = (await malformed.json()) as { error: { message: string; data: { code: string } } };
    expect([parsed.error.data.code, parsed.error.message]).toEqual(['BAD_REQUEST', jasmine.stringMatching(/JSON|parse/i)]);
    const big = await fetch(`${base}/trpc/users.create`, { method: 'POST', headers, body: JSON.stringify({ username: 'x'.repeat(10_000) }) });
    expect(big.status).toBe(413);
    expect(await snapshot(app.deps)).toEqual(before);
  });

  it('publishes the catalog with kinds, JSON Schema inputs and roles', async () => {
    const { procedures } = (await (await fetch(`${base}/api/catalog`)).json()) as { procedures: { path: string; kind: string; roles: unknown; input: { properties?: Record<string, unknown> } | null }[] };
    const create = procedures.find((p) => p.path === 'users.create')!;
    expect(create.kind).toBe('mutation');
    expect(create.roles).toEqual(['admin', 'department-admin']);
    expect(Object.keys(create.input!.properties!)).toEqual(['username', 'displayName', 'password', 'departmentId', 'roles']);
    expect(procedures.find((p) => p.path === 'audit.onAppend')!.kind).toBe('subscription');
  });

  it('reports health, readiness and metrics', async () => {
    await login();
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual(jasmine.objectContaining({ status: 'ready', pendingMigrations: 0 }));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('ganyun_api_requests_total{procedure="auth.login",outcome="ok"} 1');
    expect(metrics).toMatch(/ganyun_store_query_duration_seconds_count/);
    expect(metrics).toContain('ganyun_audit_appends_total{outcome="ok"} 1');
  });

  it('streams audit records to a subscriber over SSE, opened with a single-use ticket as a connection parameter', async () => {
    const token = await login();
    const ticketAnswer = await fetch(`${base}/trpc/streams.ticket`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    const { ticket } = ((await ticketAnswer.json()) as { result: { data: { ticket: string } } }).result.data;
    const params = encodeURIComponent(JSON.stringify({ ticket }));
    const controller = new AbortController();
    const res = await fetch(`${base}/trpc/audit.onAppend?connectionParams=${params}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const received = (async () => {
      let text = '';
      while (!text.includes('departments.create')) text += new TextDecoder().decode((await reader.read()).value);
      return text;
    })();
    await new Promise((r) => setTimeout(r, 100));
    await fetch(`${base}/trpc/departments.create`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: '实时单位', creditCode: '91350100M000100Y43', parentId: null, divisionCode: '36' }),
    });
    expect(await received).toContain('"outcome":"ok"');
    controller.abort();
    expect((await auditTrail(app.deps)).map((r) => r.procedure)).toEqual(['auth.login', 'streams.ticket', 'departments.create']);
  });
});
