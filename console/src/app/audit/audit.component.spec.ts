import type { StreamHandlers } from '../core/streams';
import type { AuditRecord } from '../core/api-types';
import { click, FakeApi, sampleAudit, settle, setUpConsoleSpec, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { AuditComponent } from './audit.component';

describe('AuditComponent', () => {
  let api: FakeApi;
  let live: StreamHandlers<AuditRecord> | undefined;
  let unsubscribe: jasmine.Spy;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [AuditComponent] });
    unsubscribe = jasmine.createSpy('unsubscribe');
    live = undefined;
    api.audit.onAppend.subscribe.and.callFake((_input, handlers) => {
      live = handlers;
      return { unsubscribe };
    });
    api.audit.list.query.and.resolveTo({
      items: [
        sampleAudit({ seq: 12, role: 'admin,auditor', procedure: 'departments.update', before: { name: '旧名' }, after: { name: '新名' } }),
        sampleAudit({ seq: 11, actor: 'lisi', role: 'department-user', procedure: 'users.update', outcome: 'denied' }),
      ],
      nextCursor: 11,
    });
  });

  const render = () => renderComponent(AuditComponent);

  it('lists the newest page with translated outcomes', async () => {
    const { el } = await render();

    expect(api.audit.list.query).toHaveBeenCalledOnceWith({ limit: 50 });
    expect(texts('td.seq', el)).toEqual(['12', '11']);
    expect(texts('td.outcome', el)).toEqual(['成功', '拒绝']);
    expect(texts('td.role', el)).toEqual(['系统管理员、审计员', '部门用户']);
  });

  it('shows the first broken record when the chain does not verify', async () => {
    api.audit.verify.mutate.and.resolveTo({ ok: false, count: 40, brokenAt: { seq: 37, reason: 'hash mismatch' } });
    const { fixture, el } = await render();

    click(el.querySelector('button.verify'));
    await settle(fixture);

    expect(api.audit.verify.mutate).toHaveBeenCalledTimes(1);
    const result = el.querySelector('.verify-result');
    expect(result?.querySelector('.ant-alert-error')).not.toBeNull();
    expect(result?.textContent).toContain('审计链在第 37 条记录处断裂：hash mismatch（已检查 40 条）');
  });

  it('reports an intact chain with its record count', async () => {
    api.audit.verify.mutate.and.resolveTo({ ok: true, count: 128 });
    const { fixture, el } = await render();

    click(el.querySelector('button.verify'));
    await settle(fixture);

    expect(el.querySelector('.verify-result .ant-alert-success')).not.toBeNull();
    expect(el.querySelector('.verify-result')?.textContent).toContain('审计链完整，共验证 128 条记录');
  });

  it('sends the filters and pages on with the cursor', async () => {
    const { fixture, el } = await render();

    typeInto(el.querySelector('input.filter-actor'), ' lisi ');
    typeInto(el.querySelector('input.filter-procedure'), 'users.');
    click(el.querySelector('button.search'));
    await settle(fixture);
    expect(api.audit.list.query).toHaveBeenCalledWith({ actor: 'lisi', procedure: 'users.', limit: 50 });

    api.audit.list.query.and.resolveTo({ items: [sampleAudit({ seq: 3 })], nextCursor: null });
    click(el.querySelector('button.load-more'));
    await settle(fixture);
    expect(api.audit.list.query).toHaveBeenCalledWith({ actor: 'lisi', procedure: 'users.', limit: 50, cursor: 11 });
    expect(texts('td.seq', el)).toEqual(['12', '11', '3']);
    expect(el.querySelector('button.load-more')).toBeNull();
  });

  it('expands a row to show before and after', async () => {
    const { fixture, el } = await render();
    expect(el.querySelector('pre.before')).toBeNull();

    click(el.querySelector('tr[data-seq="12"] .ant-table-row-expand-icon'));
    await settle(fixture);

    expect(el.querySelector('pre.before')?.textContent).toContain('"name": "旧名"');
    expect(el.querySelector('pre.after')?.textContent).toContain('"name": "新名"');
  });

  it('puts live records on top, skips ones outside the filter, and unsubscribes on leave', async () => {
    const { fixture, el } = await render();
    expect(live).toBeDefined();

    live!.onStarted?.();
    live!.onData(sampleAudit({ seq: 13, procedure: 'auth.login' }));
    await settle(fixture);
    expect(texts('td.seq', el)).toEqual(['13', '12', '11']);
    expect(el.querySelector('nz-badge.live')?.textContent).toContain('实时更新中');

    // Once filtered by actor, records of other actors do not appear.
    api.audit.list.query.and.resolveTo({ items: [], nextCursor: null });
    typeInto(el.querySelector('input.filter-actor'), 'lisi');
    click(el.querySelector('button.search'));
    await settle(fixture);
    live!.onData(sampleAudit({ seq: 14, actor: 'admin' }));
    live!.onData(sampleAudit({ seq: 15, actor: 'lisi' }));
    await settle(fixture);
    expect(texts('td.seq', el)).toEqual(['15']);

    fixture.destroy();
    expect(unsubscribe).toHaveBeenCalled();
  });
});
