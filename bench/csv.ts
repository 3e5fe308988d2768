/**
 * Prefix CSV validation and import at province scale (issue 17.7), on PGlite in memory.
 *
 * The data: Jiangxi's real divisions as access units, and the first plane's address plan over them
 * (`divisionPrefixCsv`): a hierarchy file (province aggregate, city and county containers: 112 rows) imported
 * first, then the measured file of 1,767 township rows (an assigned /26 each, unit code = the township), which
 * validates against the hierarchy in the database.
 *  - validateMs: `checkPrefixes` on the township file (bulk lookups, one overlap statement, one pass in memory);
 *  - baselineValidateMs: the same file through the import as it was before (bench/support/prefix-csv-per-row.ts,
 *    one overlap query per row), with one row of a bad kind appended so that it validates every row and writes
 *    nothing (that row is refused before any query); ratio = baselineValidateMs / validateMs;
 *  - importMs: `ipam.importPrefixes` through the product path (tRPC caller with a session token, zod, one
 *    transaction, one INSERT, one audit record), the rows deleted again between runs.
 * Medians of several runs after a warm-up, with the CPU time of this process per run (`cpuMs`: PGlite runs in
 * this process, so it includes the database's work) and the load average, as the machine is shared.
 *
 *   npm run bench -- csv        (writes bench/results/csv.json)
 */
import { cpus, loadavg } from 'node:os';
import { loadDivisions } from '../control-plane/src/domain/divisions.ts';
import { divisionPrefixCsv, seedPlanesAndDivisionUnits } from '../control-plane/src/testing/ipam-fixtures.ts';
import { ipamRepo } from '../control-plane/src/ipam/ipam-repo.ts';
import { checkPrefixes } from '../control-plane/src/ipam/prefix-csv.ts';
import { callerAs, freshDeps, seedUser } from '../control-plane/src/testing/harness.ts';
import { closeTestStore } from '../control-plane/src/testing/test-store.ts';
import { importPrefixesPerRow } from './support/prefix-csv-per-row.ts';
import { out, writeResult } from './support/results.ts';

const RUNS = Number(process.env['GANYUN_BENCH_CSV_RUNS'] ?? 5);
const BASELINE_RUNS = Number(process.env['GANYUN_BENCH_CSV_BASELINE_RUNS'] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/**
 * Runs `fn` once to warm up (JIT, plans, PGlite's caches), then `runs` times: its own figure if it returns one,
 * else its wall-clock duration; and the CPU time this process spent per run (PGlite runs in this process, so
 * that is the database's work too): on a shared, loaded machine the wall clock mostly measures the queue for a core.
 */
const cpu: Record<string, number[]> = {};
async function timed(name: string, runs: number, fn: () => Promise<number | void>): Promise<number[]> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const own = await fn();
    const used = process.cpuUsage(c);
    times.push(typeof own === 'number' ? own : performance.now() - t);
    (cpu[name] ??= []).push((used.user + used.system) / 1000);
  }
  return times;
}

if (process.env['GANYUN_TEST_PG']) out('note: GANYUN_TEST_PG is set, so this runs on that PostgreSQL server, not PGlite');
const deps = await freshDeps();
try {
  const divisions = await loadDivisions();
  await seedPlanesAndDivisionUnits(deps.store, divisions);
  const eng = await callerAs(deps, (await seedUser(deps, 'bench-neteng', ['network-engineer'])).id);
  await eng.ipam.createVrf({ name: 'EGOV-P1', rd: '65001:1', planeId: 'plane-1' });
  const files = divisionPrefixCsv(divisions);
  out(`hierarchy file: ${await eng.ipam.importPrefixes({ csv: files.hierarchy }).then((r) => r.imported)} rows imported`);
  const vrfs = await ipamRepo.vrfs(deps.store, null);
  const count = async () => (await deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_prefixes WHERE depth = 3'))[0]!.n;

  out(`validating ${files.townshipRows} township rows (new path), ${RUNS} runs`);
  const validate = await timed('validate', RUNS, async () => {
    const r = await checkPrefixes(deps.store, files.townships, vrfs);
    if (r.errors.length || r.rows.length !== files.townshipRows) throw new Error(`unexpected: ${JSON.stringify(r.errors.slice(0, 3))}`);
  });
  out(`  median ${round(median(validate))} ms (CPU ${round(median(cpu['validate']!))} ms)`);

  out(`validating the same rows on the old per-row path (baseline), ${BASELINE_RUNS} runs`);
  const withBadRow = `${files.townships}EGOV-P1,10.255.0.0/24,leaf,active,,,refused before any query\n`;
  const baseline = await timed('baseline', BASELINE_RUNS, async () => {
    const r = await importPrefixesPerRow(deps.store, withBadRow, vrfs);
    if (r.errors.length !== 1 || r.errors[0]!.column !== 'kind') throw new Error(`unexpected: ${JSON.stringify(r.errors.slice(0, 3))}`);
  });
  out(`  median ${round(median(baseline))} ms (CPU ${round(median(cpu['baseline']!))} ms)`);
  if (await count() !== 0) throw new Error('validation wrote rows');

  out(`importing the ${files.townshipRows} rows through ipam.importPrefixes, ${RUNS} runs`);
  const imports = await timed('import', RUNS, async () => {
    await deps.store.query('DELETE FROM ipam_prefixes WHERE depth = 3');
    const t = performance.now();
    const r = await eng.ipam.importPrefixes({ csv: files.townships });
    const ms = performance.now() - t;
    if (r.imported !== files.townshipRows) throw new Error(`imported ${r.imported}`);
    return ms;
  });
  out(`  median ${round(median(imports))} ms`);
  const written = await count();
  if (written !== files.townshipRows) throw new Error(`${written} rows in the database`);

  const result = {
    rows: files.townshipRows,
    validateMs: round(median(validate)),
    importMs: round(median(imports)),
    baselineValidateMs: round(median(baseline)),
    ratio: round(median(baseline) / median(validate)),
    cpuMs: { validate: round(median(cpu['validate']!)), baselineValidate: round(median(cpu['baseline']!)) },
    runs: { validateMs: validate.map(round), importMs: imports.map(round), baselineValidateMs: baseline.map(round) },
    written,
    goal: { validateMs: 1000 },
    data: 'control-plane/data/jiangxi-divisions.csv: 1,767 townships, an assigned /26 each under its county /20 (imported first with the city /15s and the province 10.32.0.0/11)',
    store: process.env['GANYUN_TEST_PG'] ? 'postgresql' : 'pglite (in memory)',
    machine: { cores: cpus().length, loadAverage1m: round(loadavg()[0]!) },
    node: process.version,
    at: new Date().toISOString(),
  };
  writeResult('csv.json', result);
  out(JSON.stringify(result));
} finally {
  await closeTestStore();
}
