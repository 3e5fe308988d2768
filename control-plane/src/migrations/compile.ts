import { InputError } from '../errors.ts';
import { departmentWindows, type DepartmentWindow } from './calendar.ts';
import { assertAcyclic, buildClusters, type ClusterGraph } from './clusters.ts';
import { DEFAULT_RISK, linkGiBPerWindow, type PlanInput, type PlanSystem } from './plan-model.ts';

/**
 * The plan turned into arrays the solvers work on. Two kinds of capacity:
 *  - per window (operator hours; each replication link's GiB): what one window offers, used by the
 *    systems moving in it;
 *  - cumulative (a target pool's vCPU): systems moved there stay there, so everything moved up to and
 *    including a window must fit what the pool offers from that window on.
 * Every check of bad input happens here, before anything is solved, and names what is wrong.
 */

export const HOURS = 0;

export interface Cluster {
  members: number[];
  /** Per-window resources used (index into `Compiled.windowCap`) and amounts. */
  useRes: number[];
  useAmt: number[];
  /** Cumulative pools used (index into `Compiled.poolAvail`) and vCPU. */
  poolRes: number[];
  poolAmt: number[];
  /** Windows the cluster may use: every member's department open and nothing too big for the window alone. */
  allowed: Uint8Array;
  /** Earliest window it can take given what it depends on (-1: none). */
  release: number;
  pinned: number;
  risk: number;
}

export interface Compiled {
  input: PlanInput;
  windows: number;
  /** Per-window resource names (`operator-hours`, `link:<id>`) and capacities [resource][window]. */
  resNames: string[];
  windowCap: Float64Array[];
  /** Pool keys and their cumulative vCPU [pool][window]. */
  poolNames: string[];
  poolAvail: Float64Array[];
  systems: PlanSystem[];
  systemIndex: Map<string, number>;
  systemRisk: Float64Array;
  graph: ClusterGraph;
  clusters: Cluster[];
  deptWindows: Map<string, DepartmentWindow[]>;
}

const EPS = 1e-9;

