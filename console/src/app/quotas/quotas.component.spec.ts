import { TestBed } from '@angular/core/testing';
import { API } from '../core/api-client';
import type { QuotaDriftLine } from './quota-types';
import { apiError, click, settle, SERVER_TEXT, texts, type FakeApi, renderComponent, typeInto, signIn } from '../../testing/test-helpers';
import { change, nodeDetail, nodeSummary, usageLine, type FakeQuotasApi, setUpQuotaSpec } from '../../testing/quota-fakes';
import { QuotaChangesComponent } from './quota-changes.component';
import { QuotasComponent } from './quotas.component';

describe('QuotasComponent', () => {
  let quotas: FakeQuotasApi;

  beforeEach(() => {
    quotas = setUpQuotaSpec([QuotasComponent, QuotaChangesComponent]);
    quotas.node.and.resolveTo(nodeDetail());
    signIn({ roles: ['cloud-operator'] });
  });

  const render = () => renderComponent(QuotasComponent);

  it('shows the roots with a utilisation bar per class, and drills down level by level with a breadcrumb trail', async () => {
    quotas.tree.withArgs(undefined).and.resolveTo({ items: [nodeSummary({ usage: [usageLine({ reserved: 60, committed: 30 }), usageLine({ resourceClass: 'memoryGiB', cap: null, limit: null, reserved: 4, committed: 0 })] })] });
    quotas.tree.withArgs('n-province').and.resolveTo({ items: [nodeSummary({ id: 'n-nc', level: 'city', ref: '3601', name: '南昌市', children: 0, usage: [] })] });
    const { fixture, el } = await render();
    expect(texts('td.name', el)).toEqual(['江西省(2)']);
    const vcpu = el.querySelector('.class-bar[data-class="vcpu"]')!;
    expect(vcpu.querySelector('.figures')?.textContent?.trim()).toBe('90 / 100');
    expect(vcpu.querySelector('nz-progress .ant-progress-status-active, nz-progress .ant-progress-status-exception')).not.toBeNull(); // 90 %: the warning band
    expect(el.querySelector('.class-bar[data-class="memoryGiB"] .figures')?.textContent).toContain('本级不限');

    click(el.querySelector('a.drill'));
    await settle(fixture);
    expect(quotas.tree).toHaveBeenCalledWith('n-province');
    expect(texts('td.name', el)).toEqual(['南昌市']);
    expect(texts('.trail .crumb', el)).toEqual(['江西省']);
    expect(el.querySelector('td .empty')?.textContent).toContain('暂无配额');

    click(el.querySelector('.crumb-root'));
    await settle(fixture);
    expect(texts('td.name', el)).toEqual(['江西省(2)']);
  });

  it('opens a node into its usage, chart and ledger', async () => {
    quotas.tree.and.resolveTo({ items: [nodeSummary()] });
    const { fixture, el } = await render();
    click(el.querySelector('button.open'));
    await settle(fixture);
    expect(quotas.node).toHaveBeenCalledWith('n-province');
    expect(el.querySelector('app-quota-node .usage-chart')).not.toBeNull();
    expect(texts('app-quota-node .usage-table td.reserved', el)).toEqual(['20']);
  });

  it('shows the server error when the tree cannot be read', async () => {
    quotas.tree.and.rejectWith(apiError('FORBIDDEN', { code: 'auth.forbidden' }));
    const { el } = await render();
    expect(el.querySelector('app-error-alert')?.textContent).toContain('您没有执行此操作的权限');
    expect(el.textContent).not.toContain(SERVER_TEXT);
  });

  it('lists drift a page at a time when its tab opens: more reads the next page by its cursor', async () => {
    const client = TestBed.inject(API) as unknown as FakeApi;
    const line = (systemName: string): QuotaDriftLine => ({
      cloudId: 'nanchang', systemId: `s-${systemName}`, systemName, departmentId: 'd-1', resourceClass: 'vcpu', tenant: `sys-${systemName}`, recorded: 4, observed: 8, checkedAt: '2026-12-01T00:00:00.000Z',
    });
    client.quotas.drift.query.and.callFake(async (input) =>
      input?.cursor ? { items: [line('社保')], nextCursor: null, total: 2 } : { items: [line('公积金')], nextCursor: 'c-1', total: 2 });
    const { fixture, el } = await render();
    expect(client.quotas.drift.query).not.toHaveBeenCalled();
    click([...el.querySelectorAll('.ant-tabs-tab')].find((t) => t.textContent?.includes('用量偏差')) ?? null);
    await settle(fixture);
    expect(client.quotas.drift.query).toHaveBeenCalledWith({ limit: 50 });
    expect(el.querySelectorAll('tr.drift-row').length).toBe(1);
    click(el.querySelector('button.more-drift'));
    await settle(fixture);
    expect(client.quotas.drift.query).toHaveBeenCalledWith({ limit: 50, cursor: 'c-1' });
    expect(texts('tr.drift-row td:nth-child(2)', el)).toEqual(['公积金', '社保']);
    expect(el.querySelector('button.more-drift')).toBeNull();
  });
});

describe('QuotaChangesComponent', () => {
  let quotas: FakeQuotasApi;

  beforeEach(() => {
    quotas = setUpQuotaSpec([QuotaChangesComponent]);
  });

  it("lets an operator approve someone else's pending increase with a note, and not their own", async () => {
    signIn({ id: 'u-ops', roles: ['cloud-operator'] });
    quotas.changes.and.resolveTo({ items: [change(), change({ id: 'c-2', requestedBy: 'u-ops', requestedByName: 'ops' }), change({ id: 'c-3', status: 'applied', requestedLimit: 20 })], nextCursor: null });
    quotas.decideChange.and.resolveTo(change({ status: 'approved' }));
    const { fixture, el } = await renderComponent(QuotaChangesComponent);
    expect(texts('.status', el)).toEqual(['待审批', '待审批', '已生效']);
    expect(el.querySelectorAll('button.approve').length).toBe(1);
    expect(el.querySelector('tr[data-change="c-2"] button.approve')).toBeNull();
    typeInto(el.querySelector('tr[data-change="c-1"] input.decision-reason'), '同意扩容');
    click(el.querySelector('tr[data-change="c-1"] button.approve'));
    await settle(fixture);
    expect(quotas.decideChange).toHaveBeenCalledOnceWith('c-1', 'approve', '同意扩容');
    expect(quotas.changes).toHaveBeenCalledTimes(2);
  });

  it('loads the next page of change requests', async () => {
    signIn({ roles: ['department-user'] });
    quotas.changes.and.callFake(async (_status, cursor) => (cursor === undefined
      ? { items: [change()], nextCursor: 'after-c-1' }
      : { items: [change({ id: 'c-9', status: 'applied' })], nextCursor: null }));
    const { fixture, el } = await renderComponent(QuotaChangesComponent);
    click(el.querySelector('.more-changes'));
    await settle(fixture);
    expect(quotas.changes).toHaveBeenCalledWith(undefined, 'after-c-1');
    expect(texts('.status', el)).toEqual(['待审批', '已生效']);
    expect(el.querySelector('.more-changes')).toBeNull();
  });

  it('offers no decisions to a department user', async () => {
    signIn({ roles: ['department-user'] });
    quotas.changes.and.resolveTo({ items: [change()], nextCursor: null });
    const { fixture } = await renderComponent(QuotaChangesComponent);
    expect((fixture.nativeElement as HTMLElement).querySelector('button.approve')).toBeNull();
  });
});
