import type { Compiled } from './compile.ts';
import { LpBuilder } from './highs-model.ts';
import type { PlacementState } from './placement-state.ts';

/**
 * The assignment MIP, solved by HiGHS, over a subset of the plan: clusters `N` may take any of the windows
 * `windows` open to them; every other cluster stays where the current schedule has it and its use of each
 * window and pool is subtracted from the capacities. With N = every cluster and `windows` = the whole
 * horizon it is the exact time-indexed model; with a few windows' clusters it is a large-neighbourhood
 * step (mip-search.ts). Variables x[c,w] ∈ {0,1}:
 *
 *   Σ_w x[c,w] = 1                                               each cluster in exactly one window
 *   Σ_c d[c,r] x[c,w] ≤ residual cap[r,w]                        operator hours and each link, per window
 *   Σ_c Σ_{w ≤ t} v[c,p] x[c,w] ≤ residual avail[p,t]            each pool, cumulative, for every t from the
 *                                                                first window on (the last row covers all t after)
 *   Σ_{w ≤ t} x[c,w] ≤ Σ_{w ≤ t} x[p,w]                          c depends on p, both in N (non-strict order)
 *   lo[c] ≤ window ≤ hi[c]                                       against dependencies outside N
 *
 * Objectives: `makespan` adds binaries u[w] (window w in use, u[w] ≥ u[w+1], hours row ≤ cap·u[w]) and
 * minimises Σ u[w] plus `overflow` costs; `risk` adds R ≥ Σ_c risk[c] x[c,w] for every window and minimises R.
 */

export interface NeighbourhoodSpec {
  clusters: number[];
  windows: number[];
  objective: 'makespan' | 'empty-last' | 'risk';
  /** empty-last: the window to empty (its x carry cost 1 per cluster). */
  emptyWindow?: number;
  /** risk: the peak outside the neighbourhood (R is at least this anyway). */
  riskFloor?: number;
  /** Windows a given cluster may take (default: `windows`); every one must be in `windows`. */
  windowsOf?: (c: number) => readonly number[];
  /** makespan: windows before this are known to be in use in every schedule (u fixed to 1). */
  usedAtLeast?: number;
  timeLimitSeconds: number;
}

export interface NeighbourhoodResult {
  /** New window per cluster of N (null when HiGHS found no feasible point, or nothing better). */
  windows: Map<number, number> | null;
  status: string;
  objective: number;
  dualBound: number;
}

