import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ApiOutputs, Role } from '../core/api-types';
import { I18nService } from '../core/i18n/i18n.service';
import { apiError, click, press, type FakeApi, settle, setUpConsoleSpec, texts, typeInto, signIn } from '../../testing/test-helpers';
import { DrPlanComponent } from './dr-plan.component';

type Group = ApiOutputs['dr']['protection']['list']['items'][number];
type Plan = ApiOutputs['dr']['plans']['list']['items'][number];
type PlanDetail = ApiOutputs['dr']['plans']['get'];

const group = { id: 'g-1', name: '社保保护组', departmentId: 'd-1', departmentName: '人社厅', mode: 'active-standby', centres: { production: 'p/a', sameCity: 'p/b' }, activeCentre: 'p/a', rtoSeconds: 3600, rpoSeconds: 60, backupIntervalSeconds: null, systemIds: ['s-1', 's-2'], resources: [], standby: [], createdAt: '', updatedAt: '' } as Group;
const plan: Plan = { id: 'p-1', groupId: 'g-1', name: '社保切换预案', latestVersion: 2, createdAt: '', updatedAt: '' } as Plan;

const content = {
  name: '社保切换预案',
  groups: [{ number: 1, name: '数据库' }, { number: 2, name: '应用' }],
  steps: [
    { id: 'db-a', title: 'promote A', group: 1, dependsOn: [], kind: 'action', operation: 'promoteReplica', at: 'target', systemId: 's-1', estimateSeconds: 120 },
    { id: 'check-a', title: 'probe A', group: 1, dependsOn: ['db-a'], kind: 'probe', checks: [{ id: 'h', type: 'tcp', host: '10.0.0.1', port: 5432, weight: 1 }], passScore: 1, timeoutSeconds: 30, estimateSeconds: 10 },
    { id: 'app-a', title: 'start A', group: 2, dependsOn: [], kind: 'action', operation: 'scaleStandby', at: 'target', systemId: 's-1', estimateSeconds: 300 },
  ],
};
const detail = (version = 2): PlanDetail => ({
  ...plan, planId: 'p-1', version, digest: 'd', content, createdBy: 'u-1', createdAt: '2026-12-05T08:00:00.000Z',
  estimate: { criticalPathSeconds: 430, criticalPath: ['db-a', 'check-a', 'app-a'], bySystem: {} },
  edges: [['db-a', 'check-a'], ['check-a', 'app-a']],
  versions: [{ planId: 'p-1', version: 2, digest: 'd', estimate: { criticalPathSeconds: 430, criticalPath: [], bySystem: {} }, createdBy: 'u-1', createdAt: '2026-12-05T08:00:00.000Z' },
    { planId: 'p-1', version: 1, digest: 'c', estimate: { criticalPathSeconds: 400, criticalPath: [], bySystem: {} }, createdBy: 'u-1', createdAt: '2026-12-04T08:00:00.000Z' }],
} as unknown as PlanDetail);

@Component({
  imports: [DrPlanComponent],
  template: `<app-dr-plan [groups]="groups()" [plans]="plans()" [systems]="systems" [canEdit]="canEdit()" (saved)="saved.push($event)" />`,
})
class HostComponent {
  readonly groups = signal([group]);
  readonly plans = signal([plan]);
  readonly systems = [{ id: 's-1', name: '社保核心' }, { id: 's-2', name: '社保查询' }];
  readonly canEdit = signal(false);
  readonly saved: unknown[] = [];
}

/** Rendering with charts takes a few seconds on a busy machine: more than Jasmine's default 5 s. */
const RENDERING = 30_000;

