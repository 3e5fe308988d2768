import type { Compiled } from './compile.ts';
import { solveNeighbourhood } from './mip.ts';
import type { PlacementState } from './placement-state.ts';

/**
 * Plans too large for one exact MIP in the time allowed are improved by solving the MIP over
 * neighbourhoods of the current schedule (large-neighbourhood search; HiGHS solves each step, seeded with
 * the current schedule, so a step never makes it worse):
 *
 *  - makespan: empty the last window. Its clusters (and what they depend on) may move to any earlier
 *    window; the clusters of a few other windows (the ones just before the last, or the ones with the most
 *    operator hours left) may shuffle among those windows to make room; everything else stays. The MIP
 *    minimises what is left in the last window; when that reaches zero the plan is a window shorter.
 *    Neighbourhoods grow when they fail, up to the whole horizon.
 *  - risk: lower the riskiest window. The clusters of the peak window and of the least risky windows may
 *    swap; the MIP minimises the largest window risk among them.
 */

export interface SearchStats {
  mipSolves: number;
}

export async function improveMakespan(plan: Compiled, state: PlacementState, lowerBound: number, deadline: number, stats: SearchStats, improved: (makespan: number) => void): Promise<void> {
  // Neighbourhoods to try, growing: the windows just before the last, and the windows with the most
  // operator hours left (where the last window's clusters could fit once smaller ones shuffle).
  const attempts: { kind: 'tail' | 'slack'; size: number }[] = [{ kind: 'tail', size: 4 }, { kind: 'slack', size: 6 }, { kind: 'tail', size: 8 }, { kind: 'slack', size: 12 }, { kind: 'tail', size: 16 }, { kind: 'tail', size: plan.windows }];
  let attempt = 0;
  while (attempt < attempts.length) {
    const makespan = state.makespan();
    const remaining = (deadline - performance.now()) / 1000;
    if (makespan <= lowerBound || remaining < 0.1) return;
    const last = makespan - 1;
    const { kind, size } = attempts[attempt]!;
    const everywhere = range(0, last);
    const shuffle = kind === 'tail' ? range(Math.max(0, last - size), last) : [...mostSlack(plan, state, last, size), last];
    // The last window's clusters, and what they depend on (which may have to move earlier to let them),
    // may go to any earlier window with room; the clusters of the shuffle windows move among those.
    const lastOnes = movableIn(plan, state, [last]);
    const free = new Set([...lastOnes, ...lastOnes.flatMap((c) => plan.graph.preds[c]!.filter((p) => plan.clusters[p]!.pinned < 0))]);
    const clusters = [...new Set([...movableIn(plan, state, shuffle), ...free])];
    stats.mipSolves++;
    const out = await solveNeighbourhood(plan, state, {
      clusters, windows: everywhere, windowsOf: (c) => (free.has(c) ? everywhere : shuffle),
      objective: 'empty-last', emptyWindow: last, timeLimitSeconds: Math.min(remaining * 0.8, 1.5),
    });
    const emptied = out.windows !== null && [...out.windows.values()].every((w) => w !== last);
    if (emptied && apply(state, out.windows!)) {
      improved(state.makespan());
      attempt = 0;
    } else attempt++;
  }
}

/** The `count` windows before `last` with the most operator hours left. */
function mostSlack(plan: Compiled, state: PlacementState, last: number, count: number): number[] {
  const left = range(0, last - 1).map((w) => ({ w, left: plan.windowCap[0]![w]! - state.used[0]![w]! }));
  return left.sort((a, b) => b.left - a.left).slice(0, count).map((x) => x.w).sort((a, b) => a - b);
}

export async function balanceRisk(plan: Compiled, state: PlacementState, deadline: number, stats: SearchStats): Promise<void> {
  const tried = new Set<string>();
  let fruitless = 0;
  for (let round = 0; round < 200 && fruitless < 6; round++) {
    const remaining = (deadline - performance.now()) / 1000;
    if (remaining < 0.1) return;
    const makespan = state.makespan();
    const risk = windowRisk(plan, state, makespan);
    let peak = 0;
    for (let w = 1; w < makespan; w++) if (risk[w]! > risk[peak]!) peak = w;
    const calm = range(0, makespan - 1).filter((w) => w !== peak).sort((a, b) => risk[a]! - risk[b]!);
    // Alternate between the calmest windows and the peak's neighbours (dependencies keep moves local).
    const partners = round % 2 === 0 ? calm.slice(0, 5) : calm.filter((w) => Math.abs(w - peak) <= 3).slice(0, 5);
    const windows = [peak, ...partners].sort((a, b) => a - b);
    const key = windows.join(',');
    if (tried.has(key)) {
      if (round % 2 === 1) return;
      continue;
    }
    tried.add(key);
    const inSet = new Set(windows);
    const clusters = movableIn(plan, state, windows);
    const floor = Math.max(0, ...risk.filter((_, w) => !inSet.has(w)));
    stats.mipSolves++;
    const out = await solveNeighbourhood(plan, state, { clusters, windows, objective: 'risk', riskFloor: floor, timeLimitSeconds: Math.min(remaining * 0.8, 1) });
    if (out.windows && out.objective < risk[peak]! - 1e-6 && apply(state, out.windows)) {
      tried.clear();
      fruitless = 0;
    } else fruitless++;
  }
}

export function windowRisk(plan: Compiled, state: PlacementState, makespan = plan.windows): Float64Array {
  const out = new Float64Array(makespan);
  plan.clusters.forEach((cl, c) => {
    const w = state.windowOf[c]!;
    if (w >= 0 && w < makespan) out[w]! += cl.risk;
  });
  return out;
}

function movableIn(plan: Compiled, state: PlacementState, windows: readonly number[]): number[] {
  const inSet = new Set(windows);
  const out: number[] = [];
  plan.clusters.forEach((cl, c) => {
    if (inSet.has(state.windowOf[c]!) && cl.pinned < 0) out.push(c);
  });
  return out;
}

/**
 * Moves clusters to their new windows, then re-checks every window and pool exactly: HiGHS works to a
 * feasibility tolerance, the plan must not exceed a capacity by any amount. A move that would is undone.
 */
function apply(state: PlacementState, moves: Map<number, number>): boolean {
  const before = new Map<number, number>();
  for (const [c] of moves) {
    before.set(c, state.windowOf[c]!);
    state.remove(c);
  }
  for (const [c, w] of moves) state.place(c, w);
  if (state.withinCapacity()) return true;
  for (const [c] of moves) state.remove(c);
  for (const [c, w] of before) state.place(c, w);
  return false;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
