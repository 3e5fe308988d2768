import { apiError, chooseOption, press, texts, type FakeApi, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { planDetail, solvedResult, version, versionSummary } from './migration-fakes.spec';
import { ScheduleComponent, defaultVersion, planWindows } from './schedule.component';

describe('ScheduleComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [ScheduleComponent] });
    api.migrations.plans.get.query.and.resolveTo(planDetail({
      versions: [versionSummary(), versionSummary({ id: 'v-2', version: 2, status: 'infeasible', whatIf: true })],
    }));
    api.migrations.plans.version.query.and.callFake(async ({ id }) => id === 'v-2'
      ? version({
        id: 'v-2', version: 2, whatIf: true, status: 'infeasible', error: null,
        result: solvedResult({
          status: 'infeasible', makespan: null, gap: null, lowerBound: 5, assignment: {}, placements: {},
          explanations: [{ kind: 'pool', systems: ['c-1'], windows: ['W1', 'W2'], constraint: 'xc-kunpeng/arm64', zh: '金税三期：鲲鹏资源池在 W1–W2 不足 8 vCPU', en: '金税三期: the Kunpeng pool lacks 8 vCPU in W1–W2' }],
        }),
      })
      : version());
  });

  const render = (canOperate: boolean) => renderComponent(ScheduleComponent, { inputs: { planId: 'p-1', canOperate } });

  it('picks the approved version, else the newest real one, and lists the plan windows', () => {
    expect(defaultVersion([versionSummary({ id: 'a', version: 1 }), versionSummary({ id: 'b', version: 2, whatIf: true })])?.id).toBe('a');
    expect(defaultVersion([versionSummary({ id: 'a', version: 1, status: 'approved' }), versionSummary({ id: 'b', version: 2 })])?.id).toBe('a');
    expect(planWindows('2027-01-04', 2)).toEqual([{ id: 'W1', weekStart: '2027-01-04' }, { id: 'W2', weekStart: '2027-01-11' }]);
  });

  it('shows the solved version with the makespan, the proven lower bound and the gap, and the systems per wave', async () => {
    const { el } = await render(false);
    expect(api.migrations.plans.version.query).toHaveBeenCalledWith({ id: 'v-1' });
    expect(el.querySelector('.makespan')?.textContent?.trim()).toBe('2');
    expect(el.querySelector('.lower-bound')?.textContent?.trim()).toBe('2');
    expect(el.querySelector('.gap')?.textContent).toContain('已证明最优');
    expect(el.querySelector('.schedule-chart')?.getAttribute('aria-label')).toBe('按批次的迁移甘特日历');
    expect(Array.from(el.querySelectorAll('.wave-rows tr[data-window]')).map((tr) => texts('td', tr).join(' '))).toEqual(['W1 2027-01-04 全民健康平台', 'W2 2027-01-11 金税三期']);
    // A department user or an auditor is offered no action.
    expect(el.querySelector('.solve, .approve, .what-if-form')).toBeNull();
  });

  it('lists why an infeasible version cannot be scheduled: which system, which windows, which capacity', async () => {
    const { fixture, el } = await render(false);
    await chooseOption(fixture, el.querySelector('.mig-version'), 'v2 · 不可行 · 假设分析');
    expect(texts('.explanations li .text', el)).toEqual(['金税三期：鲲鹏资源池在 W1–W2 不足 8 vCPU']);
    expect(texts('.explanations .systems', el)).toEqual(['金税三期']);
    expect(texts('.explanations .windows', el)).toEqual(['W1, W2']);
    expect(texts('.explanations .constraint', el)).toEqual(['xc-kunpeng/arm64']);
    expect(el.querySelector('.schedule-chart')).toBeNull();
    expect(el.querySelector('.makespan')?.textContent?.trim()).toBe('—');
  });

  it('lets an operator solve, run a what-if with windows cancelled and approve a solved version', async () => {
    api.migrations.plans.solve.mutate.and.resolveTo({ versionId: 'v-1', version: 3, workflowId: 'wf-3' });
    api.migrations.plans.whatIf.mutate.and.resolveTo({ versionId: 'v-1', version: 4, workflowId: 'wf-4' });
    api.migrations.plans.approve.mutate.and.resolveTo({ planId: 'p-1', version: 1, waves: [{ id: 'w-1', windowIndex: 0, systems: 1 }] });
    const { fixture, el } = await render(true);
    await press(fixture, el.querySelector('button.solve'));
    expect(api.migrations.plans.solve.mutate).toHaveBeenCalledWith({ planId: 'p-1' });
    expect(el.querySelector('.notice')?.textContent).toContain('v3');

    expect(el.querySelector('label[for="mig-cancel-windows"]')).not.toBeNull();
    await chooseOption(fixture, el.querySelector('.cancel-windows'), 'W2 · 2027-01-11');
    await press(fixture, el.querySelector('button.run-what-if'));
    expect(api.migrations.plans.whatIf.mutate).toHaveBeenCalledWith({ planId: 'p-1', cancelWindows: [1], addCandidates: [] });

    await press(fixture, el.querySelector('button.approve'));
    expect(api.migrations.plans.approve.mutate).toHaveBeenCalledWith({ versionId: 'v-1' });
  });

  it('shows a refused approval with the shared error alert', async () => {
    api.migrations.plans.approve.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict' }));
    const { fixture, el } = await render(true);
    await press(fixture, el.querySelector('button.approve'));
    expect(el.querySelector('app-error-alert .error-message')?.textContent).toContain('与现有数据冲突');
  });
});
