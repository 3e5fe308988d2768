import type { ApiOutputs } from '../core/api-types';
import { apiError, type FakeApi, sampleCloud, setUpConsoleSpec, texts, renderComponent } from '../../testing/test-helpers';
import { RequestDetailComponent } from './request-detail.component';

type Detail = ApiOutputs['requests']['get'];
type Resource = ApiOutputs['resources']['list']['items'][number];

const REQUEST_ID = '22222222-2222-4222-8222-222222222222';
const text = (zh: string, en = zh) => ({ zh, en });

const detail = (over: Partial<Detail> = {}): Detail => ({
  id: REQUEST_ID, departmentId: 'd-1', departmentName: '南昌市数据局', systemId: 's-1', systemName: '社保查询系统',
  requesterId: 'u-7', requesterName: '李四', title: '两台主机', reason: '业务高峰', placementMode: 'auto', cloudId: 'nanchang',
  items: [{ resourceClass: 'vcpu', amount: 8 }],
  resources: [{ id: 'r-1', kind: 'host', name: 'web-1', cloudName: 'web-1-abcd', item: { kind: 'host', name: 'web-1', count: 1, flavour: 'c4m8', systemDiskGiB: 50, arch: 'x86_64', image: 'kylin' }, quota: {} }],
  kind: 'new', change: null, units: 6, status: 'provisioned', quotaIncrease: true,
  policyResults: [{ policyId: 'mlps', title: text('等保认证'), enforcement: 'mandatory', scope: 'placement', outcome: 'pass', message: text('云已认证') }],
  placement: null,
  quotaCheck: { fits: true, needsApproval: true, shortfalls: [{ nodeId: 'n-1', level: 'system', ref: 's-1', cloudId: 'nanchang', resourceClass: 'vcpu', limit: 4, softLimit: null, used: 0, requested: 8, kind: 'hard' }] },
  chainId: 'c-1', currentStep: 1, reservationId: 'res-1', workflowId: 'w-1', error: null,
  submittedAt: '2026-03-01T00:00:00.000Z', decidedAt: '2026-03-01T01:00:00.000Z', finishedAt: '2026-03-01T02:00:00.000Z', updatedAt: '2026-03-01T02:00:00.000Z',
  activeStep: null, overdue: false,
  steps: [
    { requestId: REQUEST_ID, idx: 0, name: '部门审批', mode: 'or-sign', approverIds: ['u-8'], status: 'approved', slaHours: 24, startedAt: null, dueAt: null, decidedAt: null, overdue: false,
      decisions: [{ stepIdx: 0, approverId: 'u-8', approverName: '王五', decision: 'approve', reason: '同意', at: '2026-03-01T00:30:00.000Z' }] },
    { requestId: REQUEST_ID, idx: 1, name: '云运维审批', mode: 'single', approverIds: ['u-9'], status: 'approved', slaHours: 24, startedAt: null, dueAt: null, decidedAt: null, overdue: false,
      decisions: [{ stepIdx: 1, approverId: 'u-9', approverName: '赵六', decision: 'approve', reason: '资源充足', at: '2026-03-01T01:00:00.000Z' }] },
  ],
  events: [{ at: '2026-03-01T00:00:00.000Z', kind: 'submitted', actor: 'nc-user', data: null }, { at: '2026-03-01T02:00:00.000Z', kind: 'provisioned', actor: 'provisioning', data: null }],
  workflow: { id: 'w-1', status: 'succeeded', stepsDone: 4, stepsTotal: 4 },
  canDecide: false,
  ...over,
} as unknown as Detail);

const resource = (over: Partial<Resource> = {}): Resource => ({
  id: 'r-1', systemId: 's-1', systemName: '社保查询系统', departmentId: 'd-1', cloudId: 'nanchang', requestId: REQUEST_ID, changedByRequestId: null,
  kind: 'host', name: 'web-1', tenant: 'sys-1', cloudName: 'web-1-abcd', state: 'active',
  spec: { kind: 'host', name: 'web-1', count: 1, flavour: 'c4m8', systemDiskGiB: 50, arch: 'x86_64', image: 'kylin' },
  quota: { vcpu: 4, memoryGiB: 8, storageGiB: 50, gpu: 0, ipv4Addresses: 0, ipv6Prefixes64: 0 }, zone: null, vendor: null, providerIds: {},
  segmentId: null, attachedTo: null, ipv4: '10.80.0.4', ipv6: null, ipam: {}, expiresAt: null, expiryNoticedAt: null,
  createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', releasedAt: null, ...over,
} as Resource);

