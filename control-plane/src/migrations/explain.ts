import type { BoundPart, ResourceConflict } from './bounds.ts';
import type { ClosedReason } from './calendar.ts';
import { HOURS, minFrom, type Compiled } from './compile.ts';

/**
 * Why a plan cannot be scheduled, in the operator's words: which systems, which windows, which capacity.
 * Every explanation here is a proof, not a guess: a cluster with no usable window, a DR rule the target
 * cannot meet, or a relaxation (bounds.ts) that already needs more windows than the plan has.
 */

export interface Explanation {
  kind: 'department-window' | 'group-windows' | 'too-large' | 'dependency' | 'dr-protection' | 'pool' | 'resource' | 'under-way';
  systems: string[];
  windows: string[];
  constraint: string;
  zh: string;
  en: string;
}

const names = (plan: Compiled, systems: number[]) => systems.map((i) => plan.systems[i]!.name).join('、');
const namesEn = (plan: Compiled, systems: number[]) => systems.map((i) => plan.systems[i]!.name).join(', ');

/** Explanations for what makes the plan infeasible before any search (empty when nothing does). */
export function explainStatic(plan: Compiled): Explanation[] {
  const out: Explanation[] = [];
  plan.systems.forEach((s) => {
    if (s.drLevel >= 4 && s.targetDrPool === null) {
      out.push({
        kind: 'dr-protection', systems: [s.id], windows: [], constraint: s.targetPool,
        zh: `${s.name}（灾备等级 ${s.drLevel}）迁移期间会失去同城保护：目标 ${s.targetPool} 没有同城灾备资源池`,
        en: `${s.name} (DR level ${s.drLevel}) would lose same-city protection during its move: target ${s.targetPool} has no same-city DR pool`,
      });
    }
  });
  out.push(...explainUnderWay(plan));
  const failed = new Set<number>();
  for (const c of plan.graph.topo) {
    const cl = plan.clusters[c]!;
    if (cl.release >= 0) continue;
    failed.add(c);
    const blockedBy = plan.graph.preds[c]!.filter((p) => failed.has(p));
    out.push(blockedBy.length ? dependencyExplanation(plan, c, blockedBy) : windowExplanation(plan, c));
  }
  return out;
}

/** Waves under way are facts: if they alone exceed a capacity (it was lowered after they started), say so. */
function explainUnderWay(plan: Compiled): Explanation[] {
  const out: Explanation[] = [];
  const pinned = plan.clusters.filter((cl) => cl.pinned >= 0);
  if (!pinned.length) return out;
  const systemsOf = (cls: typeof pinned) => cls.flatMap((cl) => cl.members);
  plan.resNames.forEach((name, r) => {
    for (let w = 0; w < plan.windows; w++) {
      const here = pinned.filter((cl) => cl.pinned === w && cl.useRes.includes(r));
      const load = here.reduce((a, cl) => a + cl.useAmt[cl.useRes.indexOf(r)]!, 0);
      if (load > plan.windowCap[r]![w]! + 1e-9) out.push(underWay(plan, systemsOf(here), name, plan.input.windows[w]!.id, load, plan.windowCap[r]![w]!));
    }
  });
  plan.poolNames.forEach((name, p) => {
    for (let w = 0; w < plan.windows; w++) {
      const upTo = pinned.filter((cl) => cl.pinned <= w && cl.poolRes.includes(p));
      const load = upTo.reduce((a, cl) => a + cl.poolAmt[cl.poolRes.indexOf(p)]!, 0);
      if (load > plan.poolAvail[p]![w]! + 1e-9) {
        out.push(underWay(plan, systemsOf(upTo), name, plan.input.windows[w]!.id, load, plan.poolAvail[p]![w]!));
        break;
      }
    }
  });
  return out;
}

function underWay(plan: Compiled, members: number[], constraint: string, window: string, load: number, cap: number): Explanation {
  return {
    kind: 'under-way', systems: members.map((i) => plan.systems[i]!.id), windows: [window], constraint,
    zh: `已在进行的迁移批次本身已超出 ${constraint} 在 ${window} 的容量（${fmt(load)} > ${fmt(cap)}）：${names(plan, members)}`,
    en: `the waves under way alone exceed ${constraint} in ${window} (${fmt(load)} > ${fmt(cap)}): ${namesEn(plan, members)}`,
  };
}

