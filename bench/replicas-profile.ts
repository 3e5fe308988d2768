/**
 * Where the replicas' CPU goes (issue 13): the `replicas` bench's workload through HAProxy with GANYUN_PROFILE_REPLICAS
 * (default "1,3") release-build replicas, each started with `node --cpu-prof`; after GANYUN_BENCH_SECONDS (default
 * 15) of load the replicas stop (SIGTERM) and write their profiles into GANYUN_PROFILE_DIR (default a temp dir),
 * and each profile's shares are printed (bench/support/cpu-profile.ts), with the requests answered, so that the
 * cost of one replica and of several can be compared category by category.
 *
 *   node --import tsx bench/replicas-profile.ts
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLbCluster } from '../test/replicas/lb-cluster.ts';
import { startPrivatePostgres } from '../test/replicas/private-postgres.ts';
import { newOutcomes, runLoad, seedWorkload } from '../test/replicas/workload.ts';
import { summariseProfile, type CpuProfile } from './support/cpu-profile.ts';

const SECONDS = Number(process.env['GANYUN_BENCH_SECONDS'] ?? 15);
const COUNTS = (process.env['GANYUN_PROFILE_REPLICAS'] ?? '1,3').split(',').map(Number);
const root = process.env['GANYUN_PROFILE_DIR'] ?? mkdtempSync(join(tmpdir(), 'ganyun-prof-'));
const pg = await startPrivatePostgres();
try {
  for (const n of COUNTS) {
    const dir = join(root, `r${n}`);
    mkdirSync(dir, { recursive: true });
    const cluster = await startLbCluster({
      pgAdminUrl: pg.adminUrl, replicas: n, clients: 32, roles: ['cloud-operator', 'network-engineer'],
      env: { GANYUN_REPLICA_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${dir}` },
    });
    let requests = 0;
    try {
      const target = await seedWorkload(cluster.store, `prof${n}`, 10_000_000);
      const outcomes = newOutcomes();
      const started = performance.now();
      await runLoad({ url: cluster.haproxy.url, tokens: cluster.tokens, target, seed: 300 + n, until: () => performance.now() - started > SECONDS * 1000, outcomes });
      requests = outcomes.requests;
    } finally {
      await cluster.stop();
    }
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    process.stdout.write(`\n== ${n} replica(s): ${requests} requests; profiles in ${dir}\n`);
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
