import { sampleCloud } from '../../testing/test-helpers';
import { CITY_COORDS, healthCounts, isDepartmentHome, mapPoints, panelsFor, quotaPressure, type QuotaNode } from './overview-model';

const node = (id: string, name: string, utilisations: (number | null)[]): QuotaNode =>
  ({
    id,
    level: 'department',
    ref: id,
    name,
    departmentId: id,
    children: 0,
    usage: utilisations.map((u, i) => ({
      cloudId: `c-${i}`,
      resourceClass: i === 0 ? 'vcpu' : 'memoryGiB',
      limit: 100,
      softLimit: null,
      cap: u === null ? null : 100,
      softCap: null,
      reserved: 0,
      committed: 0,
      utilisation: u,
    })),
  }) as QuotaNode;

describe('overview model', () => {
  it('shows each role only the panels whose procedures it may read', () => {
    expect([...panelsFor(['department-user'])].sort()).toEqual(['mine', 'quota', 'workflows']);
    expect([...panelsFor(['auditor'])].sort()).toEqual(['alarms', 'audit', 'clouds', 'extranet']);
    expect(panelsFor(['cloud-operator']).has('drift')).toBeTrue();
    expect(panelsFor(['network-engineer']).has('drift')).toBeFalse();
    expect(isDepartmentHome(['department-admin'])).toBeTrue();
    expect(isDepartmentHome(['department-admin', 'cloud-operator'])).toBeFalse();
  });

  it('counts clouds by health and lists what needs a look, worst first (an open breaker counts)', () => {
    const clouds = [
      sampleCloud({ id: 'a', name: '甲', health: { status: 'up', checkedAt: '2026-03-01T00:00:00.000Z', latencyMs: 1, message: null } }),
      sampleCloud({ id: 'b', name: '乙', health: { status: 'degraded', checkedAt: '2026-03-01T00:00:00.000Z', latencyMs: 1, message: null } }),
      sampleCloud({ id: 'c', name: '丙', health: { status: 'down', checkedAt: '2026-03-01T00:00:00.000Z', latencyMs: null, message: 'timeout' } }),
      sampleCloud({ id: 'd', name: '丁', circuit: 'open' }),
    ];
    const h = healthCounts(clouds);
    expect([h.up, h.degraded, h.down, h.unknown]).toEqual([2, 1, 1, 0]);
    expect(h.attention.map((c) => c.id)).toEqual(['c', 'b', 'd']);
  });

  it('puts each cloud at its city, spreads clouds sharing a city, and leaves off a region outside Jiangxi', () => {
    const points = mapPoints([
      sampleCloud({ id: 'p', region: '3601' }),
      sampleCloud({ id: 'x', region: '3601', kind: 'xinchuang' }),
      sampleCloud({ id: 'g', region: '360702' }),
      sampleCloud({ id: 'far', region: '4401' }),
    ]);
    expect(points.map((p) => p.id).sort()).toEqual(['g', 'p', 'x']);
    const [p, x] = [points.find((q) => q.id === 'p')!, points.find((q) => q.id === 'x')!];
    expect(p.value).not.toEqual(x.value);
    expect(Math.abs(p.value[0] - CITY_COORDS['3601']![0])).toBeLessThan(0.2);
    expect(points.find((q) => q.id === 'g')!.value).toEqual([...CITY_COORDS['3607']!]);
  });

  it('ranks departments by their fullest quota line, in percent, ignoring uncapped lines', () => {
    const ranked = quotaPressure([node('a', '教育厅', [0.4, 0.95]), node('b', '卫健委', [0.5]), node('c', '不限', [null])]);
    expect(ranked).toEqual([
      { nodeId: 'a', name: '教育厅', percent: 95, cloudId: 'c-1', resourceClass: 'memoryGiB' },
      { nodeId: 'b', name: '卫健委', percent: 50, cloudId: 'c-0', resourceClass: 'vcpu' },
    ]);
  });
});
