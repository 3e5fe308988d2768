import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp, type ShutdownReport } from '../app.ts';
import { readConfig } from '../config.ts';
import { openPgliteStore } from '../store/pglite-store.ts';
import { openPostgresStore } from '../store/postgres-store.ts';
import type { Store } from '../store/store.ts';
import { freePort } from '../testing/processes.ts';
import { createScratchDatabase, TEST_PG_ADMIN_URL } from '../testing/test-store.ts';

/**
 * Issue 13.1, graceful shutdown, on the whole composed server (startApp, as main.ts runs it on SIGTERM): stop()
 * turns /readyz 503 while the server still accepts (the load balancer's cue), then stops accepting; a request in
 * flight is answered, not cut; a workflow step still running at the end of the configured grace period
 * (GANYUN_SHUTDOWN_GRACE_MS) has its lease handed back (free for another replica at once, an event recorded).
 * The pieces have their own specs (http-drain.test.ts, runner-shutdown.test.ts); this one checks they are
 * wired in this order. On PGlite by default; on PostgreSQL with GANYUN_TEST_PG.
 */
describe('graceful shutdown of the composed server (SIGTERM)', () => {
  let dataDir: string;
  let db: { url: string; drop: () => Promise<void> } | null = null;
  let app: RunningApp | null = null;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ganyun-shutdown-'));
    db = TEST_PG_ADMIN_URL ? await createScratchDatabase(TEST_PG_ADMIN_URL) : null;
  });
  afterEach(async () => {
    await app?.stop({ graceMs: 0, delayMs: 0 }).catch(() => undefined);
    app = null;
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A POST whose body is sent in two parts: between them the request is in flight on the server. */
  function slowPost(port: number, path: string, body: string) {
    const half = Math.floor(body.length / 2);
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res: IncomingMessage) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    req.write(body.slice(0, half));
    req.flushHeaders();
    return { answer, finish: () => req.end(body.slice(half)) };
  }

  const readyz = (port: number) => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, (e: Error) => `refused: ${e.message}`);

  it('says 503 first, then stops accepting, answers the request in flight and hands back the leases of steps still running', async () => {
    const port = await freePort();
    const config = readConfig({
      PORT: String(port), HOST: '127.0.0.1', GANYUN_DATA_DIR: dataDir, LOG_LEVEL: 'silent', GANYUN_EXTRANET_DEMO_VILLAGES: '0',
      GANYUN_HEALTH_INTERVAL_SECONDS: '3600', GANYUN_SYNC_INTERVAL_SECONDS: '3600', GANYUN_ADMIN_PASSWORD: 'Shutdown-Spec-Pass-1',
      GANYUN_SHUTDOWN_DELAY_MS: '1000', GANYUN_SHUTDOWN_GRACE_MS: '4000', GANYUN_WORKFLOW_LEASE_MS: '60000',
      ...(db ? { DATABASE_URL: db.url, GANYUN_SECRET_KEY: 'ab'.repeat(32) } : {}),
    });
    const running = await startApp(config);
    app = running;
    // A step that runs until the runner aborts it (the end of the grace period).
    running.deps.actions.register('hold-until-aborted', {
      run: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ aborted: true }), { once: true })),
    });
    const workflowId = await running.deps.store.transaction((tx) => running.deps.engine.start(tx, {
      kind: 'test', title: 'held through shutdown', input: {}, departmentId: null, createdBy: 'spec', steps: [{ key: 'held', action: 'hold-until-aborted', dependsOn: [], params: {} }],
    }));
    for (let i = 0; ; i++) {
      const [row] = await running.deps.store.query<{ status: string }>('SELECT status FROM workflow_steps WHERE workflow_id = $1', [workflowId]);
      if (row?.status === 'running') break;
      if (i > 400) throw new Error(`the step was never claimed (${row?.status})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await readyz(port)).toBe(200);
    const inFlight = slowPost(port, '/trpc/auth.login', JSON.stringify({ username: 'nobody', password: 'not-the-password' }));

    let report: ShutdownReport | null = null;
    const stopped = running.stop().then((r) => (report = r));
    // 1. Readiness off while the server still accepts connections (they are answered 503, not refused).
    expect(await readyz(port)).toBe(503);
    // 2. Then it stops accepting, while the held step keeps the stop going.
    let seen: number | string = 503;
    while (seen === 503) {
      seen = await readyz(port);
      if (seen === 503) await new Promise((r) => setTimeout(r, 50));
    }
    expect(String(seen)).toMatch(/^refused/);
    expect(report).withContext('the stop was still waiting for the step').toBeNull();
    // 3. The request that was in flight is answered (a refused login: 401), not cut.
    inFlight.finish();
    const answer = await inFlight.answer;
    expect(answer.status).toBe(401);
    // 4. At the end of the grace period the step's lease is handed back; nothing was cut.
    await stopped;
    expect(report!).toEqual({ cutRequests: 0, releasedSteps: 1 });
    app = null;
    const store: Store = db ? await openPostgresStore(db.url, 1) : await openPgliteStore(join(dataDir, 'pglite'));
    try {
      const [step] = await store.query<{ status: string; leaseOwner: string | null; expired: boolean }>(
        'SELECT status, lease_owner AS "leaseOwner", lease_until < now() AS expired FROM workflow_steps WHERE workflow_id = $1', [workflowId]);
      expect(step).toEqual({ status: 'running', leaseOwner: null, expired: true });
      const events = await store.query<{ kind: string }>(`SELECT kind FROM workflow_events WHERE workflow_id = $1 AND kind = 'step.lease-released'`, [workflowId]);
      expect(events.length).toBe(1);
    } finally {
      await store.close();
    }
  }, 180_000);
});
