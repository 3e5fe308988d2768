import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer, type HttpOptions } from './http.ts';
import { freshDeps, seedUser, snapshot, TEST_PASSWORD } from './testing/harness.ts';
import type { AppDeps } from './context.ts';

/** Transport hardening of issue 19.8, through the HTTP API on loopback: headers, caching, /metrics, passwords. */
describe('HTTP hardening (issue 19.8)', () => {
  let deps: AppDeps;
  let base: string;
  let server: Server | undefined;

  beforeEach(async () => {
    deps = await freshDeps();
    await seedUser(deps, 'root', ['admin']);
  });
  async function stop() {
    const running = server;
    server = undefined;
    if (!running) return;
    running.closeAllConnections();
    await new Promise((r) => running.close(r));
  }
  /** Starts the HTTP surface on the same store (a second start stands for a restart with other options). */
  async function start(opts: Partial<HttpOptions> = {}) {
    await stop();
    const started = createHttpServer(deps, { maxBodyBytes: 4096, ...opts });
    await new Promise<void>((r) => started.listen(0, '127.0.0.1', r));
    server = started;
    base = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  }
  afterEach(stop);

  const post = (path: string, body: unknown, token?: string) => fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const login = async (username = 'root', password = TEST_PASSWORD) =>
    ((await (await post('auth.login', { username, password })).json()) as { result: { data: { token: string } } }).result.data.token;

  it('sends the security headers on every answer and no-store on every API answer, the login that carries a token first', async () => {
    await start();
    const signIn = await post('auth.login', { username: 'root', password: TEST_PASSWORD });
    const answers = [signIn, await fetch(`${base}/trpc/users.list`), await fetch(`${base}/api/catalog`), await fetch(`${base}/readyz`), await fetch(`${base}/nope`)];
    for (const res of answers) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
      // Plain HTTP without a trusted proxy: HSTS would be ignored by browsers and is not sent.
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('sends HSTS only when a trusted proxy reports TLS', async () => {
    await start({ trustProxyHops: 1 });
    const https = await fetch(`${base}/healthz`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    expect((await fetch(`${base}/healthz`, { headers: { 'x-forwarded-proto': 'http' } })).headers.get('strict-transport-security')).toBeNull();
    // Without configured proxies the header is the client's word and is not believed.
    await start();
    expect((await fetch(`${base}/healthz`, { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();
  });

  it('keeps /metrics from relayed requests without a token, and from anyone without the right token once one is set', async () => {
    await start();
    expect((await fetch(`${base}/metrics`)).status).toBe(200); // a scraper on this host, directly
    const relayed = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(relayed.status).toBe(401);
    expect(await relayed.text()).not.toContain('ganyun_');

    const metricsToken = 'scrape-token-0123456789abcdef';
    await start({ metricsToken });
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: metricsToken }] as Record<string, string>[]) {
      const res = await fetch(`${base}/metrics`, { headers });
      expect(res.status).withContext(JSON.stringify(headers)).toBe(401);
      expect(await res.text()).not.toContain('ganyun_');
    }
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('ganyun_api_requests_total');
  });

  it('refuses common passwords and passwords holding the name on create and change, changing nothing', async () => {
    await start();
    const token = await login();
    const before = await snapshot(deps);
    for (const [password, problem] of [['Password1234', /common/], ['Jiangxi@2026', /common/], ['Zhang.San-2026', /user name/], ['安全-张三丰-2026a', /display name/]] as const) {
      const res = await post('users.create', { username: 'zhang.san', displayName: '张三丰', password, departmentId: null, roles: ['auditor'] }, token);
      expect(res.status).withContext(password).toBe(400);
      const body = (await res.json()) as { error: { data: { fieldErrors: Record<string, string[]> } } };
      expect(body.error.data.fieldErrors['password']![0]).withContext(password).toMatch(problem);
    }
    expect(await snapshot(deps)).toEqual(before);

    for (const newPassword of ['Password1234', 'x-ROOT-password-9']) {
      const res = await post('auth.changePassword', { currentPassword: TEST_PASSWORD, newPassword }, token);
      expect(res.status).withContext(newPassword).toBe(400);
    }
    // The old password still signs in: nothing was changed.
    expect(await login()).toMatch(/^gys_/);
  });

  describe('tokens only from the Authorization header; subscriptions by single-use ticket', () => {
    /**
     * Opens a subscription as a browser's EventSource would and reads until it either streams or is refused:
     * tRPC answers 200, says `connected`, and reports a refusal inside the stream. Once connected, an audited
     * call (made with the header token) gives an open stream something to deliver.
     */
    const subscribe = async (params: Record<string, string>, headerToken: string): Promise<string> => {
      const controller = new AbortController();
      const res = await fetch(`${base}/trpc/audit.onAppend?connectionParams=${encodeURIComponent(JSON.stringify(params))}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
      if (res.status !== 200) return `HTTP ${res.status}`;
      const reader = res.body!.getReader();
      let text = '';
      let poked = false;
      try {
        for (;;) {
          text += new TextDecoder().decode((await reader.read()).value);
          const refusal = /event: serialized-error\ndata: (.*)\n/.exec(text);
          if (refusal) return (JSON.parse(refusal[1]!) as { data: { code: string } }).data.code;
          if (text.includes('"procedure"')) return 'streaming';
          if (text.includes('event: connected') && !poked) {
            poked = true;
            void post('departments.create', {}, headerToken); // refused (no input) and audited
          }
        }
      } finally {
        controller.abort();
      }
    };
    const ticketFor = async (token: string) => {
      const res = await post('streams.ticket', {}, token);
      expect(res.status).toBe(200);
      return ((await res.json()) as { result: { data: { ticket: string; expiresInSeconds: number } } }).result.data;
    };

    it('refuses a token sent in the URL, as a query parameter or a connection parameter', async () => {
      await start();
      const token = await login();
      expect((await fetch(`${base}/trpc/users.list?token=${token}`)).status).toBe(401);
      expect((await fetch(`${base}/trpc/users.list?connectionParams=${encodeURIComponent(JSON.stringify({ token }))}`)).status).toBe(401);
      expect(await subscribe({ token }, token)).toBe('UNAUTHORIZED');
      expect((await fetch(`${base}/trpc/users.list`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    });

    it('opens one stream per ticket: a second use, a forged or an expired ticket are refused, as is a ticket without a token', async () => {
      await start();
      const token = await login();
      const { ticket, expiresInSeconds } = await ticketFor(token);
      expect(ticket).toMatch(/^gyt_/);
      expect(expiresInSeconds).toBeLessThanOrEqual(60);
      expect(await subscribe({ ticket }, token)).toBe('streaming');
      expect(await subscribe({ ticket }, token)).toBe('UNAUTHORIZED');
      expect(await subscribe({ ticket: `gyt_${'A'.repeat(43)}` }, token)).toBe('UNAUTHORIZED');
      const stale = await ticketFor(token);
      await deps.store.query("UPDATE subscription_tickets SET expires_at = now() - interval '1 second'");
      expect(await subscribe({ ticket: stale.ticket }, token)).toBe('UNAUTHORIZED');
      expect((await post('streams.ticket', {})).status).toBe(401);
      // A ticket opens streams only: a query does not take it for a token.
      const spare = await ticketFor(token);
      expect((await fetch(`${base}/trpc/users.list?connectionParams=${encodeURIComponent(JSON.stringify({ ticket: spare.ticket }))}`)).status).toBe(401);
      // Only the ticket's hash and the sealed token are stored.
      const rows = await deps.store.query<Record<string, string>>('SELECT * FROM subscription_tickets');
      expect(rows.length).toBe(1);
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).not.toContain(spare.ticket);
    });

    it('a ticket stands for its token: once the token is revoked, its ticket opens nothing', async () => {
      await start();
      const token = await login();
      const { ticket } = await ticketFor(token);
      expect((await post('auth.logout', {}, token)).status).toBe(200);
      expect(await subscribe({ ticket }, token)).toBe('UNAUTHORIZED');
    });
  });
});
