import { seededRandom } from '../seeded-random.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { demoRepo } from './demo-repo.ts';
import { linksRepo, planesRepo, type Family, type LinkInput, type Plane } from './inventory-repo.ts';
import { unitsRepo, type UnitInput, type UnitLevel } from './units-repo.ts';

/**
 * Synthesised extranet for the demo (`npm start`) and the coverage bench: the real divisions (province,
 * 11 cities, 100 counties, 1,767 townships) as units, villages invented for scale (marked `synthetic`),
 * department sites and township service centres, two planes, PEs per city and aggregation switches per
 * county, and links with realistic gaps: single-homed units, units with none, and dual-homed units whose
 * two links share a carrier, a duct or (in one city) the PE. Deterministic for a seed.
 */
export interface SynthOptions {
  villagesPerTownship: number;
  seed?: number;
}

export const DEMO_PLANES: Plane[] = [
  { id: 'plane-1', name: '平面一（升级骨干）', nameEn: 'Plane 1 (upgraded backbone)', technology: 'mpls-vpn', addressFamilies: ['ipv4', 'ipv6'] },
  { id: 'plane-2', name: '平面二（新建）', nameEn: 'Plane 2 (new build)', technology: 'srv6', addressFamilies: ['ipv4', 'ipv6'] },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏华飞';
const VILLAGE_A = ['东', '西', '南', '北', '上', '下', '新', '老', '大', '小', '长', '石', '黄', '青', '白', '高', '湖', '塘', '桥', '岭', '坪', '溪', '洲', '源'];
const VILLAGE_B = ['山', '坑', '田', '坊', '家', '湾', '村', '岗', '塅', '垄', '港', '口', '埠', '圩', '背', '岭', '陂', '丰', '和', '安'];
const CITY_SITES = ['公安局', '人力资源和社会保障局', '医疗保障局'];
const COUNTY_SITES = ['公安局', '市场监督管理局'];

export async function synthesiseUnits(db: Queryable, opts: SynthOptions): Promise<UnitInput[]> {
  const random = seededRandom(opts.seed ?? 20_260_101);
  const pick = <T>(xs: readonly T[] | string) => xs[Math.floor(random() * xs.length)]! as T;
  const contact = () => ({ contactName: `${pick<string>(SURNAMES)}${pick<string>(GIVEN)}${random() < 0.5 ? pick<string>(GIVEN) : ''}`, contactPhone: `1${3 + Math.floor(random() * 7)}${String(Math.floor(random() * 1e9)).padStart(9, '0')}` });
  const divisions = await demoRepo.divisions(db);
  const units: UnitInput[] = divisions.map((d) => ({ ...d, divisionCode: d.code, ...contact() }));
  for (const d of divisions) {
    if (d.level === 'township') {
      units.push({ code: `S-${d.code}-C`, name: `${d.name}便民服务中心`, level: 'site', parentCode: d.code, siteKind: 'service-centre', ...contact() });
      const used = new Set<string>();
      for (let i = 0; i < opts.villagesPerTownship; i++) {
        let name = '';
        do name = `${pick<string>(VILLAGE_A)}${pick<string>(VILLAGE_B)}${random() < 0.3 ? '新' : ''}村`; while (used.has(name) && used.size < 400);
        used.add(name);
        units.push({ code: `${d.code}${String(200 + i).padStart(3, '0')}`, name, level: 'village', parentCode: d.code, divisionCode: null, synthetic: true, ...contact() });
      }
    }
    const kinds = d.level === 'city' ? CITY_SITES : d.level === 'county' ? COUNTY_SITES : [];
    kinds.forEach((k, i) => units.push({ code: `S-${d.code}-${String(i + 1).padStart(2, '0')}`, name: `${d.name}${k}`, level: 'site', parentCode: d.code, siteKind: 'department-site', ...contact() }));
  }
  return units;
}

/** Share of units per level with links on both planes / on one plane (the rest have none). */
const COVERAGE: Record<UnitLevel, { both: number; one: number; bandwidth: number; v6: number }> = {
  province: { both: 1, one: 0, bandwidth: 40_000, v6: 1 },
  city: { both: 1, one: 0, bandwidth: 10_000, v6: 1 },
  county: { both: 0.96, one: 0.04, bandwidth: 1_000, v6: 0.95 },
  township: { both: 0.72, one: 0.23, bandwidth: 200, v6: 0.7 },
  village: { both: 0.34, one: 0.5, bandwidth: 50, v6: 0.45 },
  site: { both: 0.8, one: 0.2, bandwidth: 100, v6: 0.6 },
};

const VENDORS = [
  { vendor: 'Huawei', pe: 'NE40E-X8A', agg: 'S12700E-8' },
  { vendor: 'H3C', pe: 'CR16010-F', agg: 'S10508X' },
];

/** Writes planes, units, devices, interfaces and links. Returns what it wrote. */
export async function synthesiseExtranet(db: Queryable, opts: SynthOptions) {
  const random = seededRandom((opts.seed ?? 20_260_101) + 1);
  for (const p of DEMO_PLANES) await planesRepo.upsert(db, p);
  const units = await synthesiseUnits(db, opts);
  await unitsRepo.insertMany(db, units);
  const stored = await demoRepo.unitPlaces(db);

  // Devices: a PE per city and plane (Shangrao's plane 2 still rides on its plane-1 PE: a shared PE),
  // an aggregation switch per county and plane.
  const devices: { id: string; name: string; role: string; planeId: string | null; vendor: string; model: string; mgmt: string }[] = [];
  const pe = new Map<string, string>();
  const agg = new Map<string, string>();
  let host = 0;
  const mgmt = () => `10.255.${Math.floor(++host / 250)}.${(host % 250) + 1}`;
  for (const u of stored.filter((s) => s.level === 'city' || s.level === 'county')) {
    for (const [i, plane] of DEMO_PLANES.entries()) {
      const v = VENDORS[(i + Number(u.code.slice(-1))) % 2]!;
      const tag = `P${i + 1}`;
      if (u.level === 'city') {
        if (u.code === '3611' && plane.id === 'plane-2') { pe.set(`${u.code}:${plane.id}`, pe.get(`${u.code}:plane-1`)!); continue; }
        const id = newId();
        const shared = u.code === '3611';
        devices.push({ id, name: shared ? `PE-${u.code}-SHARED` : `PE-${u.code}-${tag}`, role: 'pe', planeId: shared ? null : plane.id, vendor: v.vendor, model: v.pe, mgmt: mgmt() });
        pe.set(`${u.code}:${plane.id}`, id);
      } else {
        const id = newId();
        devices.push({ id, name: `AGG-${u.code}-${tag}`, role: 'aggregation', planeId: plane.id, vendor: v.vendor, model: v.agg, mgmt: mgmt() });
        agg.set(`${u.code}:${plane.id}`, id);
      }
    }
  }
  await demoRepo.insertDevices(db, devices);

  const links: LinkInput[] = [];
  const ifCount = new Map<string, number>();
  const ifRows: { id: string; deviceId: string; name: string; description: string }[] = [];
  const nextIf = (deviceId: string, unitCode: string) => {
    const n = (ifCount.get(deviceId) ?? 0) + 1;
    ifCount.set(deviceId, n);
    const id = newId();
    ifRows.push({ id, deviceId, name: `GE${Math.floor(n / 48)}/0/${n % 48}`, description: unitCode });
    return id;
  };
  for (const u of stored) {
    const c = COVERAGE[u.level];
    const r = random();
    const planes = r < c.both ? DEMO_PLANES : r < c.both + c.one ? [random() < 0.9 ? DEMO_PLANES[0]! : DEMO_PLANES[1]!] : [];
    const city = u.cityCode ?? '3601'; // the province's own links land on Nanchang's PEs
    const shareCarrier = random() < 0.08;
    const shareDuct = random() < 0.05;
    const v6 = random() < c.v6;
    const ductBase = `D-${u.townshipCode ?? u.countyCode ?? city}`;
    for (const plane of planes) {
      const second = plane.id === 'plane-2';
      const peId = pe.get(`${city}:${plane.id}`)!;
      const aggId = u.countyCode ? agg.get(`${u.countyCode}:${plane.id}`) ?? null : null;
      const s = random();
      const families: Family[] = v6 ? ['ipv4', 'ipv6'] : ['ipv4'];
      links.push({
        circuitId: `${second ? 'P2' : 'P1'}-${u.code}`,
        unitCode: u.code, planeId: plane.id, peDeviceId: peId, interfaceId: nextIf(aggId ?? peId, u.code), aggDeviceId: aggId, ceDeviceId: null,
        bandwidthMbps: c.bandwidth, carrier: second && !shareCarrier ? (random() < 0.6 ? '中国联通' : '中国移动') : '中国电信',
        ducts: [second && !shareDuct ? `${ductBase}-B` : `${ductBase}-A`], families,
        state: s < 0.965 ? 'up' : s < 0.99 ? 'down' : 'planned',
      });
    }
  }
  await demoRepo.insertInterfaces(db, ifRows);
  await linksRepo.upsertMany(db, links);
  return { units: units.length, devices: devices.length, links: links.length, peByCity: pe };
}
