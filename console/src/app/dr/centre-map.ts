/**
 * The DR centres and their replication links as a topology: production centres in the left column, same-city
 * DR in the middle, remote DR on the right, one row per cloud; each link an arrow coloured by its state and
 * labelled with its lag (the current RPO). Pure, so it is tested without a canvas.
 */
import type { EChartsCoreOption } from 'echarts/core';

export interface MapCentre {
  readonly id: string;
  readonly cloudId: string;
  readonly role: 'production' | 'same-city-dr' | 'remote-dr';
  readonly label: string;
}

export interface MapLink {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly mode: string;
  readonly state: string;
  readonly lagSeconds: number;
}

const COLUMN: Record<MapCentre['role'], number> = { production: 0, 'same-city-dr': 1, 'remote-dr': 2 };
const ROLE_COLORS: Record<MapCentre['role'], string> = { production: '#1d4ed8', 'same-city-dr': '#0f766e', 'remote-dr': '#7c3aed' };
export const LINK_COLORS: Record<string, string> = { healthy: '#15803d', lagging: '#c2410c', broken: '#b91c1c' };

export function centreMapOptions(centres: readonly MapCentre[], links: readonly MapLink[], roleLabel: (role: string) => string): EChartsCoreOption {
  const rows = new Map<string, number>();
  const rowOf = (cloudId: string) => {
    if (!rows.has(cloudId)) rows.set(cloudId, rows.size);
    return rows.get(cloudId)!;
  };
  // Clouds in the order their production centre (or first centre) appears: a cloud's centres share a row.
  for (const c of [...centres].sort((a, b) => COLUMN[a.role] - COLUMN[b.role])) rowOf(c.cloudId);
  const known = new Set(centres.map((c) => c.id));
  return {
    animation: false,
    tooltip: {},
    series: [{
      type: 'graph',
      layout: 'none',
      edgeSymbol: ['none', 'arrow'],
      edgeSymbolSize: 8,
      label: { show: true, position: 'bottom', fontSize: 11 },
      edgeLabel: { show: true, fontSize: 10, formatter: (p: { data: { lag: string } }) => p.data.lag },
      data: centres.map((c) => ({
        name: c.id, value: roleLabel(c.role), label: { formatter: c.label },
        x: COLUMN[c.role] * 260, y: rowOf(c.cloudId) * 90 + (c.role === 'remote-dr' ? 30 : 0),
        symbolSize: 26, itemStyle: { color: ROLE_COLORS[c.role] },
      })),
      links: links.filter((l) => known.has(l.from) && known.has(l.to)).map((l) => ({
        source: l.from, target: l.to, lag: `${l.mode} · ${l.lagSeconds.toFixed(1)} s`,
        lineStyle: { color: LINK_COLORS[l.state] ?? '#94a3b8', width: l.state === 'broken' ? 1 : 2.5, type: l.state === 'broken' ? 'dashed' : 'solid', curveness: 0.1 },
      })),
    }],
  };
}
