import { cloudsRepo } from '../federation/clouds-repo.ts';
import type { Queryable } from '../store/store.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { addDays } from './calendar.ts';
import { calendarRepo } from './calendar-repo.ts';
import { candidatesRepo, type CandidateRow } from './candidates-repo.ts';
import type { CapacityPool, PlanInput } from './plan-model.ts';
import { plansRepo, type PlanRow } from './plans-repo.ts';

/**
 * The stored plan as the scheduler's input (plan-model.ts): weekly windows from the plan's first week,
 * the departments' slots, the blackouts over the plan's weeks, operator hours (a cancelled window has none),
 * target pools (the plan's own, else the target cloud's last capacity reading: vCPU allocatable × overcommit
 * − allocated, per architecture; a same-city DR pool when the cloud has a same-city DR site), the links,
 * and the systems with their dependencies inside the plan and their waves under way pinned.
 */

export const poolKey = (cloudId: string, arch: string) => `${cloudId}/${arch}`;
export const drPoolKey = (cloudId: string, arch: string) => `${cloudId}:dr/${arch}`;

export async function buildPlanInput(db: Queryable, plan: PlanRow, opts: { now: Date; extraCandidates?: string[]; cancelWindows?: number[] }): Promise<{ input: PlanInput; candidates: CandidateRow[] }> {
  const memberIds = [...new Set([...(await plansRepo.members(db, plan.id)), ...(opts.extraCandidates ?? [])])];
  const candidates = memberIds.length ? await candidatesRepo.list(db, { departmentIds: null }, { ids: memberIds }) : [];
  const windows = Array.from({ length: plan.weeks }, (_, i) => ({ id: `W${i + 1}`, weekStart: addDays(plan.firstWeek, 7 * i) }));
  const lastDay = addDays(plan.firstWeek, 7 * plan.weeks - 1);
  const departmentIds = [...new Set(candidates.map((c) => c.departmentId))];
  const slots = departmentIds.length ? await calendarRepo.slots(db, { departmentIds: null }, departmentIds) : [];
  const departments = departmentIds.map((id) => ({
    departmentId: id,
    name: candidates.find((c) => c.departmentId === id)!.departmentName,
    slots: slots.filter((s) => s.departmentId === id).map((s) => ({ weekday: s.weekday, start: s.start, hours: s.hours })),
  }));
  const blackouts = (await calendarRepo.blackouts(db, { departmentIds: null }, { from: plan.firstWeek, to: lastDay }))
    .map((b) => ({ from: b.from, to: b.to, reason: b.reason, departmentIds: b.departmentIds }));
  const cancelled = new Set([...plan.cancelled, ...(opts.cancelWindows ?? [])]);
  const operatorHours = plan.operatorHours.map((h, w) => (cancelled.has(w) ? 0 : h));
  const pools = await poolsFor(db, plan.pools, candidates);
  const links = (await candidatesRepo.links(db, [...new Set(candidates.map((c) => c.linkId))])).map((l) => ({ id: l.id, label: l.label, gbps: l.gbps, hoursPerWindow: l.hoursPerWindow }));
  const inPlan = new Set(memberIds);
  const bySystem = new Map(candidates.map((c) => [c.systemId, c.id]));
  const edges = await systemsRepo.allEdges(db);
  const pinned = await plansRepo.underWay(db, plan.id);
  const poolKeys = new Set(pools.map((p) => p.key));
  const systems = candidates.map((c) => ({
    id: c.id, name: c.systemName, departmentId: c.departmentId, effortHours: c.effortHours, dataGiB: c.dataGiB, vcpu: c.vcpu, linkId: c.linkId,
    targetPool: poolKey(c.targetCloudId, c.targetArch),
    targetDrPool: poolKeys.has(drPoolKey(c.targetCloudId, c.targetArch)) ? drPoolKey(c.targetCloudId, c.targetArch) : null,
    mlpsLevel: c.mlpsLevel, drLevel: c.drLevel,
    dependsOn: edges.filter((e) => e.systemId === c.systemId).map((e) => bySystem.get(e.dependsOnId)).filter((d): d is string => d !== undefined && inPlan.has(d)),
    group: c.groupName, pinnedWindow: pinned.get(c.id) ?? null,
  }));
  return { input: { windows, departments, blackouts, operatorHours, pools, links, systems, notBefore: opts.now.toISOString() }, candidates };
}

/** The plan's pools, completed from the target clouds' capacity readings for the pools it does not set. */
async function poolsFor(db: Queryable, own: CapacityPool[], candidates: CandidateRow[]): Promise<CapacityPool[]> {
  const out = [...own];
  const have = new Set(own.map((p) => p.key));
  const targets = [...new Set(candidates.map((c) => c.targetCloudId))];
  for (const cloud of targets.length ? await cloudsRepo.list(db, { ids: targets }) : []) {
    const arches = [...new Set(candidates.filter((c) => c.targetCloudId === cloud.id).map((c) => c.targetArch))];
    for (const arch of arches) {
      const vcpu = (cloud.capacity ?? []).filter((l) => l.arch === arch && l.resourceClass === 'vcpu').reduce((a, l) => a + Math.max(0, l.total * l.overcommit - l.used), 0);
      const add = (key: string, label: string, v: number) => {
        if (have.has(key) || v <= 0) return;
        have.add(key);
        out.push({ key, label, steps: [{ fromWindow: 0, vcpu: Math.floor(v) }] });
      };
      // The reading does not split a cloud's sites: with a same-city DR site, half is assumed at each (operators set the real figures).
      const dr = cloud.siteRoles.includes('same-city-dr');
      add(poolKey(cloud.id, arch), `${cloud.name} ${arch}`, dr ? vcpu / 2 : vcpu);
      if (dr) add(drPoolKey(cloud.id, arch), `${cloud.name}同城灾备 ${arch}`, vcpu / 2);
    }
  }
  return out;
}
