import { ConflictError } from '../errors.ts';
import { computeIndicators, type IndicatorInput } from './indicators.ts';
import { allPassed, runPrechecks, type PrecheckFacts } from './prechecks.ts';
import { rollbackPlan, stepKey, systemSteps } from './run-steps.ts';

const passing = (): PrecheckFacts => ({
  system: { name: '赣服通', drLevel: 5 },
  quota: { held: true, reservationId: 'r-1' },
  target: { cloudName: '信创云（海光）', arch: 'x86_64', image: 'kylin-v10-sp3', offersArch: true, offersImage: true, sameCityDr: true },
  extranet: [1, 2].flatMap((plane) => (['ipv4', 'ipv6'] as const).map((family) => ({ plane: plane as 1 | 2, family, reachable: true }))),
  window: { id: 'W10', slotStart: '2026-03-14 22:00', slotEnd: '2026-03-15 06:00', closedBecause: null },
});

describe('prechecks', () => {
  it('pass with a reason each when every fact is right', () => {
    const v = runPrechecks(passing());
    expect(v.map((x) => x.check)).toEqual(['quota', 'compatibility', 'extranet', 'dr', 'window']);
    expect(allPassed(v)).toBeTrue();
  });

  const cases: { why: string; change: (f: PrecheckFacts) => void; check: string; says: RegExp }[] = [
    { why: 'the quota service refused the hold', change: (f) => (f.quota = { held: false, shortfall: 'province vcpu: 40 more than its limit' }), check: 'quota', says: /target quota short: province vcpu/ },
    { why: 'the target lacks the architecture', change: (f) => (f.target.offersArch = false), check: 'compatibility', says: /does not offer x86_64/ },
    { why: 'the target lacks the image', change: (f) => (f.target.offersImage = false), check: 'compatibility', says: /offers no kylin-v10-sp3 image/ },
    { why: 'plane 2 IPv6 unreachable', change: (f) => (f.extranet[3]!.reachable = false), check: 'extranet', says: /plane 2 ipv6/ },
    { why: 'no data for plane 1 IPv6', change: (f) => f.extranet.splice(1, 1), check: 'extranet', says: /plane 1 ipv6 \(no data\)/ },
    { why: 'DR 5 and no same-city DR at the target', change: (f) => (f.target.sameCityDr = false), check: 'dr', says: /would lose same-city protection/ },
    { why: 'a blackout added since planning', change: (f) => (f.window.closedBecause = '全国两会保障'), check: 'window', says: /no longer open: 全国两会保障/ },
  ];
  for (const c of cases) {
    it(`fail ${c.check}: ${c.why}`, () => {
      const f = passing();
      c.change(f);
      const v = runPrechecks(f);
      expect(v.filter((x) => !x.ok).map((x) => x.check)).toEqual([c.check as never]);
      expect(v.find((x) => !x.ok)!.en).toMatch(c.says);
      expect(allPassed(v)).toBeFalse();
    });
  }
});

describe('run steps and rollback', () => {
  it('adds the same-city protection step for DR level ≥ 4 only', () => {
    expect(systemSteps(3)).not.toContain('protect-target');
    expect(systemSteps(4)).toContain('protect-target');
  });

  it('undoes completed steps last first, skipping those without an undo', () => {
    expect(rollbackPlan(['prepare-target', 'copy', 'freeze-source', 'cut-over', 'verify'])).toEqual(['cut-over', 'freeze-source', 'copy', 'prepare-target']);
  });

  it('refuses a rollback once the source is released', () => {
    expect(() => rollbackPlan(['prepare-target', 'copy', 'freeze-source', 'cut-over', 'verify', 'soak', 'release-source'])).toThrowMatching((e) => e instanceof ConflictError && /source has been released/.test(e.message));
  });

  it('gives each step and its undo a stable idempotency key', () => {
    expect(stepKey('run1', 'sys1', 'copy')).toBe('mig:run1:sys1:copy');
    expect(stepKey('run1', 'sys1', 'copy', true)).toBe('mig:run1:sys1:copy:undo');
  });
});

describe('progress indicators', () => {
  const base = { departmentId: 'd1', departmentName: '省税务局', division: '36', cloudId: null, cloudKind: null, vendor: null } as const;
  const rows: IndicatorInput[] = [
    { ...base, status: 'on-cloud', cloudId: 'jx-province', cloudKind: 'general', vendor: 'intel' },
    { ...base, status: 'on-cloud', cloudId: 'jx-province', cloudKind: 'general', vendor: 'hygon' },
    { ...base, status: 'migrating', cloudId: 'xc-kunpeng', cloudKind: 'xinchuang', vendor: null },
    { ...base, status: 'registered' },
    { ...base, status: 'retired', cloudId: 'jx-province', cloudKind: 'general' },
    { ...base, departmentId: 'd2', departmentName: '南昌市数据局', division: '360102', status: 'on-cloud', cloudId: 'nanchang', cloudKind: 'general', vendor: 'intel' },
  ];

  it('counts shares for the province, each city and each department, leaving retired systems out', () => {
    const out = computeIndicators(rows);
    expect(out[0]).toEqual({ scope: 'province', code: '36', name: '江西省', systems: 5, onCloud: 4, onXinchuang: 2, onCloudShare: 0.8, xinchuangShare: 0.4 });
    expect(out.filter((r) => r.scope === 'city').map((r) => [r.code, r.systems, r.onCloud])).toEqual([['36', 4, 3], ['3601', 1, 1]]);
    expect(out.filter((r) => r.scope === 'department').map((r) => [r.name, r.onXinchuang])).toEqual([['南昌市数据局', 0], ['省税务局', 2]]);
  });
});
