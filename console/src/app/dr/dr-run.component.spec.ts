import { TestBed } from '@angular/core/testing';
import type { ApiOutputs, Role } from '../core/api-types';
import { apiError, press, type FakeApi, settle, setUpConsoleSpec, texts, renderComponent } from '../../testing/test-helpers';
import { I18nService } from '../core/i18n/i18n.service';
import { DrRunComponent } from './dr-run.component';

type RunDetail = ApiOutputs['dr']['runs']['get'];
type PlanDetail = ApiOutputs['dr']['plans']['get'];
type Progress = Parameters<Parameters<FakeApi['dr']['runs']['onProgress']['subscribe']>[1]['onData']>[0];

const T0 = Date.parse('2026-12-06T08:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
/** A step's name as the server sends it (dr/run-view.ts stepName): Chinese and English. */
const N = (zh: string, en = zh) => ({ zh, en });
const step = (key: string, status: string, start: number | null, end: number | null, system: { systemId: string; systemName: string } | null = null, name: { zh: string; en: string } | null = null) => ({
  systemId: system?.systemId ?? null, systemName: system?.systemName ?? null, name, key, action: 'dr.step', dependsOn: [], status, attempts: 1, maxAttempts: 5, output: null, error: null, attention: null, outcomeUnknown: false,
  startedAt: start === null ? null : at(start), finishedAt: end === null ? null : at(end),
});

const runDetail = (over: Partial<RunDetail> = {}): RunDetail => ({
  id: 'r-1', groupId: 'g-1', groupName: '社保保护组', departmentId: 'd-1', kind: 'switchover', planId: 'p-1', planVersion: 2, planDigest: 'x',
  sourceCentre: 'p/a', targetCentre: 'p/b',
  source: { id: 'p/a', cloudId: 'p', zone: 'a', name: '南昌主中心', nameEn: 'Nanchang primary' },
  target: { id: 'p/b', cloudId: 'p', zone: 'b', name: '九江灾备中心', nameEn: 'Jiujiang DR centre' }, workflowId: 'w-1', status: 'running', operatorId: 'u-op', operator: 'ops1', approverId: 'u-2', approver: 'ops2',
  scenario: '', startedAt: at(0), finishedAt: null, reportDigest: null, workflow: null,
  steps: [step('declare', 'succeeded', 0, 1, null, N('宣告灾备操作', 'Declare the DR operation')), step('step:db-a', 'succeeded', 1, 4, null, N('提升数据库')),
    step('step:confirm', 'running', 4, null, null, N('业务确认')), step('step:app-a', 'pending', null, null, null, N('启动应用'))],
  systems: [], confirmations: [{ stepKey: 'step:confirm', userId: 'u-2', username: 'ops2', at: at(5) }],
  ledger: [{ cloudId: 'jx-province', sandbox: 'dr-r1-0', zone: 'jxp-dr', systemId: 's-1', removedAt: at(9), removedBy: 'ops1' }],
  ...over,
} as unknown as RunDetail);

const planDetail = {
  id: 'p-1', groupId: 'g-1', name: '社保切换预案', planId: 'p-1', version: 2,
  content: { name: '社保切换预案', groups: [{ number: 1, name: '一' }], steps: [
    { id: 'db-a', title: '提升数据库', group: 1, dependsOn: [], kind: 'action', operation: 'promoteReplica', at: 'target', systemId: 's-1', estimateSeconds: 60 },
    { id: 'confirm', title: '业务确认', group: 1, dependsOn: ['db-a'], kind: 'manual', prompt: { zh: '请业务负责人确认数据一致', en: 'Business owner: confirm the data is consistent' }, estimateSeconds: 300 },
    { id: 'app-a', title: '启动应用', group: 1, dependsOn: ['confirm'], kind: 'action', operation: 'scaleStandby', at: 'target', systemId: 's-1', estimateSeconds: 60 },
  ] },
  estimate: { criticalPathSeconds: 420, criticalPath: [], bySystem: {} }, edges: [], versions: [],
} as unknown as PlanDetail;

/** Rendering with charts takes a few seconds on a busy machine: more than Jasmine's default 5 s. */
const RENDERING = 30_000;

describe('DrRunComponent', () => {
  let api: FakeApi;
  let onData: ((e: Progress) => void) | undefined;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [DrRunComponent] });
    api.dr.runs.get.query.and.resolveTo(runDetail());
    api.dr.plans.get.query.and.resolveTo(planDetail);
    api.dr.runs.onProgress.subscribe.and.callFake((_input, handlers) => {
      onData = handlers.onData;
      handlers.onStarted?.();
      return { unsubscribe: jasmine.createSpy('unsubscribe') };
    });
  });

  const render = (roles: Role[], userId = 'u-3') => renderComponent(DrRunComponent, { me: { roles, id: userId }, inputs: { id: 'r-1' } });

  it('names plan steps by their titles, draws the timeline and lists the cleanup ledger', async () => {
    const { el } = await render(['auditor']);
    expect(api.dr.plans.get.query).toHaveBeenCalledWith({ id: 'p-1', version: 2 });
    expect(texts('.run-steps tbody tr td:first-child', el)).toEqual(['宣告灾备操作', '提升数据库', '业务确认', '启动应用']);
    expect(Array.from(el.querySelectorAll('.run-steps td.step-label')).map((td) => td.getAttribute('title'))).toEqual(['declare', 'step:db-a', 'step:confirm', 'step:app-a']);
    // Seconds as the timeline draws them; none before a step starts (the running one counts up to now).
    const seconds = texts('.run-steps tbody tr td:nth-child(5)', el);
    expect([seconds[0], seconds[1], seconds[3]]).toEqual(['1.0', '3.0', '—']);
    expect(el.querySelector('.run-gantt')).not.toBeNull();
    expect(el.querySelector('.run-ledger')?.textContent).toContain('dr-r1-0');
    expect(el.querySelector('.run-ledger')?.textContent).toContain('已清理');
    expect(el.querySelector('button.confirm')).toBeNull(); // auditors read
    expect(el.querySelector('.prompt-text')?.textContent).toBe('请业务负责人确认数据一致');
  }, RENDERING);

  it('asks a second operator to confirm a manual step of a real operation (双人复核) and re-reads the run', async () => {
    const { fixture, el } = await render(['cloud-operator']);
    expect(el.querySelector('.prompt-count')?.textContent).toContain('已确认 1/2');
    expect(el.querySelector('.prompt-count')?.textContent).toContain('ops2');
    api.dr.runs.confirm.mutate.and.resolveTo({ confirmations: 2, required: 2, complete: true });
    api.dr.runs.get.query.and.resolveTo(runDetail({ steps: [step('declare', 'succeeded', 0, 1), step('step:db-a', 'succeeded', 1, 4), step('step:confirm', 'succeeded', 4, 7), step('step:app-a', 'running', 7, null)] } as Partial<RunDetail>));
    await press(fixture, el.querySelector('button.confirm'));
    expect(api.dr.runs.confirm.mutate).toHaveBeenCalledWith({ id: 'r-1', stepKey: 'step:confirm' });
    expect(el.querySelector('.prompt')).toBeNull();
  }, RENDERING);

  it('does not let the person who already confirmed confirm again', async () => {
    const { el } = await render(['cloud-operator'], 'u-2');
    expect((el.querySelector('button.confirm') as HTMLButtonElement).disabled).toBeTrue();
    expect(el.querySelector('button.confirm')?.textContent?.trim()).toBe('您已确认');
  }, RENDERING);

  it('offers approval of a requested failover to another operator only', async () => {
    api.dr.runs.get.query.and.resolveTo(runDetail({ status: 'awaiting-approval', kind: 'failover', approver: null, approverId: null, steps: [] } as Partial<RunDetail>));
    const starter = await render(['cloud-operator'], 'u-op');
    expect((starter.el.querySelector('button.approve') as HTMLButtonElement).disabled).toBeTrue();
    expect(starter.el.querySelector('.second-person')).not.toBeNull();
    expect(starter.el.querySelector('.no-steps')).not.toBeNull();
  }, RENDERING);

  it('shows the refusal when approving fails', async () => {
    api.dr.runs.get.query.and.resolveTo(runDetail({ status: 'awaiting-approval', kind: 'failover', approver: null, approverId: null, steps: [] } as Partial<RunDetail>));
    const { fixture, el } = await render(['cloud-operator'], 'u-9');
    api.dr.runs.approve.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict' }));
    await press(fixture, el.querySelector('button.approve'));
    expect(api.dr.runs.approve.mutate).toHaveBeenCalledWith({ id: 'r-1' });
    expect(el.querySelector('app-error-alert')?.textContent).toContain('与现有数据冲突');
  }, RENDERING);

  it('follows a running run live and stops when it ends', async () => {
    const { fixture, el } = await render(['cloud-operator']);
    expect(api.dr.runs.onProgress.subscribe).toHaveBeenCalledWith({ id: 'r-1', afterSeq: 0 }, jasmine.anything());
    expect(el.querySelector('.live')).not.toBeNull();
    api.dr.runs.get.query.and.resolveTo(runDetail({ status: 'succeeded', finishedAt: at(30) } as Partial<RunDetail>));
    onData!({ seq: 9, workflowId: 'w-1', at: '', kind: 'workflow.succeeded', stepKey: null, data: null, status: 'succeeded', stepsDone: 4, stepsTotal: 4 } as Progress);
    await settle(fixture);
    expect(el.querySelector('.live')).toBeNull();
    expect(el.querySelector('.run-status')?.textContent?.trim()).toBe('成功');
    expect(el.querySelector('button.report-json')).not.toBeNull();
    api.dr.runs.report.query.and.resolveTo({ final: true, digest: 'abc', verified: true, report: {} } as never);
    await press(fixture, el.querySelector('button.report-json'));
    expect(api.dr.runs.report.query).toHaveBeenCalledWith({ id: 'r-1', format: 'json' });
    api.dr.runs.report.query.and.resolveTo({ final: true, digest: 'abc', verified: true, report: {}, pdfBase64: btoa('%PDF-1.3 x') } as never);
    await press(fixture, el.querySelector('button.report-pdf'));
    expect(api.dr.runs.report.query).toHaveBeenCalledWith({ id: 'r-1', format: 'pdf' });
    expect(el.querySelector('app-error-alert .error-alert')).toBeNull();
  }, RENDERING);

  describe('names for people (issue 18.2)', () => {
    const core = { systemId: 's-1', systemName: '社保核心' };
    const query = { systemId: 's-2', systemName: '社保查询' };

    it('shows the server’s step names and its centres in Chinese and English, the identifiers on hover', async () => {
      api.dr.runs.get.query.and.resolveTo(runDetail({
        kind: 'reprotect', planId: null, planVersion: null, ledger: [],
        steps: [
          step('declare', 'succeeded', 0, 1, null, N('宣告灾备操作', 'Declare the DR operation')),
          step('step:reprotect-0', 'succeeded', 1, 3, core, N('重新保护 社保核心：南昌主中心 → 九江灾备中心', 'Re-protect 社保核心: Nanchang primary → Jiujiang DR centre')),
          step('step:reprotect-1', 'running', 1, null, query, N('重新保护 社保查询：南昌主中心 → 九江灾备中心', 'Re-protect 社保查询: Nanchang primary → Jiujiang DR centre')),
          step('verify:0', 'succeeded', 3, 4, core, N('校验 社保核心（九江灾备中心）', 'Verify 社保核心 (Jiujiang DR centre)')),
          step('new-kind:0', 'pending', null, null),
        ],
      } as Partial<RunDetail>));
      const { fixture, el } = await render(['auditor']);
      expect(api.dr.plans.get.query).not.toHaveBeenCalled();
      expect(texts('.run-steps td.step-label', el)).toEqual([
        '宣告灾备操作', '重新保护 社保核心：南昌主中心 → 九江灾备中心', '重新保护 社保查询：南昌主中心 → 九江灾备中心', '校验 社保核心（九江灾备中心）', 'new-kind:0',
      ]);
      expect(el.querySelector('td.step-label[title="step:reprotect-1"]')).not.toBeNull();
      expect([texts('.source-centre', el), texts('.target-centre', el)]).toEqual([['南昌主中心'], ['九江灾备中心']]);
      expect([el.querySelector('.source-centre')?.getAttribute('title'), el.querySelector('.target-centre')?.getAttribute('title')]).toEqual(['p/a', 'p/b']);
      expect(el.textContent).not.toContain('reprotect-0');

      TestBed.inject(I18nService).setLang('en');
      await settle(fixture);
      expect(texts('.run-steps td.step-label', el)).toEqual([
        'Declare the DR operation', 'Re-protect 社保核心: Nanchang primary → Jiujiang DR centre', 'Re-protect 社保查询: Nanchang primary → Jiujiang DR centre', 'Verify 社保核心 (Jiujiang DR centre)', 'new-kind:0',
      ]);
      expect(texts('.target-centre', el)).toEqual(['Jiujiang DR centre']);
    }, RENDERING);

    it('names a drill’s ledger by system and centre; a step the server could not name shows its key', async () => {
      api.dr.runs.get.query.and.resolveTo(runDetail({
        kind: 'drill', source: null, target: null, targetCentre: 'jx-province/jxp-dr',
        steps: [step('sandbox:0', 'succeeded', 0, 1, core, N('创建演练沙箱：社保核心（jx-province/jxp-dr）', 'Create drill sandbox: 社保核心 (jx-province/jxp-dr)')),
          step('cleanup:0', 'succeeded', 5, 6, core, N('清理演练沙箱：社保核心', 'Remove drill sandbox: 社保核心')), step('verify:1', 'succeeded', 2, 3)],
      } as Partial<RunDetail>));
      const { el } = await render(['auditor']);
      expect(texts('.run-steps td.step-label', el)).toEqual(['创建演练沙箱：社保核心（jx-province/jxp-dr）', '清理演练沙箱：社保核心', 'verify:1']);
      expect(texts('.run-ledger td.ledger-object', el)).toEqual(['社保核心 · jx-province/jxp-dr']);
      expect(el.querySelector('.run-ledger td.ledger-object')?.getAttribute('title')).toBe('dr-r1-0 · jx-province/jxp-dr');
    }, RENDERING);
  });
});
