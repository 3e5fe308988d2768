/**
 * List cost against table size (issue 15.3 / 18.7): a keyset page of 50 must cost what it costs on a small table.
 * In process, through the tRPC caller (token check, zod, scope, the repository's query), on PGlite, or on a
 * scratch PostgreSQL database when GANYUN_TEST_PG names a server:
 *  - systems.list as the admin, first page and a page deep in the list (its cursor), with 100 systems and
 *    then with 100,000;
 *  - ipam.addresses of one prefix, first and deep page, with 100 addresses and then with 100,000.
 * Each figure is the median of GANYUN_BENCH_CALLS calls (default 200) after 100 warm-up calls. The small tables
 * are measured twice, before the large rows are added and again after they are deleted, and the faster of the
 * two is the baseline (a shared machine's load drifts); the ratio is large / small (1.0: the page costs the same
 * however large the table).
 *
 *   npm run bench -- list-scaling        (writes bench/results/list-scaling.json, or list-scaling-postgres.json)
 */
import { cpus, loadavg } from 'node:os';
import type { AppDeps } from '../control-plane/src/context.ts';
import { callerAs, freshDeps, seedDepartment, seedUser } from '../control-plane/src/testing/harness.ts';
import { closeTestStore, TEST_PG_ADMIN_URL } from '../control-plane/src/testing/test-store.ts';
import { out, writeResult } from './support/results.ts';

const CALLS = Number(process.env['GANYUN_BENCH_CALLS'] ?? 200);
const WARM_UP = 100;
const SMALL = 100;
const LARGE = 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARM_UP; i++) await call();
  const ms: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = process.hrtime.bigint();
    await call();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return Math.round(median(ms) * 1000) / 1000;
}

type Page = { items: unknown[]; nextCursor: string | null };
/** The cursor after `depth` rows (walking pages of 200), to time a page deep in the list. */
async function cursorAt(list: (cursor?: string) => Promise<Page>, depth: number): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let seen = 0; seen < depth;) {
    const page = await list(cursor);
    seen += page.items.length;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return cursor;
}

async function seedSystems(deps: AppDeps, departmentId: string, from: number, to: number) {
  await deps.store.query(
    `INSERT INTO business_systems (id, department_id, name, mlps_level, data_classification, architectures, dr_level, dr_edition, rpo_seconds, rto_seconds)
     SELECT gen_random_uuid(), $1, '业务系统-' || md5(g::text), 2, 'internal', '{x86_64}', 2, '2007', 3600, 14400 FROM generate_series($2::int, $3::int) g`,
    [departmentId, from, to],
  );
}
async function seedAddresses(deps: AppDeps, vrfId: string, prefixId: string, from: number, to: number) {
  await deps.store.query(
    `INSERT INTO ipam_addresses (id, vrf_id, prefix_id, prefix_cidr, address, family)
     SELECT gen_random_uuid(), $1, $2, '10.64.0.0/14'::cidr, '10.64.0.0'::inet + g, 'ipv4' FROM generate_series($3::int, $4::int) g`,
    [vrfId, prefixId, from, to],
  );
}

interface Figure { rows: number; firstPageMs: number; deepPageMs: number }
interface Result { list: string; pageSize: number; small: Figure; large: Figure; smallRuns: Figure[]; firstPageRatio: number; deepPageRatio: number }

const deps = await freshDeps();
const store = TEST_PG_ADMIN_URL ? 'postgres' : 'pglite';
const admin = await callerAs(deps, (await seedUser(deps, 'bench-admin', ['admin'])).id);
const dept = (await seedDepartment(deps, '基准测试局')).id;
const vrfId = (await admin.ipam.createVrf({ name: 'BENCH' })).id;
const prefixId = (await admin.ipam.createPrefix({ vrfId, cidr: '10.64.0.0/14', kind: 'assigned' })).id;

const lists = {
  'systems.list': (cursor?: string, limit = 50) => admin.systems.list({ limit, ...(cursor ? { cursor } : {}) }),
  'ipam.addresses': (cursor?: string, limit = 50) => admin.ipam.addresses({ prefixId, limit, ...(cursor ? { cursor } : {}) }),
};

async function measure(rows: number): Promise<Record<keyof typeof lists, Figure>> {
  await deps.store.query('ANALYZE business_systems');
  await deps.store.query('ANALYZE ipam_addresses');
  const figures = {} as Record<keyof typeof lists, Figure>;
  for (const [name, list] of Object.entries(lists) as [keyof typeof lists, (typeof lists)[keyof typeof lists]][]) {
    // Deep: past half of the small table (80 rows in), or 60,000 rows into the large one.
    const deep = await cursorAt((c) => list(c, 200), rows > SMALL ? 60_000 : 80);
    const firstPageMs = await timed(() => list());
    const deepPageMs = await timed(() => list(deep));
    figures[name] = { rows, firstPageMs, deepPageMs };
    out(`${store} ${name} with ${rows} rows: first page ${firstPageMs} ms, deep page ${deepPageMs} ms`);
  }
  return figures;
}

await seedSystems(deps, dept, 1, SMALL);
await seedAddresses(deps, vrfId, prefixId, 1, SMALL);
const smallBefore = await measure(SMALL);
const largeDept = (await seedDepartment(deps, '基准测试局（大表）')).id;
await seedSystems(deps, largeDept, SMALL + 1, LARGE);
await seedAddresses(deps, vrfId, prefixId, SMALL + 1, LARGE);
const large = await measure(LARGE);
await deps.store.query('DELETE FROM business_systems WHERE department_id = $1', [largeDept]);
await deps.store.query(`DELETE FROM ipam_addresses WHERE prefix_id = $1 AND address > '10.64.0.0'::inet + $2::int`, [prefixId, SMALL]);
await deps.store.query('VACUUM business_systems');
await deps.store.query('VACUUM ipam_addresses');
const smallAfter = await measure(SMALL);
const faster = (a: Figure, b: Figure): Figure => ({ rows: a.rows, firstPageMs: Math.min(a.firstPageMs, b.firstPageMs), deepPageMs: Math.min(a.deepPageMs, b.deepPageMs) });
const small = Object.fromEntries((Object.keys(lists) as (keyof typeof lists)[]).map((k) => [k, faster(smallBefore[k], smallAfter[k])])) as Record<keyof typeof lists, Figure>;

const results: Result[] = (Object.keys(lists) as (keyof typeof lists)[]).map((list) => ({
  list, pageSize: 50, small: small[list], large: large[list], smallRuns: [smallBefore[list], smallAfter[list]],
  firstPageRatio: Math.round((large[list].firstPageMs / small[list].firstPageMs) * 100) / 100,
  deepPageRatio: Math.round((large[list].deepPageMs / small[list].deepPageMs) * 100) / 100,
}));
for (const r of results) out(`${store} ${r.list}: page of 50 out of ${LARGE} costs ${r.firstPageRatio}× (first) and ${r.deepPageRatio}× (deep) a page out of ${SMALL}`);

const file = writeResult(store === 'postgres' ? 'list-scaling-postgres.json' : 'list-scaling.json', {
  bench: 'list-scaling', store, at: new Date().toISOString(), callsPerFigure: CALLS, cpus: cpus().length, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  note: 'median ms per call through the tRPC caller (admin); ratio = 100,000 rows / 100 rows; the machine was shared with other work (load average above)',
  results,
});
out(`wrote ${file}`);
await closeTestStore();