function dependencyExplanation(plan: Compiled, c: number, blockedBy: number[]): Explanation {
  const members = plan.clusters[c]!.members;
  const needs = blockedBy.flatMap((p) => plan.clusters[p]!.members);
  return {
    kind: 'dependency', systems: members.map((i) => plan.systems[i]!.id), windows: [], constraint: 'dependsOn',
    zh: `${names(plan, members)} 依赖的 ${names(plan, needs)} 无法排入任何窗口，因此也无法迁移`,
    en: `${namesEn(plan, members)} depend on ${namesEn(plan, needs)}, which cannot be scheduled in any window`,
  };
}

function windowExplanation(plan: Compiled, c: number): Explanation {
  const cl = plan.clusters[c]!;
  const W = plan.windows;
  const ids = cl.members.map((i) => plan.systems[i]!.id);
  // 1. A department with no open window at all.
  for (const i of cl.members) {
    const s = plan.systems[i]!;
    const dw = plan.deptWindows.get(s.departmentId)!;
    if (dw.some((d) => d.open)) continue;
    const dept = plan.input.departments.find((d) => d.departmentId === s.departmentId)!;
    const reasons = summarise(dw.flatMap((d) => d.closed.slice(0, 1)));
    return {
      kind: 'department-window', systems: ids, windows: [], constraint: dept.name,
      zh: `${names(plan, cl.members)}：${dept.name} 在计划期内没有可用的维护窗口（${reasons.zh}）`,
      en: `${namesEn(plan, cl.members)}: ${dept.name} has no usable maintenance window in the plan (${reasons.en})`,
    };
  }
  // 2. Members whose departments' open windows never coincide.
  const common = Array.from({ length: W }, (_, w) => cl.members.every((i) => plan.deptWindows.get(plan.systems[i]!.departmentId)![w]!.open));
  if (!common.some(Boolean)) {
    return {
      kind: 'group-windows', systems: ids, windows: [], constraint: 'group',
      zh: `${names(plan, cl.members)} 必须同批迁移，但各自部门的可用窗口没有交集`,
      en: `${namesEn(plan, cl.members)} must move together, but their departments share no open window`,
    };
  }
  // 3. Too large for every window open to it.
  const open = common.map((ok, w) => (ok ? w : -1)).filter((w) => w >= 0);
  for (let k = 0; k < cl.useRes.length; k++) {
    const r = cl.useRes[k]!;
    const most = Math.max(...open.map((w) => plan.windowCap[r]![w]!));
    if (cl.useAmt[k]! > most) {
      const what = r === HOURS ? { zh: '运维工时', en: 'operator hours', unit: 'h' } : { zh: `复制链路 ${plan.resNames[r]!.slice(5)}`, en: `replication link ${plan.resNames[r]!.slice(5)}`, unit: 'GiB' };
      return {
        kind: 'too-large', systems: ids, windows: open.map((w) => plan.input.windows[w]!.id), constraint: plan.resNames[r]!,
        zh: `${names(plan, cl.members)} 在一个窗口内需要 ${fmt(cl.useAmt[k]!)} ${what.unit}${what.zh}，可用窗口最多只有 ${fmt(most)} ${what.unit}`,
        en: `${namesEn(plan, cl.members)} need ${fmt(cl.useAmt[k]!)} ${what.unit} of ${what.en} in one window; no open window offers more than ${fmt(most)} ${what.unit}`,
      };
    }
  }
  for (let k = 0; k < cl.poolRes.length; k++) {
    const p = cl.poolRes[k]!;
    const most = Math.max(...open.map((w) => minFrom(plan.poolAvail[p]!, w)));
    if (cl.poolAmt[k]! > most) {
      return {
        kind: 'too-large', systems: ids, windows: [], constraint: plan.poolNames[p]!,
        zh: `${names(plan, cl.members)} 需要 ${fmt(cl.poolAmt[k]!)} vCPU 的 ${plan.poolNames[p]}，该资源池最多提供 ${fmt(most)} vCPU`,
        en: `${namesEn(plan, cl.members)} need ${fmt(cl.poolAmt[k]!)} vCPU on ${plan.poolNames[p]}, which never offers more than ${fmt(most)}`,
      };
    }
  }
  return {
    kind: 'department-window', systems: ids, windows: [], constraint: 'windows',
    zh: `${names(plan, cl.members)} 没有可用窗口`, en: `${namesEn(plan, cl.members)} have no usable window`,
  };
}

