import type { PlanInput, PlanSystem } from '../migrations/plan-model.ts';

/**
 * A small plan every spec can start from and change one thing at a time: two departments (one with a
 * Saturday-night slot, one with a Wednesday-night slot), four weekly windows from Monday 2026-03-02,
 * one link, the Kunpeng pool and the province pool with its same-city DR pool.
 */
export function smallPlan(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    windows: [
      { id: 'W1', weekStart: '2026-03-02' },
      { id: 'W2', weekStart: '2026-03-09' },
      { id: 'W3', weekStart: '2026-03-16' },
      { id: 'W4', weekStart: '2026-03-23' },
    ],
    departments: [
      { departmentId: 'tax', name: '税务局', slots: [{ weekday: 6, start: '22:00', hours: 8 }] },
      { departmentId: 'health', name: '卫健委', slots: [{ weekday: 3, start: '23:00', hours: 5 }] },
    ],
    blackouts: [],
    operatorHours: [40, 40, 40, 40],
    pools: [
      { key: 'xc-kunpeng/arm64', label: '信创云（鲲鹏）arm64', steps: [{ fromWindow: 0, vcpu: 100 }] },
      { key: 'jx-province/x86_64', label: '省政务云 x86_64', steps: [{ fromWindow: 0, vcpu: 100 }] },
      { key: 'jx-province:dr/x86_64', label: '省政务云同城灾备 x86_64', steps: [{ fromWindow: 0, vcpu: 100 }] },
    ],
    links: [{ id: 'l1', label: '36 → 信创云', gbps: 1, hoursPerWindow: 10 }],
    systems: [
      system('a', { departmentId: 'tax' }),
      system('b', { departmentId: 'tax', dependsOn: ['a'] }),
      system('c', { departmentId: 'health' }),
    ],
    notBefore: null,
    ...overrides,
  };
}

export function system(id: string, over: Partial<PlanSystem> = {}): PlanSystem {
  return {
    id, name: `系统${id}`, departmentId: 'tax', effortHours: 8, dataGiB: 100, vcpu: 8, linkId: 'l1',
    targetPool: 'xc-kunpeng/arm64', targetDrPool: null, mlpsLevel: 2, drLevel: 2, dependsOn: [], group: null, pinnedWindow: null,
    ...over,
  };
}
