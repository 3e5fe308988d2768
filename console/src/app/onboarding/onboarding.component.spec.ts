import { apiError, click, press, chooseSystem, setUpConsoleSpec, type FakeApi, sampleWorkflowDetail, settle, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { OnboardingApiService, type BusinessSystem, type Placement } from './onboarding-api.service';
import { OnboardingComponent } from './onboarding.component';
import type { Role } from '../core/api-types';

const system = (over: Partial<BusinessSystem> = {}): BusinessSystem => ({
  id: 's-1', departmentId: 'd-1', departmentName: '南昌市数据局', name: '社保查询系统', ownerUserId: null, description: '', mlpsLevel: 3,
  dataClassification: 'internal', xinchuangRequired: false, architectures: ['x86_64'], drLevel: 2, drEdition: '2025', rpoSeconds: 60, rtoSeconds: 600,
  status: 'registered', cloudId: null, compliant: null, onboardingWorkflowId: null,
  createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', ...over,
});

const placement = {
  admission: [], admitted: true, chosen: 'nanchang',
  candidates: [
    { cloudId: 'nanchang', name: '南昌云', eligible: true, chosen: true, results: [], reasons: [{ zh: '选中：满足全部规则，排名第一', en: 'chosen' }, { zh: '与部门同城', en: 'same city' }] },
    { cloudId: 'xc-kunpeng', name: '信创鲲鹏云', eligible: false, chosen: false, results: [], reasons: [{ zh: '系统需要 x86_64，xc-kunpeng 仅提供 arm64', en: 'arm64 only' }] },
  ],
} as unknown as Placement;

describe('OnboardingComponent', () => {
  let api: jasmine.SpyObj<OnboardingApiService>;
  let searchable: { id: string; name: string; departmentName: string }[];
  let systemsApi: FakeApi['systems'];
  const wizardSystem = (el: HTMLElement) => el.querySelector('app-system-picker.wizard-system');

  beforeEach(() => {
    api = jasmine.createSpyObj<OnboardingApiService>('OnboardingApiService', ['listSystems', 'createSystem', 'previewPlacement', 'startOnboarding']);
    api.listSystems.and.resolveTo({ items: [system(), system({ id: 's-2', name: '电子证照', status: 'on-cloud', cloudId: 'jx-province', compliant: false })], nextCursor: null });
    // The policy catalogue on the page reads through the typed client.
    const client = setUpConsoleSpec({ imports: [OnboardingComponent], providers: [{ provide: OnboardingApiService, useValue: api }] });
    client.clouds.list.query.and.resolveTo({ items: [] });
    client.policies.list.query.and.resolveTo({ items: [{ id: 'require-xinchuang-cloud', title: { zh: '信创系统仅部署于信创云', en: 'x' }, rationale: { zh: '推进信创云平台建设', en: 'x' }, reference: 'plan', scope: 'placement', enforcement: 'mandatory', defaultEnforcement: 'mandatory', onFailure: 'deny' }] });
    client.workflows.get.query.and.resolveTo(sampleWorkflowDetail({ id: 'w-9' }));
    // The shared pickers search the server: every system in scope, not only the page of systems loaded.
    searchable = [
      { id: 's-1', name: '社保查询系统', departmentName: '南昌市数据局' },
      { id: 's-2', name: '电子证照', departmentName: '南昌市数据局' },
      { id: 's-3', name: '不动产登记', departmentName: '九江市数据局' },
    ];
    client.systems.list.query.and.callFake(async (input) => ({
      items: searchable.filter((x) => !input?.search || x.name.includes(input.search)), nextCursor: null,
    }) as never);
    systemsApi = client.systems;
  });

  const render = (roles: Role[] = ['department-user']) => renderComponent(OnboardingComponent, { me: { roles } });

  it('lists my systems with their status and cloud', async () => {
    const { el } = await render();
    expect(texts('.systems-table td.name', el)).toEqual(['社保查询系统', '电子证照']);
    expect(texts('.systems-table td.status', el)).toEqual(['已登记', '已上云']);
    expect(texts('.systems-table td.cloud', el)).toEqual(['—', 'jx-province不再符合策略']);
  });

  it('loads the next page of systems where the server has more', async () => {
    api.listSystems.and.callFake(async (cursor) => (cursor === undefined
      ? { items: [system()], nextCursor: 'after-1' }
      : { items: [system({ id: 's-2', name: '电子证照' })], nextCursor: null }));
    const { fixture, el } = await render();
    expect(texts('.systems-table td.name', el)).toEqual(['社保查询系统']);
    await press(fixture, el.querySelector('.more-systems'));
    expect(api.listSystems).toHaveBeenCalledWith('after-1');
    expect(texts('.systems-table td.name', el)).toEqual(['社保查询系统', '电子证照']);
    expect(el.querySelector('.more-systems')).toBeNull();
  });

  it('registers a system depending on another and shows a cycle refused by the server', async () => {
    api.createSystem.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected', path: ['dependsOn'] }));
    const { fixture, el } = await render();
    typeInto(el.querySelector('input.system-name'), '新系统');
    await chooseSystem(fixture, el.querySelector('app-systems-picker.depends-on app-system-picker'), '电子证照');
    await press(fixture, el.querySelector('button.register'));
    expect(api.createSystem.calls.mostRecent().args[0].dependsOn).toEqual(['s-2']);
    expect(el.querySelector('.error-alert')?.textContent).toContain('输入的值不被接受');
    // The refusal names the field: it shows beside that field, and only there.
    expect(el.querySelector('[data-field=dependsOn] .ant-form-item-explain-error')?.textContent).toContain('输入的值不被接受');
    expect(el.querySelector('[data-field=name] .ant-form-item-explain-error')).toBeNull();
  });

  it('says beside the name that it is required, and sends nothing', async () => {
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('button.register'));
    expect(api.createSystem).not.toHaveBeenCalled();
    expect(el.querySelector('[data-field=name] .ant-form-item-explain-error')?.textContent).toContain('此项必填');
    typeInto(el.querySelector('input.system-name'), '新系统');
    await settle(fixture);
    expect(el.querySelector('[data-field=name] .ant-form-item-explain-error')).toBeNull();
  });

  it('chooses what a system depends on with the server-searching picker: several, each removable, not only the loaded page', async () => {
    api.listSystems.and.resolveTo({ items: [system()], nextCursor: 'more' });
    api.createSystem.and.resolveTo(system({ id: 's-9', name: '新系统' }));
    const { fixture, el } = await render();
    const picker = () => el.querySelector('app-systems-picker.depends-on app-system-picker');
    typeInto(el.querySelector('input.system-name'), '新系统');
    // 不动产登记 is not on the page of systems loaded: the picker finds it on the server.
    await chooseSystem(fixture, picker(), '不动产登记');
    await chooseSystem(fixture, picker(), '电子证照');
    expect(texts('.depends-on .systems-picker-item .name', el)).toEqual(['不动产登记', '电子证照']);
    expect(picker()!.querySelector<HTMLInputElement>('input[role="combobox"]')!.value).toBe('');
    await press(fixture, el.querySelector('.depends-on button[aria-label="移除 不动产登记"]'));
    expect(texts('.depends-on .systems-picker-item .name', el)).toEqual(['电子证照']);
    await press(fixture, el.querySelector('button.register'));
    expect(api.createSystem.calls.mostRecent().args[0].dependsOn).toEqual(['s-2']);
    // Registered: the picker is emptied for the next system.
    expect(el.querySelectorAll('.depends-on .systems-picker-item').length).toBe(0);
  });

  it('offers the wizard every registered system the server finds, searching by name', async () => {
    api.listSystems.and.resolveTo({ items: [], nextCursor: null });
    api.previewPlacement.and.resolveTo(placement);
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    await chooseSystem(fixture, wizardSystem(el), '不动产登记');
    expect(systemsApi.list.query.calls.mostRecent().args[0]).toEqual(jasmine.objectContaining({ search: '不动产登记', status: 'registered' }));
    expect(api.previewPlacement).toHaveBeenCalledWith('s-3', undefined);
    expect(el.querySelector('label[for="wizard-system"]')).not.toBeNull();
    expect(el.querySelector('#wizard-system')?.getAttribute('role')).toBe('combobox');
  });

  it('labels every field of the register form', async () => {
    const { el } = await render();
    const fields = Array.from(el.querySelectorAll<HTMLElement>('.register-form input:not([type=checkbox])'));
    expect(fields.length).toBe(6);
    const labels = fields.map((f) => el.querySelector(`label[for="${f.id}"]`)?.textContent?.trim());
    expect(labels).toEqual(['系统名称', '等保级别', '数据分级', 'CPU 架构', '灾备等级', '依赖的系统']);
  });

  it('registers a system from the form and reloads', async () => {
    api.createSystem.and.resolveTo(system({ id: 's-3', name: '新系统' }));
    const { fixture, el } = await render();
    typeInto(el.querySelector('input.system-name'), '新系统');
    await press(fixture, el.querySelector('button.register'));
    expect(api.createSystem).toHaveBeenCalledWith(jasmine.objectContaining({ name: '新系统', mlpsLevel: 2, architectures: ['x86_64'], dependsOn: [] }));
    expect(api.listSystems).toHaveBeenCalledTimes(2);
    // Feedback, and the form ready for the next system (no "required" shown for the emptied name).
    expect(el.querySelector('.registered')?.textContent).toContain('已登记系统“新系统”');
    expect(el.querySelector<HTMLInputElement>('input.system-name')!.value).toBe('');
    expect(el.querySelector('[data-field=name] .ant-form-item-explain-error')).toBeNull();
  });

  it('shows every candidate cloud with its reasons, then starts onboarding and shows live progress', async () => {
    api.previewPlacement.and.resolveTo(placement);
    api.startOnboarding.and.resolveTo({ workflowId: 'w-9', placement });
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    await chooseSystem(fixture, wizardSystem(el), '社保查询系统');
    expect(api.previewPlacement).toHaveBeenCalledWith('s-1', undefined);
    expect(texts('.candidates td.verdict', el)).toEqual(['选中', '已排除']);
    expect(texts('.candidates tr[data-cloud="xc-kunpeng"] td.reasons', el)[0]).toContain('仅提供 arm64');
    await press(fixture, el.querySelector('button.start'));
    expect(api.startOnboarding).toHaveBeenCalledWith('s-1', [{ resourceClass: 'vcpu', limit: 16 }, { resourceClass: 'memoryGiB', limit: 64 }], undefined);
    expect(el.querySelector('app-workflow-detail')).not.toBeNull();
  });

  it('onboards onto a named cloud when one is given', async () => {
    api.previewPlacement.and.resolveTo(placement);
    api.startOnboarding.and.resolveTo({ workflowId: 'w-9', placement });
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    typeInto(el.querySelector('input.named-cloud'), 'nanchang');
    await chooseSystem(fixture, wizardSystem(el), '社保查询系统');
    expect(api.previewPlacement).toHaveBeenCalledWith('s-1', 'nanchang');
    await press(fixture, el.querySelector('button.start'));
    expect(api.startOnboarding.calls.mostRecent().args[2]).toBe('nanchang');
  });

  it('naming a cloud after the preview drops the old 选中 at once, then previews and onboards onto the named cloud', async () => {
    const named = {
      ...placement, chosen: 'jx-province',
      candidates: [{ cloudId: 'jx-province', name: '江西省政务云', eligible: true, chosen: true, results: [], reasons: [{ zh: '选中：满足全部规则，排名第一', en: 'chosen' }] }],
    } as unknown as Placement;
    api.previewPlacement.and.callFake(async (_systemId, cloudId) => (cloudId === 'jx-province' ? named : placement));
    api.startOnboarding.and.resolveTo({ workflowId: 'w-9', placement: named });
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    await chooseSystem(fixture, wizardSystem(el), '社保查询系统');
    expect(texts('.candidates tr[data-cloud="nanchang"] td.verdict', el)).toEqual(['选中']);
    typeInto(el.querySelector('input.named-cloud'), 'jx-province');
    await settle(fixture);
    // Placement's own choice is no longer what onboarding would do: it is not shown as chosen, nor can it start.
    expect(el.querySelector('.candidates tr[data-cloud="nanchang"]')).toBeNull();
    expect(el.querySelector('button.start')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await settle(fixture);
    expect(api.previewPlacement.calls.mostRecent().args).toEqual(['s-1', 'jx-province']);
    expect(texts('.candidates td.verdict', el)).toEqual(['选中']);
    expect(el.querySelector('.candidates tr[data-cloud="jx-province"]')).not.toBeNull();
    expect(texts('button.start', el)[0]).toContain('江西省政务云');
    await press(fixture, el.querySelector('button.start'));
    expect(api.startOnboarding.calls.mostRecent().args[2]).toBe('jx-province');
  });

  it('shows the latest system’s placement when an earlier preview answers last', async () => {
    let answerFirst: (p: Placement) => void = () => undefined;
    const second = { ...placement, chosen: 'xc-kunpeng', candidates: [{ ...placement.candidates[1]!, eligible: true, chosen: true }] } as Placement;
    api.previewPlacement.and.callFake((systemId) => (systemId === 's-1' ? new Promise<Placement>((resolve) => (answerFirst = resolve)) : Promise.resolve(second)));
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    // Chosen without waiting for the page to settle: the first preview is still unanswered (and holds the page busy).
    const pick = async (label: string) => {
      typeInto(wizardSystem(el)!.querySelector('input[role="combobox"]'), label);
      for (let i = 0; i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        fixture.detectChanges();
        const option = Array.from(wizardSystem(el)!.querySelectorAll('[role="option"]')).find((o) => o.querySelector('.name')?.textContent?.trim() === label);
        if (option) return click(option);
      }
      throw new Error(`system "${label}" not offered`);
    };
    await pick('社保查询系统');
    fixture.detectChanges();
    await pick('不动产登记');
    fixture.detectChanges();
    expect(api.previewPlacement.calls.allArgs().map(([id]) => id)).toEqual(['s-1', 's-3']);
    answerFirst(placement);
    await settle(fixture);
    expect(el.querySelector('.candidates tr[data-cloud="nanchang"]')).toBeNull();
    expect(texts('.candidates tr[data-cloud="xc-kunpeng"] td.verdict', el)).toEqual(['选中']);
  });

  it('says beside the named cloud when it is not a cloud id, and previews nothing', async () => {
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    typeInto(el.querySelector('input.named-cloud'), '南昌云');
    await chooseSystem(fixture, wizardSystem(el), '社保查询系统');
    expect(api.previewPlacement).not.toHaveBeenCalled();
    expect(el.querySelector('[data-field=cloudId] .ant-form-item-explain-error')?.textContent).toContain('如 nanchang');
  });

  it('shows the server refusing the named cloud beside it', async () => {
    api.previewPlacement.and.resolveTo(placement);
    api.startOnboarding.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected', path: ['cloudId'] }));
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    typeInto(el.querySelector('input.named-cloud'), 'nanchang');
    await chooseSystem(fixture, wizardSystem(el), '社保查询系统');
    expect(texts('button.start', el)[0]).toContain('南昌云');
    await press(fixture, el.querySelector('button.start'));
    expect(el.querySelector('[data-field=cloudId] .ant-form-item-explain-error')?.textContent).toContain('输入的值不被接受');
    expect(el.querySelector('app-workflow-detail')).toBeNull();
  });

  it('does not offer an auditor the registration form (the server would refuse it)', async () => {
    const { el } = await render(['auditor']);
    expect(el.querySelector('button.register')).toBeNull();
    expect(el.querySelector('.read-only')?.textContent).toContain('不能登记');
    expect(texts('.systems-table td.name', el)).toEqual(['社保查询系统', '电子证照']);
  });

  it('when no cloud can take the system, names the closest clouds and the rules each fails', async () => {
    const deny = (policyId: string, zh: string) => ({ policyId, title: { zh, en: policyId }, enforcement: 'mandatory', scope: 'placement', outcome: 'deny', message: { zh, en: policyId } });
    const excluded = (cloudId: string, name: string, results: unknown[]) => ({ cloudId, name, eligible: false, chosen: false, reasons: [], results });
    api.previewPlacement.and.resolveTo({
      ...placement,
      chosen: null,
      candidates: [
        excluded('nanchang', '南昌云', [deny('require-xinchuang-cloud', '信创系统仅部署于信创云'), deny('require-same-city-dr', '灾备四级及以上须有同城灾备站点')]),
        excluded('xc-kunpeng', '信创鲲鹏云', [deny('require-same-city-dr', '灾备四级及以上须有同城灾备站点')]),
      ],
    } as unknown as Placement);
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    await chooseSystem(fixture, wizardSystem(el), '社保查询系统');
    expect(texts('.closest li', el)).toEqual([
      '信创鲲鹏云：不满足 1 条规则（灾备四级及以上须有同城灾备站点）',
      '南昌云：不满足 2 条规则（信创系统仅部署于信创云；灾备四级及以上须有同城灾备站点）',
    ]);
  });

  it('shows a plain message when no cloud can take the system', async () => {
    api.previewPlacement.and.resolveTo({ ...placement, chosen: null, candidates: [placement.candidates[1]!] } as Placement);
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    await chooseSystem(fixture, wizardSystem(el), '社保查询系统');
    expect(texts('.no-cloud', el)).toEqual(['没有可放置的云']);
    expect(el.querySelector('button.start')).toBeNull();
  });
});
