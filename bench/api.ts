/**
 * The request path (issue 15): how close an authenticated read comes to a bare HTTP server, measured through
 * HTTP with autocannon against the control plane as `npm start` runs it (default federation, health checks
 * and syncs on, demo data) in a child process.
 *
 * For each store (PGlite always; PostgreSQL when DATABASE_URL or GANYUN_TEST_PG names a server, a scratch
 * database is created and dropped): a bare `node:http` server returning fixed JSON first, then `auth.me`,
 * `clouds.list`, `systems.list` (as the admin) and a department user's `requests.list` (a page of 50 of
 * 100,000 requests) at 1 and 64 connections, and at 64 connections again while a full inventory sync of
 * every cloud runs. Then a CPU profile of each read at 64 connections, summarised by cost category.
 *
 *   npm run bench -- api            (writes bench/results/api.json and bench/results/api-profile.md)
 *   GANYUN_BENCH_SECONDS=10 …       (seconds per measurement at 64 connections; default 5)
 *   GANYUN_BENCH_READS=auth.me …    (only these reads, while iterating; the files then hold only them)
 */
import autocannon from 'autocannon';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../control-plane/src/testing/processes.ts';
import { createScratchDatabase } from '../control-plane/src/testing/test-store.ts';
import { summariseProfile, type CpuProfile, type ProfileSummary } from './support/cpu-profile.ts';
import { out, resultsDir, root, writeResult } from './support/results.ts';

const SECONDS = Number(process.env['GANYUN_BENCH_SECONDS'] ?? 5);
const REQUESTS = Number(process.env['GANYUN_BENCH_REQUESTS'] ?? 100_000);
const pgUrl = process.env['DATABASE_URL'] ?? process.env['GANYUN_TEST_PG'];
const profileDir = mkdtempSync(join(tmpdir(), 'ganyun-api-profiles-'));

interface Ready { url: string; store: string; adminToken: string; deptToken: string; cloudId: string; requests: number }
interface Read { procedure: string; connections: number; rps: number; ratio: number; p50Ms: number; p99Ms: number; duringSync: boolean; errors: number }

const ALL_READS = [
  { procedure: 'auth.me', as: 'admin' },
  { procedure: 'clouds.list', as: 'admin' },
  { procedure: 'systems.list', as: 'admin' },
  { procedure: 'requests.list', as: 'dept', input: { limit: 50 } },
] as const;
/** GANYUN_BENCH_READS=auth.me,clouds.list measures only those (while iterating); the default is all four. */
const only = process.env['GANYUN_BENCH_READS']?.split(',').map((s) => s.trim()).filter(Boolean);
const READS = only?.length ? ALL_READS.filter((r) => only.includes(r.procedure)) : ALL_READS;

