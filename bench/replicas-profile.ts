/**
 * Where the replicas' CPU goes (issue 13): the `replicas` bench's workload through HAProxy with GANYUN_PROFILE_REPLICAS
 * (default "1,3") release-build replicas, each started with `node --cpu-prof`; after GANYUN_BENCH_SECONDS (default
 * 15) of load the replicas stop (SIGTERM) and write their profiles into GANYUN_PROFILE_DIR (default a temp dir),
 * and each profile's shares are printed (bench/support/cpu-profile.ts), with the requests answered, so that the
 * cost of one replica and of several can be compared category by category. GANYUN_PROFILE_CLIENTS (default 32) sets
 * the clients: 11 is what each of three replicas gets, so one replica at 11 tells what a less busy process costs.
 * The user and kernel CPU of the replicas (/proc) is printed beside the profile: the profile samples wall time on
 * the main thread, so a syscall that wakes another process on these 2 cores (writev to HAProxy or PostgreSQL) is
 * charged with the time the replica waited for a core, which the kernel's counters do not count.
 *
 *   node --import tsx bench/replicas-profile.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLbCluster } from '../test/replicas/lb-cluster.ts';
import { startPrivatePostgres } from '../test/replicas/private-postgres.ts';
import { newOutcomes, runLoad, seedWorkload } from '../test/replicas/workload.ts';
import { summariseProfile, type CpuProfile } from './support/cpu-profile.ts';

const SECONDS = Number(process.env['GANYUN_BENCH_SECONDS'] ?? 15);
const COUNTS = (process.env['GANYUN_PROFILE_REPLICAS'] ?? '1,3').split(',').map(Number);
/** Clients of the load (32 as in the replicas bench; 11 is what each of three replicas gets). */
const CLIENTS = Number(process.env['GANYUN_PROFILE_CLIENTS'] ?? 32);
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User and kernel CPU of a process so far, ms (/proc/<pid>/stat fields 14 and 15): the profile sees only the first. */
function userSystemMs(pid: number): [number, number] {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return [Number(fields[11]) * TICK_MS, Number(fields[12]) * TICK_MS];
}
const root = process.env['GANYUN_PROFILE_DIR'] ?? mkdtempSync(join(tmpdir(), 'ganyun-prof-'));
const pg = await startPrivatePostgres();
try {
  for (const n of COUNTS) {
    const dir = join(root, `r${n}`);
    mkdirSync(dir, { recursive: true });
    const cluster = await startLbCluster({
      pgAdminUrl: pg.adminUrl, replicas: n, clients: CLIENTS, roles: ['cloud-operator', 'network-engineer'],
      env: { GANYUN_REPLICA_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${dir}` },
    });
    let requests = 0;
    let cpu = { user: 0, system: 0 };
    try {
      const target = await seedWorkload(cluster.store, `prof${n}`, 10_000_000);
      const outcomes = newOutcomes();
      const pids = cluster.replicas.map((r) => r.child.pid!);
      const before = pids.map(userSystemMs);
      const started = performance.now();
      await runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens.slice(0, CLIENTS), target, seed: 300 + n, until: () => performance.now() - started > SECONDS * 1000, outcomes });
      requests = outcomes.requests;
      pids.map(userSystemMs).forEach(([u, s], i) => {
        cpu = { user: cpu.user + u - before[i]![0], system: cpu.system + s - before[i]![1] };
      });
    } finally {
      await cluster.stop();
    }
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    process.stdout.write(`\n== ${n} replica(s), ${CLIENTS} clients: ${requests} requests; user ${(cpu.user / requests).toFixed(3)} + kernel ${(cpu.system / requests).toFixed(3)} CPU ms/request; profiles in ${dir}\n`);
    for (const f of files) {
      const s = summariseProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile, 15);
      process.stdout.write(`${f}: busy ${Math.round(s.busyMs)} ms (${(s.busyMs / requests * n).toFixed(3)} ms/request if evenly spread)\n`);
      process.stdout.write(`  shares ${JSON.stringify(Object.fromEntries(Object.entries(s.shares).map(([k, v]) => [k, Math.round(v * 1000) / 10])))}\n`);
      for (const t of s.topSelf) process.stdout.write(`  ${(t.share * 100).toFixed(1)}% ${t.frame}\n`);
    }
  }
} finally {
  pg.destroy();
}
