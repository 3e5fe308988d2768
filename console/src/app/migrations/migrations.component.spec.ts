import type { Role } from '../core/api-types';
import { press, texts, type FakeApi, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { candidate, plan, planDetail, version, wave } from './migration-fakes.spec';
import { MigrationsComponent } from './migrations.component';

describe('MigrationsComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [MigrationsComponent] });
    api.migrations.candidates.list.query.and.resolveTo({ items: [candidate()], nextCursor: null });
    api.migrations.plans.list.query.and.resolveTo({ items: [plan()], nextCursor: null });
    api.migrations.plans.get.query.and.resolveTo(planDetail());
    api.migrations.plans.version.query.and.resolveTo(version());
    api.migrations.waves.list.query.and.resolveTo({ items: [wave(), wave({ id: 'w-2', status: 'prechecked', windowIndex: 1 })] });
  });

  const render = (roles: Role[]) => renderComponent(MigrationsComponent, { me: { roles, departmentId: roles.includes('admin') ? null : 'd-tax' } });

  async function openTab(fixture: Awaited<ReturnType<typeof render>>['fixture'], el: HTMLElement, index: number) {
    await press(fixture, el.querySelectorAll('.ant-tabs-tab')[index] ?? null);
  }

  it('opens on the candidates and picks the plan for the schedule and the waves', async () => {
    const { fixture, el } = await render(['cloud-operator']);
    expect(texts('.ant-tabs-tab', el)).toEqual(['迁移候选', '排期', '迁移批次', '停机封网', '进展指标']);
    expect(texts('tr[data-candidate] .name', el)).toEqual(['金税三期']);
    await openTab(fixture, el, 1);
    expect(api.migrations.plans.get.query).toHaveBeenCalledWith({ id: 'p-1' });
    expect(el.querySelector('label[for="mig-plan"]')).not.toBeNull();
    expect(el.querySelector('app-mig-schedule button.solve')).not.toBeNull();
    await openTab(fixture, el, 2);
    expect(el.querySelector('app-mig-waves-board button.precheck')).not.toBeNull();
  });

  it('picks the newest plan of the server\'s first page and offers older plans a page at a time', async () => {
    api.migrations.plans.list.query.and.callFake(async (input: unknown) => ((input as { cursor?: string } | undefined)?.cursor === 'after-p-2'
      ? { items: [plan({ id: 'p-1', name: '2026 试点' })], nextCursor: null }
      : { items: [plan({ id: 'p-3', name: '2027 第二批' }), plan({ id: 'p-2', name: '2027 第一批' })], nextCursor: 'after-p-2' }));
    const { fixture, el } = await render(['cloud-operator']);
    await openTab(fixture, el, 1);
    expect(api.migrations.plans.list.query).toHaveBeenCalledOnceWith({ limit: 50 });
    expect(api.migrations.plans.get.query).toHaveBeenCalledWith({ id: 'p-3' });
    expect(el.querySelector('button.more-plans')?.textContent).toContain('更早的迁移计划');
    await press(fixture, el.querySelector('button.more-plans'));
    expect(api.migrations.plans.list.query).toHaveBeenCalledWith({ limit: 50, cursor: 'after-p-2' });
    expect(el.querySelector('button.more-plans')).toBeNull();
    await press(fixture, el.querySelector('nz-select.mig-plan .ant-select-selector'));
    expect(texts('nz-option-item', document.body)).toEqual(['2027 第二批 (2027-01-04, 4)', '2027 第一批 (2027-01-04, 4)', '2026 试点 (2027-01-04, 4)']);
  });

  it('offers a department user no operator action', async () => {
    const { fixture, el } = await render(['department-user']);
    await openTab(fixture, el, 1);
    expect(el.querySelector('.makespan')).not.toBeNull();
    expect(el.querySelector('button.solve, button.approve, .what-if-form')).toBeNull();
    await openTab(fixture, el, 2);
    expect(el.querySelectorAll('[data-wave]').length).toBe(2);
    expect(el.querySelector('button.precheck, button.start, .rollback')).toBeNull();
  });
});
