import { findCycle } from '../engine/dag.ts';
import { InputError } from '../errors.ts';

/**
 * Systems that must share a window. A move-together group shares one by definition; dependencies only say
 * "not before what I need" (same window allowed), so when groups and dependencies close a loop
 * (A needs B, B needs C, and A and C move together) every system on the loop is forced into the same
 * window too. Those loops are the strongly connected components of the graph with a dependency edge per
 * need and edges both ways inside a group; each component is one cluster, and the dependencies between
 * clusters form a DAG the scheduler orders by. A loop made of dependencies alone is bad input and is
 * refused, named, before any of this.
 */

export interface ClusterGraph {
  /** Cluster index of each system index. */
  clusterOf: Int32Array;
  /** System indices per cluster. */
  members: number[][];
  /** Clusters each cluster depends on (moves in the same window or after them). */
  preds: number[][];
  succs: number[][];
  /** Clusters in an order where every cluster comes after the ones it depends on. */
  topo: number[];
}

export function assertAcyclic(ids: readonly string[], dependsOn: readonly number[][], nameOf: (i: number) => string): void {
  const cycle = findCycle(ids.map((_, i) => String(i)), (n) => dependsOn[Number(n)]!.map(String));
  if (cycle) {
    const systems = cycle.map((n) => nameOf(Number(n))).join(' → ');
    throw new InputError(`dependencies form a cycle: ${systems}`, 'dependsOn', { code: 'migration.dependencyCycle', params: { systems } });
  }
}

export function buildClusters(n: number, dependsOn: readonly number[][], groupOf: readonly (string | null)[]): ClusterGraph {
  // Edges "i must not be earlier than j": i → j for a dependency; i ↔ first member for a group.
  const out: number[][] = dependsOn.map((d) => [...d]);
  const firstOfGroup = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const g = groupOf[i];
    if (g === null || g === undefined) continue;
    const first = firstOfGroup.get(g);
    if (first === undefined) firstOfGroup.set(g, i);
    else {
      out[i]!.push(first);
      out[first]!.push(i);
    }
  }
  const comp = stronglyConnected(n, out);
  const count = Math.max(-1, ...comp) + 1;
  const members: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < n; i++) members[comp[i]!]!.push(i);
  const predSets: Set<number>[] = Array.from({ length: count }, () => new Set());
  for (let i = 0; i < n; i++) for (const j of dependsOn[i]!) if (comp[i] !== comp[j]) predSets[comp[i]!]!.add(comp[j]!);
  const preds = predSets.map((s) => [...s]);
  const succs: number[][] = Array.from({ length: count }, () => []);
  preds.forEach((ps, c) => ps.forEach((p) => succs[p]!.push(c)));
  return { clusterOf: comp, members, preds, succs, topo: topoOrder(preds, succs) };
}

/** Tarjan's algorithm, iterative (thousands of systems: no recursion depth limit). */
function stronglyConnected(n: number, out: readonly number[][]): Int32Array {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let next = 0;
  let comps = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; e: number }[] = [{ v: root, e: 0 }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const edges = out[top.v]!;
      if (top.e < edges.length) {
        const w = edges[top.e++]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, e: 0 });
        } else if (onStack[w]) low[top.v] = Math.min(low[top.v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1]!.v] = Math.min(low[work[work.length - 1]!.v]!, low[top.v]!);
      if (low[top.v] === index[top.v]) {
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = comps;
          if (w === top.v) break;
        }
        comps++;
      }
    }
  }
  return comp;
}

function topoOrder(preds: readonly number[][], succs: readonly number[][]): number[] {
  const waiting = preds.map((p) => p.length);
  const order: number[] = [];
  for (let c = 0; c < preds.length; c++) if (waiting[c] === 0) order.push(c);
  for (let i = 0; i < order.length; i++) for (const s of succs[order[i]!]!) if (--waiting[s]! === 0) order.push(s);
  return order;
}
