/**
 * The overview's figures, computed from what the pages' own procedures answer (no I/O here, so the
 * rules are specified without a browser): which panels a role sees, the federation's health counts,
 * where each cloud sits on the map, and which departments are under quota pressure.
 */
import type { ApiOutputs, CloudSummary, HealthStatus, Role } from '../core/api-types';

export type QuotaNode = ApiOutputs['quotas']['tree']['items'][number];

/** The overview's panels; each names the roles whose procedures it reads. */
export type Panel = 'clouds' | 'alarms' | 'approvals' | 'quota' | 'drift' | 'extranet' | 'workflows' | 'mine' | 'audit';

const PROVINCE_OPERATORS: readonly Role[] = ['admin', 'cloud-operator', 'network-engineer'];
const PANEL_ROLES: Record<Panel, readonly Role[]> = {
  clouds: ['admin', 'cloud-operator', 'network-engineer', 'auditor'],
  alarms: ['admin', 'cloud-operator', 'network-engineer', 'auditor'],
  // Everyone may be named an approver (department admins decide their department's requests).
  approvals: ['admin', 'cloud-operator', 'network-engineer', 'department-admin'],
  quota: ['admin', 'cloud-operator', 'department-admin', 'department-user'],
  drift: ['admin', 'cloud-operator'],
  extranet: ['admin', 'cloud-operator', 'network-engineer', 'auditor'],
  workflows: ['admin', 'cloud-operator', 'network-engineer', 'department-admin', 'department-user'],
  mine: ['department-admin', 'department-user'],
  audit: ['admin', 'auditor'],
};

export function panelsFor(roles: readonly Role[]): Set<Panel> {
  return new Set((Object.keys(PANEL_ROLES) as Panel[]).filter((p) => PANEL_ROLES[p].some((r) => roles.includes(r))));
}

/** True for users whose home is their department's (systems, requests, quota) rather than the province's. */
export function isDepartmentHome(roles: readonly Role[]): boolean {
  return !roles.some((r) => PROVINCE_OPERATORS.includes(r)) && roles.some((r) => r === 'department-admin' || r === 'department-user');
}

export interface HealthCounts {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  /** Clouds that are not up (or whose breaker is not closed), worst first: what needs a look. */
  attention: CloudSummary[];
}

const SEVERITY: Record<string, number> = { down: 0, degraded: 1, unknown: 2, up: 3 };

export function healthCounts(clouds: readonly CloudSummary[]): HealthCounts {
  const counts: HealthCounts = { up: 0, degraded: 0, down: 0, unknown: 0, attention: [] };
  for (const c of clouds) {
    const s = statusOf(c);
    counts[s]++;
    if (s !== 'up' || c.circuit !== 'closed') counts.attention.push(c);
  }
  counts.attention.sort((a, b) => (SEVERITY[statusOf(a)] ?? 9) - (SEVERITY[statusOf(b)] ?? 9) || a.name.localeCompare(b.name, 'zh-CN'));
  return counts;
}

function statusOf(c: CloudSummary): 'up' | 'degraded' | 'down' | 'unknown' {
  const s: HealthStatus = c.health.status;
  return s === 'up' || s === 'degraded' || s === 'down' ? s : 'unknown';
}

/** Seats of Jiangxi's eleven cities (division code → longitude °E, latitude °N), where their clouds are drawn. */
export const CITY_COORDS: Readonly<Record<string, readonly [number, number]>> = {
  '3601': [115.89, 28.68], // 南昌
  '3602': [117.18, 29.27], // 景德镇
  '3603': [113.85, 27.62], // 萍乡
  '3604': [115.99, 29.71], // 九江
  '3605': [114.92, 27.82], // 新余
  '3606': [117.07, 28.26], // 鹰潭
  '3607': [114.93, 25.83], // 赣州
  '3608': [114.99, 27.11], // 吉安
  '3609': [114.42, 27.81], // 宜春
  '3610': [116.36, 27.95], // 抚州
  '3611': [117.94, 28.45], // 上饶
};

export interface MapPoint {
  id: string;
  name: string;
  status: 'up' | 'degraded' | 'down' | 'unknown';
  kind: CloudSummary['kind'];
  value: [number, number];
}

/**
 * One point per cloud at its city's seat. Several clouds in one city are spread on a small circle
 * around it so none hides another; a cloud whose region is not a Jiangxi city is left off the map
 * (it is still in the health counts and the list).
 */
export function mapPoints(clouds: readonly CloudSummary[]): MapPoint[] {
  const byCity = new Map<string, CloudSummary[]>();
  for (const c of clouds) {
    const city = c.region.slice(0, 4);
    if (!CITY_COORDS[city]) continue;
    byCity.set(city, [...(byCity.get(city) ?? []), c]);
  }
  const points: MapPoint[] = [];
  for (const [city, list] of byCity) {
    const [lon, lat] = CITY_COORDS[city]!;
    list.forEach((c, i) => {
      const angle = (2 * Math.PI * i) / list.length;
      const r = list.length > 1 ? 0.12 : 0;
      points.push({
        id: c.id,
        name: c.name,
        status: statusOf(c),
        kind: c.kind,
        value: [round(lon + r * Math.cos(angle)), round(lat + r * Math.sin(angle))],
      });
    });
  }
  return points;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export interface Pressure {
  nodeId: string;
  name: string;
  /** Highest utilisation over the node's clouds and resource classes, in percent. */
  percent: number;
  cloudId: string;
  resourceClass: string;
}

/** Departments (or the caller's own nodes) by their fullest quota line, fullest first. */
export function quotaPressure(nodes: readonly QuotaNode[], top = 8): Pressure[] {
  const out: Pressure[] = [];
  for (const n of nodes) {
    let worst: QuotaNode['usage'][number] | null = null;
    for (const u of n.usage) if (u.utilisation !== null && (!worst || (u.utilisation ?? 0) > (worst.utilisation ?? 0))) worst = u;
    if (worst) out.push({ nodeId: n.id, name: n.name, percent: Math.round((worst.utilisation ?? 0) * 1000) / 10, cloudId: worst.cloudId, resourceClass: worst.resourceClass });
  }
  return out.sort((a, b) => b.percent - a.percent || a.name.localeCompare(b.name, 'zh-CN')).slice(0, top);
}

/** Utilisation at or above this (percent) is shown as pressure. */
export const PRESSURE_WARN = 80;
