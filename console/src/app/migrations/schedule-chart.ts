/**
 * The schedule as a Gantt calendar by wave: one row per system, grouped by its window (wave), a bar one
 * window long on an axis of windows labelled with each window's week. Stacked bars (an invisible offset,
 * then the window); vertical lines mark the proven lower bound and the makespan. Pure: unit-tested.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { ganttChart } from '../core/gantt';

export interface ScheduleWindow {
  readonly id: string;
  readonly weekStart: string;
}

export interface ScheduleCandidate {
  readonly id: string;
  readonly systemName: string;
  readonly departmentName: string;
}

export interface ScheduleRow {
  readonly id: string;
  readonly name: string;
  readonly department: string;
  readonly window: number;
  readonly windowId: string;
  readonly weekStart: string;
  readonly slot: string | null;
}

export interface ScheduleFigures {
  readonly makespan: number | null;
  readonly lowerBound: number;
}

export interface ScheduleLabels {
  readonly makespan: string;
  readonly lowerBound: string;
  readonly window: string;
}

/** Rows of the schedule, by window then system name; systems the caller cannot see are not in `assignment`. */
export function scheduleRows(
  assignment: Readonly<Record<string, number>>,
  placements: Readonly<Record<string, { readonly slot: string | null } | undefined>>,
  windows: readonly ScheduleWindow[],
  candidates: readonly ScheduleCandidate[],
): ScheduleRow[] {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return Object.entries(assignment)
    .map(([id, window]) => {
      const c = byId.get(id);
      const w = windows[window];
      return { id, name: c?.systemName ?? id, department: c?.departmentName ?? '', window, windowId: w?.id ?? `W${window + 1}`, weekStart: w?.weekStart ?? '', slot: placements[id]?.slot ?? null };
    })
    .sort((a, b) => a.window - b.window || a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
}

/** Systems per window, in window order (the table under the chart). */
export function waveGroups(rows: readonly ScheduleRow[]): { window: number; windowId: string; weekStart: string; systems: ScheduleRow[] }[] {
  const out: { window: number; windowId: string; weekStart: string; systems: ScheduleRow[] }[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last.window === r.window) last.systems.push(r);
    else out.push({ window: r.window, windowId: r.windowId, weekStart: r.weekStart, systems: [r] });
  }
  return out;
}

/** (makespan − lower bound) ÷ makespan, as the server defines the gap; null without a schedule. */
export function gapOf(f: ScheduleFigures): number | null {
  return f.makespan ? Math.max(0, (f.makespan - f.lowerBound) / f.makespan) : null;
}

const WAVE_COLORS = ['#1d4ed8', '#15803d', '#b45309', '#7c3aed', '#be123c', '#0e7490'];

export function scheduleOptions(rows: readonly ScheduleRow[], windows: readonly ScheduleWindow[], figures: ScheduleFigures, labels: ScheduleLabels): EChartsCoreOption {
  const span = Math.max(windows.length, figures.makespan ?? 0, 1);
  const marks = [
    { name: labels.lowerBound, xAxis: figures.lowerBound, lineStyle: { color: '#15803d', type: 'dashed' }, label: { formatter: `${labels.lowerBound} ${figures.lowerBound}` } },
    ...(figures.makespan !== null ? [{ name: labels.makespan, xAxis: figures.makespan, lineStyle: { color: '#b91c1c', type: 'solid' }, label: { formatter: `${labels.makespan} ${figures.makespan}` } }] : []),
  ];
  return ganttChart(rows, {
    category: (r) => `${r.windowId} · ${r.name}`,
    bar: (r) => ({ offset: r.window, length: 1, color: WAVE_COLORS[r.window % WAVE_COLORS.length]! }),
    tooltip: (r) => `${r.name} · ${r.department}<br>${labels.window} ${r.windowId} · ${r.weekStart}${r.slot ? ` · ${r.slot}` : ''}`,
    xAxis: {
      type: 'value', min: 0, max: span, interval: 1, name: labels.window,
      axisLabel: { formatter: (v: number) => (Number.isInteger(v) && windows[v] ? windows[v].weekStart.slice(5) : '') },
    },
    labelWidth: 200,
    grid: { right: 40, top: 28, bottom: 48 },
    stack: 'schedule',
    markLine: { symbol: 'none', silent: true, data: marks },
  });
}

export interface Explanation {
  readonly kind: string;
  readonly systems: readonly string[];
  readonly windows: readonly string[];
  readonly constraint: string;
  readonly zh: string;
  readonly en: string;
}

/** The solver's explanations (typed `unknown[]` by the API): the well-formed ones, as the console shows them. */
export function explanationsOf(raw: readonly unknown[] | null | undefined): Explanation[] {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return (raw ?? []).flatMap((e) => {
    if (!e || typeof e !== 'object') return [];
    const o = e as Record<string, unknown>;
    if (typeof o['zh'] !== 'string' || typeof o['en'] !== 'string') return [];
    return [{ kind: String(o['kind'] ?? ''), systems: strings(o['systems']), windows: strings(o['windows']), constraint: String(o['constraint'] ?? ''), zh: o['zh'], en: o['en'] }];
  });
}
