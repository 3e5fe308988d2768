import { apiError, press, chooseSystem, setUpConsoleSpec, texts, typeInto, type FakeApi, renderComponent } from '../../testing/test-helpers';
import { OnboardingApiService, type RequestPreview, type RequestSummary } from '../onboarding/onboarding-api.service';
import { RequestsComponent } from './requests.component';

const request = (over: Partial<RequestSummary> = {}): RequestSummary => ({
  id: 'r-1', departmentId: 'd-1', departmentName: '南昌市数据局', systemId: 's-1', systemName: '社保查询系统', requesterId: 'u-1', requesterName: '张三',
  title: '扩容', reason: '', placementMode: 'auto', cloudId: 'nanchang', items: [{ resourceClass: 'vcpu', amount: 4 }], units: 4, status: 'pending',
  quotaIncrease: false, policyResults: [], placement: null, quotaCheck: null, chainId: null, currentStep: 0, reservationId: 'q-1', workflowId: null, error: null,
  submittedAt: '2026-03-01T00:00:00.000Z', decidedAt: null, finishedAt: null, updatedAt: '2026-03-01T00:00:00.000Z',
  activeStep: { name: '部门审批', mode: 'or-sign', dueAt: '2026-03-02T00:00:00.000Z' }, overdue: false, ...over,
} as RequestSummary);

describe('RequestsComponent', () => {
  let api: jasmine.SpyObj<OnboardingApiService>;
  /** The typed client: the system picker searches through it. */
  let client: FakeApi;

  beforeEach(() => {
    api = jasmine.createSpyObj<OnboardingApiService>('OnboardingApiService', ['listRequests', 'approvalQueue', 'previewRequest', 'submitRequest', 'decide', 'cancelRequest', 'getRequest']);
    api.listRequests.and.resolveTo({ items: [request({ overdue: true }), request({ id: 'r-2', title: '大扩容', status: 'provisioned', quotaIncrease: true, activeStep: null })], nextCursor: null });
    api.approvalQueue.and.resolveTo({ items: [request({ id: 'r-9', title: '待审', requesterName: '李四',
      items: [{ resourceClass: 'vcpu', amount: 4 }, { resourceClass: 'memoryGiB', amount: 8 }],
      resources: [{ id: 'p-1', kind: 'host', name: 'vm' }, { id: 'p-2', kind: 'segment', name: 'net' }] } as never)], nextCursor: null, total: 1 });
    client = setUpConsoleSpec({ imports: [RequestsComponent], providers: [{ provide: OnboardingApiService, useValue: api }] });
    client.systems.list.query.and.resolveTo({ items: [{ id: 's-1', name: '社保查询系统', departmentName: '南昌市数据局' }], nextCursor: null } as never);
  });

  const render = () => renderComponent(RequestsComponent);

  it('shows my requests with status, the overdue flag and quota-increase requests', async () => {
    const { el } = await render();
    expect(api.listRequests).toHaveBeenCalledWith(true);
    expect(texts('.mine td.status', el)).toEqual(['审批中已超时', '已开通']);
    expect(texts('.mine td.title', el)[1]).toContain('配额扩容申请');
  });

  it('checks a request against the policies before it can be submitted', async () => {
    api.previewRequest.and.resolveTo({ cloudId: 'nanchang', allowed: true, quotaIncrease: false, units: 6, chain: { id: null, name: 'default', steps: [{}, {}] },
      results: [{ policyId: 'require-compatible-architecture', title: { zh: 'CPU 架构须兼容', en: 'arch' }, outcome: 'pass', message: { zh: 'nanchang 提供 x86_64', en: 'x' } }] } as unknown as RequestPreview);
    api.submitRequest.and.resolveTo(request() as never); // a list row stands in for the submitted summary (the list leaves out policyResults, placement, quotaCheck)
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[1] ?? null);
    expect((el.querySelector('button.submit') as HTMLButtonElement).disabled).toBeTrue();
    typeInto(el.querySelector('input.request-title'), '扩容申请');
    await chooseSystem(fixture, el.querySelector('app-system-picker.request-system'), '社保查询系统');
    expect(client.systems.list.query).toHaveBeenCalledWith({ limit: 20, search: '社保查询系统' });
    await press(fixture, el.querySelector('button.check'));
    expect(api.previewRequest).toHaveBeenCalledWith({ systemId: 's-1', items: [{ resourceClass: 'vcpu', amount: 4 }, { resourceClass: 'memoryGiB', amount: 8 }] });
    expect(texts('.policy-results .outcome', el)).toEqual(['通过']);
    await press(fixture, el.querySelector('button.submit'));
    expect(api.submitRequest).toHaveBeenCalledWith(jasmine.objectContaining({ systemId: 's-1', title: '扩容申请' }));
  });

  it('approves from the queue with a reason, and shows the server’s refusal', async () => {
    api.decide.and.rejectWith(apiError('CONFLICT', { code: 'approval.alreadyDecided', params: { step: '部门审批' } }));
    const { fixture, el } = await render();
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[2] ?? null);
    expect(texts('.queue td.title', el)[0]).toContain('李四');
    // What is asked for, in words: the kinds created and the quota classes, never their codes.
    expect(texts('.queue td.items .resource', el)).toEqual(['云主机 vm', '网段 net']);
    expect(texts('.queue td.items .quota-item', el)).toEqual(['vCPU×4', '内存 (GiB)×8']);
    expect(el.querySelector('input.decision-reason')!.getAttribute('aria-label')).toBe('审批意见 · 待审');
    typeInto(el.querySelector('input.decision-reason'), '同意');
    await press(fixture, el.querySelector('button.approve'));
    expect(api.decide).toHaveBeenCalledWith('r-9', 'approve', '同意');
    expect(el.querySelector('.error-alert')?.textContent).toContain('审批步骤“部门审批”已有结论');
  });

  it('opens a request with its steps, decisions, overdue flag and timeline', async () => {
    api.getRequest.and.resolveTo({
      ...request(), status: 'failed', error: 'apply failed: cloud unavailable', workflow: { id: 'w-3', status: 'failed', stepsDone: 1, stepsTotal: 3 },
      steps: [{ idx: 0, name: '部门审批', mode: 'or-sign', status: 'approved', dueAt: '2026-03-02T00:00:00.000Z', overdue: false, decisions: [{ approverId: 'u-2', approverName: '王五', decision: 'approve', reason: '同意' }] },
        { idx: 1, name: '云平台审批', mode: 'or-sign', status: 'approved', dueAt: '2026-03-03T00:00:00.000Z', overdue: false, decisions: [] }],
      events: [{ at: '2026-03-01T00:00:00.000Z', kind: 'submitted', actor: 'nc-user' }, { at: '2026-03-01T01:00:00.000Z', kind: 'failed', actor: 'provisioning' }],
    } as never);
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('.mine a.open'));
    expect(api.getRequest).toHaveBeenCalledWith('r-1');
    expect(texts('.approval-steps .decision', el)).toEqual(['王五: approve — 同意']);
    expect(texts('.timeline li', el).map((t) => t.split(' ').slice(2).join(' '))).toEqual(['submitted nc-user', 'failed provisioning']);
    expect(texts('.request-error', el)).toEqual(['apply failed: cloud unavailable']);
    expect(el.querySelector('a.workflow-link')?.getAttribute('href')).toBe('/workflows/w-3');
  });
});
