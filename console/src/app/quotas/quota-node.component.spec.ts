import type { Role } from '../core/api-types';
import { apiError, click, settle, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { ledgerLine, nodeDetail, nodeSummary, usageLine, type FakeQuotasApi, setUpQuotaSpec } from '../../testing/quota-fakes';
import { MyQuotaComponent } from './my-quota.component';
import { QuotaNodeComponent } from './quota-node.component';

describe('QuotaNodeComponent', () => {
  let quotas: FakeQuotasApi;

  beforeEach(() => {
    quotas = setUpQuotaSpec([QuotaNodeComponent]);
    quotas.node.and.resolveTo(nodeDetail({ usage: [usageLine(), usageLine({ cloudId: 'nanchang', limit: null, cap: null, reserved: 0, committed: 3 })] }));
    quotas.ledger.and.resolveTo({ items: [ledgerLine(), ledgerLine({ id: 9, kind: 'commit', reservedDelta: -8, committedDelta: 8 })], nextCursor: 9 });
  });

  const render = (roles: Role[] = ['department-admin']) => renderComponent(QuotaNodeComponent, { me: { roles, departmentId: 'd-1' }, inputs: { nodeId: 'n-dept' } });

  it('lists usage per cloud and class, the ledger line by line, and pages on', async () => {
    const { fixture, el } = await render();
    expect(texts('.node-title', el)[0]).toContain('省大数据局');
    expect(texts('.usage-table td.limit', el)).toEqual(['100', '本级不限']);
    expect(texts('.usage-table td.committed', el)).toEqual(['30', '3']);
    expect(texts('.ledger-table td.kind', el)).toEqual(['预留', '确认使用']);
    expect(texts('.ledger-table td.delta', el)).toEqual(['+8 / 0', '-8 / +8']);
    quotas.ledger.and.resolveTo({ items: [ledgerLine({ id: 3, kind: 'limit', reservedDelta: 0, committedDelta: 0 })], nextCursor: null });
    click(el.querySelector('button.more-ledger'));
    await settle(fixture);
    expect(quotas.ledger).toHaveBeenCalledWith({ nodeId: 'n-dept', limit: 50, cursor: 9 });
    expect(texts('.ledger-table td.kind', el)).toEqual(['预留', '确认使用', '限额调整']);
    expect(el.querySelector('button.more-ledger')).toBeNull();
  });

  it('explains a figure with the reservations that make it up', async () => {
    quotas.explain.and.resolveTo({
      cloudId: 'jx-province', resourceClass: 'vcpu', reserved: 20, committed: 30, cap: 100, limit: 100,
      ledger: { reserved: 20, committed: 30, lines: 7 }, consistent: true, contributionsTruncated: false,
      contributions: [{ reservationId: 'aaaaaaaa-1', systemId: 's-1', systemName: '一网通办', state: 'held', ref: 'req-1', reserved: 20, committed: 0, createdAt: '2026-11-28T09:00:00.000Z' }],
    });
    const { fixture, el } = await render();
    click(el.querySelector('tr[data-line="jx-province/vcpu"] button.explain'));
    await settle(fixture);
    expect(quotas.explain).toHaveBeenCalledOnceWith('n-dept', 'jx-province', 'vcpu');
    expect(el.querySelector('.consistency')?.textContent).toContain('预留 20，使用 30，共 7 条台账记录');
    expect(texts('.contributions td', el).slice(0, 3)).toEqual(['aaaaaaaa', '一网通办', '预留中']);
  });

  it('requests a limit change and shows the server refusal beside it', async () => {
    const { fixture, el } = await render();
    click(el.querySelector('tr[data-line="jx-province/vcpu"] button.request-change'));
    await settle(fixture);
    typeInto(el.querySelector('input.reason'), '新模块上线');
    quotas.requestChange.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected' }));
    click(el.querySelector('button.submit-change'));
    await settle(fixture);
    expect(quotas.requestChange).toHaveBeenCalledOnceWith({ nodeId: 'n-dept', cloudId: 'jx-province', resourceClass: 'vcpu', limit: 100, reason: '新模块上线' });
    expect(el.querySelector('app-error-alert')?.textContent).toContain('输入的值不被接受');
    expect(el.querySelector('.change-form')).not.toBeNull();
  });

  it('lets an operator set the limit directly, addressed by level and ref', async () => {
    quotas.setLimit.and.resolveTo({ nodeId: 'n-dept', changes: [] });
    const { fixture, el } = await render(['cloud-operator']);
    click(el.querySelector('tr[data-line="jx-province/vcpu"] button.request-change'));
    await settle(fixture);
    expect(el.querySelector('.change-form h4')?.textContent).toContain('设定限额');
    typeInto(el.querySelector('input.reason'), '扩容');
    click(el.querySelector('button.submit-change'));
    await settle(fixture);
    expect(quotas.setLimit).toHaveBeenCalledOnceWith({ node: { level: 'department', ref: 'd-1' }, limits: [{ cloudId: 'jx-province', resourceClass: 'vcpu', limit: 100 }], reason: '扩容' });
    expect(quotas.requestChange).not.toHaveBeenCalled();
    expect(el.querySelector('.change-form')).toBeNull();
  });

  it('checks the change form before sending it, and starts it afresh when opened again', async () => {
    const { fixture, el } = await render();
    click(el.querySelector('tr[data-line="jx-province/vcpu"] button.request-change'));
    await settle(fixture);
    expect(el.querySelector('label[for="quota-change-reason"]')?.textContent).toContain('理由');
    typeInto(el.querySelector('input.reason'), ' ');
    click(el.querySelector('button.submit-change'));
    await settle(fixture);
    expect(quotas.requestChange).not.toHaveBeenCalled();
    expect(el.querySelector('.reason-error')?.textContent?.trim()).toBeTruthy();
    typeInto(el.querySelector('input.reason'), '新模块上线');
    click(el.querySelector('tr[data-line="jx-province/vcpu"] button.request-change'));
    await settle(fixture);
    expect((el.querySelector('input.reason') as HTMLInputElement).value).toBe('');
  });

  it('offers no change request to a department user', async () => {
    const { el } = await render(['department-user']);
    expect(el.querySelector('button.request-change')).toBeNull();
    expect(el.querySelector('button.explain')).not.toBeNull();
  });
});

describe('MyQuotaComponent', () => {
  it("charts the caller's department: used against cap, and usage over 30 days", async () => {
    const quotas = setUpQuotaSpec([MyQuotaComponent]);
    quotas.mine.and.resolveTo({ items: [nodeSummary({ id: 'n-dept', level: 'department', name: '省大数据局', usage: [usageLine({ resourceClass: 'memoryGiB' })] })] });
    quotas.history.and.resolveTo({ days: [{ day: '2026-11-27', used: 10 }, { day: '2026-11-28', used: 50 }] });
    quotas.node.and.resolveTo(nodeDetail());
    const { el } = await renderComponent(MyQuotaComponent, { me: { roles: ['department-user'], departmentId: 'd-1' } });
    expect(el.querySelector('h3.department')?.textContent).toContain('省大数据局');
    expect(quotas.history).toHaveBeenCalledOnceWith('n-dept', 'memoryGiB');
    expect(el.querySelector('.mine-chart')).not.toBeNull();
    expect(el.querySelector('.history-chart')).not.toBeNull();
    expect(quotas.node).toHaveBeenCalledWith('n-dept');
  });
});
