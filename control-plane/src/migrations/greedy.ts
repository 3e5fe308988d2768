import type { Compiled } from './compile.ts';
import { PlacementState } from './placement-state.ts';

/**
 * Two greedy constructions. Both keep every constraint (a cluster is only placed where it fits, after what
 * it depends on); what they leave out are the clusters they could not place anywhere.
 *
 * - `naiveGreedy`: the spreadsheet way, the comparison in the benchmark. Clusters in dependency order
 *   (input order among equals), each into the earliest window where it fits.
 * - `priorityGreedy`: the scheduler's first incumbent. Window by window, fill the window with the clusters
 *   that have the fewest usable windows left — counting those of the clusters that depend on them, which
 *   cannot move before them — largest first (the classic list-scheduling rule: place what is hard to place
 *   while there is room for it).
 */

export interface Construction {
  state: PlacementState;
  unplaced: number[];
}

export function naiveGreedy(plan: Compiled): Construction {
  const state = new PlacementState(plan);
  const unplaced: number[] = [];
  placePinned(plan, state);
  for (const c of plan.graph.topo) {
    if (state.windowOf[c]! >= 0) continue;
    const from = state.earliestByPreds(c);
    const cl = plan.clusters[c]!;
    let placed = false;
    if (from >= 0) {
      for (let w = Math.max(from, cl.release); w < plan.windows && cl.release >= 0; w++) {
        if (cl.allowed[w] && state.fits(c, w)) {
          state.place(c, w);
          placed = true;
          break;
        }
      }
    }
    if (!placed) unplaced.push(c);
  }
  return { state, unplaced };
}

export function priorityGreedy(plan: Compiled, horizon = plan.windows): Construction {
  const W = plan.windows;
  const n = plan.clusters.length;
  const state = new PlacementState(plan);
  placePinned(plan, state);
  const size = relativeSize(plan);
  // Usable windows from w to the horizon, per cluster: fewer means more urgent.
  const left = plan.clusters.map((cl) => {
    const out = new Int32Array(W + 1);
    for (let w = W - 1; w >= 0; w--) out[w] = out[w + 1]! + (cl.allowed[w] && w < horizon ? 1 : 0);
    return out;
  });
  const waiting = plan.graph.preds.map((p) => p.length);
  let ready: number[] = [];
  for (let c = 0; c < n; c++) {
    if (state.windowOf[c]! >= 0) continue;
    if (plan.graph.preds[c]!.every((p) => state.windowOf[p]! >= 0)) ready.push(c);
  }
  for (let c = 0; c < n; c++) if (state.windowOf[c]! >= 0) for (const s of plan.graph.succs[c]!) waiting[s]!--;

  // A cluster is as urgent as the most urgent cluster that depends on it (directly or not): that one cannot
  // move before it. Computed per window, in reverse dependency order.
  const urgency = new Int32Array(n);
  const reverse = [...plan.graph.topo].reverse();
  for (let w = 0; w < W && ready.length; w++) {
    for (const c of reverse) {
      let u = left[c]![w]!;
      for (const s of plan.graph.succs[c]!) if (state.windowOf[s]! < 0) u = Math.min(u, urgency[s]!);
      urgency[c] = u;
    }
    let placedSome = true;
    while (placedSome) {
      placedSome = false;
      const candidates = ready.filter((c) => plan.clusters[c]!.allowed[w] && state.earliestByPreds(c) <= w && state.earliestByPreds(c) >= 0);
      candidates.sort((a, b) => urgency[a]! - urgency[b]! || size[b]! - size[a]! || a - b);
      const placedNow = new Set<number>();
      for (const c of candidates) {
        if (!state.fits(c, w)) continue;
        state.place(c, w);
        placedNow.add(c);
        placedSome = true;
      }
      if (placedNow.size) {
        ready = ready.filter((c) => !placedNow.has(c));
        for (const c of placedNow) for (const s of plan.graph.succs[c]!) if (--waiting[s]! === 0 && state.windowOf[s]! < 0) ready.push(s);
      }
    }
  }
  const unplaced: number[] = [];
  for (let c = 0; c < n; c++) if (state.windowOf[c]! < 0) unplaced.push(c);
  return { state, unplaced };
}

function placePinned(plan: Compiled, state: PlacementState): void {
  plan.clusters.forEach((cl, c) => {
    if (cl.pinned >= 0) state.place(c, cl.pinned);
  });
}

/** A cluster's largest share of an average window's capacity, over the resources it uses. */
export function relativeSize(plan: Compiled): Float64Array {
  const avgCap = plan.windowCap.map((caps) => caps.reduce((a, b) => a + b, 0) / Math.max(1, caps.length));
  const poolCap = plan.poolAvail.map((a) => a[a.length - 1]! || 1);
  return Float64Array.from(plan.clusters, (cl) => {
    let m = 0;
    cl.useRes.forEach((r, k) => (m = Math.max(m, cl.useAmt[k]! / (avgCap[r]! || 1))));
    cl.poolRes.forEach((p, k) => (m = Math.max(m, cl.poolAmt[k]! / poolCap[p]!)));
    return m;
  });
}