export async function solveNeighbourhood(plan: Compiled, state: PlacementState, spec: NeighbourhoodSpec): Promise<NeighbourhoodResult> {
  const inN = new Uint8Array(plan.clusters.length);
  for (const c of spec.clusters) inN[c] = 1;
  const windows = [...spec.windows].sort((a, b) => a - b);
  const wIndex = new Map(windows.map((w, i) => [w, i]));
  const first = windows[0]!;
  const last = windows[windows.length - 1]!;
  const W = plan.windows;

  // What the fixed clusters use: per window resource and cumulative pools.
  const fixedUse = plan.windowCap.map((caps) => new Float64Array(caps.length));
  const fixedPool = plan.poolAvail.map((a) => new Float64Array(a.length));
  const fixedRisk = new Float64Array(W);
  const fixedCount = new Int32Array(W);
  plan.clusters.forEach((cl, c) => {
    if (inN[c]) return;
    const w = state.windowOf[c]!;
    if (w < 0) return;
    fixedRisk[w]! += cl.risk;
    fixedCount[w]!++;
    cl.useRes.forEach((r, k) => (fixedUse[r]![w]! += cl.useAmt[k]!));
    cl.poolRes.forEach((p, k) => {
      const u = fixedPool[p]!;
      for (let t = w; t < W; t++) u[t]! += cl.poolAmt[k]!;
    });
  });

  const lp = new LpBuilder();
  const x = new Map<number, { w: number; col: number }[]>();
  const convex = new Map<number, number>();
  for (const c of spec.clusters) convex.set(c, lp.addRow(1, 1));
  // Capacity rows are created when a column first needs them (neighbourhoods may span many windows).
  const resRow = new Map<number, number>();
  const resRowOf = (r: number, w: number) => {
    const key = r * W + w;
    let row = resRow.get(key);
    if (row === undefined) resRow.set(key, (row = lp.addRow(-Infinity, plan.windowCap[r]![w]! - fixedUse[r]![w]!)));
    return row;
  };
  const poolRow = new Map<number, number>();
  const poolRowOf = (p: number, t: number) => {
    const key = p * W + t;
    let row = poolRow.get(key);
    // Row t covers t itself; the row of the last window also covers every window after it.
    if (row === undefined) poolRow.set(key, (row = lp.addRow(-Infinity, t === last ? minResidual(plan.poolAvail[p]!, fixedPool[p]!, t, W) : plan.poolAvail[p]![t]! - fixedPool[p]![t]!)));
    return row;
  };
  const useRow: number[] = [];
  if (spec.objective === 'makespan') for (let i = 0; i < windows.length; i++) useRow.push(lp.addRow(-Infinity, 0));
  const riskRow: number[] = [];
  if (spec.objective === 'risk') for (const w of windows) riskRow.push(lp.addRow(-Infinity, -fixedRisk[w]!));

  // Bounds from dependencies outside N.
  for (const c of spec.clusters) {
    const cl = plan.clusters[c]!;
    let lo = Math.max(cl.release, first);
    let hi = last;
    for (const p of plan.graph.preds[c]!) if (!inN[p]) lo = Math.max(lo, state.windowOf[p]!);
    for (const s of plan.graph.succs[c]!) if (!inN[s] && state.windowOf[s]! >= 0) hi = Math.min(hi, state.windowOf[s]!);
    const cols: { w: number; col: number }[] = [];
    for (const w of spec.windowsOf?.(c) ?? windows) {
      if (w < lo || w > hi || !cl.allowed[w]) continue;
      const rows = [convex.get(c)!];
      const vals = [1];
      cl.useRes.forEach((r, k) => {
        rows.push(resRowOf(r, w));
        vals.push(cl.useAmt[k]!);
      });
      cl.poolRes.forEach((p, k) => {
        for (let t = w; t <= last; t++) {
          rows.push(poolRowOf(p, t));
          vals.push(cl.poolAmt[k]!);
        }
      });
      if (spec.objective === 'risk') {
        rows.push(riskRow[wIndex.get(w)!]!);
        vals.push(cl.risk);
      }
      if (spec.objective === 'makespan' && cl.useAmt[0] === 0) {
        rows.push(useRow[wIndex.get(w)!]!);
        vals.push(1);
      }
      const cost = spec.objective === 'empty-last' && w === spec.emptyWindow ? 1 : 0;
      cols.push({ w, col: lp.addCol(cost, 0, 1, true, rows, vals) });
    }
    if (!cols.length) return { windows: null, status: 'infeasible', objective: Infinity, dualBound: Infinity };
    x.set(c, cols);
  }

  // Dependencies inside N: Σ_{w ≤ t} x[c,w] − Σ_{w ≤ t} x[p,w] ≤ 0 for each window t.
  for (const c of spec.clusters) {
    for (const p of plan.graph.preds[c]!) {
      if (!inN[p]) continue;
      for (const t of windows) {
        const row = lp.addRow(-Infinity, 0);
        attach(lp, x.get(c)!, t, row, 1);
        attach(lp, x.get(p)!, t, row, -1);
      }
    }
  }

  // Makespan: u[w] binaries; the hours row of window w is ≤ cap·u[w] (moved to the left side).
  const uCol: number[] = [];
  if (spec.objective === 'makespan') {
    const chain: number[] = [];
    for (let i = 0; i < windows.length - 1; i++) chain.push(lp.addRow(0, Infinity)); // u[w] − u[w+1] ≥ 0
    windows.forEach((w, i) => {
      const rows: number[] = [useRow[i]!];
      const vals: number[] = [-plan.clusters.length];
      const hours = resRow.get(w); // operator hours are resource 0
      if (hours !== undefined) {
        rows.push(hours);
        vals.push(-(plan.windowCap[0]![w]! - fixedUse[0]![w]!));
        lp.setRowBounds(hours, -Infinity, 0);
      }
      if (i < windows.length - 1) {
        rows.push(chain[i]!);
        vals.push(1);
      }
      if (i > 0) {
        rows.push(chain[i - 1]!);
        vals.push(-1);
      }
      const forced = w < (spec.usedAtLeast ?? 0) || fixedCount[w]! > 0;
      uCol.push(lp.addCol(1, forced ? 1 : 0, 1, true, rows, vals));
    });
  }
  let rCol = -1;
  if (spec.objective === 'risk') rCol = lp.addCol(1, spec.riskFloor ?? 0, Infinity, false, riskRow, riskRow.map(() => -1));

  const start = startingPoint(lp.cols, spec, state, x, uCol, rCol, plan, windows, fixedRisk);
  const out = await lp.solve({ timeLimitSeconds: spec.timeLimitSeconds, mip: true, start: start ?? undefined });
  if (!out.values) return { windows: null, status: out.status, objective: out.objective, dualBound: out.dualBound };
  const chosen = new Map<number, number>();
  for (const [c, cols] of x) {
    const best = cols.reduce((a, b) => (out.values![b.col]! > out.values![a.col]! ? b : a));
    chosen.set(c, best.w);
  }
  return { windows: chosen, status: out.status, objective: out.objective, dualBound: out.dualBound };
}

function attach(lp: LpBuilder, cols: { w: number; col: number }[], t: number, row: number, coef: number): void {
  for (const { w, col } of cols) if (w <= t) lp.addEntry(col, row, coef);
}

function minResidual(avail: Float64Array, used: Float64Array, from: number, W: number): number {
  let m = Infinity;
  for (let t = from; t < W; t++) m = Math.min(m, avail[t]! - used[t]!);
  return m;
}

/** The current schedule as a MIP start, when every cluster of N sits in one of the neighbourhood's windows. */
function startingPoint(cols: number, spec: NeighbourhoodSpec, state: PlacementState, x: Map<number, { w: number; col: number }[]>, uCol: number[], rCol: number, plan: Compiled, windows: number[], fixedRisk: Float64Array): Float64Array | null {
  const v = new Float64Array(cols);
  const load = new Float64Array(windows.length);
  for (const [c, options] of x) {
    const at = options.find((o) => o.w === state.windowOf[c]);
    if (!at) return null;
    v[at.col] = 1;
    load[windows.indexOf(at.w)]! += plan.clusters[c]!.risk;
  }
  if (uCol.length) {
    let lastUsed = -1;
    for (const [c] of x) lastUsed = Math.max(lastUsed, windows.indexOf(state.windowOf[c]!));
    uCol.forEach((col, i) => (v[col] = i <= lastUsed || windows[i]! < (spec.usedAtLeast ?? 0) ? 1 : 0));
  }
  if (rCol >= 0) v[rCol] = Math.max(spec.riskFloor ?? 0, ...load.map((l, i) => l + fixedRisk[windows[i]!]!));
  return v;
}

