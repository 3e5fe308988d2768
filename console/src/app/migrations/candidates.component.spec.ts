import { TestBed } from '@angular/core/testing';
import { I18nService } from '../core/i18n/i18n.service';
import { apiError, chooseOption, press, settle, texts, type FakeApi, setUpConsoleSpec, renderComponent } from '../../testing/test-helpers';
import { CandidatesComponent } from './candidates.component';
import { candidate } from './migration-fakes.spec';

describe('CandidatesComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [CandidatesComponent] });
    api.migrations.candidates.list.query.and.resolveTo({
      items: [
        candidate(),
        candidate({ id: 'c-2', systemName: '全民健康平台', departmentName: '省卫健委', sourceName: '省政务云', targetCloudName: '信创海光云', targetArch: 'x86_64', targetVendor: 'hygon', method: 'replatform', reasons: [{ zh: '更换操作系统：CentOS → 麒麟', en: 'another OS: CentOS → Kylin' }], effortHours: 24, sizeClass: 'M', groupName: '卫健组', groupSize: 3, dependsOn: [{ systemId: 's-9', name: '统一身份认证' }, { systemId: 's-8', name: '电子证照' }] }),
      ],
      nextCursor: null,
    });
  });

  it('lists candidates with source, target, the method and its reasons, effort and group, in either language', async () => {
    const { fixture, el } = await renderComponent(CandidatesComponent);
    expect(api.migrations.candidates.list.query).toHaveBeenCalledWith({ limit: 50 });
    expect(el.querySelector('button.more-candidates')).toBeNull();
    expect(texts('tr[data-candidate] .name', el)).toEqual(['金税三期', '全民健康平台']);
    expect(texts('tr[data-candidate] .method', el)).toEqual(['重构（Rebuild）', '更换平台（Replatform）']);
    expect(texts('tr[data-candidate="c-1"] .reasons li', el)).toEqual(['CPU 架构不同：x86_64（Intel）→ arm64（鲲鹏）']);
    expect(el.querySelector('tr[data-candidate="c-1"] .source')?.textContent).toContain('省税务局老机房');
    expect(el.querySelector('tr[data-candidate="c-1"] .target')?.textContent).toContain('信创鲲鹏云');
    expect(texts('tr[data-candidate] .effort', el)).toEqual(['16 人时（S）', '24 人时（M）']);
    expect(texts('tr[data-candidate] .group', el)).toEqual(['—', '卫健组 （同批迁移 3 个）']);
    expect(texts('tr[data-candidate] .depends-on', el)).toEqual(['无', '统一身份认证、电子证照']);

    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(texts('tr[data-candidate="c-2"] .reasons li', el)).toEqual(['another OS: CentOS → Kylin']);
    expect(texts('tr[data-candidate] .method', el)).toEqual(['Rebuild', 'Replatform']);
  });

  it('filters by state through a labelled select and shows a refusal', async () => {
    const { fixture, el } = await renderComponent(CandidatesComponent);
    expect(el.querySelector('label[for="mig-state"]')?.textContent).toContain('状态');
    api.migrations.candidates.list.query.and.rejectWith(apiError('FORBIDDEN', { code: 'auth.roleMissing', params: { roles: 'cloud-operator' } }));
    await chooseOption(fixture, el.querySelector('.mig-state'), '迁移中');
    expect(api.migrations.candidates.list.query).toHaveBeenCalledWith({ limit: 50, state: 'migrating' });
    expect(el.querySelector('app-error-alert .error-message')?.textContent).toContain('此操作需要以下角色之一：云运维');
  });

  it('pages on the server: 加载更多 reads the next page with the same state filter, and a new filter starts again', async () => {
    api.migrations.candidates.list.query.and.callFake(async (input: unknown) => ((input as { cursor?: string } | undefined)?.cursor === 'after-c-2'
      ? { items: [candidate({ id: 'c-3', systemName: '智慧交通' })], nextCursor: null }
      : { items: [candidate(), candidate({ id: 'c-2', systemName: '全民健康平台' })], nextCursor: 'after-c-2' }));
    const { fixture, el } = await renderComponent(CandidatesComponent);
    expect(texts('tr[data-candidate] .name', el)).toEqual(['金税三期', '全民健康平台']);
    expect(el.querySelector('button.more-candidates')?.textContent).toContain('加载更多');
    await press(fixture, el.querySelector('button.more-candidates'));
    expect(api.migrations.candidates.list.query).toHaveBeenCalledWith({ limit: 50, cursor: 'after-c-2' });
    expect(texts('tr[data-candidate] .name', el)).toEqual(['金税三期', '全民健康平台', '智慧交通']);
    expect(el.querySelector('button.more-candidates')).toBeNull();

    await chooseOption(fixture, el.querySelector('.mig-state'), '已排期');
    expect(api.migrations.candidates.list.query).toHaveBeenCalledWith({ limit: 50, state: 'scheduled' });
    expect(texts('tr[data-candidate] .name', el)).toEqual(['金税三期', '全民健康平台']);
    await press(fixture, el.querySelector('button.more-candidates'));
    expect(api.migrations.candidates.list.query).toHaveBeenCalledWith({ limit: 50, state: 'scheduled', cursor: 'after-c-2' });
  });

  it('opens a system\'s migration history: each wave with its outcome, the department\'s answer and the steps; a second click closes it', async () => {
    api.migrations.candidates.history.query.and.resolveTo({
      candidateId: 'c-1', systemName: '金税三期', state: 'candidate',
      items: [
        { waveId: 'w-2', planId: 'p-1', planName: '2027 信创迁移', version: 3, windowIndex: 4, weekStart: '2027-03-01', status: 'planned', confirmation: 'confirmed', note: null, workflowId: null, updatedAt: '2027-01-12T02:00:00Z', steps: [] },
        {
          waveId: 'w-1', planId: 'p-1', planName: '2027 信创迁移', version: 2, windowIndex: 1, weekStart: '2027-01-11', status: 'rolled-back', confirmation: 'pending', note: null, workflowId: 'wf-1', updatedAt: '2027-01-12T02:00:00Z',
          steps: [
            { step: 'prepare-target', status: 'compensated', attempts: 1, error: null, zh: '准备目标租户空间', en: 'prepare the target tenant space' },
            { step: 'copy', status: 'failed', attempts: 8, error: 'link down', zh: '复制数据', en: 'copy the data' },
          ],
        },
      ],
    });
    const { fixture, el } = await renderComponent(CandidatesComponent);
    expect(el.querySelector('app-mig-candidate-history')).toBeNull();
    await press(fixture, el.querySelector('tr[data-candidate="c-1"] .show-history'));
    expect(api.migrations.candidates.history.query).toHaveBeenCalledWith({ id: 'c-1' });
    expect(el.querySelector('.history h3')?.textContent).toContain('金税三期 的迁移历史');
    expect(texts('.history-wave .wave-status', el)).toEqual(['已计划', '已回滚']);
    expect(texts('.history-wave .confirmation', el)).toEqual(['部门已确认', '待部门确认']);
    expect(el.querySelector('.history-wave[data-wave="w-2"] .not-run')?.textContent).toContain('该批次尚未执行');
    expect(texts('.history-wave[data-wave="w-1"] .history-steps li', el)).toEqual(['准备目标租户空间：已回滚', '复制数据：失败']);

    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(texts('.history-wave .wave-status', el)).toEqual(['Planned', 'Rolled back']);
    expect(texts('.history-wave[data-wave="w-1"] .history-steps li', el)[1]).toContain('copy the data');

    await press(fixture, el.querySelector('tr[data-candidate="c-1"] .show-history'));
    expect(el.querySelector('app-mig-candidate-history')).toBeNull();
  });
});
