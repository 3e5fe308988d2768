/**
 * A DR plan drawn as a graph: steps placed in columns by their depth in the dependency graph (the edges the
 * server answers, priority groups already made explicit), the critical path in red. Pure, so the layout is
 * tested without a canvas.
 */
import type { EChartsCoreOption } from 'echarts/core';

export interface GraphStep {
  readonly id: string;
  readonly title: string;
  readonly group: number;
  readonly kind: string;
  readonly estimateSeconds: number;
}

export interface PlacedStep extends GraphStep {
  readonly column: number;
  readonly row: number;
  readonly critical: boolean;
}

export interface PlanLayout {
  readonly steps: readonly PlacedStep[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly critical: boolean }[];
  readonly columns: number;
  readonly rows: number;
}

/** Columns by longest distance from a step without dependencies (Kahn's order: plans have thousands of steps). */
export function layoutPlan(steps: readonly GraphStep[], edges: readonly (readonly [string, string])[], criticalPath: readonly string[]): PlanLayout {
  const ids = new Set(steps.map((s) => s.id));
  const known = edges.filter(([a, b]) => ids.has(a) && ids.has(b));
  const successors = new Map<string, string[]>();
  const indegree = new Map(steps.map((s) => [s.id, 0]));
  for (const [a, b] of known) {
    successors.set(a, [...(successors.get(a) ?? []), b]);
    indegree.set(b, indegree.get(b)! + 1);
  }
  const column = new Map(steps.map((s) => [s.id, 0]));
  const queue = steps.filter((s) => indegree.get(s.id) === 0).map((s) => s.id);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const next of successors.get(id) ?? []) {
      column.set(next, Math.max(column.get(next)!, column.get(id)! + 1));
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) queue.push(next);
    }
  }
  const onPath = new Set(criticalPath);
  const criticalEdges = new Set(criticalPath.slice(1).map((id, i) => `${criticalPath[i]}>${id}`));
  const rowsUsed = new Map<number, number>();
  const placed = [...steps]
    .sort((a, b) => column.get(a.id)! - column.get(b.id)! || a.group - b.group || a.id.localeCompare(b.id))
    .map((s) => {
      const c = column.get(s.id)!;
      const row = rowsUsed.get(c) ?? 0;
      rowsUsed.set(c, row + 1);
      return { ...s, column: c, row, critical: onPath.has(s.id) };
    });
  return {
    steps: placed,
    edges: known.map(([from, to]) => ({ from, to, critical: criticalEdges.has(`${from}>${to}`) })),
    columns: Math.max(0, ...column.values()) + 1,
    rows: Math.max(0, ...rowsUsed.values()),
  };
}

const KIND_COLORS: Record<string, string> = { action: '#1d4ed8', probe: '#0f766e', manual: '#a16207', wait: '#57534e' };
const CRITICAL = '#b91c1c';

/** ECharts option of a laid-out plan: fixed positions (no force layout: the same plan always looks the same). */
export function planGraphOptions(layout: PlanLayout, kindLabel: (kind: string) => string): EChartsCoreOption {
  return {
    animation: false,
    tooltip: {
      formatter: (p: { dataType: string; data: { name: string; title?: string; kind?: string; estimateSeconds?: number } }) =>
        p.dataType === 'node' ? `${p.data.title} (${p.data.name})<br>${kindLabel(p.data.kind ?? '')} · ${p.data.estimateSeconds ?? 0} s` : '',
    },
    series: [{
      type: 'graph',
      layout: 'none',
      roam: true,
      edgeSymbol: ['none', 'arrow'],
      edgeSymbolSize: 7,
      label: { show: true, position: 'bottom', fontSize: 11, formatter: (p: { data: { title: string } }) => p.data.title },
      data: layout.steps.map((s) => ({
        name: s.id, title: s.title, kind: s.kind, estimateSeconds: s.estimateSeconds,
        x: s.column * 160, y: s.row * 70, symbolSize: s.critical ? 22 : 16,
        itemStyle: { color: KIND_COLORS[s.kind] ?? '#57534e', borderColor: s.critical ? CRITICAL : '#fff', borderWidth: s.critical ? 3 : 1 },
      })),
      links: layout.edges.map((e) => ({
        source: e.from, target: e.to,
        lineStyle: { color: e.critical ? CRITICAL : '#94a3b8', width: e.critical ? 3 : 1 },
      })),
    }],
  };
}