describe('DrPlanComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [HostComponent] });
    api.dr.plans.get.query.and.callFake(async (input) => detail(input.version ?? 2));
  });

  async function render(roles: Role[]) {
    signIn({ roles });
    const fixture = TestBed.createComponent(HostComponent);
    fixture.componentInstance.canEdit.set(roles.includes('cloud-operator'));
    await settle(fixture);
    return { fixture, host: fixture.componentInstance, el: fixture.nativeElement as HTMLElement };
  }

  it('shows the latest version of the group’s first plan: its estimate, critical path and steps, read-only for a department', async () => {
    const { el } = await render(['department-user']);
    expect(api.dr.plans.get.query).toHaveBeenCalledWith({ id: 'p-1' });
    expect(el.querySelector('.estimate')?.textContent).toContain('430 s');
    expect(el.querySelector('.critical-path')?.textContent).toContain('db-a → check-a → app-a');
    expect(texts('.plan-steps tbody tr td:first-child', el).map((t) => t.trim())).toEqual(['db-a 关键路径', 'check-a 关键路径', 'app-a 关键路径']);
    expect(el.querySelector('.plan-graph')).not.toBeNull();
    expect(el.querySelector('button.edit-plan')).toBeNull();
    expect(el.querySelector('button.new-plan')).toBeNull();
  }, RENDERING);

  it('edits a version into a new one: adds a wait, checks it on the server, saves it with the probe’s checks kept', async () => {
    const { fixture, host, el } = await render(['cloud-operator']);
    await press(fixture, el.querySelector('button.edit-plan'));
    expect(el.querySelectorAll('.step-editor tbody tr').length).toBe(3);
    await press(fixture, el.querySelector('button.add-wait'));
    const rows = el.querySelectorAll('.step-editor tbody tr');
    expect(rows.length).toBe(4);
    typeInto(rows[3]!.querySelector('input.step-title'), '等待缓存预热');
    typeInto(rows[3]!.querySelector('input.step-reason'), 'cache warm-up');
    await settle(fixture);
    expect(el.querySelector('.preview-state')?.textContent?.trim()).toBe('有改动，未校验');
    api.dr.plans.check.query.and.resolveTo({ estimate: { criticalPathSeconds: 490, criticalPath: ['db-a', 'check-a', 'app-a', 'wait-4'], bySystem: {} }, edges: [['db-a', 'check-a'], ['check-a', 'app-a'], ['app-a', 'wait-4']] });
    await press(fixture, el.querySelector('button.check-plan'));
    const sent = api.dr.plans.check.query.calls.mostRecent().args[0];
    expect(sent.groupId).toBe('g-1');
    expect(sent.draft.steps.map((s) => `${s.id}:${s.kind}:${s.group}`)).toEqual(['db-a:action:1', 'check-a:probe:1', 'app-a:action:2', 'wait-4:wait:2']);
    expect(sent.draft.steps[1]).toEqual(jasmine.objectContaining({ checks: content.steps[1]!.checks, passScore: 1, timeoutSeconds: 30 }));
    expect(sent.draft.steps[3]).toEqual(jasmine.objectContaining({ title: '等待缓存预热', reason: 'cache warm-up', seconds: 60, dependsOn: [] }));
    expect(el.querySelector('.estimate')?.textContent).toContain('490 s');
    expect(el.querySelector('.preview-state')?.textContent?.trim()).toBe('已校验');

    api.dr.plans.save.mutate.and.resolveTo({ plan: { ...plan, latestVersion: 3 }, version: 3, created: true, estimate: { criticalPathSeconds: 490, criticalPath: [], bySystem: {} } } as never);
    await press(fixture, el.querySelector('button.save-plan'));
    expect(api.dr.plans.save.mutate).toHaveBeenCalledWith(jasmine.objectContaining({ groupId: 'g-1', planId: 'p-1' }));
    expect(host.saved).toEqual([{ planId: 'p-1', version: 3 }]);
    expect(api.dr.plans.get.query).toHaveBeenCalledWith({ id: 'p-1', version: 3 });
    expect(el.querySelector('.step-editor')).toBeNull();
  }, RENDERING);

  it('keeps the editor open with the server’s reason when a draft is refused, and removes a step from others’ dependencies', async () => {
    const { fixture, el } = await render(['cloud-operator']);
    await press(fixture, el.querySelector('button.edit-plan'));
    click(el.querySelectorAll('.step-editor button.remove-step')[0] ?? null); // db-a, which check-a waits for
    await settle(fixture);
    api.dr.plans.save.mutate.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected' }));
    await press(fixture, el.querySelector('button.save-plan'));
    const sent = api.dr.plans.save.mutate.calls.mostRecent().args[0];
    expect(sent.draft.steps.map((s) => s.id)).toEqual(['check-a', 'app-a']);
    expect(sent.draft.steps[0]!.dependsOn).toEqual([]);
    expect(el.querySelector('.step-editor')).not.toBeNull();
    expect(el.querySelector('app-error-alert')?.textContent).toContain('输入的值不被接受');
  }, RENDERING);

  it('refuses to send a draft with a malformed step id, saying what to fix', async () => {
    const { fixture, el } = await render(['cloud-operator']);
    await press(fixture, el.querySelector('button.new-plan'));
    typeInto(el.querySelector('input.plan-name'), '新预案');
    await press(fixture, el.querySelector('button.add-manual'));
    typeInto(el.querySelector('.step-editor input.step-id'), 'Bad Id');
    await press(fixture, el.querySelector('button.check-plan'));
    expect(api.dr.plans.check.query).not.toHaveBeenCalled();
    expect(el.querySelector('app-error-alert')?.textContent).toContain('步骤编号');
    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(el.querySelector('button.add-wait')?.textContent?.trim()).toBe('Add a wait');
  }, RENDERING);

  it('loads an older version when picked', async () => {
    const { fixture, el } = await render(['auditor']);
    const picker = el.querySelector('nz-select.plan-version');
    expect(picker).not.toBeNull();
    (fixture.debugElement.query((d) => d.nativeElement === el.querySelector('app-dr-plan')).componentInstance as { pickVersion(v: number): void }).pickVersion(1);
    await settle(fixture);
    expect(api.dr.plans.get.query).toHaveBeenCalledWith({ id: 'p-1', version: 1 });
  }, RENDERING);
});
