import { TestBed } from '@angular/core/testing';
import type { ApiOutputs } from '../core/api-types';
import { I18nService } from '../core/i18n/i18n.service';
import type { Role } from '../core/api-types';
import { press, type FakeApi, settle, setUpConsoleSpec, texts, renderComponent } from '../../testing/test-helpers';
import { DrComponent } from './dr.component';

type Readiness = ApiOutputs['dr']['protection']['readiness']['items'][number];
type Group = ApiOutputs['dr']['protection']['list']['items'][number];
type Run = ApiOutputs['dr']['runs']['list']['items'][number];
type Progress = Parameters<Parameters<FakeApi['dr']['runs']['onProgress']['subscribe']>[1]['onData']>[0];

const CENTRES = {
  centres: [
    { id: 'jx-province/jxp-main', cloudId: 'jx-province', zone: 'jxp-main', role: 'production' as const, name: '江西省政务云 主中心', nameEn: 'Province cloud Production', region: '3601' },
    { id: 'jx-province/jxp-dr', cloudId: 'jx-province', zone: 'jxp-dr', role: 'same-city-dr' as const, name: '江西省政务云 同城灾备中心', nameEn: 'Province cloud Same-city DR', region: '3601' },
  ],
  links: [{ id: 'jx-province--jx-province', sourceCloud: 'jx-province', targetCloud: 'jx-province', from: 'jx-province/jxp-main', to: 'jx-province/jxp-dr', mode: 'sync' as const, state: 'lagging' as const, lagSeconds: 2.5, measuredAt: '2026-12-05T08:00:00.000Z' }],
};

const readiness = (over: Partial<Readiness> = {}): Readiness => ({
  systemId: 's-1', name: '社保核心', departmentName: '人社厅', drLevel: 5, drEdition: '2025', groupId: 'g-1', state: 'not-ready', daysSinceDrill: null, drillStale: true, currentRpoSeconds: 0,
  checks: [{ id: 'plan', ok: false, severity: 'blocker', message: { zh: '没有灾难恢复预案', en: 'no DR plan' } }, { id: 'link', ok: true, severity: 'blocker', message: { zh: '复制链路正常', en: 'replication links up' } }],
  ...over,
});

const group = { id: 'g-1', name: '社保保护组', departmentId: 'd-1', departmentName: '人社厅', mode: 'active-standby', centres: { production: 'jx-province/jxp-main', sameCity: 'jx-province/jxp-dr' }, activeCentre: 'jx-province/jxp-main', rtoSeconds: 3600, rpoSeconds: 60, backupIntervalSeconds: null, systemIds: ['s-1'], resources: [], standby: [], createdAt: '', updatedAt: '' } as Group;

const run = (over: Partial<Run> = {}): Run => ({
  id: 'r-1', groupId: 'g-1', groupName: '社保保护组', departmentId: 'd-1', kind: 'drill', planId: 'p-1', planVersion: 1, planDigest: 'x', sourceCentre: 'jx-province/jxp-main', targetCentre: 'jx-province/jxp-dr',
  workflowId: 'w-1', status: 'running', operatorId: 'u-1', operator: 'ops', approverId: null, approver: null, scenario: '', startedAt: '2026-12-05T08:00:00.000Z', finishedAt: null, reportDigest: null, ...over,
});

