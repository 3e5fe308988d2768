import { TestBed } from '@angular/core/testing';
import { apiError, chooseOption, chooseSystem, press, type FakeApi, settle, setUpConsoleSpec, texts, renderComponent, signIn } from '../../testing/test-helpers';
import type { DryRun } from './onboarding-api.service';
import { PolicyCatalogueComponent } from './policy-catalogue.component';

const dryRun = {
  admission: [{ policyId: 'refuse-classified-systems', title: { zh: '涉密系统不得上政务云', en: 'x' }, outcome: 'deny', message: { zh: '假设系统 为涉密系统，不能接入政务云', en: 'x' } }],
  admitted: false, chosen: null, quota: null,
  candidates: [{ cloudId: 'nanchang', name: '南昌云', eligible: false, chosen: false, results: [], reasons: [{ zh: '系统未通过准入规则', en: 'failed admission' }] }],
  verdict: { allowed: false, quotaIncrease: false, denials: [], warnings: [] },
} as unknown as DryRun;

describe('PolicyCatalogueComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [PolicyCatalogueComponent] });
    api.clouds.list.query.and.resolveTo({ items: [{ id: 'nanchang', name: '南昌云' }, { id: 'xc-kunpeng', name: '信创鲲鹏云' }] as never });
    api.policies.list.query.and.resolveTo({ items: [
      { id: 'require-xinchuang-cloud', title: { zh: '信创系统仅部署于信创云', en: 'x' }, rationale: { zh: '推进信创云平台建设', en: 'x' }, reference: 'jiangxi-digital-government-plan.zh.txt', scope: 'placement', enforcement: 'mandatory', defaultEnforcement: 'mandatory', onFailure: 'deny' },
      { id: 'route-over-quota-to-approval', title: { zh: '超出配额转为配额扩容申请', en: 'x' }, rationale: { zh: '统筹分配', en: 'x' }, reference: null, scope: 'quota', enforcement: 'advisory', defaultEnforcement: 'advisory', onFailure: 'quota-increase' },
    ] });
    api.policies.dryRun.query.and.resolveTo(dryRun);
  });

  const render = () => renderComponent(PolicyCatalogueComponent);

  it('lists every rule with its enforcement level and the source it cites', async () => {
    const { el } = await render();
    expect(texts('.policies td.enforcement', el)).toEqual(['强制', '建议']);
    expect(texts('.policies .reference', el)).toEqual(['jiangxi-digital-government-plan.zh.txt']);
  });

  it('dry-runs a described system ("what if") and shows the verdict and every cloud’s reasons', async () => {
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('.what-if-xinchuang input'));
    await press(fixture, el.querySelector('button.run-dry-run'));
    const [input] = api.policies.dryRun.query.calls.mostRecent().args;
    expect(input.system?.xinchuangRequired).toBeTrue();
    expect(input.system?.mlpsLevel).toBe(3);
    expect(input.cloudId).toBeUndefined();
    expect(texts('.verdict nz-tag', el)).toEqual(['拒绝']);
    expect(texts('.admission li', el)[0]).toContain('为涉密系统');
    expect(texts('.dry-run-candidates td.reasons', el)).toEqual(['系统未通过准入规则']);
    // Clouds by name, the identifier on hover.
    expect(texts('.dry-run-candidates td.cloud', el)).toEqual(['南昌云']);
    expect(el.querySelector('.dry-run-candidates td.cloud')?.getAttribute('title')).toBe('nanchang');
  });

  it('labels every field of the dry run and picks the cloud from the federation instead of typing its identifier', async () => {
    const { fixture, el } = await render();
    for (const id of ['dry-run-system', 'dry-run-cloud', 'what-if-mlps', 'what-if-dr', 'what-if-classification', 'what-if-arch']) {
      expect(el.querySelector(`label[for="${id}"]`)?.textContent?.trim()).withContext(id).toBeTruthy();
    }
    await chooseOption(fixture, el.querySelector('nz-select.dry-run-cloud'), '信创鲲鹏云');
    await press(fixture, el.querySelector('button.run-dry-run'));
    expect(api.policies.dryRun.query.calls.mostRecent().args[0].cloudId).toBe('xc-kunpeng');
  });

  it('dry-runs a registered system when one is picked, without the described fields', async () => {
    const fixture = TestBed.createComponent(PolicyCatalogueComponent);
    api.systems.list.query.and.resolveTo({ items: [{ id: 's-1', name: '社保核心', departmentName: '人社厅' }], nextCursor: null } as never);
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    await chooseSystem(fixture, el.querySelector('app-system-picker.dry-run-system'), '社保核心');
    expect(el.querySelector('.described')).toBeNull();
    await press(fixture, el.querySelector('button.run-dry-run'));
    expect(api.policies.dryRun.query.calls.mostRecent().args[0]).toEqual({ systemId: 's-1' });
  });

  it('lets an admin change a rule’s enforcement level', async () => {
    signIn({ roles: ['admin'] });
    api.policies.setEnforcement.mutate.and.resolveTo({ policyId: 'require-xinchuang-cloud', enforcement: 'advisory' } as never);
    const { fixture, el } = await renderComponent(PolicyCatalogueComponent);
    await chooseOption(fixture, el.querySelector('tr[data-policy="require-xinchuang-cloud"] nz-select.enforcement-select'), '建议');
    expect(api.policies.setEnforcement.mutate).toHaveBeenCalledOnceWith({ policyId: 'require-xinchuang-cloud', enforcement: 'advisory' } as never);
  });

  it('puts a refused level back and says why', async () => {
    signIn({ roles: ['admin'] });
    api.policies.setEnforcement.mutate.and.rejectWith(apiError('FORBIDDEN', { code: 'auth.roleMissing', params: { roles: 'admin' } }));
    const { fixture, el } = await renderComponent(PolicyCatalogueComponent);
    await chooseOption(fixture, el.querySelector('tr[data-policy="require-xinchuang-cloud"] nz-select.enforcement-select'), '停用');
    await settle(fixture);
    expect(texts('tr[data-policy="require-xinchuang-cloud"] nz-select.enforcement-select .ant-select-selection-item', el)).toEqual(['强制']);
    expect(el.querySelector('app-error-alert .error-message')?.textContent).toContain('此操作需要以下角色之一');
  });

  it('shows the level as text to everyone else', async () => {
    const { el } = await render();
    expect(el.querySelector('nz-select.enforcement-select')).toBeNull();
  });
});
