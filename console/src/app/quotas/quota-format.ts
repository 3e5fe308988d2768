import type { EChartsCoreOption } from 'echarts/core';
import type { QuotaHistory, QuotaUsageLine, ResourceClassName } from './quota-types';

export const CLASS_ORDER: readonly ResourceClassName[] = ['vcpu', 'memoryGiB', 'storageGiB', 'gpu', 'ipv4Addresses', 'ipv6Prefixes64'];

export interface ClassUsage {
  resourceClass: ResourceClassName;
  used: number;
  /** Sum of the caps in force across clouds; null when no cloud caps this class at this level. */
  cap: number | null;
  /** 0–100, or null when uncapped. */
  percent: number | null;
}

/** A node's usage per class, added up across clouds (a tree row shows one bar per class). */
export function byClass(lines: readonly QuotaUsageLine[]): ClassUsage[] {
  const out: ClassUsage[] = [];
  for (const resourceClass of CLASS_ORDER) {
    const mine = lines.filter((l) => l.resourceClass === resourceClass);
    if (!mine.length) continue;
    const used = mine.reduce((s, l) => s + l.reserved + l.committed, 0);
    const capped = mine.filter((l) => l.cap !== null);
    const cap = capped.length ? capped.reduce((s, l) => s + (l.cap ?? 0), 0) : null;
    out.push({ resourceClass, used, cap, percent: percentOf(used, cap) });
  }
  return out;
}

export function percentOf(used: number, cap: number | null): number | null {
  if (cap === null) return null;
  if (cap === 0) return used > 0 ? 100 : 0;
  return Math.min(100, Math.round((used / cap) * 1000) / 10);
}

/** Progress-bar status: red at the cap, orange in the last fifth. */
export function barStatus(percent: number | null): 'exception' | 'normal' | 'active' {
  if (percent === null) return 'normal';
  if (percent >= 100) return 'exception';
  return percent >= 80 ? 'active' : 'normal';
}

/** Bars of used against cap, one pair per class (classes named by `label`). */
export function usageChart(usage: readonly ClassUsage[], label: (c: ResourceClassName) => string, names: { used: string; cap: string }): EChartsCoreOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [names.used, names.cap] },
    grid: { left: 48, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: usage.map((u) => label(u.resourceClass)) },
    yAxis: { type: 'value' },
    series: [
      { name: names.used, type: 'bar', data: usage.map((u) => u.used) },
      { name: names.cap, type: 'bar', data: usage.map((u) => u.cap ?? 0) },
    ],
  };
}

export function historyChart(days: QuotaHistory, name: string): EChartsCoreOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: { type: 'value' },
    series: [{ name, type: 'line', smooth: true, areaStyle: {}, data: days.map((d) => d.used) }],
  };
}
