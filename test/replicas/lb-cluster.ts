import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '@ganyun/providers';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../control-plane/src/auth/roles.ts';
import { hashPassword } from '../../control-plane/src/auth/password.ts';
import { issueToken } from '../../control-plane/src/auth/sessions.ts';
import { newId } from '../../control-plane/src/ids.ts';
import { openPostgresStore } from '../../control-plane/src/store/postgres-store.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { usersRepo } from '../../control-plane/src/auth/users-repo.ts';
import { createScratchDatabase } from '../../control-plane/src/testing/test-store.ts';
import { freePort, REPO_ROOT } from '../support/product.ts';

/**
 * Issue 13.5: three control-plane processes **from the release build** (`npm run build:server`, started with
 * plain `node --conditions=ganyun-release control-plane/dist/main.js`, no TypeScript loader) on one PostgreSQL
 * database, behind a real HAProxy (Debian package `haproxy`; `.ci/run` installs it) on a loopback port.
 *
 * HAProxy: round robin, a health check on /readyz every 500 ms (two failures take a replica out, two
 * successes put it back; 3 s allowed per check), `option redispatch` and `retries 3` with `retry-on conn-failure empty-response`:
 * a request that could not be delivered (a replica just closed its port, or a keep-alive connection it closed
 * while draining) goes to another replica. Every write the specs send carries an idempotency key, so a retry
 * can never do the work twice. Each replica keeps its own port across restarts (the HAProxy config names them).
 *
 * Replicas drain as in production: SIGTERM turns /readyz 503 at once, HAProxy takes the replica out after two
 * checks, and the replica keeps serving for GANYUN_SHUTDOWN_DELAY_MS (3 s here, more than the ~1 s HAProxy
 * needs) before it stops accepting and finishes what is in flight.
 */

