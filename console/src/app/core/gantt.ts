/**
 * The console's horizontal Gantt charts (a DR run's steps, a migration schedule's systems): one category row per
 * item, the first on top, and per row two stacked bars: an invisible offset, then the bar itself. Only the bar
 * has a tooltip; past 30 rows a slider scrolls them. Pure: the callers' specs check the option it builds.
 */
import type { EChartsCoreOption } from 'echarts/core';

export interface GanttBar {
  /** Where the bar starts on the x axis. */
  readonly offset: number;
  readonly length: number;
  readonly color: string;
  readonly opacity?: number;
}

export interface GanttSpec<R> {
  /** The row's label on the y axis. */
  readonly category: (row: R) => string;
  readonly bar: (row: R) => GanttBar;
  /** The tooltip of the row's bar (HTML). */
  readonly tooltip: (row: R) => string;
  readonly xAxis: Record<string, unknown>;
  /** Pixels left for the y axis's labels (they are cut to fit, less a margin of 10). */
  readonly labelWidth: number;
  readonly grid: { readonly right: number; readonly top: number; readonly bottom: number };
  /** The echarts stack name of the two bars. */
  readonly stack: string;
  /** Vertical lines over the bars (echarts markLine), if any. */
  readonly markLine?: Record<string, unknown>;
}

/** Rows past which a slider scrolls the chart. */
const VISIBLE_ROWS = 30;

export function ganttChart<R>(rows: readonly R[], spec: GanttSpec<R>): EChartsCoreOption {
  // Categories are drawn bottom-up: reverse so the first row is on top.
  const ordered = [...rows].reverse();
  const bars = ordered.map(spec.bar);
  return {
    animation: false,
    grid: { left: spec.labelWidth, ...spec.grid },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesIndex: number; dataIndex: number }) => {
        const r = ordered[p.dataIndex];
        return r !== undefined && p.seriesIndex === 1 ? spec.tooltip(r) : '';
      },
    },
    xAxis: spec.xAxis,
    yAxis: { type: 'category', data: ordered.map(spec.category), axisLabel: { width: spec.labelWidth - 10, overflow: 'truncate' } },
    dataZoom: rows.length > VISIBLE_ROWS ? [{ type: 'slider', yAxisIndex: 0, start: 100 - (VISIBLE_ROWS / rows.length) * 100, end: 100 }] : [],
    series: [
      { type: 'bar', stack: spec.stack, silent: true, itemStyle: { color: 'transparent' }, data: bars.map((b) => b.offset) },
      {
        type: 'bar', stack: spec.stack, barMaxWidth: 14,
        data: bars.map((b) => ({ value: b.length, itemStyle: { color: b.color, ...(b.opacity === undefined ? {} : { opacity: b.opacity }) } })),
        ...(spec.markLine ? { markLine: spec.markLine } : {}),
      },
    ],
  };
}
