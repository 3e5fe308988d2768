import type { ApiOutputs } from '../core/api-types';
import { apiError, press, type FakeApi, settle, setUpConsoleSpec, texts, renderComponent, typeInto } from '../../testing/test-helpers';
import { IdleResourcesComponent } from './idle-resources.component';

type Idle = ApiOutputs['resources']['idle'];
const idle = (): Idle => ({
  items: [{ resourceId: 'r-1', name: 'web-1', kind: 'host', systemId: 's-1', systemName: '社保查询系统', departmentId: 'd-1', cloudId: 'nanchang',
    cpuPercent: 1.5, memoryPercent: 20, windowHours: 168, quota: { vcpu: 4, memoryGiB: 8, storageGiB: 50, gpu: 0, ipv4Addresses: 0, ipv6Prefixes64: 0 } }],
  sources: [{ cloudId: 'nanchang', status: 'measured' }, { cloudId: 'ssh-lab', status: 'not-measured', reason: 'the cloud does not report utilisation' }],
  nextCursor: null,
});

describe('IdleResourcesComponent', () => {
  let api: FakeApi;
  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [IdleResourcesComponent] });
  });

  const render = () => renderComponent(IdleResourcesComponent);

  it('lists idle hosts with their use and what releasing gives back, and names clouds that do not measure', async () => {
    api.resources.idle.query.and.resolveTo(idle());
    const { el } = await render();
    expect(api.resources.idle.query).toHaveBeenCalledWith({ maxCpuPercent: 5, maxMemoryPercent: 100, limit: 50 });
    expect(texts('tr.idle-row td.name', el)).toEqual(['web-1']);
    expect(texts('tr.idle-row td.cpu', el)).toEqual(['1.5%']);
    expect(texts('tr.idle-row td.gives', el)).toEqual(['4 vCPU · 8 GiB']);
    expect(el.querySelector('tr.idle-row a.system-link')?.getAttribute('href')).toBe('/systems/s-1');
    expect(texts('.sources [data-cloud="ssh-lab"]', el)).toEqual(['ssh-lab: 该云不提供使用率']);
  });

  it('asks again with the thresholds typed, and shows a refusal beside its field', async () => {
    api.resources.idle.query.and.resolveTo({ items: [], sources: [], nextCursor: null });
    const { fixture, el } = await render();
    expect(texts('.empty', el)).toEqual(['没有达到阈值的闲置资源']);
    api.resources.idle.query.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.tooBig', path: ['maxCpuPercent'], params: { maximum: 100 } }));
    typeInto(el.querySelector('nz-input-number.max-cpu input'), '20', { blur: true });
    await settle(fixture);
    await press(fixture, el.querySelector('button.find'));
    expect(api.resources.idle.query).toHaveBeenCalledWith({ maxCpuPercent: 20, maxMemoryPercent: 100, limit: 50 });
    // The refusal names the field: nz-form-control shows its explanation there.
    expect(el.querySelector('[data-field="maxCpuPercent"] .ant-form-item-explain')).not.toBeNull();
    expect(el.querySelector('[data-field="maxMemoryPercent"] .ant-form-item-explain')).toBeNull();
  });

  it('lists a page at a time: more reads the next page by its cursor, with the thresholds of the search', async () => {
    const first = idle();
    const second = { ...idle(), items: [{ ...first.items[0]!, resourceId: 'r-2', name: 'web-2', cpuPercent: 3 }] };
    api.resources.idle.query.and.callFake(async (input) => (input?.cursor ? second : { ...first, nextCursor: 'c-1' }));
    const { fixture, el } = await render();
    expect(texts('tr.idle-row td.name', el)).toEqual(['web-1']);
    // Typed but not searched: the next page keeps the thresholds the first was asked with.
    typeInto(el.querySelector('nz-input-number.max-cpu input'), '40');
    await settle(fixture);
    await press(fixture, el.querySelector('button.more-idle'));
    expect(api.resources.idle.query).toHaveBeenCalledWith({ maxCpuPercent: 5, maxMemoryPercent: 100, limit: 50, cursor: 'c-1' });
    expect(texts('tr.idle-row td.name', el)).toEqual(['web-1', 'web-2']);
    expect(el.querySelector('button.more-idle')).toBeNull();
  });
});