describe('DrComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [DrComponent] });
    api.dr.centres.query.and.resolveTo(CENTRES);
    api.dr.protection.readiness.query.and.resolveTo({ items: [readiness()] });
    api.dr.protection.list.query.and.resolveTo({ items: [group], nextCursor: null });
    api.dr.plans.list.query.and.resolveTo({ items: [{ id: 'p-1', groupId: 'g-1', name: '社保切换预案', latestVersion: 2, createdAt: '', updatedAt: '' }] });
    api.dr.runs.list.query.and.resolveTo({ items: [], nextCursor: null });
  });

  const render = (roles: Role[]) => renderComponent(DrComponent, { me: { roles, departmentId: 'd-1', departmentName: '人社厅' } });

  async function openTab(fixture: Awaited<ReturnType<typeof render>>['fixture'], el: HTMLElement, index: number) {
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[index] ?? null);
  }

  it('shows the centres by role and each link with its mode, state and current lag, in either language', async () => {
    const { fixture, el } = await render(['auditor']);
    expect(el.querySelector('.centre-map')?.getAttribute('aria-label')).toContain('复制链路');
    expect(texts('.centres td.role', el)).toEqual(['生产中心', '同城灾备']);
    const link = el.querySelector('tr[data-link="jx-province--jx-province"]')!;
    expect(link.textContent).toContain('江西省政务云 主中心 → 江西省政务云 同城灾备中心');
    expect([link.querySelector('.mode')?.textContent, link.querySelector('.state')?.textContent?.trim(), link.querySelector('.lag')?.textContent]).toEqual(['sync', 'lagging', '2.5 s']);
    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(texts('.centres td.role', el)).toEqual(['Production', 'Same-city DR']);
  });

  it('loads the next page of protection groups with their plans', async () => {
    api.dr.protection.list.query.and.callFake(async (input) => (input?.cursor === undefined
      ? { items: [group], nextCursor: 'after-g-1' }
      : { items: [{ ...group, id: 'g-2', name: '交通保护组' }], nextCursor: null }));
    const { fixture, el } = await render(['auditor']);
    await openTab(fixture, el, 1);
    expect(el.querySelector('[data-group="g-2"]')).toBeNull();
    await press(fixture, el.querySelector('.more-groups'));
    expect(api.dr.protection.list.query).toHaveBeenCalledWith({ cursor: 'after-g-1' });
    expect(api.dr.plans.list.query).toHaveBeenCalledWith({ groupId: 'g-2' });
    expect(el.querySelector('[data-group="g-2"]')?.textContent).toContain('交通保护组');
    expect(el.querySelector('.more-groups')).toBeNull();
  });

  it('lists readiness per system with the failed checks only, and offers no drill to a department user', async () => {
    const { fixture, el } = await render(['department-user']);
    await openTab(fixture, el, 1);
    const row = el.querySelector('tr[data-system="s-1"]')!;
    expect(row.querySelector('.state')?.textContent?.trim()).toBe('未就绪');
    expect(row.querySelector('.problems')?.textContent).toBe('没有灾难恢复预案');
    expect(el.querySelector('[data-plan="p-1"]')?.textContent).toContain('社保切换预案 v2');
    expect(el.querySelector('button.start-drill')).toBeNull();
  });

  it('lets an operator start a drill and follows its progress live until it ends', async () => {
    api.dr.runs.start.mutate.and.resolveTo(run());
    let onData: ((e: Progress) => void) | undefined;
    api.dr.runs.onProgress.subscribe.and.callFake((_input, handlers) => {
      onData = handlers.onData;
      handlers.onStarted?.();
      return { unsubscribe: jasmine.createSpy('unsubscribe') };
    });
    const { fixture, el } = await render(['cloud-operator']);
    await openTab(fixture, el, 1);
    api.dr.runs.list.query.and.resolveTo({ items: [run()], nextCursor: null });
    await press(fixture, el.querySelector('button.start-drill'));
    expect(api.dr.runs.start.mutate).toHaveBeenCalledWith({ groupId: 'g-1', kind: 'drill', planId: 'p-1' });
    expect(api.dr.runs.onProgress.subscribe).toHaveBeenCalledWith({ id: 'r-1', afterSeq: 0 }, jasmine.anything());
    await openTab(fixture, el, 3); // centres, protection, plans, runs
    expect(el.querySelector('tr[data-run="r-1"] .live')).not.toBeNull();
    expect(el.querySelector('tr[data-run="r-1"] a.open-run')?.getAttribute('href')).toBe('/dr/runs/r-1');
    // Centres by name; their ids on hover.
    expect(el.querySelector('tr[data-run="r-1"] td.centres')?.textContent?.trim()).toBe('江西省政务云 主中心 → 江西省政务云 同城灾备中心');
    expect(el.querySelector('tr[data-run="r-1"] td.centres')?.getAttribute('title')).toBe('jx-province/jxp-main → jx-province/jxp-dr');
    onData!({ seq: 3, workflowId: 'w-1', at: '', kind: 'step.succeeded', stepKey: 'sandbox:0', data: null, status: 'running', stepsDone: 3, stepsTotal: 12 } as Progress);
    await settle(fixture);
    expect(el.querySelector('tr[data-run="r-1"] .ant-progress-text')?.textContent?.trim()).toBe('25%');
    api.dr.runs.list.query.and.resolveTo({ items: [run({ status: 'succeeded', finishedAt: '2026-12-05T08:01:00.000Z' })], nextCursor: null });
    onData!({ seq: 20, workflowId: 'w-1', at: '', kind: 'workflow.succeeded', stepKey: null, data: null, status: 'succeeded', stepsDone: 12, stepsTotal: 12 } as Progress);
    await settle(fixture);
    expect(el.querySelector('tr[data-run="r-1"] .live')).toBeNull();
    expect(el.querySelector('tr[data-run="r-1"] .status')?.textContent).toContain('succeeded');
    expect(el.querySelector('tr[data-run="r-1"] button.open-report')).not.toBeNull();
  });

  it('lists runs newest first a page at a time: more reads the next page by its cursor', async () => {
    api.dr.runs.list.query.and.callFake(async (input) =>
      input?.cursor ? { items: [run({ id: 'r-older' })], nextCursor: null } : { items: [run({ id: 'r-newest' })], nextCursor: 'c-1' });
    const { fixture, el } = await render(['auditor']);
    await openTab(fixture, el, 3); // centres, protection, plans, runs
    expect(api.dr.runs.list.query).toHaveBeenCalledWith({ limit: 50 });
    expect([...el.querySelectorAll('tr[data-run]')].map((tr) => tr.getAttribute('data-run'))).toEqual(['r-newest']);
    await press(fixture, el.querySelector('button.more-runs'));
    expect(api.dr.runs.list.query).toHaveBeenCalledWith({ limit: 50, cursor: 'c-1' });
    expect([...el.querySelectorAll('tr[data-run]')].map((tr) => tr.getAttribute('data-run'))).toEqual(['r-newest', 'r-older']);
    expect(el.querySelector('button.more-runs')).toBeNull();
  });
});
