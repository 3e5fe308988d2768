import { seededRandom } from '../seeded-random.ts';
import { addDays } from './calendar.ts';
import { statutoryBlackouts } from './holidays-cn.ts';
import type { Blackout, CapacityPool, DepartmentCalendar, PlanInput, PlanSystem, ReplicationLink } from './plan-model.ts';

/**
 * Random plans shaped like the province's: departments in the cities with weekly maintenance slots
 * (mostly weekend nights), the 2026 statutory holidays and departments' own busy weeks as blackouts,
 * systems going to the province cloud or the Xinchuang clouds (Kunpeng arm64, Hygon x86_64, Loongson
 * loongarch64) over per-city links, move-together groups and dependencies inside and across departments,
 * DR ≥ 4 systems needing the target's same-city DR zone, and capacities set so that the plan fills most of
 * the horizon. Deterministic for a seed: the property specs and the benchmark use it.
 */

export interface RandomPlanOptions {
  systems: number;
  windows: number;
  seed: number;
  /** Capacity slack: 1 is about what the plan needs over ~75% of the horizon; below 1 gets tight, maybe infeasible. */
  slack?: number;
  /** Probability that a system depends on another. */
  dependencyRate?: number;
  /** Largest move-together group. */
  maxGroup?: number;
  /** Waves under way: this many leading windows are in the past; systems in them are pinned. */
  pinnedWindows?: number;
}

const CITIES = ['3601', '3602', '3603', '3604', '3605', '3606', '3607', '3608', '3609', '3610', '3611'];
const TARGETS = [
  { cloud: 'jx-province', pool: 'jx-province/x86_64', dr: 'jx-province:dr/x86_64', share: 0.3 },
  { cloud: 'xc-kunpeng', pool: 'xc-kunpeng/arm64', dr: null, share: 0.35 },
  { cloud: 'xc-hygon', pool: 'xc-hygon/x86_64', dr: 'xc-hygon:dr/x86_64', share: 0.25 },
  { cloud: 'xc-loongson', pool: 'xc-loongson/loongarch64', dr: null, share: 0.1 },
] as const;
const SLOTS = [
  [{ weekday: 6, start: '22:00', hours: 8 }],
  [{ weekday: 7, start: '01:00', hours: 6 }],
  [{ weekday: 3, start: '23:00', hours: 5 }, { weekday: 6, start: '23:00', hours: 6 }],
  [{ weekday: 5, start: '22:00', hours: 6 }],
];

