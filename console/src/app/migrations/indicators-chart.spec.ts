import { breakdownOptions, previousMonth, trendOptions } from './indicators-chart';

const LABELS = { title: 'Progress', onCloud: 'On cloud', xinchuang: 'On Xinchuang', day: 'Day', share: 'Share (%)', systems: 'Systems' };
interface Opt { title: { text: string }; legend: { data: string[] }; xAxis: { name: string; data: string[] }; yAxis: { name: string; max: number; axisLabel: { formatter: string } }; series: { name: string; type: string; data: number[] }[] }

describe('indicator charts', () => {
  it('draws the shares over time as percentages, with a title, axis names with the unit and a legend', () => {
    const o = trendOptions([
      { day: '2026-11-01', scope: 'province', code: '36', name: '江西省', systems: 6, onCloud: 4, onXinchuang: 2 },
      { day: '2026-11-02', scope: 'province', code: '36', name: '江西省', systems: 7, onCloud: 5, onXinchuang: 3 },
    ], LABELS) as unknown as Opt;
    expect(o.title.text).toBe('Progress');
    expect(o.legend.data).toEqual(['On cloud', 'On Xinchuang']);
    expect([o.xAxis.name, o.yAxis.name, o.yAxis.max, o.yAxis.axisLabel.formatter]).toEqual(['Day', 'Share (%)', 100, '{value}%']);
    expect(o.xAxis.data).toEqual(['2026-11-01', '2026-11-02']);
    expect(o.series.map((s) => [s.type, s.data])).toEqual([['line', [66.7, 71.4]], ['line', [33.3, 42.9]]]);
  });

  it('draws each city side by side, and an empty scope as 0%', () => {
    const o = breakdownOptions([
      { scope: 'city', code: '36', name: '江西省（省直）', systems: 4, onCloud: 3, onXinchuang: 1 },
      { scope: 'city', code: '3604', name: '九江市', systems: 0, onCloud: 0, onXinchuang: 0 },
    ], { ...LABELS, scope: 'City' }) as unknown as Opt;
    expect(o.xAxis.data).toEqual(['江西省（省直）', '九江市']);
    expect(o.xAxis.name).toBe('City');
    expect(o.series.map((s) => s.data)).toEqual([[75, 0], [25, 0]]);
  });

  it('reports on the previous month', () => {
    expect(previousMonth('2026-12-06')).toBe('2026-11');
    expect(previousMonth('2027-01-03')).toBe('2026-12');
  });
});
