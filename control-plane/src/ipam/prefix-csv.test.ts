import type { AppDeps } from '../context.ts';
import { loadDivisions } from '../domain/divisions.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedUser } from '../testing/harness.ts';
import { testStore } from '../testing/test-store.ts';
import { divisionPrefixCsv, PREFIX_CSV_HEADER, seedPlanesAndDivisionUnits, seedPlanesAndUnits } from '../testing/ipam-fixtures.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

const count = (deps: AppDeps) => deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_prefixes').then((r) => r[0]!.n);

// The process's first spec opens and migrates the shared store: on a busy 2-core machine that alone can take 30 s.
beforeAll(() => testStore(), 180_000);

describe('prefix CSV import and export', () => {
  let deps: AppDeps;
  let eng: Caller;
  beforeEach(async () => {
    deps = await freshDeps();
    await seedPlanesAndUnits(deps.store);
    eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    const p1 = await eng.ipam.createVrf({ name: 'EGOV-P1', rd: '65001:1', planeId: 'plane-1' });
    await eng.ipam.createVrf({ name: 'DEPT-TAX', rd: '65001:77' });
    await eng.ipam.createPrefix({ vrfId: p1.id, cidr: '10.36.0.0/16', kind: 'aggregate' });
  });

  it('imports a file whose rows nest (parents found in the database and in the file) and exports it back', async () => {
    const csv = [
      'vrf,cidr,kind,status,unit_code,plane_id,description',
      'EGOV-P1,10.36.4.0/24,assigned,active,360102001,plane-1,公园街道',
      'EGOV-P1,10.36.0.0/22,container,active,,,南昌',
      'EGOV-P1,2001:db8::/32,aggregate,active,,,',
      'EGOV-P1,2001:db8:1::/48,container,reserved,,plane-1,"with, a comma"',
      'DEPT-TAX,10.36.0.0/16,aggregate,active,,,迁移的部门专网 (overlaps EGOV-P1: another VRF)',
    ].join('\n');
    expect(await eng.ipam.importPrefixes({ csv })).toEqual({ imported: 5 });
    const out = (await eng.ipam.exportPrefixes()).csv.trim().split('\n');
    expect(out[0]).toBe('vrf,cidr,kind,status,unit_code,plane_id,description');
    expect(out.slice(1).sort()).toEqual([
      'DEPT-TAX,10.36.0.0/16,aggregate,active,,,迁移的部门专网 (overlaps EGOV-P1: another VRF)',
      'EGOV-P1,10.36.0.0/16,aggregate,active,,,',
      'EGOV-P1,10.36.0.0/22,container,active,,,南昌',
      'EGOV-P1,10.36.4.0/24,assigned,active,360102001,plane-1,公园街道',
      'EGOV-P1,2001:db8:1::/48,container,reserved,,plane-1,"with, a comma"',
      'EGOV-P1,2001:db8::/32,aggregate,active,,,',
    ].sort());
    const depths = await deps.store.query<{ cidr: string; depth: number }>(`SELECT cidr::text AS cidr, depth FROM ipam_prefixes ORDER BY depth, cidr`);
    expect(depths.find((d) => d.cidr === '10.36.4.0/24')!.depth).toBe(1);
    expect(depths.find((d) => d.cidr === '2001:db8:1::/48')!.depth).toBe(1);
    expect((await auditTrail(deps)).filter((r) => r.procedure === 'ipam.importPrefixes').map((r) => r.outcome)).toEqual(['ok']);
  });

  it('reports every bad row by row number and column, and imports nothing', async () => {
    const csv = [
      'vrf,cidr,kind,status,unit_code,plane_id,description',
      'EGOV-P1,10.36.8.0/24,assigned,active,,,fine on its own',
      'EGOV-P1,10.36.8.1/24,assigned,active,,,host bits',
      'EGOV-P1,2001:DB8::/32,aggregate,active,,,upper case',
      'EGOV-P1,10.36.9.0/24,assigned,active,369999,,unknown unit',
      'EGOV-P1,10.36.8.0/25,assigned,active,,,inside row 2 (assigned)',
      'EGOV-P1,10.36.10.0/24,assigned,active,,,fine',
      'EGOV-P1,10.36.10.0/24,container,active,,,same as row 7',
      'EGOV-P1,10.0.0.0/8,aggregate,active,,,over the existing /16',
      'NOPE,10.1.0.0/16,aggregate,active,,,unknown vrf',
      'EGOV-P1,10.36.11.0/24,leaf,active,,plane-9,bad kind and plane',
    ].join('\n');
    const before = await count(deps);
    const error = await errorOf(() => eng.ipam.importPrefixes({ csv }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('8 rows are wrong; nothing was imported');
    expect([error.reason.code, error.reason.params]).toEqual(['csv.rowsInvalid', { count: 8, rows: '3, 4, 5, 6, 8, 9, 10, 11' }]);
    expect(error.reason.issues).toContain({ path: ['rows', '10', 'vrf'], code: 'input.rule' });
    expect(Object.keys(error.fieldErrors!).sort()).toEqual([
      'rows.10.vrf', 'rows.11.kind', 'rows.11.plane_id', 'rows.3.cidr', 'rows.4.cidr', 'rows.5.unit_code', 'rows.6.cidr', 'rows.8.cidr', 'rows.9.cidr',
    ].sort());
    expect(error.fieldErrors!['rows.4.cidr']![0]).toContain('write 2001:db8::/32');
    expect(error.fieldErrors!['rows.3.cidr']![0]).toContain('the network is 10.36.8.0/24');
    expect(error.fieldErrors!['rows.6.cidr']![0]).toContain('row 2');
    expect(error.fieldErrors!['rows.8.cidr']![0]).toContain('row 7');
    expect(error.fieldErrors!['rows.9.cidr']![0]).toContain('overlaps 10.36.0.0/16');
    expect(await count(deps)).toBe(before);
    expect((await auditTrail(deps)).filter((r) => r.procedure === 'ipam.importPrefixes').map((r) => r.outcome)).toEqual(['error']);
  });

  it('checks rows against the database and the file at once: existing, inside an assigned prefix, nested in the file, the nearer parent', async () => {
    const p1 = (await eng.ipam.vrfs()).items.find((v) => v.name === 'EGOV-P1')!;
    await eng.ipam.createPrefix({ vrfId: p1.id, cidr: '10.36.1.0/24', kind: 'assigned' });
    await eng.ipam.createPrefix({ vrfId: p1.id, cidr: '10.36.64.0/18', kind: 'container' });
    const bad = [
      PREFIX_CSV_HEADER,
      'EGOV-P1,10.36.1.0/24,assigned,active,,,already in the database',
      'EGOV-P1,10.36.1.128/25,assigned,active,,,inside the assigned /24 of the database',
      'EGOV-P1,10.36.64.0/20,container,active,,,fine: under the /18 of the database',
      'EGOV-P1,10.36.64.0/24,assigned,active,,,fine: under row 4 (nearer than the /18)',
      'EGOV-P1,10.36.64.0/24,assigned,active,,,the same as row 5',
      'EGOV-P1,10.36.64.0/26,assigned,active,,,inside row 5 (assigned)',
      'EGOV-P1,2001:db8::/32,aggregate,active,,,fine',
      'EGOV-P1,2001:db8::/32,aggregate,active,,,the same as row 8',
    ].join('\n');
    const before = await count(deps);
    const error = await errorOf(() => eng.ipam.importPrefixes({ csv: bad }));
    expect([error.message, error.reason.code, error.reason.params]).toEqual(['5 rows are wrong; nothing was imported', 'csv.rowsInvalid', { count: 5, rows: '2, 3, 6, 7, 9' }]);
    expect(error.fieldErrors!['rows.2.cidr']![0]).toBe('10.36.1.0/24 already exists in this VRF');
    expect(error.fieldErrors!['rows.3.cidr']![0]).toContain('overlaps 10.36.1.0/24, an assigned prefix');
    expect(error.fieldErrors!['rows.6.cidr']![0]).toBe('10.36.64.0/24 overlaps row 5 (10.36.64.0/24) of this file');
    expect(error.fieldErrors!['rows.7.cidr']![0]).toBe('10.36.64.0/26 overlaps row 5 (10.36.64.0/24), an assigned prefix, in this file');
    expect(error.fieldErrors!['rows.9.cidr']![0]).toBe('2001:db8::/32 overlaps row 8 (2001:db8::/32) of this file');
    expect(await count(deps)).toBe(before);

    // The good rows alone: each under the nearest prefix containing it, in the database or in the file.
    const good = [PREFIX_CSV_HEADER, 'EGOV-P1,10.36.64.0/24,assigned,active,,,', 'EGOV-P1,2001:db8::/32,aggregate,active,,,', 'EGOV-P1,10.36.64.0/20,container,active,,,'].join('\n');
    expect(await eng.ipam.importPrefixes({ csv: good })).toEqual({ imported: 3 });
    const tree = await deps.store.query<{ cidr: string; parent: string | null; depth: number }>(
      `SELECT p.cidr::text AS cidr, q.cidr::text AS parent, p.depth FROM ipam_prefixes p LEFT JOIN ipam_prefixes q ON q.id = p.parent_id ORDER BY p.cidr`);
    expect(tree).toEqual(jasmine.arrayContaining([
      { cidr: '10.36.64.0/20', parent: '10.36.64.0/18', depth: 2 },
      { cidr: '10.36.64.0/24', parent: '10.36.64.0/20', depth: 3 },
      { cidr: '2001:db8::/32', parent: null, depth: 0 },
    ]));
    expect((await auditTrail(deps)).filter((r) => r.procedure === 'ipam.importPrefixes').map((r) => r.outcome)).toEqual(['error', 'ok']);
  });

  it('refuses a file without the expected header, or that is not CSV', async () => {
    for (const csv of ['cidr\n10.36.1.0/24', 'vrf,cidr,kind,status,unit_code,plane_id,description\n"EGOV-P1,10.36.1.0/24']) {
      const error = await errorOf(() => eng.ipam.importPrefixes({ csv }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(Object.keys(error.fieldErrors!)[0]).toMatch(/^rows\.\d+\.file$/);
      // One bad row: a singular sentence, and the row number as a parameter the console puts in its own words.
      expect([error.message, error.reason.code, error.reason.params?.['count']]).toEqual(['1 row is wrong; nothing was imported', 'csv.rowsInvalid', 1]);
      expect(error.reason.params?.['rows']).toMatch(/^\d+$/);
    }
    expect(await count(deps)).toBe(1);
  });

  it('quotes cells a spreadsheet would run as formulas, and reads them back unchanged', async () => {
    const csv = 'vrf,cidr,kind,status,unit_code,plane_id,description\nEGOV-P1,10.36.20.0/24,assigned,active,,,"=HYPERLINK(""x"")"';
    await eng.ipam.importPrefixes({ csv });
    const out = (await eng.ipam.exportPrefixes()).csv;
    expect(out).toContain(`"'=HYPERLINK(""x"")"`);
    // Re-importing the exported file elsewhere gives back the original text, without the guard quote.
    await deps.store.query('DELETE FROM ipam_prefixes WHERE depth > 0');
    await eng.ipam.importPrefixes({ csv: out.split('\n').filter((l) => !l.includes('10.36.0.0/16')).join('\n') });
    const [row] = await deps.store.query<{ description: string }>(`SELECT description FROM ipam_prefixes WHERE cidr = '10.36.20.0/24'`);
    expect(row!.description).toBe('=HYPERLINK("x")');
  });
});

describe('prefix CSV import at province scale (the real divisions)', () => {
  let deps: AppDeps;
  let eng: Caller;
  let files: ReturnType<typeof divisionPrefixCsv>;
  beforeEach(async () => {
    deps = await freshDeps();
    const divisions = await loadDivisions();
    await seedPlanesAndDivisionUnits(deps.store, divisions);
    eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    await eng.ipam.createVrf({ name: 'EGOV-P1', rd: '65001:1', planeId: 'plane-1' });
    files = divisionPrefixCsv(divisions);
    expect(await eng.ipam.importPrefixes({ csv: files.hierarchy })).toEqual({ imported: 112 });
  }, 120_000);

  it('writes every row of the 1,767-township file, each under its county, with one audit record', async () => {
    expect(files.townshipRows).toBe(1767);
    expect(await eng.ipam.importPrefixes({ csv: files.townships })).toEqual({ imported: 1767 });
    const rows = await deps.store.query<{ n: number; underCounty: number; units: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE q.kind = 'container' AND q.unit_code = u.parent_code)::int AS "underCounty", count(DISTINCT p.unit_code)::int AS units
       FROM ipam_prefixes p JOIN ipam_prefixes q ON q.id = p.parent_id JOIN access_units u ON u.code = p.unit_code WHERE p.depth = 3 AND u.level = 'township'`);
    expect(rows).toEqual([{ n: 1767, underCounty: 1767, units: 1767 }]);
    expect(await count(deps)).toBe(112 + 1767);
    const trail = (await auditTrail(deps)).filter((r) => r.procedure === 'ipam.importPrefixes');
    expect(trail.map((r) => [r.outcome, (r.after as { count?: number } | null)?.count])).toEqual([['ok', 112], ['ok', 1767]]);
  }, 120_000);

  it('writes nothing when one row of the large file is wrong, and names that row', async () => {
    const lines = files.townships.trimEnd().split('\n');
    // Row 1,000 of the file (line 1,000, the header being row 1) takes the block of row 999.
    lines[999] = lines[999]!.replace(/^([^,]*),([^,]*),/, `$1,${lines[998]!.split(',')[1]},`);
    const error = await errorOf(() => eng.ipam.importPrefixes({ csv: lines.join('\n') }));
    expect([error.code, error.message, error.reason.params]).toEqual(['BAD_REQUEST', '1 row is wrong; nothing was imported', { count: 1, rows: '1000' }]);
    expect(Object.keys(error.fieldErrors!)).toEqual(['rows.1000.cidr']);
    expect(error.fieldErrors!['rows.1000.cidr']![0]).toContain('overlaps row 999');
    expect(await count(deps)).toBe(112);
  }, 120_000);
});