export function randomPlan(o: RandomPlanOptions): PlanInput {
  const rnd = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const logUniform = (lo: number, hi: number) => Math.round(lo * (hi / lo) ** rnd());
  const W = o.windows;
  const slack = o.slack ?? 1;
  const start = '2026-01-05';
  const windows = Array.from({ length: W }, (_, w) => ({ id: `W${String(w + 1).padStart(2, '0')}`, weekStart: addDays(start, 7 * w) }));

  const deptCount = Math.max(2, Math.round(o.systems / 35));
  const departments: DepartmentCalendar[] = [];
  const deptCity: string[] = [];
  const blackouts: Blackout[] = statutoryBlackouts([2026, 2027]);
  for (let d = 0; d < deptCount; d++) {
    const id = `dept-${d}`;
    departments.push({ departmentId: id, name: `部门${d}`, slots: pick(SLOTS) });
    deptCity.push(d % 3 === 0 ? '36' : pick(CITIES));
    // Some departments change only on the first weekend of a month (the other weeks closed); a third have
    // a busy week every couple of months (reporting, exams, tax season).
    if (rnd() < 0.12) {
      for (let w = 0; w < W; w++) {
        const weekStart = windows[w]!.weekStart;
        if (Number(weekStart.slice(8, 10)) > 7) blackouts.push({ from: weekStart, to: addDays(weekStart, 6), reason: `部门${d}仅每月首周变更（模拟）`, departmentIds: [id] });
      }
    } else if (rnd() < 0.33) {
      const every = 6 + Math.floor(rnd() * 4);
      for (let w = Math.floor(rnd() * every); w < W; w += every) {
        const weekStart = windows[w]!.weekStart;
        blackouts.push({ from: weekStart, to: addDays(weekStart, 6), reason: `部门${d}业务高峰（模拟）`, departmentIds: [id] });
      }
    }
  }

  const links = new Map<string, ReplicationLink>();
  const systems: PlanSystem[] = [];
  let group: string | null = null;
  let groupLeft = 0;
  let groupTarget: (typeof TARGETS)[number] = TARGETS[0];
  const maxGroup = o.maxGroup ?? 6;
  const depRate = o.dependencyRate ?? 0.25;
  for (let i = 0; i < o.systems; i++) {
    // Systems of a department are consecutive; groups stay inside a department.
    const d = Math.min(deptCount - 1, Math.floor((i * deptCount) / o.systems));
    const deptStart = Math.ceil((d * o.systems) / deptCount);
    if (groupLeft === 0 || i === deptStart) {
      groupLeft = rnd() < 0.4 ? 1 : 2 + Math.floor(rnd() * (maxGroup - 1));
      group = groupLeft > 1 ? `g-${i}` : null;
      const r = rnd();
      let acc = 0;
      groupTarget = TARGETS.find((t) => (acc += t.share) >= r) ?? TARGETS[0];
    }
    groupLeft--;
    const target = groupTarget;
    const source = deptCity[d]!;
    const linkId = `${source}->${target.cloud}`;
    if (!links.has(linkId)) links.set(linkId, { id: linkId, label: `${source} → ${target.cloud}`, gbps: 1, hoursPerWindow: 48 });
    const vcpu = logUniform(2, 64);
    const dataGiB = logUniform(20, 3000);
    const method = target.pool.endsWith('arm64') || target.pool.endsWith('loongarch64') ? 'rebuild' : target.cloud === 'xc-hygon' ? 'replatform' : 'rehost';
    const sizeFactor = vcpu > 32 || dataGiB > 1000 ? 3 : vcpu > 8 || dataGiB > 200 ? 2 : 1;
    const effortHours = { rehost: 4, replatform: 8, rebuild: 16 }[method] * sizeFactor;
    const drLevel = target.dr !== null && rnd() < 0.2 ? 4 + Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * 3);
    const dependsOn: string[] = [];
    if (i > 0 && rnd() < depRate) {
      const sameDept = rnd() < 0.7 && i > deptStart;
      const j = sameDept ? deptStart + Math.floor(rnd() * (i - deptStart)) : Math.floor(rnd() * i);
      dependsOn.push(`sys-${j}`);
    }
    systems.push({
      id: `sys-${i}`, name: `系统${i}`, departmentId: `dept-${d}`, effortHours, dataGiB, vcpu, linkId,
      targetPool: target.pool, targetDrPool: target.dr, mlpsLevel: 1 + Math.floor(rnd() * 4), drLevel, dependsOn,
      group: group, pinnedWindow: null,
    });
  }

  // Capacities sized from what the plan needs, so that ~75% of the horizon is needed at slack 1.
  const busy = Math.max(1, W * 0.75);
  const totalHours = systems.reduce((a, s) => a + s.effortHours, 0);
  const operatorHours = windows.map((w) => {
    const holidayWeek = blackouts.some((b) => b.departmentIds === null && b.from <= addDays(w.weekStart, 6) && w.weekStart <= b.to);
    return Math.round(((totalHours / busy) * slack) * (holidayWeek ? 0.5 : 1));
  });
  const linkGiB = new Map<string, number>();
  // The largest move-together group on each link must fit one window with room to spare.
  const groupGiB = new Map<string, number>();
  const largest = new Map<string, number>();
  for (const s of systems) {
    linkGiB.set(s.linkId, (linkGiB.get(s.linkId) ?? 0) + s.dataGiB);
    const g = `${s.linkId}|${s.group ?? s.id}`;
    groupGiB.set(g, (groupGiB.get(g) ?? 0) + s.dataGiB);
    largest.set(s.linkId, Math.max(largest.get(s.linkId) ?? 0, groupGiB.get(g)!));
  }
  for (const l of links.values()) {
    const perWindow = Math.max(((linkGiB.get(l.id)! / busy) * slack) * 1.15, largest.get(l.id)! * 1.5);
    // GiB per window = gbps × hours × 3600 × 1e9 / 8 / 2^30; solve for gbps at 48 h.
    l.gbps = Math.max(0.1, Math.round(((perWindow * 8 * 2 ** 30) / (48 * 3600 * 1e9)) * 100) / 100);
  }
  const poolNeed = new Map<string, number>();
  for (const s of systems) {
    poolNeed.set(s.targetPool, (poolNeed.get(s.targetPool) ?? 0) + s.vcpu);
    if (s.drLevel >= 4 && s.targetDrPool) poolNeed.set(s.targetDrPool, (poolNeed.get(s.targetDrPool) ?? 0) + s.vcpu);
  }
  const pools: CapacityPool[] = [...new Set(TARGETS.flatMap((t) => (t.dr ? [t.pool, t.dr] : [t.pool])))].map((key) => {
    const need = Math.max(1, poolNeed.get(key) ?? 0);
    // Hardware arrives in three steps: half now, four fifths after a quarter of the horizon, the rest at half.
    const steps = [
      { fromWindow: 0, vcpu: Math.round(need * 0.5 * slack) },
      { fromWindow: Math.floor(W / 4), vcpu: Math.round(need * 0.8 * slack) },
      { fromWindow: Math.floor(W / 2), vcpu: Math.ceil(need * 1.1 * Math.max(slack, 0.5)) },
    ];
    // Short horizons: later steps from the same window replace earlier ones.
    return { key, label: key, steps: steps.filter((st, i) => !steps.slice(i + 1).some((later) => later.fromWindow === st.fromWindow)) };
  });

  const input: PlanInput = { windows, departments, blackouts, operatorHours, pools, links: [...links.values()], systems, notBefore: null };
  if (o.pinnedWindows) pinLeading(input, o.pinnedWindows, rnd);
  return input;
}

/** Marks some systems as under way in the first windows, and puts those windows in the past. */
function pinLeading(input: PlanInput, count: number, rnd: () => number): void {
  const groupWindow = new Map<string, number>();
  for (const s of input.systems) {
    if (s.dependsOn.length || rnd() > 0.05) continue;
    const w = s.group ? (groupWindow.get(s.group) ?? Math.floor(rnd() * count)) : Math.floor(rnd() * count);
    if (s.group) groupWindow.set(s.group, w);
    s.pinnedWindow = w;
  }
  // Group members that depend on something cannot be left behind their pinned partners.
  for (const s of input.systems) if (s.group && groupWindow.has(s.group)) {
    s.pinnedWindow = groupWindow.get(s.group)!;
    s.dependsOn = [];
  }
  // Nobody may depend on... a pinned system is fine to depend on; a pinned system depending on an unpinned one is not generated.
  input.notBefore = `${addDays(input.windows[count]?.weekStart ?? input.windows[input.windows.length - 1]!.weekStart, 0)}T00:00:00+08:00`;
}