/** Explanations from bounds that exceed the horizon. */
export function explainBounds(plan: Compiled, parts: BoundPart[], conflicts: ResourceConflict[]): Explanation[] {
  const W = plan.windows;
  const out: Explanation[] = [];
  for (const part of parts) {
    if (part.kind !== 'pool' || part.value <= W) continue;
    const p = plan.poolNames.indexOf(part.name);
    const users = plan.clusters.flatMap((cl) => (cl.poolRes.includes(p) ? cl.members : []));
    const demand = plan.clusters.reduce((a, cl) => a + cl.poolRes.reduce((x, q, k) => x + (q === p ? cl.poolAmt[k]! : 0), 0), 0);
    const have = plan.poolAvail[p]![W - 1]!;
    out.push({
      kind: 'pool', systems: users.map((i) => plan.systems[i]!.id), windows: [], constraint: part.name,
      zh: `资源池 ${part.name}：迁入的 ${users.length} 个系统共需 ${fmt(demand)} vCPU，到最后一个窗口也只有 ${fmt(have)} vCPU`,
      en: `pool ${part.name}: the ${users.length} systems moving there need ${fmt(demand)} vCPU; it offers ${fmt(have)} by the last window`,
    });
  }
  for (const conflict of conflicts) {
    const members = conflict.clusters.flatMap((c) => plan.clusters[c]!.members);
    const depts = [...new Set(members.map((i) => plan.systems[i]!.departmentId))].map((d) => plan.input.departments.find((x) => x.departmentId === d)!.name);
    const name = plan.resNames[conflict.resource]!;
    const what = conflict.resource === HOURS ? { zh: '运维工时', en: 'operator hours', unit: 'h' } : { zh: `复制链路 ${name.slice(5)} 带宽`, en: `bandwidth of link ${name.slice(5)}`, unit: 'GiB' };
    const windows = conflict.windows.map((w) => plan.input.windows[w]!.id);
    out.push({
      kind: 'resource', systems: members.map((i) => plan.systems[i]!.id), windows, constraint: name,
      zh: `${what.zh}不足：${depts.slice(0, 6).join('、')}${depts.length > 6 ? ' 等' : ''} 的 ${members.length} 个系统共需 ${fmt(conflict.demand)} ${what.unit}，它们可用的 ${windows.length} 个窗口只有 ${fmt(conflict.capacity)} ${what.unit}`,
      en: `not enough ${what.en}: ${members.length} systems of ${depts.slice(0, 6).join(', ')}${depts.length > 6 ? ' and others' : ''} need ${fmt(conflict.demand)} ${what.unit}; the ${windows.length} windows open to them offer ${fmt(conflict.capacity)} ${what.unit}`,
    });
  }
  return out;
}

function summarise(reasons: ClosedReason[]): { zh: string; en: string } {
  const past = reasons.filter((r) => r.kind === 'past').length;
  const none = reasons.some((r) => r.kind === 'no-slot');
  const byBlackout = new Map<string, number>();
  for (const r of reasons) if (r.kind === 'blackout') byBlackout.set(r.blackout.reason, (byBlackout.get(r.blackout.reason) ?? 0) + 1);
  const zh: string[] = [];
  const en: string[] = [];
  if (none) {
    zh.push('未设置维护时段');
    en.push('no maintenance slot set');
  }
  if (past) {
    zh.push(`${past} 个窗口已过去`);
    en.push(`${past} windows in the past`);
  }
  for (const [reason, n] of byBlackout) {
    zh.push(`${n} 个窗口因“${reason}”封网`);
    en.push(`${n} windows closed by blackout "${reason}"`);
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
