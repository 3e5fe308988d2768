import { departmentWindows, formatLocal, type ClosedReason } from './calendar.ts';
import { linkGiBPerWindow, type Assignment, type PlanInput } from './plan-model.ts';
import type { Reason } from './method.ts';

/**
 * Why each system sits in its window, for the schedule view: the department's slot it uses there, and for
 * the earlier windows the first thing that kept it out of them (the department's calendar, what it needs
 * moving later, its group, a capacity already used by the systems placed there). When nothing did, it says
 * so plainly: the solver moved it later to shorten the plan or lower the peak risk.
 */

export interface Placement {
  window: number;
  windowId: string;
  slot: string | null;
  reasons: Reason[];
}

const closedWhy = (c: ClosedReason | undefined): Reason =>
  !c || c.kind === 'no-slot' ? { zh: '部门当周没有维护时段', en: 'the department has no maintenance slot that week' }
    : c.kind === 'past' ? { zh: '时段已过', en: 'its slot is already over' }
      : { zh: `停机封网：${c.blackout.reason}（${c.blackout.from}–${c.blackout.to}）`, en: `blackout: ${c.blackout.reason} (${c.blackout.from}–${c.blackout.to})` };

export function explainPlacements(input: PlanInput, assignment: Assignment): Map<string, Placement> {
  const dw = departmentWindows(input);
  const byId = new Map(input.systems.map((s) => [s.id, s]));
  const W = input.windows.length;
  const hours = new Float64Array(W);
  const link = new Map<string, Float64Array>();
  const poolAdded = new Map<string, Float64Array>();
  for (const s of input.systems) {
    const w = assignment.get(s.id);
    if (w === undefined) continue;
    hours[w]! += s.effortHours;
    if (!link.has(s.linkId)) link.set(s.linkId, new Float64Array(W));
    link.get(s.linkId)![w]! += s.dataGiB;
    for (const p of [s.targetPool, ...(s.drLevel >= 4 && s.targetDrPool ? [s.targetDrPool] : [])]) {
      if (!poolAdded.has(p)) poolAdded.set(p, new Float64Array(W));
      poolAdded.get(p)![w]! += s.vcpu;
    }
  }
  const poolCap = (key: string, w: number) => {
    const steps = input.pools.find((p) => p.key === key)?.steps ?? [];
    return steps.filter((st) => st.fromWindow <= w).sort((a, b) => b.fromWindow - a.fromWindow)[0]?.vcpu ?? 0;
  };
  const poolUsedUpTo = (key: string, w: number) => (poolAdded.get(key) ?? new Float64Array(W)).slice(0, w + 1).reduce((a, b) => a + b, 0);

  const out = new Map<string, Placement>();
  for (const s of input.systems) {
    const w = assignment.get(s.id);
    if (w === undefined) continue;
    const mine = dw.get(s.departmentId)?.[w];
    const reasons: Reason[] = [];
    if (s.pinnedWindow !== null) reasons.push({ zh: '该批次已在进行，保持不变', en: 'its wave is already under way and stays where it is' });
    for (let e = 0; e < w && reasons.length < 3; e++) {
      const id = input.windows[e]!.id;
      const d = dw.get(s.departmentId)?.[e];
      if (d && !d.open) { reasons.push({ zh: `${id}：${closedWhy(d.closed[0]).zh}`, en: `${id}: ${closedWhy(d.closed[0]).en}` }); continue; }
      const later = s.dependsOn.map((x) => byId.get(x)!).find((n) => (assignment.get(n.id) ?? -1) > e);
      if (later) { reasons.push({ zh: `${id}：依赖的 ${later.name} 在 ${input.windows[assignment.get(later.id)!]!.id} 才迁移`, en: `${id}: it needs ${later.name}, which moves in ${input.windows[assignment.get(later.id)!]!.id}` }); continue; }
      const mate = s.group !== null ? input.systems.find((m) => m.group === s.group && m.id !== s.id && dw.get(m.departmentId)?.[e]?.open === false) : undefined;
      if (mate) { reasons.push({ zh: `${id}：同组的 ${mate.name} 所在部门当周不可用`, en: `${id}: ${mate.name}, moving with it, cannot move that week` }); continue; }
      if (hours[e]! + s.effortHours > input.operatorHours[e]! + 1e-9) { reasons.push({ zh: `${id}：运维人时已排满（${hours[e]}/${input.operatorHours[e]}）`, en: `${id}: operator hours taken (${hours[e]}/${input.operatorHours[e]})` }); continue; }
      const l = input.links.find((x) => x.id === s.linkId);
      if (l && (link.get(l.id)?.[e] ?? 0) + s.dataGiB > linkGiBPerWindow(l) + 1e-6) { reasons.push({ zh: `${id}：复制链路 ${l.label} 已满`, en: `${id}: replication link ${l.label} is full` }); continue; }
      const full = [s.targetPool, ...(s.drLevel >= 4 && s.targetDrPool ? [s.targetDrPool] : [])].find((p) => poolUsedUpTo(p, e) + s.vcpu > poolCap(p, e) + 1e-9);
      if (full) { reasons.push({ zh: `${id}：目标资源池 ${full} 容量不足`, en: `${id}: target pool ${full} has no room` }); continue; }
    }
    if (!reasons.length && w > 0) reasons.push({ zh: '更早的窗口可用，求解器为缩短总工期或降低峰值风险而安排在此', en: 'earlier windows were open; the solver placed it here to shorten the plan or lower the peak risk' });
    if (!reasons.length) reasons.push({ zh: '计划的第一个窗口', en: 'the first window of the plan' });
    out.set(s.id, { window: w, windowId: input.windows[w]!.id, slot: mine?.slot ? `${formatLocal(mine.slot.start)}–${formatLocal(mine.slot.end).slice(11)}` : null, reasons });
  }
  return out;
}
