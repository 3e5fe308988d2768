import type { Role } from '../core/api-types';
import { click, type FakeApi, sampleCloud, sampleWorkflow, settle, setUpConsoleSpec, texts, renderComponent } from '../../testing/test-helpers';
import { OverviewComponent } from './overview.component';

describe('OverviewComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [OverviewComponent] });
    api.clouds.list.query.and.resolveTo({
      items: [
        sampleCloud({ id: 'jx-province', name: '江西省政务云' }),
        sampleCloud({ id: 'gz', name: '赣州市政务云', region: '3607', health: { status: 'down', checkedAt: '2026-03-01T00:00:00.000Z', latencyMs: null, message: 'timeout' } }),
      ],
    });
    api.devices.alarms.query.and.resolveTo({ items: [], nextCursor: null, total: 0 });
    api.requests.queue.query.and.resolveTo({ items: [], nextCursor: null, total: 0 });
    api.quotas.changes.query.and.resolveTo({ items: [], nextCursor: null });
    api.quotas.drift.query.and.resolveTo({ items: [], nextCursor: null, total: 0 });
    api.quotas.tree.query.and.resolveTo({ items: [] });
    api.quotas.mine.query.and.resolveTo({ items: [] });
    api.extranet.report.query.and.resolveTo({
      planes: [],
      total: { units: 120, dualPlane: 100, singleHomed: 15, none: 5, ipv6Ready: 60 },
      byLevel: [],
      byCity: [],
      cells: [],
      cellsByCity: [],
    });
    api.workflows.list.query.and.callFake(async (input) =>
      input?.status === 'running' ? { items: [sampleWorkflow({ id: 'w-9', title: '接入「社保业务系统」' })], nextCursor: null } : { items: [], nextCursor: null },
    );
    api.systems.list.query.and.resolveTo({ items: [], nextCursor: null });
    api.requests.list.query.and.resolveTo({ items: [], nextCursor: null });
  });

  const renderAs = (roles: Role[]) => renderComponent(OverviewComponent, { me: { roles, departmentId: 'd-1', departmentName: '省教育厅' } });

  it('tells a cloud operator what is wrong (a cloud down, with a link to it) and what runs now', async () => {
    const { el } = await renderAs(['cloud-operator']);

    expect(texts('.panel-clouds .count', el)).toEqual(['1 正常', '0 降级', '1 中断', '0 未知']);
    const down = el.querySelector<HTMLAnchorElement>('.attention-cloud');
    expect(down?.textContent).toContain('赣州市政务云');
    expect(down?.getAttribute('href')).toBe('/clouds/gz');
    expect(texts('.running li a', el)).toEqual(['接入「社保业务系统」']);
    expect(texts('.panel-extranet dd', el)).toEqual(['120', '100', '15', '5', '60']);
    expect(el.querySelector('.panel-drift')).not.toBeNull();
    expect(api.quotas.changes.query).toHaveBeenCalledWith({ status: 'pending', limit: 20 });
  });

  it('counts all open alarms and drift lines by the server\'s total and lists only the first few', async () => {
    const alarm = (id: number) => ({
      id, host: `10.0.0.${id}`, port: 22, cloudId: 'gz', expectedFingerprint: 'SHA256:a', presentedFingerprint: 'SHA256:b',
      firstSeenAt: '2026-03-01T00:00:00.000Z', lastSeenAt: '2026-03-01T00:00:00.000Z', occurrences: 1, resolvedAt: null, resolvedBy: null,
    });
    api.devices.alarms.query.and.resolveTo({ items: [alarm(1), alarm(2)], nextCursor: 'next', total: 140 } as never);
    api.quotas.drift.query.and.resolveTo({
      items: [{ cloudId: 'gz', systemId: 's-1', systemName: '社保业务系统', departmentId: 'd-1', resourceClass: 'vcpu', tenant: 't', recorded: 8, observed: 0, checkedAt: '2026-03-01T00:00:00.000Z' }],
      nextCursor: 'next', total: 57,
    } as never);
    const { el } = await renderAs(['cloud-operator']);

    expect(texts('.panel-alarms .badge-n', el)).toEqual(['140']);
    expect(el.querySelectorAll('.lines.alarms li').length).toBe(2);
    expect(texts('.panel-drift .badge-n', el)).toEqual(['57']);
    expect(texts('.lines.drift li', el)[0]).toContain('社保业务系统');
    expect(api.devices.alarms.query).toHaveBeenCalledWith({ open: true, limit: 6 });
    expect(api.quotas.drift.query).toHaveBeenCalledWith({ limit: 6 });
  });

  it('shows what waits for an approver, with department, system and requester names', async () => {
    api.requests.queue.query.and.resolveTo({
      items: [{ id: 'r-1', title: '扩容 8 核', departmentName: '省教育厅', systemName: '学籍系统', requesterName: '张三', overdue: true } as never],
      nextCursor: null, total: 1,
    });
    const { el } = await renderAs(['department-admin']);

    expect(el.querySelector('.panel-approvals .badge-n')?.textContent?.trim()).toBe('1');
    expect(texts('.approvals li a', el)).toEqual(['扩容 8 核']);
    expect(el.querySelector('.approvals .meta')?.textContent).toContain('省教育厅 · 学籍系统 · 张三');
    expect(el.querySelector('.approvals .overdue')).not.toBeNull();
  });

  it('gives a department user its own systems, requests and quota, and nothing province-wide', async () => {
    api.quotas.mine.query.and.resolveTo({
      items: [
        {
          id: 'n-1', level: 'department', ref: 'd-1', name: '省教育厅', departmentId: 'd-1', children: 0,
          usage: [{ cloudId: 'jx-province', resourceClass: 'vcpu', limit: 100, softLimit: null, cap: 100, softCap: null, reserved: 10, committed: 80, utilisation: 0.9 }],
        },
      ],
    });
    const { el } = await renderAs(['department-user']);

    expect(el.querySelector('.panel-clouds')).toBeNull();
    expect(el.querySelector('.panel-drift')).toBeNull();
    expect(el.querySelector('.panel-mine')).not.toBeNull();
    expect(api.devices.alarms.query).not.toHaveBeenCalled();
    expect(api.extranet.report.query).not.toHaveBeenCalled();
    expect(api.quotas.tree.query).not.toHaveBeenCalled();
    expect(texts('.pressure li', el)).toEqual(['省教育厅：90%（江西省政务云，vCPU）']);
    expect(el.querySelector('.pressure li')?.classList).toContain('hot');
  });

  it('keeps the other panels when one cannot be read, and says which', async () => {
    api.extranet.report.query.and.rejectWith(Object.assign(new Error('db down'), { data: { code: 'INTERNAL_SERVER_ERROR' } }));
    const { el } = await renderAs(['auditor']);

    expect(el.querySelector('.panel-extranet .panel-error')?.textContent).toContain('服务器内部错误');
    expect(el.querySelector('.panel-extranet .panel-error')?.textContent).not.toContain('db down');
    expect(el.querySelector('.panel-clouds .panel-error')).toBeNull();
    expect(el.querySelector('.panel-audit')).not.toBeNull();
  });

  it('re-reads the panels on refresh (the same reads the live timer makes)', async () => {
    const { fixture, el } = await renderAs(['cloud-operator']);
    api.clouds.list.query.and.resolveTo({ items: [sampleCloud({ id: 'jx-province', name: '江西省政务云' })] });

    click(el.querySelector('button.refresh'));
    await settle(fixture);

    expect(api.clouds.list.query).toHaveBeenCalledTimes(2);
    expect(texts('.panel-clouds .count', el)[2]).toBe('0 中断');
  });
});
