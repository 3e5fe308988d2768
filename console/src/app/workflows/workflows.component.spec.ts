import { TestBed } from '@angular/core/testing';
import { chooseOption, type FakeApi, sampleWorkflow, settle, texts, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { I18nService } from '../core/i18n/i18n.service';
import { WorkflowsComponent } from './workflows.component';

describe('WorkflowsComponent', () => {
  let workflows: FakeApi['workflows'];

  beforeEach(() => {
    const api = setUpConsoleSpec({ imports: [WorkflowsComponent] });
    workflows = api.workflows;
    workflows.list.query.and.resolveTo({
      items: [
        sampleWorkflow({ id: 'w-1', status: 'running', stepsDone: 1, stepsTotal: 4 }),
        sampleWorkflow({ id: 'w-2', title: '灾备演练', kind: 'dr-drill', status: 'failed', stepsDone: 2, stepsTotal: 5, finishedAt: '2026-03-01T03:00:00.000Z' }),
      ],
      nextCursor: null,
    });
  });

  const render = () => renderComponent(WorkflowsComponent);

  it('lists workflows with status and step progress', async () => {
    const { el } = await render();

    expect(workflows.list.query).toHaveBeenCalledOnceWith({ limit: 100 });
    expect(texts('td.title', el)).toEqual(['接入「社保业务系统」', '灾备演练']);
    expect(texts('td.status', el)).toEqual(['运行中', '失败']);
    expect(texts('td.progress .ant-progress-text', el)).toEqual(['1/4', '2/5']);
    const bars = Array.from(el.querySelectorAll<HTMLElement>('td.progress .ant-progress-bg')).map((b) => b.style.width);
    expect(bars).toEqual(['25%', '40%']);
    expect(el.querySelector('tr[data-workflow="w-2"] .ant-progress-status-exception')).not.toBeNull();
    expect(el.querySelector('tr[data-workflow="w-1"] a')?.getAttribute('href')).toBe('/workflows/w-1');
  });

  it('titles workflows in the reader’s language from their kind and names, not the server’s English title', async () => {
    const names = { group: '医保组', source: { zh: '南昌主中心', en: 'Nanchang primary' }, target: { zh: '九江灾备中心', en: 'Jiujiang DR centre' } };
    workflows.list.query.and.resolveTo({
      items: [
        sampleWorkflow({ id: 'w-3', kind: 'onboarding', title: 'onboard 社保系统 → jiujiang', input: { names: { system: '社保系统', cloud: { zh: '九江政务云', en: 'Jiujiang Gov Cloud' } } } }),
        sampleWorkflow({ id: 'w-4', kind: 'dr.failover', title: 'failover 医保组 → jj-dr', input: { names } }),
      ],
      nextCursor: null,
    });
    const { fixture, el } = await render();
    expect(texts('td.title', el)).toEqual(['接入 社保系统 → 九江政务云', '灾难切换 医保组 → 九江灾备中心']);

    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(texts('td.title', el)).toEqual(['Onboard 社保系统 → Jiujiang Gov Cloud', 'Failover 医保组 → Jiujiang DR centre']);
  });

  it('names each workflow’s kind in the reader’s language, the code on hover, an unknown kind as its code', async () => {
    workflows.list.query.and.resolveTo({
      items: [
        sampleWorkflow({ id: 'w-5', kind: 'dr.drill' }),
        sampleWorkflow({ id: 'w-6', kind: 'request-provisioning' }),
        sampleWorkflow({ id: 'w-7', kind: 'brand-new.kind' }),
      ],
      nextCursor: null,
    });
    const { fixture, el } = await render();
    expect(texts('td.kind', el)).toEqual(['灾备演练', '资源开通', 'brand-new.kind']);
    expect(Array.from(el.querySelectorAll('td.kind')).map((td) => td.getAttribute('title'))).toEqual(['dr.drill', 'request-provisioning', 'brand-new.kind']);

    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(texts('td.kind', el)).toEqual(['DR drill', 'Provisioning', 'brand-new.kind']);
  });

  it('filters by status', async () => {
    const { fixture, el } = await render();

    workflows.list.query.and.resolveTo({ items: [], nextCursor: null });
    await chooseOption(fixture, el.querySelector('nz-select.filter-status'), '已暂停');

    expect(workflows.list.query).toHaveBeenCalledWith({ status: 'paused', limit: 100 });
    expect(el.querySelectorAll('tr[data-workflow]').length).toBe(0);
  });
});
