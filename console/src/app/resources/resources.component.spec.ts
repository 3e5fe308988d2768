import type { ApiOutputs, Role } from '../core/api-types';
import { apiError, press, type FakeApi, settle, setUpConsoleSpec, texts, renderComponent, typeInto } from '../../testing/test-helpers';
import { ResourcesComponent } from './resources.component';

type Resource = ApiOutputs['resources']['list']['items'][number];
type Detail = ApiOutputs['resources']['get'];

const resource = (over: Partial<Resource> = {}): Resource => ({
  id: 'r-1', systemId: 's-1', systemName: '社保查询系统', departmentId: 'd-1', cloudId: 'nanchang', requestId: 'q-1', changedByRequestId: null,
  kind: 'host', name: 'web-1', tenant: 'sys-s-1', cloudName: 'web-1-abcd', state: 'active',
  spec: { kind: 'host', name: 'web-1', count: 1, flavour: 'c4m8', systemDiskGiB: 50, arch: 'x86_64', image: 'kylin-v10-sp3' },
  quota: { vcpu: 4, memoryGiB: 8, storageGiB: 50, gpu: 0, ipv4Addresses: 0, ipv6Prefixes64: 0 }, zone: 'zone-a', vendor: 'intel', providerIds: {},
  segmentId: 'r-seg', attachedTo: null, ipv4: '10.80.0.4', ipv6: 'fd00:50::4', ipam: {}, expiresAt: null, expiryNoticedAt: null,
  createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', releasedAt: null, ...over,
} as Resource);

const detail = (over: Partial<Detail> = {}): Detail => ({
  ...resource(), dependents: [],
  history: [{
    request: { id: 'q-1', kind: 'new', title: '两台主机', status: 'provisioned', requesterName: '张三', action: 'create', items: [], error: null, workflowId: 'w-1',
      submittedAt: '2026-03-01T00:00:00.000Z', finishedAt: '2026-03-01T00:01:00.000Z', after: null },
    events: [],
    workflow: { id: 'w-1', status: 'succeeded', stepsDone: 3, stepsTotal: 4, steps: [
      { key: 'hold', action: 'request.hold', dependsOn: [], status: 'succeeded', attempts: 1, maxAttempts: 3, output: null, error: null, attention: null, outcomeUnknown: false, startedAt: null, finishedAt: null },
      { key: 'host:web-1', action: 'resource.create', dependsOn: ['hold'], status: 'running', attempts: 1, maxAttempts: 5, output: null, error: null, attention: null, outcomeUnknown: false, startedAt: null, finishedAt: null },
    ] },
  }],
  ...over,
} as Detail);

describe('ResourcesComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [ResourcesComponent] });
    api.resources.list.query.and.callFake(async (input) => (input?.cursor
      ? { items: [resource({ id: 'r-3', name: 'data', kind: 'volume', spec: { kind: 'volume', name: 'data', sizeGiB: 500, host: 'web-1' } as never, ipv4: null, ipv6: null })], nextCursor: null }
      : { items: [resource(), resource({ id: 'r-2', name: 'web-2' })], nextCursor: 'c-1' }));
    api.resources.get.query.and.resolveTo(detail());
    api.resources.notices.query.and.resolveTo({ items: [], nextCursor: null });
    api.resources.idle.query.and.resolveTo({ items: [], sources: [], nextCursor: null });
  });

  const render = (roles: Role[] = ['department-user']) => renderComponent(ResourcesComponent, { me: { roles } });

  it('lists resources page by page with size and addresses, the next page from the server’s cursor', async () => {
    const { fixture, el } = await render();
    expect(api.resources.list.query).toHaveBeenCalledWith({ limit: 50 });
    expect(texts('tr.resource td.name', el)).toEqual(['web-1', 'web-2']);
    expect(texts('tr.resource td.size', el)).toEqual(['c4m8 · 50 GiB', 'c4m8 · 50 GiB']);
    expect(texts('tr.resource td.addresses', el)[0]).toBe('10.80.0.4 fd00:50::4');
    await press(fixture, el.querySelector('button.more'));
    expect(api.resources.list.query).toHaveBeenCalledWith({ limit: 50, cursor: 'c-1' });
    expect(texts('tr.resource td.name', el)).toEqual(['web-1', 'web-2', 'data']);
    expect(texts('tr.resource td.kind', el)[2]).toBe('数据盘');
    expect(el.querySelector('button.more')).toBeNull();
  });

  it('opens a resource with its history, workflow progress and steps', async () => {
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('tr.resource td.name a'));
    expect(api.resources.get.query).toHaveBeenCalledWith({ id: 'r-1' });
    expect(texts('.history-entry .action', el)).toEqual(['开通']);
    expect(texts('.steps li', el)).toEqual(['hold: succeeded', 'host:web-1: running']);
    expect(el.querySelector('.progress')?.textContent).toContain('75');
  });

  it('submits a resize through the form-dialog shell and shows that it waits for approval', async () => {
    api.resources.submitChange.mutate.and.resolveTo({ id: 'q-9' } as never);
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('tr.resource td.name a'));
    await press(fixture, el.querySelector('button.resize'));
    typeInto(document.querySelector('textarea.reason'), '业务量上升');
    typeInto(document.querySelector('nz-input-number.system-disk input'), '80', { blur: true });
    await settle(fixture);
    await press(fixture, document.querySelector('button.save'));
    expect(api.resources.submitChange.mutate).toHaveBeenCalledWith({ resourceId: 'r-1', change: { action: 'resize', flavour: 'c4m8', systemDiskGiB: 80 }, reason: '业务量上升' });
    expect(texts('.notice', el).join()).toContain('等待审批');
  });

  it('a release the server refuses shows the refusal in the dialog and submits nothing else', async () => {
    api.resources.submitChange.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict.reference' }));
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('tr.resource td.name a'));
    await press(fixture, el.querySelector('button.release'));
    expect(texts('.release-warning').join()).toContain('无法恢复');
    typeInto(document.querySelector('textarea.reason'), '项目结束');
    await press(fixture, document.querySelector('button.save'));
    expect(api.resources.submitChange.mutate).toHaveBeenCalledOnceWith({ resourceId: 'r-1', change: { action: 'release' }, reason: '项目结束' });
    expect(texts('nz-modal-container app-error-alert, .ant-modal app-error-alert').join()).toContain('该对象仍被其他数据引用');
    expect(el.querySelector('.notice')).toBeNull();
  });

  it('shows the idle-resources view to operators only', async () => {
    const asUser = await render();
    expect(asUser.el.querySelector('app-idle-resources')).toBeNull();
    expect(api.resources.idle.query).not.toHaveBeenCalled();
    asUser.fixture.destroy();
    const asOperator = await render(['cloud-operator']);
    expect(asOperator.el.querySelector('app-idle-resources')).not.toBeNull();
    expect(api.resources.idle.query).toHaveBeenCalledWith({ maxCpuPercent: 5, maxMemoryPercent: 100, limit: 50 });
  });

  it('an operator reads resources but is offered no change', async () => {
    const { fixture, el } = await render(['cloud-operator']);
    await press(fixture, el.querySelector('tr.resource td.name a'));
    expect(el.querySelector('.detail')).not.toBeNull();
    expect(el.querySelector('button.resize')).toBeNull();
    expect(el.querySelector('button.release')).toBeNull();
  });
});
