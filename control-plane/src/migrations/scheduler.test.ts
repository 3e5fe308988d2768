import { InputError } from '../errors.ts';
import { checkSchedule } from './checker.ts';
import { smallPlan, system } from '../testing/migration-plan-fixtures.ts';
import type { PlanInput } from './plan-model.ts';
import { randomPlan } from './random-plan.ts';
import { solvePlan } from './scheduler.ts';

const solve = (plan: PlanInput, timeLimitSeconds = 5) => solvePlan(plan, { timeLimitSeconds });

describe('scheduler', () => {
  it('solves a small plan exactly: every constraint kept, makespan equal to the proven bound', async () => {
    const plan = smallPlan({ operatorHours: [16, 16, 16, 16] });
    const r = await solve(plan);
    expect(r.status).toBe('optimal');
    expect(r.stats.method).toBe('exact');
    expect(r.makespan).toBe(2);
    expect(r.lowerBound).toBe(2);
    expect(r.gap).toBe(0);
    expect(checkSchedule(plan, r.assignment)).toEqual([]);
    expect(r.assignment.get('b')!).toBeGreaterThanOrEqual(r.assignment.get('a')!);
  });

  it('moves a dependency loop closed by a move-together group in one window', async () => {
    // a needs b, b needs c, and a moves with c: all three in the same window.
    const plan = smallPlan({ systems: [system('a', { dependsOn: ['b'], group: 'g' }), system('b', { dependsOn: ['c'] }), system('c', { group: 'g' })] });
    const r = await solve(plan);
    expect(new Set(r.assignment.values()).size).toBe(1);
    expect(checkSchedule(plan, r.assignment)).toEqual([]);
  });

  it('spreads risky moves once the makespan is fixed (等保 4 systems others depend on)', async () => {
    // Two windows are needed (hours); the two 等保 4 hubs should not share one.
    const plan = smallPlan({
      operatorHours: [24, 24, 24, 24],
      systems: [system('hub1', { mlpsLevel: 4 }), system('hub2', { mlpsLevel: 4 }), system('x', { dependsOn: ['hub1'] }), system('y', { dependsOn: ['hub2'] }), system('z'), system('w')],
    });
    const r = await solve(plan);
    expect(r.makespan).toBe(2);
    expect(r.assignment.get('hub1')).not.toBe(r.assignment.get('hub2'));
    expect(checkSchedule(plan, r.assignment)).toEqual([]);
  });

  it('keeps the waves under way when re-planning, and puts nothing new in past windows', async () => {
    const plan = smallPlan({ notBefore: '2026-03-09T00:00:00+08:00', systems: [system('a', { pinnedWindow: 0 }), system('b', { dependsOn: ['a'] }), system('c', { departmentId: 'health' })] });
    const r = await solve(plan);
    expect(r.assignment.get('a')).toBe(0);
    expect(r.assignment.get('b')).toBeGreaterThanOrEqual(1);
    expect(r.assignment.get('c')).toBeGreaterThanOrEqual(1);
    expect(checkSchedule(plan, r.assignment)).toEqual([]);
  });

  describe('bad input: a clear error naming it', () => {
    const cases: { why: string; plan: () => PlanInput; error: RegExp }[] = [
      { why: 'a dependency cycle', plan: () => smallPlan({ systems: [system('a', { dependsOn: ['c'] }), system('b', { dependsOn: ['a'] }), system('c', { dependsOn: ['b'] })] }), error: /dependencies form a cycle: 系统\w → 系统\w → 系统\w → 系统\w/ },
      { why: 'a target pool the plan has no capacity for', plan: () => smallPlan({ systems: [system('a', { targetPool: 'xc-hygon/arm64' })] }), error: /系统a: target pool xc-hygon\/arm64 is not in the plan's capacities/ },
      { why: 'an empty pool', plan: () => smallPlan({ pools: [{ key: 'xc-kunpeng/arm64', label: '信创云（鲲鹏）', steps: [{ fromWindow: 0, vcpu: 0 }] }] }), error: /capacity 信创云（鲲鹏） is empty/ },
      { why: 'an empty link', plan: () => smallPlan({ links: [{ id: 'l1', label: '南昌 → 信创云', gbps: 0, hoursPerWindow: 10 }] }), error: /replication link 南昌 → 信创云 is empty/ },
      { why: 'no operator hours at all', plan: () => smallPlan({ operatorHours: [0, 0, 0, 0] }), error: /operator hours are empty/ },
      { why: 'a dependency outside the plan', plan: () => smallPlan({ systems: [system('a', { dependsOn: ['zz'] })] }), error: /系统a depends on zz, which is not in the plan/ },
      { why: 'group members under way in different waves', plan: () => smallPlan({ systems: [system('a', { group: 'g', pinnedWindow: 0 }), system('b', { group: 'g', pinnedWindow: 1 })] }), error: /under way in different waves: 系统a, 系统b/ },
    ];
    for (const c of cases) {
      it(c.why, async () => {
        await expectAsync(solve(c.plan())).toBeRejectedWith(jasmine.objectContaining({ constructor: InputError, message: jasmine.stringMatching(c.error) }));
      });
    }
  });

  describe('infeasible plans: the constraints that make them so, named', () => {
    it('a department whose every window is blacked out', async () => {
      const r = await solve(smallPlan({ blackouts: [{ from: '2026-03-01', to: '2026-03-31', reason: '全国两会保障', departmentIds: ['health'] }] }));
      expect(r.status).toBe('infeasible');
      expect(r.explanations.map((e) => e.zh)).toEqual([jasmine.stringMatching(/系统c：卫健委 在计划期内没有可用的维护窗口（4 个窗口因“全国两会保障”封网）/)]);
      expect(r.explanations[0]!.systems).toEqual(['c']);
    });

    it('a DR level 5 system whose target cannot protect it in the same city', async () => {
      const r = await solve(smallPlan({ systems: [system('a', { drLevel: 5 })] }));
      expect(r.status).toBe('infeasible');
      expect(r.explanations[0]!.kind).toBe('dr-protection');
      expect(r.explanations[0]!.en).toContain('系统a (DR level 5) would lose same-city protection');
    });

    it('a system too large for every window', async () => {
      const r = await solve(smallPlan({ systems: [system('a', { effortHours: 60 })] }));
      expect(r.explanations.map((e) => e.en)).toEqual([jasmine.stringMatching(/系统a need 60 h of operator hours in one window; no open window offers more than 40 h/)]);
    });

    it('a pool too small for everything moving onto it', async () => {
      const r = await solve(smallPlan({ pools: [{ key: 'xc-kunpeng/arm64', label: 'k', steps: [{ fromWindow: 0, vcpu: 20 }] }] }));
      expect(r.status).toBe('infeasible');
      expect(r.explanations.map((e) => e.constraint)).toEqual(['xc-kunpeng/arm64']);
      expect(r.explanations[0]!.en).toMatch(/the 3 systems moving there need 24 vCPU; it offers 20/);
    });

    it('operator hours short over the windows the departments can use', async () => {
      // The health department can only use W1 and W2; its three 16-hour systems need 48 h, those windows offer 40.
      const plan = smallPlan({
        operatorHours: [20, 20, 40, 40],
        blackouts: [{ from: '2026-03-16', to: '2026-03-29', reason: '年报', departmentIds: ['health'] }],
        systems: [system('h1', { departmentId: 'health', effortHours: 16 }), system('h2', { departmentId: 'health', effortHours: 16 }), system('h3', { departmentId: 'health', effortHours: 16 })],
      });
      const r = await solve(plan);
      expect(r.status).toBe('infeasible');
      const e = r.explanations.find((x) => x.constraint === 'operator-hours')!;
      expect(e.en).toMatch(/3 systems of 卫健委 need 48 h; the 2 windows open to them offer 40 h/);
      expect(e.windows).toEqual(['W1', 'W2']);
    });
  });

  it('improves a larger plan by neighbourhoods and keeps every constraint', async () => {
    const plan = randomPlan({ systems: 300, windows: 16, seed: 5 });
    const r = await solvePlan(plan, { timeLimitSeconds: 2, exactVariables: 0 });
    expect(r.stats.method).toBe('neighbourhoods');
    expect(['optimal', 'feasible']).toContain(r.status);
    expect(checkSchedule(plan, r.assignment)).toEqual([]);
    expect(r.lowerBound).toBeLessThanOrEqual(r.makespan!);
  });
});
