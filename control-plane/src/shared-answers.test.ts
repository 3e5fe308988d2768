import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { initTRPC } from '@trpc/server';
import { createContextInner, type AppDeps } from './context.ts';
import { listClouds } from './federation/cloud-views.ts';
import { createHttpServer } from './http.ts';
import { sharedAnswer, sharedAnswerText } from './shared-answers.ts';
import { addSimClouds } from './testing/cloud-fixtures.ts';
import { freshDeps, seedUser, TEST_PASSWORD } from './testing/harness.ts';
import { answerQuery } from './trpc-query-path.ts';

/** Shared answers (shared-answers.ts): one object per state of what is shown, its JSON text written once. */
describe('shared answers', () => {
  const servers: Server[] = [];
  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('are frozen throughout, and their text is written once and is what JSON.stringify writes', () => {
    const value = sharedAnswer({ items: [{ id: 'a', tags: ['x'], at: null }] });
    expect(() => value.items.push({ id: 'b', tags: [], at: null })).toThrowError(TypeError);
    expect(() => value.items[0]!.tags.push('y')).toThrowError(TypeError);
    const stringify = spyOn(JSON, 'stringify').and.callThrough();
    const first = sharedAnswerText(value);
    expect(sharedAnswerText(value)).toBe(first);
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(first).toBe(JSON.stringify(value));
    // Anything not marked is not a shared answer, frozen or not.
    expect(sharedAnswerText(Object.freeze({ n: 1 }))).toBeUndefined();
    expect(sharedAnswerText(null)).toBeUndefined();
    expect(sharedAnswerText('text')).toBeUndefined();
  });

  it('are written by the direct query path as tRPC writes them, serialised once for many calls', async () => {
    const t = initTRPC.create();
    const shared = sharedAnswer({ items: [{ id: '南昌', n: 1, nested: { ok: true } }] });
    const router = t.router({ list: t.procedure.query(() => shared) });
    const deps = await freshDeps();
    const ctx = createContextInner(deps, { requestId: 'r-1' });
    const base = await listen(createServer((req, res) => void answerQuery(router, { path: req.url!.slice(1), input: undefined }, ctx, res)));
    const stringify = spyOn(JSON, 'stringify').and.callThrough();
    const bodies = [];
    for (let i = 0; i < 5; i++) bodies.push(await (await fetch(`${base}/list`)).text());
    expect(stringify.calls.allArgs().filter(([v]) => v === shared).length).toBe(1);
    expect(stringify.calls.allArgs().filter(([v]) => (v as { result?: unknown } | null)?.result !== undefined).length).toBe(0);
    for (const body of bodies) expect(body).toBe(JSON.stringify({ result: { data: shared } }));
  });

  describe('clouds.list (in-process simulated clouds)', () => {
    let deps: AppDeps;
    beforeEach(async () => {
      deps = await freshDeps();
      await addSimClouds(deps, ['nanchang', 'pingxiang', 'xc-kunpeng'], 5);
    });
    afterEach(async () => deps.federation.stop());

    it('answers one object while the snapshot and the circuits stay, and a new one when either moves', async () => {
      const list = (filter = {}) => listClouds(deps.cloudSummaries, deps.federation, filter);
      // PostgreSQL: the change feed of app.ts resumes the snapshot once it listens; the spec has no feed running.
      if (deps.store.kind !== 'pglite') deps.cloudSummaries.resume();
      const first = await list();
      expect(first.items.map((c) => c.id).sort()).toEqual(['nanchang', 'pingxiang', 'xc-kunpeng']);
      expect(await list()).toBe(first);
      expect(sharedAnswerText(first)).toBe(JSON.stringify(first));
      expect(() => first.items.pop()).toThrowError(TypeError);
      // Another filter, another answer; each the same on the next call.
      const general = await list({ kind: 'general' });
      expect(general).not.toBe(first);
      expect(await list({ kind: 'general' })).toBe(general);
      // A circuit moves: a new answer that shows it; back, and the answer is as before.
      const real = deps.federation.circuits.bind(deps.federation);
      const circuits = spyOn(deps.federation, 'circuits').and.callFake((id) => (id === 'pingxiang' ? { ...real(id), inventory: 'open' as const } : real(id)));
      const opened = await list();
      expect(opened).not.toBe(first);
      expect(opened.items.find((c) => c.id === 'pingxiang')!.circuits.inventory).toBe('open');
      circuits.and.callFake(real);
      expect((await list()).items.find((c) => c.id === 'pingxiang')!.circuits.inventory).toBe('closed');
      // What is shown changes (a write; on PGlite the snapshot hears it as the write commits): a new answer showing it.
      await deps.store.query(`UPDATE clouds SET name = '萍乡云（新）' WHERE id = 'pingxiang'`);
      deps.cloudSummaries.invalidate(); // on PostgreSQL the change feed of app.ts does this; the spec has none running
      const renamed = await list();
      expect(renamed).not.toBe(first);
      expect(renamed.items.find((c) => c.id === 'pingxiang')!.name).toBe('萍乡云（新）');
      // No change feed (lost, or not yet listening): nothing is shared, every call reads the database.
      deps.cloudSummaries.suspend();
      expect(await list()).not.toBe(await list());
    });

    it('is answered over HTTP by the direct path exactly as by tRPC’s adapter', async () => {
      await seedUser(deps, 'root', ['admin']);
      const direct = await listen(createHttpServer(deps, { maxBodyBytes: 4096, directQueries: true }));
      const adapter = await listen(createHttpServer(deps, { maxBodyBytes: 4096, directQueries: false }));
      const login = await fetch(`${adapter}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: TEST_PASSWORD }) });
      const token = ((await login.json()) as { result: { data: { token: string } } }).result.data.token;
      const get = async (base: string, query = '') => (await fetch(`${base}/trpc/clouds.list${query}`, { headers: { authorization: `Bearer ${token}` } })).text();
      const input = `?input=${encodeURIComponent(JSON.stringify({ region: '3601' }))}`;
      for (const query of ['', input]) {
        const [a, b, c] = [await get(direct, query), await get(direct, query), await get(adapter, query)];
        expect(a).toBe(b);
        expect(JSON.parse(a)).toEqual(JSON.parse(c));
        expect((JSON.parse(a) as { result: { data: { items: unknown[] } } }).result.data.items.length).toBeGreaterThan(0);
      }
    });
  });
});
