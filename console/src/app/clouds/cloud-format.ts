import type { CircuitState, CloudCapacity, CloudKind, CloudSummary, HealthStatus, ResourceClass } from '../core/api-types';
import type { I18nService } from '../core/i18n/i18n.service';

export const RESOURCE_CLASSES: readonly ResourceClass[] = ['vcpu', 'memoryGiB', 'storageGiB', 'gpu'];

export interface CapacityBar {
  resourceClass: ResourceClass;
  used: number;
  total: number;
  /** 0–100, rounded; 0 when nothing is there to use. */
  percent: number;
}

/** One architecture + vendor of a cloud (x86_64 / arm64 鲲鹏 / …) with a bar per resource class. */
export interface CapacityGroup {
  arch: string;
  vendor: string;
  bars: CapacityBar[];
}

export function percentOf(used: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
}

/** Capacity grouped by arch+vendor, resource classes in a fixed order, groups in the server's order. */
export function capacityGroups(capacity: readonly CloudCapacity[]): CapacityGroup[] {
  const groups = new Map<string, CapacityGroup>();
  for (const c of capacity) {
    const key = `${c.arch}/${c.vendor}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { arch: c.arch, vendor: c.vendor, bars: [] }));
    const bar = group.bars.find((b) => b.resourceClass === c.resourceClass);
    if (bar) {
      bar.used += c.used;
      bar.total += c.total;
      bar.percent = percentOf(bar.used, bar.total);
    } else {
      group.bars.push({ resourceClass: c.resourceClass, used: c.used, total: c.total, percent: percentOf(c.used, c.total) });
    }
  }
  for (const g of groups.values()) {
    g.bars.sort((a, b) => RESOURCE_CLASSES.indexOf(a.resourceClass) - RESOURCE_CLASSES.indexOf(b.resourceClass));
  }
  return [...groups.values()];
}

/** vCPU used and total over every architecture of a cloud. */
export function vcpuTotals(cloud: Pick<CloudSummary, 'capacity'>): { used: number; total: number; percent: number } {
  let used = 0;
  let total = 0;
  for (const c of cloud.capacity) {
    if (c.resourceClass !== 'vcpu') continue;
    used += c.used;
    total += c.total;
  }
  return { used, total, percent: percentOf(used, total) };
}

export function cloudName(cloud: Pick<CloudSummary, 'name' | 'nameEn'>, lang: string): string {
  return lang === 'en' && cloud.nameEn ? cloud.nameEn : cloud.name;
}

/** "x86_64", "arm64 鲲鹏", "x86_64 海光": the vendor only where the dictionary knows it. */
export function archLabel(arch: string, vendor: string, i18n: I18nService): string {
  const key = `cloud.vendor.${vendor}`;
  const name = i18n.t(key);
  if (!vendor || name === '') return arch;
  return name === key ? `${arch} ${vendor}` : `${arch} ${name}`;
}

export const HEALTH_BADGE: Record<HealthStatus, 'success' | 'warning' | 'error' | 'default'> = {
  up: 'success',
  degraded: 'warning',
  down: 'error',
  unknown: 'default',
};

/** The circuit breaker's state as a tag colour, the same on the list and the detail page. */
export const CIRCUIT_COLOR: Record<CircuitState, string> = {
  closed: 'green',
  open: 'red',
  'half-open': 'orange',
};

/** A cloud's kind as a tag colour: xinchuang (domestic stack) clouds stand out. */
export const KIND_COLOR: Record<CloudKind, string> = {
  xinchuang: 'red',
  general: 'blue',
};

/** "12 秒前" / "3 分钟前" / "2 小时前" / "5 天前" relative to `now`. */
export function agoText(at: string | null, now: number, i18n: I18nService): string {
  if (!at) return i18n.t('cloud.never');
  const s = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (s < 60) return i18n.t('cloud.agoSeconds', { n: s });
  if (s < 3600) return i18n.t('cloud.agoMinutes', { n: Math.floor(s / 60) });
  if (s < 86400) return i18n.t('cloud.agoHours', { n: Math.floor(s / 3600) });
  return i18n.t('cloud.agoDays', { n: Math.floor(s / 86400) });
}

/** Capacity numbers as people read them: GiB above 1024 as TiB. */
export function amount(value: number, resourceClass: ResourceClass): string {
  if ((resourceClass === 'storageGiB' || resourceClass === 'memoryGiB') && value >= 1024) {
    return `${+(value / 1024).toFixed(1)}T`;
  }
  return String(+value.toFixed(1));
}
