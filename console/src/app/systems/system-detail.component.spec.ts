import type { ApiOutputs, Role } from '../core/api-types';
import { apiError, press, type FakeApi, sampleAudit, sampleCloud, settle, setUpConsoleSpec, texts, renderComponent, typeInto } from '../../testing/test-helpers';
import { SystemDetailComponent } from './system-detail.component';

type System = ApiOutputs['systems']['get'];
type Resource = ApiOutputs['resources']['list']['items'][number];
type RequestSummary = ApiOutputs['requests']['list']['items'][number];
type QuotaNode = NonNullable<ApiOutputs['quotas']['systemNode']>;
type Readiness = ApiOutputs['dr']['protection']['readiness']['items'][number];
type OnboardingStatus = ApiOutputs['onboarding']['status'];

const SYSTEM_ID = '11111111-1111-4111-8111-111111111111';
const text = (zh: string, en = zh) => ({ zh, en });

const system = (over: Partial<System> = {}): System => ({
  id: SYSTEM_ID, departmentId: 'd-1', departmentName: '南昌市数据局', name: '社保查询系统', ownerUserId: 'u-7', ownerName: '李四',
  description: '', mlpsLevel: 3, dataClassification: 'internal', xinchuangRequired: true, architectures: ['arm64'], drLevel: 4, drEdition: '2025',
  rpoSeconds: 3600, rtoSeconds: 14400, status: 'on-cloud', cloudId: 'nanchang', onboardingWorkflowId: 'w-on',
  placement: { chosen: 'nanchang', candidates: [
    { cloudId: 'nanchang', name: '南昌政务云', eligible: true, chosen: true, reasons: [], results: [] },
    { cloudId: 'jiujiang', name: '九江政务云', eligible: false, chosen: false, reasons: [text('未通过等保三级认证', 'not certified for MLPS 3')], results: [] },
  ] },
  policyResults: [{ policyId: 'mlps', title: text('等保认证'), enforcement: 'mandatory', scope: 'placement', outcome: 'pass', message: text('云已认证') }],
  createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', compliant: true, denials: [],
  dependsOn: [{ id: 'sys-dep', name: '统一身份认证' }], dependents: [],
  ...over,
} as System);

const resource = (over: Partial<Resource> = {}): Resource => ({
  id: 'r-1', systemId: SYSTEM_ID, systemName: '社保查询系统', departmentId: 'd-1', cloudId: 'nanchang', requestId: 'q-1', changedByRequestId: null,
  kind: 'host', name: 'web-1', tenant: 'sys-1', cloudName: 'web-1-abcd', state: 'active',
  spec: { kind: 'host', name: 'web-1', count: 1, flavour: 'c4m8', systemDiskGiB: 50, arch: 'arm64', image: 'kylin-v10-sp3' },
  quota: { vcpu: 4, memoryGiB: 8, storageGiB: 50, gpu: 0, ipv4Addresses: 0, ipv6Prefixes64: 0 }, zone: 'zone-a', vendor: 'kunpeng', providerIds: {},
  segmentId: null, attachedTo: null, ipv4: '10.80.0.4', ipv6: 'fd00:50::4', ipam: {}, expiresAt: null, expiryNoticedAt: null,
  createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', releasedAt: null, ...over,
} as Resource);

const request = (over: Partial<RequestSummary> = {}): RequestSummary => ({
  id: 'q-1', title: '两台主机', status: 'provisioned', requesterId: 'u-7', requesterName: '李四', systemId: SYSTEM_ID, systemName: '社保查询系统',
  submittedAt: '2026-03-01T00:00:00.000Z', ...over,
} as RequestSummary);

const quotaNode = (): QuotaNode => ({
  id: 'n-1', level: 'system', ref: SYSTEM_ID, name: '社保查询系统', departmentId: 'd-1', children: 0, parentId: 'n-0', path: [],
  usage: [{ cloudId: 'nanchang', resourceClass: 'vcpu', limit: 16, softLimit: null, cap: 16, softCap: null, reserved: 2, committed: 4, utilisation: 0.375 }],
} as QuotaNode);

const readiness = (): Readiness => ({
  systemId: SYSTEM_ID, name: '社保查询系统', departmentName: '南昌市数据局', drLevel: 4, drEdition: '2025', groupId: 'g-1',
  state: 'at-risk', checks: [{ id: 'drill', ok: false, severity: 'warning', message: text('演练已过期', 'drill is stale') }],
  daysSinceDrill: 200, drillStale: true, currentRpoSeconds: 30,
} as Readiness);

const onboardingStatus = (): OnboardingStatus => ({
  status: 'on-cloud', cloudId: 'nanchang', placement: null,
  workflow: { id: 'w-on', steps: [{ key: 'extranet', status: 'succeeded', output: { addresses: [{ plane: 'plane-1', address: '59.52.10.8' }] } }] },
} as unknown as OnboardingStatus);

