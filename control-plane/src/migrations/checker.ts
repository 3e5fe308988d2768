import type { Assignment, PlanInput, PlanSystem } from './plan-model.ts';

/**
 * The independent constraint checker. It shares no code with the scheduler on purpose: it reads the plan as
 * given (not the scheduler's compiled arrays), works on real instants where the scheduler counts China-time
 * minutes, and recomputes every figure (link volume, cumulative pool use, department slots) its own way.
 * A bug in the scheduler's reading of a constraint therefore shows up here as a violation instead of
 * being repeated. Used by the property specs, the benchmark and, before a plan version is saved, the API.
 */

export interface Violation {
  constraint: 'unscheduled' | 'window-range' | 'pinned' | 'department-window' | 'group' | 'dependency' | 'operator-hours' | 'link' | 'pool' | 'dr-protection';
  message: string;
  systems: string[];
  window: number | null;
}

const DAY_MS = 86_400_000;
const TOLERANCE = 1e-6;

export function checkSchedule(input: PlanInput, assignment: Assignment): Violation[] {
  const out: Violation[] = [];
  const W = input.windows.length;
  const byId = new Map(input.systems.map((s) => [s.id, s]));
  const windowOf = (s: PlanSystem) => assignment.get(s.id);

  for (const s of input.systems) {
    const w = windowOf(s);
    if (w === undefined) {
      out.push({ constraint: 'unscheduled', message: `${s.name} has no window`, systems: [s.id], window: null });
      continue;
    }
    if (!Number.isInteger(w) || w < 0 || w >= W) out.push({ constraint: 'window-range', message: `${s.name} is in window ${w}, outside the plan`, systems: [s.id], window: w });
    else if (s.pinnedWindow !== null && s.pinnedWindow !== w) out.push({ constraint: 'pinned', message: `${s.name} is under way in window ${s.pinnedWindow} but was moved to ${w}`, systems: [s.id], window: w });
    else if (s.pinnedWindow === null && !departmentCanMove(input, s.departmentId, w)) {
      out.push({ constraint: 'department-window', message: `${s.name}: department ${s.departmentId} has no usable slot in window ${input.windows[w]!.id}`, systems: [s.id], window: w });
    }
    if (s.drLevel >= 4 && s.targetDrPool === null) out.push({ constraint: 'dr-protection', message: `${s.name} (DR level ${s.drLevel}) has no same-city protection at its target`, systems: [s.id], window: w });
    for (const d of s.dependsOn) {
      const need = byId.get(d);
      const wd = need ? windowOf(need) : undefined;
      if (need && wd !== undefined && wd > w) out.push({ constraint: 'dependency', message: `${s.name} (window ${w}) moves before ${need.name} (window ${wd}), which it needs`, systems: [s.id, d], window: w });
    }
  }

  const groups = new Map<string, PlanSystem[]>();
  for (const s of input.systems) if (s.group !== null) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  for (const [g, members] of groups) {
    const ws = new Set(members.map(windowOf).filter((w) => w !== undefined));
    if (ws.size > 1) out.push({ constraint: 'group', message: `group ${g} is split over windows ${[...ws].join(', ')}`, systems: members.map((m) => m.id), window: null });
  }

  const scheduled = input.systems.filter((s) => { const w = windowOf(s); return w !== undefined && w >= 0 && w < W; });
  for (let w = 0; w < W; w++) {
    const here = scheduled.filter((s) => windowOf(s) === w);
    const hours = here.reduce((a, s) => a + s.effortHours, 0);
    if (hours > input.operatorHours[w]! + TOLERANCE) out.push({ constraint: 'operator-hours', message: `window ${input.windows[w]!.id} needs ${hours} operator hours, has ${input.operatorHours[w]}`, systems: here.map((s) => s.id), window: w });
    for (const link of input.links) {
      const onLink = here.filter((s) => s.linkId === link.id);
      const gib = onLink.reduce((a, s) => a + s.dataGiB, 0);
      // Gigabits per second over the usable hours, in GiB.
      const capacity = link.gbps * link.hoursPerWindow * 3600 * 1e9 / 8 / 1024 ** 3;
      if (gib > capacity + TOLERANCE) out.push({ constraint: 'link', message: `window ${input.windows[w]!.id}: ${gib.toFixed(1)} GiB over ${link.label}, which carries ${capacity.toFixed(1)}`, systems: onLink.map((s) => s.id), window: w });
    }
  }

  for (const pool of input.pools) {
    for (let t = 0; t < W; t++) {
      let available = 0;
      let latest = -1;
      for (const step of pool.steps) if (step.fromWindow <= t && step.fromWindow > latest) {
        latest = step.fromWindow;
        available = step.vcpu;
      }
      const users = scheduled.filter((s) => windowOf(s)! <= t && (s.targetPool === pool.key || (s.drLevel >= 4 && s.targetDrPool === pool.key)));
      const need = users.reduce((a, s) => a + s.vcpu * ((s.targetPool === pool.key ? 1 : 0) + (s.drLevel >= 4 && s.targetDrPool === pool.key ? 1 : 0)), 0);
      if (need > available + TOLERANCE) {
        out.push({ constraint: 'pool', message: `${pool.label}: ${need} vCPU moved in by window ${input.windows[t]!.id}, ${available} available`, systems: users.map((s) => s.id), window: t });
        break;
      }
    }
  }
  return out;
}

/** True when one of the department's slots in the window's week starts after notBefore and misses every blackout. */
function departmentCanMove(input: PlanInput, departmentId: string, w: number): boolean {
  const dept = input.departments.find((d) => d.departmentId === departmentId);
  if (!dept) return false;
  const weekStart = Date.parse(`${input.windows[w]!.weekStart}T00:00:00+08:00`);
  const notBefore = input.notBefore === null ? -Infinity : Date.parse(input.notBefore);
  const blackouts = input.blackouts
    .filter((b) => b.departmentIds === null || b.departmentIds.includes(departmentId))
    .map((b) => [Date.parse(`${b.from}T00:00:00+08:00`), Date.parse(`${b.to}T00:00:00+08:00`) + DAY_MS] as const);
  for (const slot of dept.slots) {
    for (let day = 0; day < 7; day++) {
      const date = weekStart + day * DAY_MS;
      // The weekday of that date in China: shift the instant by 8 h and read it as UTC.
      const jsDay = new Date(date + 8 * 3_600_000).getUTCDay();
      if ((jsDay === 0 ? 7 : jsDay) !== slot.weekday) continue;
      const [hh, mm] = slot.start.split(':').map(Number);
      const start = date + (hh! * 60 + mm!) * 60_000;
      const end = start + slot.hours * 3_600_000;
      if (start < notBefore) continue;
      if (blackouts.some(([from, to]) => from < end && start < to)) continue;
      return true;
    }
  }
  return false;
}
