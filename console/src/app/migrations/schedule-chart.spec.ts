import { explanationsOf, gapOf, scheduleOptions, scheduleRows, waveGroups } from './schedule-chart';

const WINDOWS = [{ id: 'W1', weekStart: '2027-01-04' }, { id: 'W2', weekStart: '2027-01-11' }, { id: 'W3', weekStart: '2027-01-18' }];
const CANDIDATES = [
  { id: 'a', systemName: '金税三期', departmentName: '省税务局' },
  { id: 'b', systemName: '电子证照', departmentName: '省政数局' },
  { id: 'c', systemName: '赣服通', departmentName: '省政数局' },
];
const LABELS = { makespan: 'Makespan', lowerBound: 'Lower bound', window: 'Window' };

interface Series { data: (number | { value: number; itemStyle: { color: string } })[]; markLine?: { data: { xAxis: number; name: string }[] } }

describe('schedule chart (Gantt calendar by wave)', () => {
  const rows = scheduleRows({ a: 2, b: 0, c: 0 }, { a: { slot: '周六 22:00' } }, WINDOWS, CANDIDATES);

  it('orders systems by window then name, with the window and its week', () => {
    expect(rows.map((r) => [r.name, r.windowId, r.weekStart])).toEqual([
      ['电子证照', 'W1', '2027-01-04'], ['赣服通', 'W1', '2027-01-04'], ['金税三期', 'W3', '2027-01-18'],
    ]);
    expect(rows[2]!.slot).toBe('周六 22:00');
    expect(waveGroups(rows).map((g) => [g.windowId, g.systems.length])).toEqual([['W1', 2], ['W3', 1]]);
  });

  it('draws each system one window long from its window, first wave on top, with the lower bound and the makespan marked', () => {
    const options = scheduleOptions(rows, WINDOWS, { makespan: 3, lowerBound: 2 }, LABELS) as { yAxis: { data: string[] }; xAxis: { max: number; axisLabel: { formatter: (v: number) => string } }; series: Series[]; dataZoom: unknown[] };
    expect(options.yAxis.data).toEqual(['W3 · 金税三期', 'W1 · 赣服通', 'W1 · 电子证照']);
    expect(options.series[0]!.data).toEqual([2, 0, 0]);
    expect(options.series[1]!.data.map((d) => (typeof d === 'number' ? d : d.value))).toEqual([1, 1, 1]);
    expect(options.series[1]!.markLine!.data.map((m) => [m.name, m.xAxis])).toEqual([['Lower bound', 2], ['Makespan', 3]]);
    expect(options.xAxis.max).toBe(3);
    expect(options.xAxis.axisLabel.formatter(1)).toBe('01-11');
    expect(options.dataZoom).toEqual([]);
  });

  it('marks only the lower bound without a schedule, and computes the gap as the server does', () => {
    const options = scheduleOptions([], WINDOWS, { makespan: null, lowerBound: 4 }, LABELS) as { series: Series[] };
    expect(options.series[1]!.markLine!.data.map((m) => m.xAxis)).toEqual([4]);
    expect(gapOf({ makespan: 10, lowerBound: 9 })).toBeCloseTo(0.1);
    expect(gapOf({ makespan: null, lowerBound: 9 })).toBeNull();
  });

  it('keeps the well-formed explanations of an infeasible plan', () => {
    const list = explanationsOf([
      { kind: 'pool', systems: ['a'], windows: ['W1', 'W2'], constraint: 'xc-kunpeng/arm64', zh: '鲲鹏资源池不足', en: 'the Kunpeng pool is short' },
      { nonsense: true },
      null,
    ]);
    expect(list).toEqual([{ kind: 'pool', systems: ['a'], windows: ['W1', 'W2'], constraint: 'xc-kunpeng/arm64', zh: '鲲鹏资源池不足', en: 'the Kunpeng pool is short' }]);
    expect(explanationsOf(undefined)).toEqual([]);
  });
});
