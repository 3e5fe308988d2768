import type { AppDeps } from '../context.ts';
import { loadDivisions } from '../domain/divisions.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedUser } from '../testing/harness.ts';
import { testStore } from '../testing/test-store.ts';
import { buildExtranet, extranetDigest } from '../testing/extranet-fixtures.ts';
import { UNIT_COLUMNS } from './csv-import.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;
const unitsCsv = (rows: string[]) => [UNIT_COLUMNS.join(','), ...rows].join('\n');
const ancestorsOf = (deps: AppDeps, codes: string[]) =>
  deps.store.query<{ code: string; city: string | null; county: string | null; township: string | null }>(
    `SELECT code, city_code AS city, county_code AS county, township_code AS township FROM access_units WHERE code = ANY($1::text[]) ORDER BY code`, [codes]);

// The process's first spec opens and migrates the shared store: on a busy 2-core machine that alone can take 30 s.
beforeAll(() => testStore(), 180_000);

describe('access-unit CSV import (one pass, one statement)', () => {
  let deps: AppDeps;
  let eng: Caller;
  beforeEach(async () => {
    deps = await freshDeps();
    eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    await buildExtranet(deps.store);
  });
  afterEach(() => deps.federation.stop());

  it('writes children listed before their parents, each with the city, county and township of its place in the tree', async () => {
    const r = await eng.extranet.importUnits({ csv: unitsCsv([
      '360203001201,新村,village,360203001,,,',
      'S-360203001-C,服务中心,site,360203001,service-centre,,',
      '360203001,新镇,township,360203,,,',
      '360203,新县,county,3602,,,',
      'S-3602-01,市政务服务中心,site,3602,department-site,,',
      '360102001299,旧村新名,village,360102001,,王五,0791-88888888',
    ]) });
    expect([r.written, r.errors]).toEqual([6, []]);
    expect(await ancestorsOf(deps, ['360203001201', 'S-360203001-C', '360203001', '360203', 'S-3602-01', '360102001299'])).toEqual([
      { code: '360102001299', city: '3601', county: '360102', township: '360102001' },
      { code: '360203', city: '3602', county: '360203', township: null },
      { code: '360203001', city: '3602', county: '360203', township: '360203001' },
      { code: '360203001201', city: '3602', county: '360203', township: '360203001' },
      { code: 'S-3602-01', city: '3602', county: null, township: null },
      { code: 'S-360203001-C', city: '3602', county: '360203', township: '360203001' },
    ]);
    // Re-importing updates names and contacts in place (same level and parent) and counts them as updated.
    const again = await eng.extranet.importUnits({ csv: unitsCsv(['360203,新县（改名）,county,3602,,赵六,', '360203002,又一镇,township,360203,,,']) });
    expect(again.written).toBe(2);
    const trail = (await auditTrail(deps)).filter((t) => t.procedure === 'extranet.importUnits');
    expect(trail.map((t) => t.after)).toEqual([{ rows: 6, created: 6, updated: 0 }, { rows: 2, created: 1, updated: 1 }]);
    expect((await ancestorsOf(deps, ['360203002']))[0]).toEqual({ code: '360203002', city: '3602', county: '360203', township: '360203002' });
  });

  it('imports every real division in one file (children before parents included) the same way the seeding does', async () => {
    const all = await loadDivisions();
    const divisions = all.filter((d) => !['36', '3601', '3602', '360102', '360202', '360102001', '360102002', '360202001'].includes(d.code));
    const rows = divisions.map((d) => `${d.code},${d.name},${d.level},${d.parentCode ?? ''},,,`).reverse();
    const r = await eng.extranet.importUnits({ csv: unitsCsv(rows) });
    expect([r.written, r.errors.length]).toEqual([divisions.length, 0]);
    const wrong = await deps.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_units u JOIN access_units p ON p.code = u.parent_code
       WHERE u.level = 'township' AND (u.township_code IS DISTINCT FROM u.code OR u.county_code IS DISTINCT FROM p.code OR u.city_code IS DISTINCT FROM p.city_code)`);
    expect(wrong).toEqual([{ n: 0 }]);
    const [townships] = await deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM access_units WHERE level = 'township' AND code = ANY($1::text[])`,
      [all.filter((d) => d.level === 'township').map((d) => d.code)]);
    expect(townships!.n).toBe(1767);
  }, 120_000);

  it('reports every bad row at once with its row number, and writes nothing (one bad row among many)', async () => {
    const before = await extranetDigest(deps.store);
    const rows = Array.from({ length: 300 }, (_, i) => `S-360102-${String(i).padStart(3, '0')},站点${i},site,360102,department-site,,`);
    rows[150] = 'S-360102-150,站点150,site,369999,department-site,,';
    const check = await eng.extranet.importUnits({ csv: unitsCsv(rows), dryRun: true });
    expect(check.errors).toEqual([{ row: 152, column: 'parent_code', message: 'unknown unit code 369999' }]);
    const error = await errorOf(() => eng.extranet.importUnits({ csv: unitsCsv(rows) }));
    expect([error.code, error.message]).toEqual(['BAD_REQUEST', '1 problem in the file, nothing imported: row 152, parent_code: unknown unit code 369999']);
    expect([error.reason.code, error.reason.path, error.reason.params]).toEqual(['csv.rowsInvalid', ['csv'], { count: 1, rows: '152' }]);
    const two = await errorOf(() => eng.extranet.importUnits({ csv: unitsCsv(['X-1,a,site,360102,,,call me', 'X-1,b,hamlet,360102,,,']) }));
    expect([two.message.split(':')[0], two.reason.params]).toEqual(['3 problems in the file, nothing imported', { count: 2, rows: '2, 3' }]);
    expect(await extranetDigest(deps.store)).toEqual(before);
  });
});
