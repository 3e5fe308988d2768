import { migrationWorld, type MigrationWorld } from '../testing/migration-fixtures.ts';
import { startIndicatorSnapshots, takeIndicatorSnapshot } from '../migrations/indicator-snapshots.ts';
import { auditTrail, errorOf } from '../testing/harness.ts';

/** The province's progress indicators (issue 12.7): shares per city and department, daily snapshots, the CSV. */
describe('migrations API: province progress indicators', () => {
  let w: MigrationWorld;

  beforeEach(async () => {
    w = await migrationWorld();
    // Tax (province, 36): two on the general provincial cloud, one on the Kunpeng Xinchuang cloud, one not on a cloud, one retired.
    await w.system('金税三期', w.tax.id, { cloudId: 'jx-province' });
    await w.system('电子税务局', w.tax.id, { cloudId: 'jx-province' });
    await w.system('发票平台', w.tax.id, { cloudId: 'xc-kunpeng' });
    await w.system('老档案', w.tax.id);
    const retired = await w.system('已下线', w.tax.id, { cloudId: 'jx-province' });
    await w.deps.store.query(`UPDATE business_systems SET status = 'retired' WHERE id = $1`, [retired]);
    // Health (Jiujiang, 3604): one on Hygon, one not on a cloud.
    await w.system('全民健康平台', w.health.id, { cloudId: 'xc-hygon' });
    await w.system('公卫随访', w.health.id);
    await w.deps.store.query(`UPDATE clouds SET kind = 'xinchuang' WHERE id IN ('xc-kunpeng', 'xc-hygon')`);
    await w.deps.store.query(`UPDATE clouds SET kind = 'general' WHERE id = 'jx-province'`);
  }, 120_000);
  afterEach(async () => w.stop(), 60_000);

  const figures = (rows: { scope: string; name: string; systems: number; onCloud: number; onXinchuang: number }[]) => rows.map((r) => `${r.scope} ${r.name} ${r.onCloud}/${r.onXinchuang}/${r.systems}`);

  it('counts systems on the cloud and on Xinchuang for the province, each city and each department; departments see their own', async () => {
    const now = await w.as.auditor.migrations.indicators.current();
    expect(figures(now.items)).toEqual([
      'province 江西省 4/2/6', 'city 江西省（省直） 3/1/4', 'city 九江市 1/1/2', 'department 江西省税务局 3/1/4', 'department 九江市卫健委 1/1/2',
    ]);
    const province = now.items[0]!;
    expect(province.onCloudShare).toBeCloseTo(4 / 6, 6);
    expect(figures((await w.as.taxUser.migrations.indicators.current()).items)).toEqual(['department 江西省税务局 3/1/4']);
    expect(figures((await w.as.operator.migrations.indicators.current({ scope: 'city' })).items)).toEqual(['city 江西省（省直） 3/1/4', 'city 九江市 1/1/2']);
  }, 120_000);

  it('keeps one snapshot per day however often it is taken (the daily job, operators on demand), and shows them over time', async () => {
    const today = (await w.deps.store.query<{ d: string }>(`SELECT to_char(current_date, 'YYYY-MM-DD') AS d`))[0]!.d;
    await takeIndicatorSnapshot(w.deps.store, '2026-11-01');
    await w.system('新系统', w.tax.id, { cloudId: 'xc-kunpeng' });
    const job = startIndicatorSnapshots(w.deps.store, w.deps.log, 60_000);
    await job.tick();
    job.stop();
    const taken = await w.as.operator.migrations.indicators.snapshot();
    expect(taken.day).toBe(today);
    await w.as.operator.migrations.indicators.snapshot();
    const rows = await w.deps.store.query<{ day: string; n: number }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM migration_indicator_snapshots GROUP BY day ORDER BY day`);
    expect(rows).toEqual([{ day: '2026-11-01', n: 5 }, { day: today, n: 5 }]);
    const history = await w.as.auditor.migrations.indicators.history({ from: '2026-10-01', to: today, scope: 'province' });
    expect(history.items.map((r) => `${r.day} ${r.onCloud}/${r.onXinchuang}/${r.systems}`)).toEqual(['2026-11-01 4/2/6', `${today} 5/3/7`]);
    // A department reads its own department's line only.
    const mine = await w.as.taxUser.migrations.indicators.history({ from: '2026-10-01', to: today });
    expect([...new Set(mine.items.map((r) => `${r.scope} ${r.name}`))]).toEqual(['department 江西省税务局']);
    expect((await auditTrail(w.deps)).filter((r) => r.procedure === 'migrations.indicators.snapshot').length).toBe(2);
    expect((await errorOf(() => w.as.taxAdmin.migrations.indicators.snapshot())).code).toBe('FORBIDDEN');
  }, 120_000);

  it('exports a month as CSV for the monthly report, and says when the month has no snapshot', async () => {
    await takeIndicatorSnapshot(w.deps.store, '2026-11-01');
    await takeIndicatorSnapshot(w.deps.store, '2026-11-30');
    await takeIndicatorSnapshot(w.deps.store, '2026-12-01');
    const out = await w.as.auditor.migrations.indicators.exportCsv({ month: '2026-11', scope: 'city' });
    expect(out.filename).toBe('migration-indicators-2026-11.csv');
    const lines = out.csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toContain('上云率 on-cloud %');
    expect(lines.slice(1)).toEqual([
      '2026-11-01,city,36,江西省（省直）,4,3,75.0,1,25.0', '2026-11-01,city,3604,九江市,2,1,50.0,1,50.0',
      '2026-11-30,city,36,江西省（省直）,4,3,75.0,1,25.0', '2026-11-30,city,3604,九江市,2,1,50.0,1,50.0',
    ]);
    const none = await errorOf(() => w.as.auditor.migrations.indicators.exportCsv({ month: '2026-09' }));
    expect([none.code, none.message]).toEqual(['BAD_REQUEST', 'no snapshots in 2026-09']);
    const bad = await errorOf(() => w.as.auditor.migrations.indicators.history({ from: '2026-12-01', to: '2026-11-01' }));
    expect(bad.code).toBe('BAD_REQUEST');
  }, 120_000);
});
