import { minFrom, type Compiled } from './compile.ts';
import { LpBuilder } from './highs-model.ts';

/**
 * Proven lower bounds on the makespan (the number of windows from the plan's first to its last wave).
 * Each one is a relaxation: it keeps some constraints and drops others, so every schedule that keeps all
 * of them also keeps these, and no schedule can finish earlier than the relaxation can.
 *
 * 1. Release: a cluster cannot move before its first usable window, nor before what it depends on can
 *    (compile.ts propagates this along the dependency DAG). Makespan ≥ max(release) + 1.
 * 2. Pools: everything moved onto a pool stays there; a pool whose total demand D is first covered
 *    (from then on) at window t forces makespan ≥ t + 1, since the last system onto it moves no earlier.
 * 3. Per-window resource LP (operator hours, each link). Keep only resource r, let clusters be split
 *    fractionally over windows, and group the clusters using r by the windows open to them: the LP
 *      Σ_w y[k,w] = D[k] (class demand),  Σ_k y[k,w] ≤ cap[r,w] (w < T),  y ≥ 0, y[k,w] = 0 where closed,
 *    is feasible whenever a schedule with makespan ≤ T exists (set y[k,w] = what class k's clusters put in
 *    window w). So if it is infeasible for T, the makespan is at least T + 1. The LP is solved by HiGHS
 *    for increasing T from the best bound so far until it becomes feasible.
 * The bound reported is the maximum of these (and, for plans small enough to solve exactly, of the MIP's
 * own dual bound, see mip.ts).
 */

export interface BoundPart {
  kind: 'release' | 'pool' | 'resource';
  /** Resource or pool name (`operator-hours`, `link:…`, pool key). */
  name: string;
  value: number;
}

export interface LowerBound {
  value: number;
  parts: BoundPart[];
  /** When value > windows: the resource LP rows HiGHS found in conflict, for explanations. */
  conflicts: ResourceConflict[];
}

export interface ResourceConflict {
  resource: number;
  /** Cluster indices whose demand is in the conflict and the windows whose capacity is. */
  clusters: number[];
  windows: number[];
  demand: number;
  capacity: number;
}

export async function lowerBound(plan: Compiled, deadline: number): Promise<LowerBound> {
  const W = plan.windows;
  const parts: BoundPart[] = [];
  let best = plan.clusters.length ? 1 : 0;
  let release = 0;
  for (const c of plan.clusters) release = Math.max(release, c.release < 0 ? W + 1 : c.release + 1);
  parts.push({ kind: 'release', name: 'release', value: release });
  best = Math.max(best, release);

  plan.poolNames.forEach((name, p) => {
    let demand = 0;
    for (const c of plan.clusters) c.poolRes.forEach((q, k) => (demand += q === p ? c.poolAmt[k]! : 0));
    if (demand <= 0) return;
    let t = 0;
    while (t < W && minFrom(plan.poolAvail[p]!, t) + 1e-9 < demand) t++;
    parts.push({ kind: 'pool', name, value: t + 1 });
    best = Math.max(best, t + 1);
  });

  const conflicts: ResourceConflict[] = [];
  // Cheap energy bound first (total demand against total capacity) to order the LPs, strongest first.
  const order = plan.resNames.map((_, r) => ({ r, energy: energyBound(plan, r) })).sort((a, b) => b.energy - a.energy);
  for (const { r, energy } of order) {
    best = Math.max(best, energy);
    if (performance.now() > deadline) {
      if (energy > 0) parts.push({ kind: 'resource', name: plan.resNames[r]!, value: energy });
      continue;
    }
    const classes = classesOf(plan, r);
    if (!classes.length) continue;
    // Only windows beyond the best bound so far can raise it: start there and count up while infeasible.
    let T = Math.max(best, energy);
    let last: { feasible: boolean; conflict: ResourceConflict | null } = { feasible: true, conflict: null };
    let raised = false;
    while (T <= W && performance.now() < deadline) {
      last = await transportFeasible(plan, r, classes, T, T === W);
      if (last.feasible) break;
      raised = true;
      T++;
    }
    if (T > W && last.conflict) conflicts.push(last.conflict);
    // This resource's own bound: what its LP proved, or its energy bound when the LP had nothing to add.
    const own = raised ? T : energy;
    if (own > 0) parts.push({ kind: 'resource', name: plan.resNames[r]!, value: own });
    best = Math.max(best, own);
  }
  return { value: best, parts, conflicts };
}