/** The release build is compiled once per run if it is missing or older than any server source file. */
let built: Promise<void> | null = null;
export function ensureReleaseBuild(): Promise<void> {
  built ??= (async () => {
    const main = join(REPO_ROOT, 'control-plane/dist/main.js');
    if (existsSync(main)) {
      const builtAt = statSync(main).mtimeMs;
      const newer = ['control-plane/src', 'providers/src', 'policies/src'].some((d) => newestMtime(join(REPO_ROOT, d)) > builtAt);
      if (!newer) return;
    }
    const run = spawnSync('bash', ['scripts/build-server.sh'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 600_000 });
    if (run.status !== 0) throw new Error(`npm run build:server failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  })();
  return built;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export interface Replica {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit (SIGKILL after 30 s so a hung stop fails loudly). Resolves with the exit code. */
  stop(): Promise<number | null>;
  /** kill -9. */
  kill(): Promise<void>;
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, failFast?: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const early = failFast?.();
    if (early) throw new Error(early);
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts one release-build replica on `port` and resolves when its /readyz answers 200. */
export async function startReplica(name: string, port: number, env: Record<string, string>): Promise<Replica> {
  const dataDir = await mkdtemp(join(tmpdir(), `ganyun-${name}-`));
  let out = '';
  // GANYUN_REPLICA_NODE_ARGS: extra node flags for the replicas (`--cpu-prof --cpu-prof-dir=…`, which NODE_OPTIONS refuses).
  const nodeArgs = (env['GANYUN_REPLICA_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--conditions=ganyun-release', 'control-plane/dist/main.js'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GANYUN_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // A hang guard, not a timing check.
  await waitUntil(`${name} ready`, () => fetch(`${url}/readyz`).then((r) => r.ok, () => false), 150_000,
    () => (child.exitCode !== null ? `${name} exited with ${child.exitCode}:\n${out}` : null));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name, port, url, child, output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          out += '\n[test] did not stop within 30 s of SIGTERM; killed\n';
          child.kill('SIGKILL');
        }, 30_000);
        const code = await exited;
        clearTimeout(timer);
        await rm(dataDir, { recursive: true, force: true });
        return code;
      }
      return child.exitCode;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface Haproxy {
  url: string;
  statsUrl: string;
  child: ChildProcess;
  output: () => string;
  /** Server name → HAProxy's view of it ("UP", "DOWN", "UP 1/2", "NOLB", …). */
  states(): Promise<Record<string, string>>;
  /** The backend's totals: requests retried on a replica, redispatched to another, and answered by HAProxy itself with an error. */
  counters(): Promise<{ retried: number; redispatched: number; connectionErrors: number; responseErrors: number }>;
  stop(): Promise<void>;
}

const HAPROXY = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';

/** HAProxy in the foreground (-db) as a child process, config generated into a temp dir. */
export async function startHaproxy(servers: { name: string; port: number }[]): Promise<Haproxy> {
  const dir = await mkdtemp(join(tmpdir(), 'ganyun-haproxy-'));
  const port = await freePort();
  const statsPort = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(cfg, [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  option httplog',
    '  timeout connect 2s',
    '  timeout client 120s',
    '  timeout server 120s',
    '  timeout http-keep-alive 10s',
    '  timeout queue 30s',
    // Undeliverable requests go to another replica: a refused connection, or a keep-alive connection the
    // replica closed as it drained (an empty response). Not 5xx answers: those are the replicas' own.
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response',
    'frontend ganyun',
    `  bind 127.0.0.1:${port}`,
    '  default_backend control_plane',
    'backend control_plane',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    // A check every 500 ms (250 ms while a replica changes state), two to change it; a check may take 3 s on a loaded machine.
    '  timeout check 3s',
    '  default-server inter 500ms fastinter 250ms fall 2 rise 2',
    ...servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`),
    'listen stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n'));
  const check = spawnSync(HAPROXY, ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its config:\n${check.stdout}${check.stderr}`);
  let out = '';
  const child = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const statsUrl = `http://127.0.0.1:${statsPort}/stats`;
  // CSV columns: pxname, svname, qcur, qmax, scur, smax, slim, stot, bin, bout, dreq, dresp, ereq, econ, eresp, wretr, wredis, status, …
  const rows = async () => (await (await fetch(`${statsUrl};csv`)).text()).split('\n').filter((l) => l.startsWith('control_plane,')).map((l) => l.split(','));
  const states = async () => Object.fromEntries((await rows()).filter((c) => c[1] !== 'BACKEND').map((c) => [c[1]!, c[17]!]));
  const counters = async () => {
    const b = (await rows()).find((c) => c[1] === 'BACKEND')!;
    return { connectionErrors: Number(b[13]), responseErrors: Number(b[14]), retried: Number(b[15]), redispatched: Number(b[16]) };
  };
  const hp: Haproxy = {
    url: `http://127.0.0.1:${port}`, statsUrl, child, output: () => out, states, counters,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntil('haproxy stats', () => states().then(() => true, () => false), 30_000, () => (child.exitCode !== null ? `haproxy exited:\n${out}` : null));
  } catch (e) {
    await hp.stop();
    throw e;
  }
  return hp;
}

export interface LbCluster {
  replicas: Replica[];
  haproxy: Haproxy;
  store: Store;
  dbUrl: string;
  env: Record<string, string>;
  tokens: string[];
  /** Waits until HAProxy sees every named replica UP (or DOWN: pass the state). */
  waitForState(name: string, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** Stops replica i (SIGTERM), waits for its exit and for HAProxy to see it DOWN; starts it again on its port; waits until HAProxy sees it UP. */
  restart(i: number): Promise<{ exitCode: number | null }>;
  stop(): Promise<void>;
}

export interface LbClusterOptions {
  pgAdminUrl: string;
  replicas: number;
  clients: number;
  /** The roles of the one user the clients act as (one session token per client). */
  roles: Role[];
  /** A simulated cloud of the default federation (default: the first), with nothing in it. */
  cloudId?: string;
  /** Replace the federation's cloud entry (e.g. a remote sim endpoint). */
  cloudEntry?: (entry: Record<string, unknown>) => Record<string, unknown>;
  env?: Record<string, string>;
  /** Use this database URL instead of a scratch database on pgAdminUrl (the caller owns it). */
  databaseUrl?: string;
}

export async function startLbCluster(opts: LbClusterOptions): Promise<LbCluster> {
  await ensureReleaseBuild();
  const db = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => undefined } : await createScratchDatabase(opts.pgAdminUrl);
  const config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
  const entry = opts.cloudId ? config.clouds.find((c) => c.id === opts.cloudId) : config.clouds[0];
  if (!entry) throw new Error(`no cloud ${opts.cloudId} in the default federation`);
  const fedDir = await mkdtemp(join(tmpdir(), 'ganyun-lb-'));
  const federationFile = join(fedDir, 'federation.json');
  const cloud = { ...entry, sim: { ...entry.sim!, initialResources: 0, replication: [] } };
  await writeFile(federationFile, JSON.stringify({ version: 1, clouds: [opts.cloudEntry ? opts.cloudEntry(cloud) : cloud] }));
  const env = {
    DATABASE_URL: db.url, GANYUN_SECRET_KEY: randomBytes(32).toString('hex'), GANYUN_FEDERATION_CONFIG: federationFile,
    GANYUN_ADMIN_PASSWORD: 'Cluster-Admin-Pass-1', GANYUN_SYNC_INTERVAL_SECONDS: '3600', GANYUN_HEALTH_INTERVAL_SECONDS: '3600',
    GANYUN_EXTRANET_DEMO_VILLAGES: '0', LOG_LEVEL: 'warn', GANYUN_SHUTDOWN_DELAY_MS: '3000', GANYUN_SHUTDOWN_GRACE_MS: '20000',
    ...opts.env,
  };
  const names = Array.from({ length: opts.replicas }, (_, i) => `r${i + 1}`);
  const ports = await Promise.all(names.map(() => freePort()));
  const replicas: Replica[] = [];
  let haproxy: Haproxy | undefined;
  let store: Store | undefined;
  const cleanup = async () => {
    await haproxy?.stop().catch(() => undefined);
    for (const r of replicas) await r.stop().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
    await rm(fedDir, { recursive: true, force: true });
  };
  try {
    replicas.push(await startReplica(names[0]!, ports[0]!, env)); // the first migrates and registers the cloud
    replicas.push(...(await Promise.all(names.slice(1).map((n, i) => startReplica(n, ports[i + 1]!, env)))));
    haproxy = await startHaproxy(names.map((name, i) => ({ name, port: ports[i]! })));
    store = await openPostgresStore(db.url, 4);
    const user = newId();
    await usersRepo.insert(store, {
      id: user, username: 'lb-user', displayName: 'lb-user', departmentId: null, roles: opts.roles,
      passwordHash: await hashPassword('Cluster-User-Pass-1'), mustChangePassword: false,
    });
    const tokens: string[] = [];
    for (let i = 0; i < opts.clients; i++) tokens.push((await issueToken(store, { userId: user, kind: 'session', name: null, ttlMinutes: 120 })).token);
    const hp = haproxy;
    const waitForState = (name: string, state: 'UP' | 'DOWN', timeoutMs = 60_000) =>
      waitUntil(`haproxy to see ${name} ${state}`, async () => (await hp.states().catch(() => ({} as Record<string, string>)))[name] === state, timeoutMs);
    for (const n of names) await waitForState(n, 'UP');
    return {
      replicas, haproxy: hp, store, dbUrl: db.url, env, tokens, waitForState,
      async restart(i) {
        const r = replicas[i]!;
        const exitCode = await r.stop();
        await waitForState(r.name, 'DOWN');
        replicas[i] = await startReplica(r.name, r.port, env);
        await waitForState(r.name, 'UP');
        return { exitCode };
      },
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

export interface Answer {
  status: number;
  body: { result?: { data: Record<string, unknown> }; error?: { message: string; data?: { code?: string; reason?: { code: string } } } };
}

/** One tRPC call over HTTP (a mutation as POST, a query as GET with ?input=), plain JSON as any client sends it. */
export function trpc(baseUrl: string, kind: 'query' | 'mutation', path: string, token: string, input: unknown): Promise<Answer> {
  const body = kind === 'mutation' ? JSON.stringify(input) : '';
  const url = new URL(`/trpc/${path}`, baseUrl);
  if (kind === 'query' && input !== undefined) url.searchParams.set('input', JSON.stringify(input));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
    if (kind === 'mutation') Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: kind === 'mutation' ? 'POST' : 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { error: { message: text.slice(0, 300) } } });
        }
      });
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The sum of one Prometheus counter (all its label sets) as a replica exports it on /metrics (loopback: no token needed). */
export async function metricSum(replicaUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${replicaUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
