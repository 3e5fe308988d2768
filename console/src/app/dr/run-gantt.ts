/**
 * A DR run's timeline (Gantt): one bar per step that has started, from its start to its end (or to now while
 * it runs), on a time axis in seconds since the run's first step. Stacked bars: an invisible offset, then the
 * step's duration coloured by its state.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { ganttChart } from '../core/gantt';

export interface TimedStep {
  readonly key: string;
  readonly status: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface GanttRow {
  readonly key: string;
  readonly label: string;
  readonly status: string;
  /** Seconds since the first start. */
  readonly start: number;
  readonly seconds: number;
  readonly running: boolean;
}

export function ganttRows(steps: readonly TimedStep[], now: number, label: (key: string) => string = (k) => k): GanttRow[] {
  const started = steps.filter((s): s is TimedStep & { startedAt: string } => s.startedAt !== null);
  if (!started.length) return [];
  const t0 = Math.min(...started.map((s) => Date.parse(s.startedAt)));
  return started
    .map((s) => {
      const start = Date.parse(s.startedAt);
      const end = s.finishedAt ? Date.parse(s.finishedAt) : Math.max(now, start);
      return { key: s.key, label: label(s.key), status: s.status, start: (start - t0) / 1000, seconds: Math.max(0, (end - start) / 1000), running: !s.finishedAt };
    })
    .sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
}

const STATUS_COLORS: Record<string, string> = {
  succeeded: '#15803d', running: '#1d4ed8', failed: '#b91c1c', compensating: '#c2410c', compensated: '#78716c',
  unknown: '#a16207', 'needs-attention': '#b91c1c', skipped: '#a8a29e', pending: '#cbd5e1',
};

export function ganttOptions(rows: readonly GanttRow[], statusLabel: (status: string) => string): EChartsCoreOption {
  return ganttChart(rows, {
    category: (r) => r.label,
    bar: (r) => ({ offset: r.start, length: r.seconds, color: STATUS_COLORS[r.status] ?? '#57534e', opacity: r.running ? 0.6 : 1 }),
    tooltip: (r) => `${r.label}<br>${statusLabel(r.status)} · ${r.start.toFixed(1)} s + ${r.seconds.toFixed(1)} s`,
    xAxis: { type: 'value', name: 's', min: 0 },
    labelWidth: 180,
    grid: { right: 24, top: 8, bottom: 40 },
    stack: 'steps',
  });
}
