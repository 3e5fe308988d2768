import type { Compiled } from './compile.ts';

/**
 * What is left in every window as clusters are placed: per-window resources, and for each cumulative pool
 * the slack from each window to the end (a cluster placed in window w occupies its pool from w on, so it
 * fits when the smallest slack at or after w covers it). Used by the greedy constructions and by the MIP
 * neighbourhoods to read residual capacity.
 */
export class PlacementState {
  readonly windowOf: Int32Array;
  readonly used: Float64Array[];
  readonly poolUsed: Float64Array[];
  /** suffixSlack[p][w] = min over t ≥ w of (avail − used) for pool p. */
  private readonly suffixSlack: Float64Array[];

  constructor(readonly plan: Compiled) {
    const W = plan.windows;
    this.windowOf = new Int32Array(plan.clusters.length).fill(-1);
    this.used = plan.windowCap.map(() => new Float64Array(W));
    this.poolUsed = plan.poolAvail.map(() => new Float64Array(W));
    this.suffixSlack = plan.poolAvail.map(() => new Float64Array(W));
    for (let p = 0; p < plan.poolAvail.length; p++) this.refreshPool(p);
  }

  fits(c: number, w: number, eps = 1e-9): boolean {
    const cl = this.plan.clusters[c]!;
    for (let k = 0; k < cl.useRes.length; k++) {
      const r = cl.useRes[k]!;
      if (this.used[r]![w]! + cl.useAmt[k]! > this.plan.windowCap[r]![w]! + eps) return false;
    }
    for (let k = 0; k < cl.poolRes.length; k++) if (cl.poolAmt[k]! > this.suffixSlack[cl.poolRes[k]!]![w]! + eps) return false;
    return true;
  }

  place(c: number, w: number): void {
    this.apply(c, w, 1);
    this.windowOf[c] = w;
  }

  remove(c: number): void {
    const w = this.windowOf[c]!;
    if (w < 0) return;
    this.apply(c, w, -1);
    this.windowOf[c] = -1;
  }

  /** Latest window any predecessor occupies (-1 when none is placed yet, or none exists). */
  earliestByPreds(c: number): number {
    let from = 0;
    for (const p of this.plan.graph.preds[c]!) {
      const w = this.windowOf[p]!;
      if (w < 0) return -1;
      from = Math.max(from, w);
    }
    return from;
  }

  /** Every window and pool within its capacity, exactly (no solver tolerance). */
  withinCapacity(eps = 1e-9): boolean {
    for (let r = 0; r < this.used.length; r++) {
      const cap = this.plan.windowCap[r]!;
      const used = this.used[r]!;
      for (let w = 0; w < used.length; w++) if (used[w]! > cap[w]! + eps) return false;
    }
    return this.suffixSlack.every((s) => s.every((v) => v >= -eps));
  }

  makespan(): number {
    let m = 0;
    for (const w of this.windowOf) m = Math.max(m, w + 1);
    return m;
  }

  private apply(c: number, w: number, sign: 1 | -1): void {
    const cl = this.plan.clusters[c]!;
    for (let k = 0; k < cl.useRes.length; k++) this.used[cl.useRes[k]!]![w]! += sign * cl.useAmt[k]!;
    for (let k = 0; k < cl.poolRes.length; k++) {
      const p = cl.poolRes[k]!;
      const u = this.poolUsed[p]!;
      for (let t = w; t < u.length; t++) u[t]! += sign * cl.poolAmt[k]!;
      this.refreshPool(p);
    }
  }

  private refreshPool(p: number): void {
    const avail = this.plan.poolAvail[p]!;
    const used = this.poolUsed[p]!;
    const s = this.suffixSlack[p]!;
    let m = Infinity;
    for (let t = avail.length - 1; t >= 0; t--) {
      m = Math.min(m, avail[t]! - used[t]!);
      s[t] = m;
    }
  }
}