/** A bare node:http server returning fixed JSON, in its own process like the control plane. */
function startBare(): Promise<{ child: ChildProcess; url: string }> {
  const src = `const body = JSON.stringify({ result: { data: { userId: '0194a5d2-8c1e-7000-8000-000000000000', username: 'admin', roles: ['admin'] } } });
require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(body); })
  .listen(0, '127.0.0.1', function () { console.log('BARE ' + this.address().port); });`;
  const child = spawn(process.execPath, ['-e', src], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /BARE (\d+)/.exec(d.toString());
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; ready: Ready }> {
  const port = await freePort();
  const child = fork(join(root, 'bench/support/api-server.ts'), [], {
    cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', GANYUN_ADMIN_PASSWORD: 'Bench-Admin-Pass-1', GANYUN_BENCH_REQUESTS: String(REQUESTS), ...env },
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /BENCH-READY (\{.*\})\n/.exec(buf);
      if (m) resolve({ child, ready: JSON.parse(m[1]!) as Ready });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(); // already gone (a signal leaves exitCode null)
  return new Promise((resolve) => {
    // A stop that hangs (a sync still running) must not hang the bench: SIGKILL after 10 s.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function load(url: string, connections: number, seconds: number, token?: string) {
  const r = await autocannon({ url, connections, duration: seconds, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { rps: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

function trpcUrl(base: string, procedure: string, input?: unknown): string {
  return `${base}/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
}

async function startFullSyncs(ready: Ready, cloudIds: string[]): Promise<void> {
  for (const id of cloudIds) {
    const res = await fetch(`${ready.url}/trpc/clouds.sync`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.adminToken}` }, body: JSON.stringify({ id, mode: 'full' }),
    });
    if (!res.ok) throw new Error(`clouds.sync ${id}: ${res.status} ${await res.text()}`);
  }
}

function profileOnce(child: ChildProcess, msg: object, expect: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: { profile?: string }) => {
      if (m.profile !== expect) return;
      child.off('message', on);
      resolve();
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function benchStore(kind: 'pglite' | 'postgres') {
  let scratch: { url: string; drop: () => Promise<void> } | undefined;
  // PGlite unless the server is given a database (an empty value counts as unset); replicas' sealing key.
  const env: Record<string, string> = { GANYUN_DATA_DIR: mkdtempSync(join(tmpdir(), 'ganyun-bench-api-')), DATABASE_URL: '' };
  if (kind === 'postgres') {
    scratch = await createScratchDatabase(pgUrl!);
    env['DATABASE_URL'] = scratch.url;
    env['GANYUN_SECRET_KEY'] = randomBytes(32).toString('hex');
  }
  const bare = await startBare();
  out(`\n== ${kind} ==`);
  let server: { child: ChildProcess; ready: Ready } | undefined;
  try {
    await load(bare.url, 64, 1); // warm-up
    const bare64 = await load(bare.url, 64, SECONDS);
    const bare1 = await load(bare.url, 1, Math.max(2, SECONDS / 2));
    await stop(bare.child);
    out(`bare node:http: ${bare64.rps} req/s at 64 connections (p99 ${bare64.p99Ms} ms), ${bare1.rps} req/s at 1 (p50 ${bare1.p50Ms} ms)`);
    out(`starting the control plane on ${kind} and seeding ${REQUESTS} requests…`);
    server = await startServer(env);
    const { ready } = server;
    const tokenOf = (as: 'admin' | 'dept') => (as === 'admin' ? ready.adminToken : ready.deptToken);
    const clouds = (await (await fetch(trpcUrl(ready.url, 'clouds.list'), { headers: { authorization: `Bearer ${ready.adminToken}` } })).json()) as { result: { data: { items: { id: string }[] } } };
    const cloudIds = clouds.result.data.items.map((c) => c.id);
    const reads: Read[] = [];
    const record = (procedure: string, connections: number, duringSync: boolean, m: Awaited<ReturnType<typeof load>>) => {
      const bareRps = connections === 1 ? bare1.rps : bare64.rps;
      const r = { procedure, connections, rps: m.rps, ratio: Math.round((m.rps / bareRps) * 1000) / 1000, p50Ms: m.p50Ms, p99Ms: m.p99Ms, duringSync, errors: m.errors };
      reads.push(r);
      out(`${procedure.padEnd(14)} ${String(connections).padStart(2)} conn${duringSync ? ' during sync' : '            '}: ${String(r.rps).padStart(6)} req/s  ratio ${r.ratio.toFixed(3)}  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms${r.errors ? `  ERRORS ${r.errors}` : ''}`);
    };
    for (const read of READS) {
      const url = trpcUrl(ready.url, read.procedure, 'input' in read ? read.input : undefined);
      const token = tokenOf(read.as);
      await load(url, 64, 1, token); // warm-up (JIT, caches, connection pool)
      record(read.procedure, 64, false, await load(url, 64, SECONDS, token));
      record(read.procedure, 1, false, await load(url, 1, Math.max(2, SECONDS / 2), token));
    }
    for (const read of READS) {
      await startFullSyncs(ready, cloudIds);
      const url = trpcUrl(ready.url, read.procedure, 'input' in read ? read.input : undefined);
      record(read.procedure, 64, true, await load(url, 64, SECONDS, tokenOf(read.as)));
    }
    const profiles: Record<string, ProfileSummary & { file: string }> = {};
    for (const read of READS) {
      const url = trpcUrl(ready.url, read.procedure, 'input' in read ? read.input : undefined);
      const file = join(profileDir, `${kind}-${read.procedure}.cpuprofile`);
      await profileOnce(server.child, { profile: 'start' }, 'started');
      await load(url, 64, Math.max(3, SECONDS / 2), tokenOf(read.as));
      await profileOnce(server.child, { profile: 'stop', file }, 'stopped');
      profiles[read.procedure] = { ...summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile), file };
    }
    return { result: { bare: { rps: bare64.rps, rps1: bare1.rps, p50Ms1: bare1.p50Ms, p99Ms: bare64.p99Ms }, reads, worstP99Ms: Math.max(...reads.map((r) => r.p99Ms)) }, profiles };
  } finally {
    await stop(bare.child);
    if (server) await stop(server.child);
    await scratch?.drop();
  }
}

const results: Record<string, unknown> = {};
const profiles: Record<string, Record<string, ProfileSummary & { file: string }>> = {};
for (const kind of ['pglite', ...(pgUrl ? ['postgres' as const] : [])] as const) {
  const r = await benchStore(kind);
  results[kind] = r.result;
  profiles[kind] = r.profiles;
}
if (!pgUrl) out('\n(PostgreSQL skipped: set DATABASE_URL or GANYUN_TEST_PG to an admin URL such as postgres://postgres@127.0.0.1:5432/postgres)');

const file = { measuredAt: new Date().toISOString(), seconds: SECONDS, requestsInTable: REQUESTS, ...results };
writeResult('api.json', file);

// The profile summaries, for the closing note of issue 15.
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const md: string[] = [`# Where an authenticated read spends its CPU (bench/api.ts, ${file.measuredAt})`, '',
  'V8 CPU profile of the control-plane process while autocannon drives one read at 64 connections; shares of busy time',
  '(see bench/support/cpu-profile.ts for how samples are charged). Raw profiles were written under the temp dir printed by the run.', ''];
for (const [kind, byRead] of Object.entries(profiles)) {
  for (const [procedure, p] of Object.entries(byRead)) {
    md.push(`## ${kind}: ${procedure} (busy ${p.busyMs} ms, idle ${pct(p.idleShare)})`, '');
    md.push(Object.entries(p.shares).map(([c, s]) => `${c} ${pct(s)}`).join(' · '), '');
    md.push('Top self time:', '', ...p.topSelf.map((t) => `- ${pct(t.share)} ${t.frame}`), '');
  }
}
writeFileSync(join(resultsDir, 'api-profile.md'), `${md.join('\n')}\n`);
writeResult('api-profile.json', profiles);
out(`\nwrote bench/results/api.json, api-profile.md and api-profile.json (raw profiles in ${profileDir})`);
process.exit(0);
