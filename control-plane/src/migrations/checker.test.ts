import { checkSchedule, type Violation } from './checker.ts';
import { smallPlan, system } from '../testing/migration-plan-fixtures.ts';
import type { PlanInput } from './plan-model.ts';

/** Each case starts from a compliant plan and schedule, changes one thing, and names the violation it expects. */
describe('independent constraint checker', () => {
  const compliant = () => new Map([['a', 0], ['b', 0], ['c', 0]]);
  const kinds = (v: Violation[]) => v.map((x) => x.constraint);

  it('finds nothing wrong with a compliant schedule', () => {
    expect(checkSchedule(smallPlan(), compliant())).toEqual([]);
  });

  const cases: { why: string; plan?: Partial<PlanInput>; schedule?: (m: Map<string, number>) => void; expect: Violation['constraint'] }[] = [
    { why: 'a system without a window', schedule: (m) => m.delete('c'), expect: 'unscheduled' },
    { why: 'a window index past the plan', schedule: (m) => m.set('c', 7), expect: 'window-range' },
    { why: 'b needs a but moves first', schedule: (m) => { m.set('a', 1); m.set('b', 0); }, expect: 'dependency' },
    { why: 'a holiday on the Saturday of the tax office\'s slot', plan: { blackouts: [{ from: '2026-03-07', to: '2026-03-07', reason: 'x', departmentIds: null }] }, expect: 'department-window' },
    { why: 'the Saturday 22:00 + 8 h slot runs into a Sunday blackout', plan: { blackouts: [{ from: '2026-03-08', to: '2026-03-08', reason: 'x', departmentIds: ['tax'] }] }, expect: 'department-window' },
    { why: 'the health slot (Wednesday 23:00) is before notBefore', plan: { notBefore: '2026-03-05T00:00:00+08:00' }, expect: 'department-window' },
    { why: 'a department without slots', plan: { departments: [{ departmentId: 'tax', name: '税务局', slots: [] }, { departmentId: 'health', name: '卫健委', slots: [{ weekday: 3, start: '23:00', hours: 5 }] }] }, expect: 'department-window' },
    { why: 'three 8-hour moves in a 20-hour window', plan: { operatorHours: [20, 40, 40, 40] }, expect: 'operator-hours' },
    { why: 'a link too slow for 300 GiB in one window', plan: { links: [{ id: 'l1', label: 'slow', gbps: 0.05, hoursPerWindow: 10 }] }, expect: 'link' },
    { why: 'the pool holds 20 vCPU, 24 move in', plan: { pools: [{ key: 'xc-kunpeng/arm64', label: 'k', steps: [{ fromWindow: 0, vcpu: 20 }] }] }, expect: 'pool' },
    { why: 'the pool grows only from window 2', plan: { pools: [{ key: 'xc-kunpeng/arm64', label: 'k', steps: [{ fromWindow: 0, vcpu: 10 }, { fromWindow: 2, vcpu: 100 }] }] }, expect: 'pool' },
  ];
  for (const c of cases) {
    it(`reports ${c.expect}: ${c.why}`, () => {
      const schedule = compliant();
      c.schedule?.(schedule);
      expect(kinds(checkSchedule(smallPlan(c.plan), schedule))).toContain(c.expect);
    });
  }

  it('reports a pinned system moved out of its wave', () => {
    const plan = smallPlan();
    plan.systems[2] = system('c', { departmentId: 'health', pinnedWindow: 2 });
    expect(kinds(checkSchedule(plan, compliant()))).toEqual(['pinned']);
  });

  it('reports a move-together group split over two windows', () => {
    const plan = smallPlan();
    plan.systems = [system('a', { group: 'g' }), system('b', { group: 'g' }), system('c', { departmentId: 'health' })];
    const schedule = compliant();
    schedule.set('b', 1);
    expect(kinds(checkSchedule(plan, schedule))).toEqual(['group']);
  });

  it('reports a DR level 5 system whose target has no same-city DR pool', () => {
    const plan = smallPlan();
    plan.systems[2] = system('c', { departmentId: 'health', drLevel: 5 });
    expect(kinds(checkSchedule(plan, compliant()))).toEqual(['dr-protection']);
  });

  it('counts a DR ≥ 4 system on its target\'s same-city DR pool as well', () => {
    const plan = smallPlan();
    plan.pools[2] = { key: 'jx-province:dr/x86_64', label: 'dr', steps: [{ fromWindow: 0, vcpu: 6 }] };
    plan.systems[2] = system('c', { departmentId: 'health', drLevel: 4, targetPool: 'jx-province/x86_64', targetDrPool: 'jx-province:dr/x86_64' });
    expect(kinds(checkSchedule(plan, compliant()))).toEqual(['pool']);
    plan.systems[2] = system('c', { departmentId: 'health', drLevel: 3, targetPool: 'jx-province/x86_64', targetDrPool: 'jx-province:dr/x86_64' });
    expect(checkSchedule(plan, compliant())).toEqual([]);
  });
});
