import { InputError } from '../errors.ts';
import { DEFAULT_EFFORT, estimateEffort, transferHours } from './effort.ts';
import { deriveMethod, type TargetFacts } from './method.ts';

const images: TargetFacts['images'] = [
  { id: 'kylin-v10-sp3', arches: ['x86_64', 'arm64', 'loongarch64'], legacy: false },
  { id: 'uos-server-20-1070', arches: ['x86_64', 'arm64', 'loongarch64'], legacy: false },
  { id: 'openeuler-22.03-lts-sp3', arches: ['x86_64', 'arm64'], legacy: false },
  { id: 'centos-7.9', arches: ['x86_64'], legacy: true },
];
const province: TargetFacts = { cloudId: 'jx-province', cloudName: '省政务云', platforms: [{ arch: 'x86_64', vendor: 'intel' }, { arch: 'x86_64', vendor: 'hygon' }, { arch: 'arm64', vendor: 'kunpeng' }], images: [...images, { id: 'centos-8.5', arches: ['x86_64'], legacy: false }] };
const kunpeng: TargetFacts = { cloudId: 'xc-kunpeng', cloudName: '信创云（鲲鹏）', platforms: [{ arch: 'arm64', vendor: 'kunpeng' }], images };
const hygon: TargetFacts = { cloudId: 'xc-hygon', cloudName: '信创云（海光）', platforms: [{ arch: 'x86_64', vendor: 'hygon' }], images };
const loongson: TargetFacts = { cloudId: 'xc-loongson', cloudName: '信创云（龙芯）', platforms: [{ arch: 'loongarch64', vendor: 'loongson' }, { arch: 'arm64', vendor: 'phytium' }], images };

describe('migration method from the facts', () => {
  const cases: { why: string; source: { arch: 'x86_64' | 'arm64'; vendor: 'intel' | 'kunpeng' | 'hygon'; image: string }; target: TargetFacts; xc?: boolean; want?: 'arm64' | 'loongarch64'; method: string; arch: string; image: RegExp }[] = [
    { why: 'Kylin on Intel x86 → Hygon: Hygon is x86_64, the OS is offered', source: { arch: 'x86_64', vendor: 'intel', image: 'kylin-v10-sp3' }, target: hygon, method: 'rehost', arch: 'x86_64', image: /^kylin/ },
    { why: 'CentOS 7 → Hygon: same arch, CentOS 7 is end of life there', source: { arch: 'x86_64', vendor: 'intel', image: 'centos-7.9' }, target: hygon, method: 'replatform', arch: 'x86_64', image: /^kylin/ },
    { why: 'CentOS 8 stays CentOS on the province cloud (offered, not required to be Xinchuang)', source: { arch: 'x86_64', vendor: 'intel', image: 'centos-8.5' }, target: province, method: 'rehost', arch: 'x86_64', image: /^centos/ },
    { why: 'CentOS 8 on the province cloud when Xinchuang is required: Hygon and a domestic OS', source: { arch: 'x86_64', vendor: 'intel', image: 'centos-8.5' }, target: province, xc: true, method: 'replatform', arch: 'x86_64', image: /^kylin/ },
    { why: 'x86_64 → Kunpeng arm64: rebuild', source: { arch: 'x86_64', vendor: 'intel', image: 'kylin-v10-sp3' }, target: kunpeng, method: 'rebuild', arch: 'arm64', image: /^kylin/ },
    { why: 'x86_64 → Loongson loongarch64 when asked for it: rebuild', source: { arch: 'x86_64', vendor: 'intel', image: 'centos-7.9' }, target: loongson, want: 'loongarch64', method: 'rebuild', arch: 'loongarch64', image: /^kylin/ },
    { why: 'arm64 Kunpeng → Phytium arm64: same arch, same OS', source: { arch: 'arm64', vendor: 'kunpeng', image: 'openeuler-22.03-lts-sp3' }, target: loongson, method: 'rehost', arch: 'arm64', image: /^openeuler/ },
  ];
  for (const c of cases) {
    it(`${c.method}: ${c.why}`, () => {
      const d = deriveMethod(c.source, c.target, { xinchuangRequired: c.xc ?? false, ...(c.want ? { wantArch: c.want } : {}) });
      expect(d.method).toBe(c.method as never);
      expect(d.target.arch).toBe(c.arch as never);
      expect(d.target.image).toMatch(c.image);
      expect(d.reasons.length).toBe(2);
      for (const r of d.reasons) expect(r.zh.length && r.en.length).toBeGreaterThan(0);
    });
  }

  it('says why Hygon is not a rebuild', () => {
    const d = deriveMethod({ arch: 'x86_64', vendor: 'intel', image: 'kylin-v10-sp3' }, hygon, { xinchuangRequired: false });
    expect(d.reasons[0]!.en).toContain('Hygon CPUs are x86_64');
    expect(d.reasons[0]!.zh).toContain('海光 CPU 为 x86_64 架构');
  });

  it('refuses a target cloud that lacks the architecture asked for, naming both', () => {
    expect(() => deriveMethod({ arch: 'x86_64', vendor: 'intel', image: 'centos-7.9' }, hygon, { xinchuangRequired: false, wantArch: 'arm64' }))
      .toThrowMatching((e) => e instanceof InputError && /信创云（海光） does not offer arm64 \(it offers x86_64\)/.test(e.message));
  });

  it('refuses a non-Xinchuang target for a system that must run on Xinchuang technology', () => {
    const general: TargetFacts = { cloudId: 'nanchang', cloudName: '南昌市政务云', platforms: [{ arch: 'x86_64', vendor: 'intel' }], images };
    expect(() => deriveMethod({ arch: 'x86_64', vendor: 'intel', image: 'centos-7.9' }, general, { xinchuangRequired: true })).toThrowMatching((e) => /offers no Xinchuang CPU/.test(e.message));
  });
});

describe('effort and transfer estimates', () => {
  it('reads the hours from the method × size table', () => {
    expect(estimateEffort(DEFAULT_EFFORT, 'rehost', { vcpu: 4, dataGiB: 100 })).toEqual({ size: 'S', hours: 4 });
    expect(estimateEffort(DEFAULT_EFFORT, 'replatform', { vcpu: 4, dataGiB: 500 })).toEqual({ size: 'M', hours: 16 });
    expect(estimateEffort(DEFAULT_EFFORT, 'rebuild', { vcpu: 200, dataGiB: 10 })).toEqual({ size: 'XL', hours: 96 });
  });

  it('takes about 2.4 h to copy 1 TiB over 1 Gbit/s', () => {
    expect(transferHours(1024, 1)).toBeCloseTo(2.443, 2);
  });
});