describe('SystemDetailComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [SystemDetailComponent] });
    api.systems.get.query.and.resolveTo(system());
    api.clouds.list.query.and.resolveTo({ items: [sampleCloud({ id: 'nanchang', name: '南昌政务云', nameEn: 'Nanchang gov cloud' }), sampleCloud({ id: 'jiujiang', name: '九江政务云', nameEn: 'Jiujiang gov cloud' })] });
    api.extranet.planes.query.and.resolveTo({ items: [{ id: 'plane-1', name: '第一平面', nameEn: 'Plane 1', technology: 'mpls-vpn', addressFamilies: ['ipv4'] }] } as never);
    api.resources.list.query.and.resolveTo({ items: [resource(), resource({ id: 'r-2', name: 'seg-1', kind: 'segment', spec: { kind: 'segment', name: 'seg-1', ipv4Length: 26, dualStack: true } as never, ipv6: null })], nextCursor: null });
    api.quotas.systemNode.query.and.resolveTo(quotaNode());
    api.requests.list.query.and.resolveTo({ items: [request()], nextCursor: null });
    api.onboarding.status.query.and.resolveTo(onboardingStatus());
    api.dr.protection.readiness.query.and.resolveTo({ items: [readiness()] });
    api.audit.list.query.and.resolveTo({ items: [sampleAudit({ seq: 9, actor: 'nc-user', procedure: 'systems.update', target: `system:${SYSTEM_ID}` })], nextCursor: null });
  });

  const render = (roles: Role[] = ['department-user']) => renderComponent(SystemDetailComponent, { me: { roles, departmentId: 'd-1' }, inputs: { id: SYSTEM_ID } });

  it('shows the system’s facts and placement with names, ids only on hover', async () => {
    const { el } = await render();
    expect(api.systems.get.query).toHaveBeenCalledWith({ id: SYSTEM_ID });
    expect(texts('.system-name', el)[0]).toContain('社保查询系统');
    expect(texts('.department', el)).toEqual(['南昌市数据局']);
    expect(el.querySelector('.department')?.getAttribute('title')).toBe('d-1');
    expect(texts('.owner', el)).toEqual(['李四']);
    expect(el.querySelector('.owner')?.getAttribute('title')).toBe('u-7');
    expect(texts('.mlps', el)).toEqual(['等保3级']);
    expect(texts('.dr-level', el)).toEqual(['第4级（GB/T 20988-2025）']);
    expect(texts('.xinchuang', el)).toEqual(['必须运行在信创环境']);
    expect(texts('a.cloud', el)).toEqual(['南昌政务云']);
    expect(el.querySelector('.compliant')).not.toBeNull();
    expect(texts('.candidates td.cloud', el)).toEqual(['南昌政务云', '九江政务云']);
    expect(texts('.candidates td.reasons', el)[1]).toBe('未通过等保三级认证');
    expect(texts('.admission li', el)[0]).toContain('等保认证');
    // No raw ids in what a person reads.
    expect(el.querySelector('.facts')?.textContent).not.toContain('d-1');
    expect(el.querySelector('.placement')?.textContent).not.toContain('nanchang');
  });

  it('lists the resources with addresses, the quota, requests, extranet addresses and DR readiness of the system', async () => {
    const { el } = await render();
    expect(api.resources.list.query).toHaveBeenCalledWith({ systemId: SYSTEM_ID, limit: 200 });
    expect(api.requests.list.query).toHaveBeenCalledWith({ systemId: SYSTEM_ID, limit: 50 });
    expect(api.dr.protection.readiness.query).toHaveBeenCalledWith({ systemIds: [SYSTEM_ID] });
    expect(texts('tr.resource td.name', el)).toEqual(['web-1', 'seg-1']);
    expect(texts('tr.resource td.ipv4', el)).toEqual(['10.80.0.4', '10.80.0.4']);
    expect(texts('tr.resource td.ipv6', el)).toEqual(['fd00:50::4', '—']);
    // Where it runs and what made it: the CPU vendor the cloud placed it on, and the request that created it.
    expect(texts('tr.resource td.vendor', el)).toEqual(['kunpeng', 'kunpeng']);
    expect(el.querySelector('tr.resource a.created-by')?.getAttribute('href')).toBe('/requests/q-1');
    expect(texts('tr.usage td.class', el)).toEqual(['vCPU']);
    expect(texts('tr.usage td.limit', el)).toEqual(['16']);
    expect(texts('tr.usage td.committed', el)).toEqual(['4']);
    expect(texts('tr.address td.plane', el)).toEqual(['第一平面']);
    expect(texts('tr.address td.address-value', el)).toEqual(['59.52.10.8']);
    expect(texts('.dr-state', el)).toEqual(['有风险']);
    expect(texts('.dr-checks li', el)[0]).toContain('演练已过期');
  });

  it('links to its requests, its dependencies, its cloud and its onboarding workflow', async () => {
    const { el } = await render();
    expect(el.querySelector('tr.request td.title a')?.getAttribute('href')).toBe('/requests/q-1');
    expect(el.querySelector('.depends-on a')?.getAttribute('href')).toBe('/systems/sys-dep');
    expect(el.querySelector('a.cloud')?.getAttribute('href')).toBe('/clouds/nanchang');
    expect(el.querySelector('a.onboarding-workflow')?.getAttribute('href')).toBe('/workflows/w-on');
  });

  it('offers resize and release to the department’s requesters only, for active resources; the audit trail to auditors only', async () => {
    const asUser = await render(['department-user']);
    expect(asUser.el.querySelectorAll('button.resize').length).toBe(1);
    expect(asUser.el.querySelectorAll('button.release').length).toBe(2);
    expect(asUser.el.querySelector('section.audit')).toBeNull();
    expect(api.audit.list.query).not.toHaveBeenCalled();
    asUser.fixture.destroy();

    const asAuditor = await render(['auditor']);
    expect(asAuditor.el.querySelector('button.resize')).toBeNull();
    expect(asAuditor.el.querySelector('button.release')).toBeNull();
    expect(api.audit.list.query).toHaveBeenCalledWith({ target: `system:${SYSTEM_ID}`, limit: 50 });
    expect(texts('tr.audit-record td.procedure', asAuditor.el)).toEqual(['systems.update']);
  });

  it('asks for more addresses for a host through the change dialog, and lists the ones it was given', async () => {
    api.resources.list.query.and.resolveTo({ items: [resource({ ipam: { extra: [{ id: 'a-9', family: 'ipv4', address: '10.80.0.9', requestId: 'q-7' }] } })], nextCursor: null });
    api.resources.submitChange.mutate.and.resolveTo({ id: 'q-8' } as never);
    const { fixture, el } = await render();
    expect(texts('tr.resource td.ipv4 .extra', el)).toEqual(['10.80.0.9']);
    await press(fixture, el.querySelector('button.add-addresses'));
    typeInto(document.querySelector('nz-input-number.ipv4-count input'), '2', { blur: true });
    typeInto(document.querySelector('textarea.reason'), '对外服务地址');
    await settle(fixture);
    await press(fixture, document.querySelector('button.save'));
    expect(api.resources.submitChange.mutate).toHaveBeenCalledOnceWith({ resourceId: 'r-1', change: { action: 'add-addresses', ipv4: 2, ipv6: 0 }, reason: '对外服务地址' });
  });

  it('does not ask for DR readiness as a network engineer, who may not read it', async () => {
    const { el } = await render(['network-engineer']);
    expect(api.dr.protection.readiness.query).not.toHaveBeenCalled();
    expect(el.querySelector('section.dr')).toBeNull();
  });

  it('says clearly when the system belongs to another department, and shows nothing of it', async () => {
    api.systems.get.query.and.rejectWith(apiError('FORBIDDEN', { code: 'auth.forbidden' }));
    const { el } = await render();
    expect(texts('.refusal', el)[0]).toContain('该业务系统属于其他部门，您无权查看。');
    expect(el.querySelector('.facts')).toBeNull();
    expect(api.resources.list.query).not.toHaveBeenCalled();
  });

  it('says when there is no such system', async () => {
    api.systems.get.query.and.rejectWith(apiError('NOT_FOUND', { code: 'notFound' }));
    const { el } = await render();
    expect(texts('.refusal', el)[0]).toContain('没有这个业务系统');
  });

  it('keeps the page when one section fails, and says which', async () => {
    api.resources.list.query.and.rejectWith(apiError('INTERNAL_SERVER_ERROR', { code: 'internal' }));
    api.quotas.systemNode.query.and.resolveTo(null);
    const { el } = await render();
    expect(el.querySelector('section.resources .error-alert')).not.toBeNull();
    expect(texts('.no-quota', el)).toEqual(['系统上云后才有自己的配额。']);
    expect(texts('.department', el)).toEqual(['南昌市数据局']);
  });

  it('reloads when the user comes back to the tab', async () => {
    const { fixture, el } = await render();
    api.systems.get.query.and.resolveTo(system({ name: '社保查询系统（新）' }));
    document.dispatchEvent(new Event('visibilitychange'));
    await settle(fixture);
    expect(api.systems.get.query).toHaveBeenCalledTimes(2);
    expect(texts('.system-name', el)[0]).toContain('社保查询系统（新）');
  });
});
