import { ganttOptions, ganttRows } from './run-gantt';

const T0 = Date.parse('2026-12-06T08:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

describe('run timeline (Gantt)', () => {
  const steps = [
    { key: 'step:b', status: 'succeeded', startedAt: at(5), finishedAt: at(8) },
    { key: 'declare', status: 'succeeded', startedAt: at(0), finishedAt: at(1) },
    { key: 'step:c', status: 'running', startedAt: at(8), finishedAt: null },
    { key: 'cleanup', status: 'pending', startedAt: null, finishedAt: null },
  ];

  it('has one row per started step, from the run’s first start, in start order; a running step reaches now', () => {
    const rows = ganttRows(steps, T0 + 20_000, (k) => k.toUpperCase());
    expect(rows.map((r) => [r.label, r.start, r.seconds, r.running])).toEqual([
      ['DECLARE', 0, 1, false],
      ['STEP:B', 5, 3, false],
      ['STEP:C', 8, 12, true],
    ]);
  });

  it('has no rows before anything started', () => {
    expect(ganttRows([steps[3]!], T0)).toEqual([]);
  });

  it('draws the first step on top: an invisible offset bar, then the duration coloured by state', () => {
    const option = ganttOptions(ganttRows(steps, T0 + 20_000), (s) => s) as {
      yAxis: { data: string[] }; series: { data: (number | { value: number; itemStyle: { color: string } })[]; itemStyle?: { color: string } }[]; dataZoom: unknown[];
    };
    expect(option.yAxis.data).toEqual(['step:c', 'step:b', 'declare']);
    expect(option.series[0]!.itemStyle!.color).toBe('transparent');
    expect(option.series[0]!.data).toEqual([8, 5, 0]);
    expect((option.series[1]!.data as { value: number; itemStyle: { color: string } }[]).map((d) => [d.value, d.itemStyle.color])).toEqual([[12, '#1d4ed8'], [3, '#15803d'], [1, '#15803d']]);
    expect(option.dataZoom).toEqual([]);
  });

  it('adds a scroll bar past 30 steps', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ key: `s${i}`, status: 'succeeded', startedAt: at(i), finishedAt: at(i + 1) }));
    expect((ganttOptions(ganttRows(many, T0), (s) => s) as { dataZoom: unknown[] }).dataZoom.length).toBe(1);
  });
});
