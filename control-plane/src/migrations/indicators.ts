/**
 * The province's progress indicators (考核评估): the share of business systems on the cloud and on
 * Xinchuang technology, for the province, each city and each department. Retired systems count in
 * neither numerator nor denominator. A daily snapshot stores these rows; the monthly report exports them.
 */

export interface IndicatorInput {
  departmentId: string;
  departmentName: string;
  /** Administrative division code of the department (36 for provincial departments, 3601… for cities). */
  division: string;
  status: 'registered' | 'onboarding' | 'on-cloud' | 'migrating' | 'retired';
  /** The cloud it runs on (null: not on a cloud), its kind, and the CPU vendor it runs on when known. */
  cloudId: string | null;
  cloudKind: 'general' | 'xinchuang' | null;
  vendor: string | null;
}

export interface IndicatorRow {
  scope: 'province' | 'city' | 'department';
  code: string;
  name: string;
  systems: number;
  onCloud: number;
  onXinchuang: number;
  onCloudShare: number;
  xinchuangShare: number;
}

const XINCHUANG_VENDORS = new Set(['hygon', 'kunpeng', 'phytium', 'loongson']);
export const CITY_NAMES: Record<string, string> = {
  '36': '江西省（省直）', '3601': '南昌市', '3602': '景德镇市', '3603': '萍乡市', '3604': '九江市', '3605': '新余市', '3606': '鹰潭市',
  '3607': '赣州市', '3608': '吉安市', '3609': '宜春市', '3610': '抚州市', '3611': '上饶市',
};

export function computeIndicators(rows: readonly IndicatorInput[]): IndicatorRow[] {
  const live = rows.filter((r) => r.status !== 'retired');
  const onCloud = (r: IndicatorInput) => r.cloudId !== null && (r.status === 'on-cloud' || r.status === 'migrating');
  const onXinchuang = (r: IndicatorInput) => onCloud(r) && (r.cloudKind === 'xinchuang' || (r.vendor !== null && XINCHUANG_VENDORS.has(r.vendor)));
  const row = (scope: IndicatorRow['scope'], code: string, name: string, of: readonly IndicatorInput[]): IndicatorRow => {
    const c = of.filter(onCloud).length;
    const x = of.filter(onXinchuang).length;
    return { scope, code, name, systems: of.length, onCloud: c, onXinchuang: x, onCloudShare: of.length ? c / of.length : 0, xinchuangShare: of.length ? x / of.length : 0 };
  };
  const out = [row('province', '36', '江西省', live)];
  const cityOf = (r: IndicatorInput) => (r.division.length >= 4 ? r.division.slice(0, 4) : '36');
  for (const city of [...new Set(live.map(cityOf))].sort()) out.push(row('city', city, CITY_NAMES[city] ?? city, live.filter((r) => cityOf(r) === city)));
  const departments = new Map<string, string>();
  for (const r of live) departments.set(r.departmentId, r.departmentName);
  for (const [id, name] of [...departments].sort((a, b) => a[1].localeCompare(b[1], 'zh'))) out.push(row('department', id, name, live.filter((r) => r.departmentId === id)));
  return out;
}
