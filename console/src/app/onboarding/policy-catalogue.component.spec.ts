import { TestBed } from '@angular/core/testing';
import { SessionStore } from '../core/session';
import { chooseOption, click, clearStorage, createFakeApi, sampleMe, settle, testProviders, texts } from '../../testing/test-helpers';
import { OnboardingApiService, type DryRun } from './onboarding-api.service';
import { PolicyCatalogueComponent } from './policy-catalogue.component';

const dryRun = {
  admission: [{ policyId: 'refuse-classified-systems', title: { zh: '涉密系统不得上政务云', en: 'x' }, outcome: 'deny', message: { zh: '假设系统 为涉密系统，不能接入政务云', en: 'x' } }],
  admitted: false, chosen: null, quota: null,
  candidates: [{ cloudId: 'nanchang', name: '南昌云', eligible: false, chosen: false, results: [], reasons: [{ zh: '系统未通过准入规则', en: 'failed admission' }] }],
  verdict: { allowed: false, quotaIncrease: false, denials: [], warnings: [] },
} as unknown as DryRun;

describe('PolicyCatalogueComponent', () => {
  let api: jasmine.SpyObj<OnboardingApiService>;

  beforeEach(() => {
    clearStorage();
    api = jasmine.createSpyObj<OnboardingApiService>('OnboardingApiService', ['listPolicies', 'dryRun', 'setEnforcement']);
    api.listPolicies.and.resolveTo({ items: [
      { id: 'require-xinchuang-cloud', title: { zh: '信创系统仅部署于信创云', en: 'x' }, rationale: { zh: '推进信创云平台建设', en: 'x' }, reference: 'jiangxi-digital-government-plan.zh.txt', scope: 'placement', enforcement: 'mandatory', defaultEnforcement: 'mandatory', onFailure: 'deny' },
      { id: 'route-over-quota-to-approval', title: { zh: '超出配额转为配额扩容申请', en: 'x' }, rationale: { zh: '统筹分配', en: 'x' }, reference: null, scope: 'quota', enforcement: 'advisory', defaultEnforcement: 'advisory', onFailure: 'quota-increase' },
    ] });
    api.dryRun.and.resolveTo(dryRun);
    TestBed.configureTestingModule({ imports: [PolicyCatalogueComponent], providers: [...testProviders(createFakeApi()), { provide: OnboardingApiService, useValue: api }] });
  });

  async function render() {
    const fixture = TestBed.createComponent(PolicyCatalogueComponent);
    await settle(fixture);
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('lists every rule with its enforcement level and the source it cites', async () => {
    const { el } = await render();
    expect(texts('.policies td.enforcement', el)).toEqual(['强制', '建议']);
    expect(texts('.policies .reference', el)).toEqual(['jiangxi-digital-government-plan.zh.txt']);
  });

  it('dry-runs a described system ("what if") and shows the verdict and every cloud’s reasons', async () => {
    const { fixture, el } = await render();
    click(el.querySelector('.what-if-xinchuang input'));
    await settle(fixture);
    click(el.querySelector('button.run-dry-run'));
    await settle(fixture);
    const [subject, cloud] = api.dryRun.calls.mostRecent().args;
    expect('system' in subject && subject.system.xinchuangRequired).toBeTrue();
    expect(cloud).toBeUndefined();
    expect(texts('.verdict nz-tag', el)).toEqual(['拒绝']);
    expect(texts('.admission li', el)[0]).toContain('为涉密系统');
    expect(texts('.dry-run-candidates td.reasons', el)).toEqual(['系统未通过准入规则']);
  });

  it('lets an admin change a rule’s enforcement level', async () => {
    TestBed.inject(SessionStore).start('tok', '2099-01-01T00:00:00.000Z', sampleMe({ roles: ['admin'] }));
    api.setEnforcement.and.resolveTo({ policyId: 'require-xinchuang-cloud', enforcement: 'advisory' });
    const fixture = TestBed.createComponent(PolicyCatalogueComponent);
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    await chooseOption(fixture, el.querySelector('tr[data-policy="require-xinchuang-cloud"] nz-select.enforcement-select'), '建议');
    expect(api.setEnforcement).toHaveBeenCalledOnceWith('require-xinchuang-cloud', 'advisory');
  });

  it('shows the level as text to everyone else', async () => {
    const { el } = await render();
    expect(el.querySelector('nz-select.enforcement-select')).toBeNull();
  });
});