describe('RequestDetailComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [RequestDetailComponent] });
    api.requests.get.query.and.resolveTo(detail());
    api.clouds.list.query.and.resolveTo({ items: [sampleCloud({ id: 'nanchang', name: '南昌政务云', nameEn: 'Nanchang gov cloud' })] });
    api.resources.list.query.and.resolveTo({ items: [resource(), resource({ id: 'r-9', name: 'other', requestId: 'q-other' })], nextCursor: null });
  });

  const render = () => renderComponent(RequestDetailComponent, { me: { roles: ['department-user'], departmentId: 'd-1' }, inputs: { id: REQUEST_ID } });

  it('shows the request with names: system, department, requester and cloud (ids on hover)', async () => {
    const { el } = await render();
    expect(api.requests.get.query).toHaveBeenCalledWith({ id: REQUEST_ID });
    expect(texts('.request-title', el)[0]).toContain('两台主机');
    expect(texts('a.system', el)).toEqual(['社保查询系统']);
    expect(el.querySelector('a.system')?.getAttribute('href')).toBe('/systems/s-1');
    expect(texts('.department', el)).toEqual(['南昌市数据局']);
    expect(texts('.requester', el)).toEqual(['李四']);
    expect(el.querySelector('.requester')?.getAttribute('title')).toBe('u-7');
    expect(texts('.cloud', el)).toEqual(['南昌政务云']);
    expect(el.querySelector('.facts')?.textContent).not.toContain('nanchang');
  });

  it('shows the items, the quota effect and the approval chain with who decided what and when', async () => {
    const { el } = await render();
    expect(texts('tr.asked td.name', el)).toEqual(['web-1']);
    expect(texts('tr.asked td.size', el)).toEqual(['c4m8 · 50 GiB']);
    expect(texts('.quota-items li', el)).toEqual(['vCPU: 8']);
    expect(el.querySelector('.quota-increase')).not.toBeNull();
    expect(texts('.shortfalls li', el)[0]).toContain('0 + 8 > 4');
    expect(texts('.approval-step .step-name', el)).toEqual(['部门审批', '云运维审批']);
    expect(texts('.approval-step .step-status', el)).toEqual(['已通过', '已通过']);
    expect(texts('.decision .who', el)).toEqual(['王五', '赵六']);
    expect(texts('.decision', el)[0]).toContain('同意');
    expect(texts('.event-kind', el)).toEqual(['提交', '开通完成']);
  });

  it('links to the provisioning workflow and lists what the request created, not other resources', async () => {
    const { el } = await render();
    expect(el.querySelector('a.workflow-link')?.getAttribute('href')).toBe('/workflows/w-1');
    expect(texts('a.workflow-link', el)[0]).toContain('4/4');
    expect(api.resources.list.query).toHaveBeenCalledWith({ systemId: 's-1', limit: 500 });
    expect(texts('tr.created-resource td.name', el)).toEqual(['web-1']);
    expect(texts('tr.created-resource td.ipv4', el)).toEqual(['10.80.0.4']);
  });

  it('says clearly when the request belongs to another department', async () => {
    api.requests.get.query.and.rejectWith(apiError('FORBIDDEN', { code: 'auth.forbidden' }));
    const { el } = await render();
    expect(texts('.refusal', el)[0]).toContain('该申请属于其他部门，您无权查看。');
    expect(el.querySelector('.facts')).toBeNull();
    expect(api.resources.list.query).not.toHaveBeenCalled();
  });

  it('says when provisioning has not started and nothing was created', async () => {
    api.requests.get.query.and.resolveTo(detail({ status: 'pending', workflow: null, workflowId: null, resources: [], items: [{ resourceClass: 'vcpu', amount: 2 }] } as Partial<Detail>));
    const { el } = await render();
    expect(el.querySelector('.no-workflow')).not.toBeNull();
    expect(el.querySelector('.no-created')).not.toBeNull();
    expect(api.resources.list.query).not.toHaveBeenCalled();
  });
});
