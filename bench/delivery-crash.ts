/**
 * kill -9 at seeded random points of provisioning resources and of releasing them (issue 16), over many seeds:
 * test/support/delivery-crash.ts per seed (control planes as child processes on one PostgreSQL, the cloud a sim
 * process; a request of 2 hosts + 1 volume + 1 dual-stack segment, a kill during its provisioning, and when it is
 * provisioned a kill during the release of its resources), each restart checked against the cloud's own state,
 * IPAM and the quota books.
 *
 *  - seeds: how many ran; provisioningKills / releaseKills: kills that landed while the workflow still ran;
 *    provisioned / failed: how the provisioning ended; violations: every broken invariant, with its seed (goal: none).
 *
 *   npm run bench -- delivery-crash   (GANYUN_CRASH_SEEDS=1,2,… or GANYUN_BENCH_CRASH_SEEDS=<count>, default 20;
 *   GANYUN_TEST_PG for the PostgreSQL server; writes bench/results/delivery-crash.json)
 */
import { cpus, loadavg } from 'node:os';
import { deliveryCrashWorld, type SeedOutcome } from '../test/support/delivery-crash.ts';
import { writeResult } from './support/results.ts';

const PG_ADMIN = process.env['GANYUN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const count = Number(process.env['GANYUN_BENCH_CRASH_SEEDS'] ?? 20);
const seeds = process.env['GANYUN_CRASH_SEEDS']?.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n)) ?? Array.from({ length: count }, (_, i) => i + 1);

const started = Date.now();
const world = await deliveryCrashWorld(PG_ADMIN);
const outcomes: SeedOutcome[] = [];
try {
  for (const seed of seeds) {
    const o = await world.runSeed(seed).catch((e: unknown) => ({
      seed, provisioning: { killed: false, afterSteps: -1, delayMs: -1, failCloud: false, status: 'error' }, release: { killed: false, round: -1, delayMs: -1, ran: false },
      violations: [`seed ${seed} did not finish: ${e instanceof Error ? e.message : String(e)}`],
    }));
    outcomes.push(o);
    process.stdout.write(`seed ${seed}: provisioning ${o.provisioning.status}${o.provisioning.killed ? ' (killed)' : ''}, release ${o.release.ran ? (o.release.killed ? 'killed' : 'ran') : 'skipped'}, ${o.violations.length} violations\n`);
  }
} finally {
  await world.stop();
}
const result = {
  benchmark: 'delivery-crash',
  seeds: seeds.length,
  provisioningKills: outcomes.filter((o) => o.provisioning.killed).length,
  releaseKills: outcomes.filter((o) => o.release.killed).length,
  provisioned: outcomes.filter((o) => o.provisioning.status === 'succeeded').length,
  failed: outcomes.filter((o) => o.provisioning.status === 'failed').length,
  violations: outcomes.flatMap((o) => o.violations.map((v) => `seed ${o.seed}: ${v}`)),
  perSeed: outcomes,
  wallMs: Date.now() - started,
  machine: { cpus: cpus().length, load1: Math.round(loadavg()[0]! * 10) / 10 },
};
writeResult('delivery-crash.json', result);
process.stdout.write(`${JSON.stringify({ ...result, perSeed: undefined }, null, 2)}\n`);
