/**
 * Chart options of the province's progress indicators (issue 12.7), built by pure functions: the shares over
 * time (a line per indicator, from the daily snapshots) and the shares per city or department now (bars).
 * Every chart has a title, axis names with their unit (%) and a legend, in the page's language.
 */

export interface IndicatorPoint { day: string; scope: string; code: string; name: string; systems: number; onCloud: number; onXinchuang: number }
export interface IndicatorLabels { title: string; onCloud: string; xinchuang: string; day: string; share: string; systems: string }

const pct = (n: number, of: number) => (of ? Math.round((1000 * n) / of) / 10 : 0);
const COLORS = { onCloud: '#1677ff', xinchuang: '#d4380d' };

/** The province line (or one scope's) over the days it has snapshots. */
export function trendOptions(points: readonly IndicatorPoint[], labels: IndicatorLabels): Record<string, unknown> {
  const days = points.map((p) => p.day);
  return {
    title: { text: labels.title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { top: 24, data: [labels.onCloud, labels.xinchuang] },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    grid: { left: 64, right: 24, top: 64, bottom: 48 },
    xAxis: { type: 'category', name: labels.day, nameLocation: 'middle', nameGap: 30, data: days },
    yAxis: { type: 'value', name: labels.share, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: labels.onCloud, type: 'line', data: points.map((p) => pct(p.onCloud, p.systems)), itemStyle: { color: COLORS.onCloud } },
      { name: labels.xinchuang, type: 'line', data: points.map((p) => pct(p.onXinchuang, p.systems)), itemStyle: { color: COLORS.xinchuang } },
    ],
  };
}

/** Bars per city or department: both shares side by side, the systems counted in the tooltip. */
export function breakdownOptions(rows: readonly Omit<IndicatorPoint, 'day'>[], labels: IndicatorLabels & { scope: string }): Record<string, unknown> {
  return {
    title: { text: labels.title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { top: 24, data: [labels.onCloud, labels.xinchuang] },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    grid: { left: 64, right: 24, top: 64, bottom: 72 },
    xAxis: { type: 'category', name: labels.scope, nameLocation: 'middle', nameGap: 56, data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: rows.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', name: labels.share, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: labels.onCloud, type: 'bar', data: rows.map((r) => pct(r.onCloud, r.systems)), itemStyle: { color: COLORS.onCloud } },
      { name: labels.xinchuang, type: 'bar', data: rows.map((r) => pct(r.onXinchuang, r.systems)), itemStyle: { color: COLORS.xinchuang } },
    ],
  };
}

/** The previous calendar month of `day` (YYYY-MM): what the monthly report covers. */
export function previousMonth(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
