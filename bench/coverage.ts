/**
 * Dual-plane coverage + IPv6 readiness report at province scale: the real divisions plus villages
 * synthesised for scale (≥ 25,000 units), links on both planes with gaps, IPAM allocations for most units,
 * cloud attachments and an inventory reachability sweep — then the coverage + readiness report (by level,
 * by city, province; readiness cells plane × family) timed over repeated runs, and one tree level.
 *
 *   npm run bench -- coverage                (embedded PGlite, in memory; writes bench/results/coverage.json)
 *   GANYUN_BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- coverage   (a scratch database on that server)
 */
import { loadFederationConfig, DEFAULT_FEDERATION_PATH } from '@ganyun/providers';
import { randomBytes } from 'node:crypto';
import { coverageReport, treeChildren } from '../control-plane/src/extranet/coverage.ts';
import { seedExtranetDemo } from '../control-plane/src/extranet/demo.ts';
import { registerFederationClouds } from '../control-plane/src/federation/register-clouds.ts';
import { createLogger } from '../control-plane/src/logger.ts';
import { SealingService } from '../control-plane/src/secrets/sealing.ts';
import { migrate } from '../control-plane/src/store/migrate.ts';
import { openPgliteStore } from '../control-plane/src/store/pglite-store.ts';
import { openPostgresStore } from '../control-plane/src/store/postgres-store.ts';
import { seedDivisions } from '../control-plane/src/store/reference-data.ts';
import type { Store } from '../control-plane/src/store/store.ts';
import { createScratchDatabase } from '../control-plane/src/testing/test-store.ts';
import { out, writeResult } from './support/results.ts';

const VILLAGES_PER_TOWNSHIP = 13;
const RUNS = 30;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

const pgUrl = process.env['GANYUN_BENCH_PG'];
const scratch = pgUrl ? await createScratchDatabase(pgUrl) : null;
const store: Store = scratch ? await openPostgresStore(scratch.url) : await openPgliteStore(undefined);
try {
  await migrate(store);
  await seedDivisions(store);
  const log = createLogger('warn');
  await registerFederationClouds({ store, sealing: new SealingService(randomBytes(32)), log }, await loadFederationConfig(DEFAULT_FEDERATION_PATH));
  const t0 = performance.now();
  const seeded = await seedExtranetDemo(store, { villagesPerTownship: VILLAGES_PER_TOWNSHIP });
  out(`seeded ${JSON.stringify(seeded)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await store.query('ANALYZE');

  const times: number[] = [];
  let report = await coverageReport(store); // warm-up (plans, caches)
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    report = await coverageReport(store);
    times.push(performance.now() - t);
  }
  const reportMs = median(times);
  const treeTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await treeChildren(store, { code: '36', level: 'province' });
    await treeChildren(store, { code: '3607', level: 'city' });
    treeTimes.push((performance.now() - t) / 2);
  }
  const units = report.total.units;
  out(`coverage + readiness report over ${units} units: median ${reportMs.toFixed(1)} ms, worst ${Math.max(...times).toFixed(1)} ms (${RUNS} runs)`);
  out(`  dual-plane ${report.total.dualPlane}, single-homed ${report.total.singleHomed}, none ${report.total.none}, IPv6-ready ${report.total.ipv6Ready}`);
  out(`one tree level (children with subtree roll-ups): median ${median(treeTimes).toFixed(1)} ms`);
  const result = {
    units, reportMs: round(reportMs), reportWorstMs: round(Math.max(...times)), treeLevelMs: round(median(treeTimes)),
    links: seeded?.['links'] ?? null, prefixes: seeded?.['prefixes'] ?? null, dualPlane: report.total.dualPlane, ipv6Ready: report.total.ipv6Ready,
    goals: { units: 25_000, reportMs: 200 }, store: scratch ? 'postgresql' : 'pglite (in memory)', node: process.version, at: new Date().toISOString(),
  };
  writeResult(`coverage${scratch ? '-postgres' : ''}.json`, result);
  out(JSON.stringify(result));
} finally {
  await store.close();
  await scratch?.drop();
}