export function compilePlan(input: PlanInput): Compiled {
  const W = input.windows.length;
  validateShape(input);
  const systems = input.systems;
  const systemIndex = new Map(systems.map((s, i) => [s.id, i]));
  const departments = new Set(input.departments.map((d) => d.departmentId));
  const linkIndex = new Map(input.links.map((l, i) => [l.id, i + 1]));
  const poolIndex = new Map(input.pools.map((p, i) => [p.key, i]));
  const usedPools = new Set<string>();
  const usedLinks = new Set<string>();
  for (const s of systems) {
    if (!departments.has(s.departmentId)) throw new InputError(`system ${s.name}: department ${s.departmentId} has no maintenance calendar in this plan`, 'departments');
    if (!linkIndex.has(s.linkId)) throw new InputError(`system ${s.name}: no replication link ${s.linkId}`, 'links');
    if (!poolIndex.has(s.targetPool)) throw new InputError(`system ${s.name}: target pool ${s.targetPool} is not in the plan's capacities (does the target cloud offer that architecture?)`, 'pools');
    if (s.targetDrPool !== null && !poolIndex.has(s.targetDrPool)) throw new InputError(`system ${s.name}: same-city DR pool ${s.targetDrPool} is not in the plan's capacities`, 'pools');
    usedLinks.add(s.linkId);
    usedPools.add(s.targetPool);
    if (s.drLevel >= 4 && s.targetDrPool !== null) usedPools.add(s.targetDrPool);
    for (const d of s.dependsOn) if (!systemIndex.has(d)) throw new InputError(`system ${s.name} depends on ${d}, which is not in the plan`, 'dependsOn');
    if (s.pinnedWindow !== null && (s.pinnedWindow < 0 || s.pinnedWindow >= W)) throw new InputError(`system ${s.name}: its wave under way is outside the plan's windows`, 'systems');
  }
  for (const p of input.pools) {
    const from = p.steps.map((st) => st.fromWindow);
    if (new Set(from).size !== from.length) throw new InputError(`capacity ${p.label} has two steps from the same window`, 'pools');
    if (p.steps.some((st) => !Number.isInteger(st.fromWindow) || st.fromWindow < 0 || !Number.isFinite(st.vcpu) || st.vcpu < 0)) throw new InputError(`capacity ${p.label}: each step needs a window index ≥ 0 and vCPU ≥ 0`, 'pools');
    if (usedPools.has(p.key) && p.steps.every((st) => st.vcpu <= 0)) throw new InputError(`capacity ${p.label} is empty: no vCPU in any window`, 'pools', { code: 'migration.capacityEmpty', params: { capacity: p.label } });
  }
  for (const l of input.links) if (usedLinks.has(l.id) && linkGiBPerWindow(l) <= 0) throw new InputError(`replication link ${l.label} is empty: no bandwidth`, 'links', { code: 'migration.capacityEmpty', params: { capacity: l.label } });
  if (systems.length > 0 && input.operatorHours.every((h) => h <= 0)) throw new InputError('operator hours are empty: no hours in any window', 'operatorHours', { code: 'migration.capacityEmpty', params: { capacity: 'operator hours' } });

  const dependsOn = systems.map((s) => s.dependsOn.map((d) => systemIndex.get(d)!));
  assertAcyclic(systems.map((s) => s.id), dependsOn, (i) => systems[i]!.name);
  const graph = buildClusters(systems.length, dependsOn, systems.map((s) => s.group));

  const resNames = ['operator-hours', ...input.links.map((l) => `link:${l.id}`)];
  const windowCap = [Float64Array.from(input.operatorHours), ...input.links.map((l) => new Float64Array(W).fill(linkGiBPerWindow(l)))];
  const poolNames = input.pools.map((p) => p.key);
  const poolAvail = input.pools.map((p) => cumulativeSteps(p.steps, W));
  const systemRisk = riskOf(input, dependsOn);
  const deptWindows = departmentWindows(input);

  // Smallest vCPU each pool offers from each window on (a cluster placed there occupies it for good).
  const poolFloor = poolAvail.map((a) => {
    const out = new Float64Array(W);
    let m = Infinity;
    for (let t = W - 1; t >= 0; t--) out[t] = m = Math.min(m, a[t]!);
    return out;
  });
  const clusters = graph.members.map((members): Cluster => {
    const use = new Map<number, number>();
    const pools = new Map<number, number>();
    let pinned = -1;
    let risk = 0;
    const allowed = new Uint8Array(W).fill(1);
    for (const i of members) {
      const s = systems[i]!;
      use.set(HOURS, (use.get(HOURS) ?? 0) + s.effortHours);
      const li = linkIndex.get(s.linkId)!;
      use.set(li, (use.get(li) ?? 0) + s.dataGiB);
      const pi = poolIndex.get(s.targetPool)!;
      pools.set(pi, (pools.get(pi) ?? 0) + s.vcpu);
      if (s.drLevel >= 4 && s.targetDrPool !== null) {
        const di = poolIndex.get(s.targetDrPool)!;
        pools.set(di, (pools.get(di) ?? 0) + s.vcpu);
      }
      risk += systemRisk[i]!;
      if (s.pinnedWindow !== null) {
        if (pinned !== -1 && pinned !== s.pinnedWindow) {
          throw new InputError(`systems that must move together are under way in different waves: ${members.map((m) => systems[m]!.name).join(', ')}`, 'systems');
        }
        pinned = s.pinnedWindow;
      }
      const dw = deptWindows.get(s.departmentId)!;
      for (let w = 0; w < W; w++) if (!dw[w]!.open) allowed[w] = 0;
    }
    const useRes = [...use.keys()];
    const poolRes = [...pools.keys()];
    const c: Cluster = { members, useRes, useAmt: useRes.map((r) => use.get(r)!), poolRes, poolAmt: poolRes.map((p) => pools.get(p)!), allowed, release: -1, pinned, risk };
    // A window that could not hold the cluster even empty is not an option for it.
    for (let w = 0; w < W; w++) {
      if (!allowed[w]) continue;
      if (c.useRes.some((r, k) => c.useAmt[k]! > windowCap[r]![w]! + EPS)) allowed[w] = 0;
      else if (c.poolRes.some((p, k) => c.poolAmt[k]! > poolFloor[p]![w]! + EPS)) allowed[w] = 0;
    }
    if (pinned !== -1) {
      allowed.fill(0);
      allowed[pinned] = 1;
    }
    return c;
  });

  // Releases: the first allowed window not before any of the cluster's dependencies' releases.
  for (const c of graph.topo) {
    const cl = clusters[c]!;
    let from = 0;
    for (const p of graph.preds[c]!) from = Math.max(from, clusters[p]!.release === -1 ? W : clusters[p]!.release);
    cl.release = -1;
    for (let w = from; w < W; w++) if (cl.allowed[w]) {
      cl.release = w;
      break;
    }
  }

  return { input, windows: W, resNames, windowCap, poolNames, poolAvail, systems, systemIndex, systemRisk, graph, clusters, deptWindows };
}

