import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { initTRPC } from '@trpc/server';
import { createServer } from 'node:http';
import { createHttpServer } from './http.ts';
import { createContextInner } from './context.ts';
import { answerQuery } from './trpc-query-path.ts';
import { auditTrail, freshDeps, seedUser, TEST_PASSWORD } from './testing/harness.ts';
import type { AppDeps } from './context.ts';

/**
 * The direct query path (trpc-query-path.ts) against tRPC's own adapter: two HTTP servers over the same
 * dependencies, one answering single GET queries directly and one sending everything through the adapter. Every
 * request below goes to both; status, content type and body must be the same, and so must what it leaves behind
 * (the audit records of refusals, the per-procedure metrics).
 */
describe('HTTP: a single GET query answered directly is answered as tRPC answers it', () => {
  let deps: AppDeps;
  const servers: Server[] = [];
  let direct: string;
  let adapter: string;

  const listen = async (directQueries: boolean) => {
    const server = createHttpServer(deps, { maxBodyBytes: 4096, directQueries });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeEach(async () => {
    deps = await freshDeps();
    await seedUser(deps, 'root', ['admin']);
    await seedUser(deps, 'clerk', ['department-user']);
    direct = await listen(true);
    adapter = await listen(false);
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  const login = async (username: string) => {
    const res = await fetch(`${adapter}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
    return ((await res.json()) as { result: { data: { token: string } } }).result.data.token;
  };

  /** The same GET to both servers: what each answered. */
  const both = async (pathAndQuery: string, token?: string) => {
    const answers = [];
    for (const base of [direct, adapter]) {
      const res = await fetch(`${base}/trpc/${pathAndQuery}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      answers.push({ status: res.status, type: res.headers.get('content-type'), vary: res.headers.get('vary'), requestId: res.headers.get('x-request-id'), body: await res.text() });
    }
    return answers as [(typeof answers)[0], (typeof answers)[0]];
  };
  const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;

  it('answers success, refusals, bad input and unknown objects with the same status and body as the adapter', async () => {
    const admin = await login('root');
    const clerk = await login('clerk');
    const cases: [string, string | undefined, number][] = [
      ['auth.me', admin, 200],
      [`divisions.list?${input({ parentCode: '36' })}`, admin, 200],
      ['users.list', undefined, 401], // no token
      ['users.list', 'not-a-token', 401], // a token that names nobody
      ['users.list', clerk, 403], // a role the caller lacks
      [`requests.get?${input({ id: 'nope' })}`, admin, 400], // zod refuses the input
      [`requests.get?${input({ id: randomUUID() })}`, admin, 404], // the domain's NotFound
      [`divisions.list?${input({ parentCode: 'x\u0000' })}`, admin, 400], // a NUL in the input text
    ];
    for (const [call, token, status] of cases) {
      const [a, b] = await both(call, token);
      expect(`${call}: ${a.status}`).toBe(`${call}: ${status}`);
      expect({ call, status: a.status, type: a.type, vary: a.vary, body: JSON.parse(a.body) as unknown }).toEqual({ call, status: b.status, type: b.type, vary: b.vary, body: JSON.parse(b.body) as unknown });
      expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('leaves what the adapter leaves: one audit record per refused call, and the call counted in the metrics', async () => {
    const clerk = await login('clerk');
    const denied = () => auditTrail(deps).then((rows) => rows.filter((r) => r.procedure === 'users.list' && r.outcome === 'denied').length);
    await fetch(`${direct}/trpc/users.list`, { headers: { authorization: `Bearer ${clerk}` } });
    expect(await denied()).toBe(1);
    await fetch(`${adapter}/trpc/users.list`, { headers: { authorization: `Bearer ${clerk}` } });
    expect(await denied()).toBe(2);
    const metrics = await deps.metrics.registry.getSingleMetricAsString('ganyun_api_requests_total');
    expect(metrics).toContain('ganyun_api_requests_total{procedure="users.list",outcome="FORBIDDEN"} 2');
  });

  it('leaves to the adapter what is not a single query: a GET naming a mutation, an unknown path, malformed input, a batch', async () => {
    const admin = await login('root');
    const left: [string, number][] = [
      ['users.create', 405],
      ['nothing.here', 404],
      ['divisions.list?input=%7Bnot-json', 400],
      [`auth.me,divisions.list?batch=1&${input({ 1: { parentCode: '36' } })}`, 200],
    ];
    for (const [call, status] of left) {
      const [a, b] = await both(call, admin);
      expect({ call, status: a.status, body: JSON.parse(a.body) as unknown }).toEqual({ call, status, body: JSON.parse(b.body) as unknown });
    }
  });

  it('answers 500 in tRPC\'s error shape, and logs it, when the answer cannot be written as JSON', async () => {
    const t = initTRPC.create();
    const router = t.router({ big: t.procedure.query(() => ({ n: 10n })), fine: t.procedure.query(() => ({ n: 1 })) });
    const ctx = createContextInner(deps, { requestId: 'r-1' });
    const logged = spyOn(ctx.log, 'error');
    const server = createServer((req, res) => void answerQuery(router, { path: req.url!.slice(1), input: undefined }, ctx, res));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const big = await fetch(`${base}/big`);
    const body = (await big.json()) as { error: { data: { code: string; httpStatus: number } } };
    expect([big.status, body.error.data.code, body.error.data.httpStatus]).toEqual([500, 'INTERNAL_SERVER_ERROR', 500]);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(await (await fetch(`${base}/fine`)).json()).toEqual({ result: { data: { n: 1 } } });
  });
});