/** Makespan at least the first T whose windows hold the resource's total demand. */
function energyBound(plan: Compiled, r: number): number {
  let demand = 0;
  for (const c of plan.clusters) c.useRes.forEach((q, k) => (demand += q === r ? c.useAmt[k]! : 0));
  if (demand <= 0) return 0;
  let have = 0;
  for (let t = 0; t < plan.windows; t++) {
    have += plan.windowCap[r]![t]!;
    if (have + 1e-9 >= demand) return t + 1;
  }
  return plan.windows + 1;
}

interface DemandClass {
  clusters: number[];
  windows: number[];
  demand: number;
}

function classesOf(plan: Compiled, r: number): DemandClass[] {
  const bySignature = new Map<string, DemandClass>();
  plan.clusters.forEach((cl, c) => {
    const k = cl.useRes.indexOf(r);
    if (k < 0 || cl.useAmt[k]! <= 0) return;
    const windows: number[] = [];
    if (cl.release >= 0) for (let w = cl.release; w < plan.windows; w++) if (cl.allowed[w]) windows.push(w);
    const sig = windows.join(',');
    const cls = bySignature.get(sig) ?? { clusters: [], windows, demand: 0 };
    cls.clusters.push(c);
    cls.demand += cl.useAmt[k]!;
    bySignature.set(sig, cls);
  });
  return [...bySignature.values()];
}

async function transportFeasible(plan: Compiled, r: number, classes: DemandClass[], T: number, explain: boolean): Promise<{ feasible: boolean; conflict: ResourceConflict | null }> {
  if (proportionalFill(plan.windowCap[r]!, classes, T)) return { feasible: true, conflict: null };
  const lp = new LpBuilder();
  const classRow = classes.map((k) => lp.addRow(k.demand, k.demand));
  const windowRow = Array.from({ length: T }, (_, w) => lp.addRow(-Infinity, plan.windowCap[r]![w]!));
  for (let i = 0; i < classes.length; i++) {
    const open = classes[i]!.windows.filter((w) => w < T);
    if (!open.length && !explain) return { feasible: false, conflict: null };
    for (const w of open) lp.addCol(0, 0, Infinity, false, [classRow[i]!, windowRow[w]!], [1, 1]);
  }
  const out = await lp.solve({ timeLimitSeconds: 5, mip: false, iis: explain });
  if (out.status === 'optimal') return { feasible: true, conflict: null };
  if (out.status !== 'infeasible') return { feasible: true, conflict: null }; // unproven: claim nothing
  if (!explain) return { feasible: false, conflict: null };
  const rows = out.iisRows ?? [...classRow, ...windowRow];
  const inClasses = classes.filter((_, i) => rows.includes(classRow[i]!));
  const inWindows = windowRow.map((row, w) => (rows.includes(row) ? w : -1)).filter((w) => w >= 0);
  // The conflict as people read it: these clusters need this much, the windows open to them offer that much.
  const windows = [...new Set(inClasses.flatMap((k) => k.windows))].sort((a, b) => a - b);
  return {
    feasible: false,
    conflict: {
      resource: r,
      clusters: inClasses.flatMap((k) => k.clusters),
      windows: windows.length ? windows : inWindows,
      demand: inClasses.reduce((a, k) => a + k.demand, 0),
      capacity: windows.reduce((a, w) => a + plan.windowCap[r]![w]!, 0),
    },
  };
}

/**
 * A quick way to show the LP feasible without solving it: classes with the fewest windows first, each
 * spread over its windows in proportion to what they have left. Success is a feasible point, so the LP is
 * feasible; failure proves nothing and the LP decides.
 */
function proportionalFill(cap: Float64Array, classes: DemandClass[], T: number): boolean {
  const left = Float64Array.from(cap.subarray(0, T));
  const order = classes.map((k) => ({ k, open: k.windows.filter((w) => w < T) })).sort((a, b) => a.open.length - b.open.length || b.k.demand - a.k.demand);
  for (const { k, open } of order) {
    let room = 0;
    for (const w of open) room += left[w]!;
    if (room < k.demand * (1 + 1e-9) || room <= 0) return false;
    const share = k.demand / room;
    for (const w of open) left[w]! -= left[w]! * share;
  }
  return true;
}