function validateShape(input: PlanInput): void {
  const W = input.windows.length;
  if (W === 0) throw new InputError('the plan has no windows', 'windows');
  if (input.operatorHours.length !== W) throw new InputError(`operator hours are given for ${input.operatorHours.length} windows, the plan has ${W}`, 'operatorHours');
  const ids = new Set<string>();
  let previous = '';
  for (const w of input.windows) {
    if (ids.has(w.id)) throw new InputError(`window ${w.id} appears twice`, 'windows');
    ids.add(w.id);
    if (previous && w.weekStart < addWeek(previous)) throw new InputError(`window ${w.id} (${w.weekStart}) starts before the previous window's week has ended`, 'windows');
    previous = w.weekStart;
  }
  const systemIds = new Set<string>();
  for (const s of input.systems) {
    if (systemIds.has(s.id)) throw new InputError(`system ${s.name} appears twice in the plan`, 'systems');
    systemIds.add(s.id);
    for (const [field, v] of [['effortHours', s.effortHours], ['dataGiB', s.dataGiB], ['vcpu', s.vcpu]] as const) {
      if (!Number.isFinite(v) || v < 0) throw new InputError(`system ${s.name}: ${field} must be a number ≥ 0`, field);
    }
  }
}

function addWeek(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
}

/** Step function → vCPU available at each window (the last step at or before it; 0 before the first). */
function cumulativeSteps(steps: readonly { fromWindow: number; vcpu: number }[], W: number): Float64Array {
  const out = new Float64Array(W);
  const sorted = [...steps].sort((a, b) => a.fromWindow - b.fromWindow);
  for (let w = 0; w < W; w++) {
    let v = 0;
    for (const s of sorted) if (s.fromWindow <= w) v = s.vcpu;
    out[w] = v;
  }
  return out;
}

export function minFrom(a: Float64Array, w: number): number {
  let m = Infinity;
  for (let t = w; t < a.length; t++) if (a[t]! < m) m = a[t]!;
  return m;
}

/** Risk of moving a system: its 等保 weight × (1 + how many systems need it, directly or not). */
function riskOf(input: PlanInput, dependsOn: readonly number[][]): Float64Array {
  const n = dependsOn.length;
  const weights = (input.risk ?? DEFAULT_RISK).mlps;
  const words = Math.ceil(n / 32);
  const above = Array.from({ length: n }, () => new Uint32Array(words));
  // Systems in reverse dependency order: a system's dependants are known before the systems it needs.
  const dependants: number[][] = Array.from({ length: n }, () => []);
  dependsOn.forEach((ds, i) => ds.forEach((d) => dependants[d]!.push(i)));
  const waiting = dependants.map((d) => d.length);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) order.push(i);
  for (let k = 0; k < order.length; k++) for (const d of dependsOn[order[k]!]!) if (--waiting[d]! === 0) order.push(d);
  const out = new Float64Array(n);
  for (const i of order) {
    const mine = above[i]!;
    for (const j of dependants[i]!) {
      const theirs = above[j]!;
      for (let x = 0; x < words; x++) mine[x]! |= theirs[x]!;
      mine[j >> 5]! |= 1 << (j & 31);
    }
    let count = 0;
    for (let x = 0; x < words; x++) count += popcount(mine[x]!);
    out[i] = (weights[input.systems[i]!.mlpsLevel] ?? 1) * (1 + count);
  }
  return out;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
