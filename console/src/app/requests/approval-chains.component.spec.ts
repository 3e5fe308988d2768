import { apiError, chooseOption, press, sampleDepartment, setUpConsoleSpec, type FakeApi, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { ApprovalChainsComponent } from './approval-chains.component';

describe('ApprovalChainsComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [ApprovalChainsComponent] });
    api.requests.chains.query.and.resolveTo({ items: [{ id: 'c-1', departmentId: null, name: '通用', minUnits: 0, steps: [{ name: '运维', mode: 'or-sign', approvers: { role: 'cloud-operator' }, slaHours: 24 }] }], nextCursor: null });
    api.departments.list.query.and.resolveTo({ items: [sampleDepartment({ id: 'd-1', name: '南昌市数据局' })] });
  });

  const render = () => renderComponent(ApprovalChainsComponent);

  it('lists chains with their steps', async () => {
    const { el } = await render();
    expect(texts('.chains td.name', el)).toEqual(['通用']);
    // Modes and roles by name, not by code.
    expect(texts('.chains td.steps', el)).toEqual(['运维（或签，云运维）']);
    expect(texts('.chains tbody td', el)[1]).toBe('通用（所有部门）');
    expect(api.requests.chains.query).toHaveBeenCalledOnceWith({ limit: 50 });
    expect(el.querySelector('button.more-chains')).toBeNull();
  });

  it('pages the chains on the server: 加载更多 reads the next page after the last chain shown, until there is none', async () => {
    const chain = (id: string, name: string, minUnits: number) => ({ id, departmentId: 'd-1', name, minUnits, steps: [{ name: '处长', mode: 'single' as const, approvers: { role: 'department-admin' as const }, slaHours: 8 }] });
    api.requests.chains.query.and.callFake(async (page) => (page?.cursor === 'after-c-2'
      ? { items: [chain('c-2', '中额', 10), chain('c-3', '大额', 100)], nextCursor: null }
      : { items: [chain('c-1', '小额', 0), chain('c-2', '中额', 10)], nextCursor: 'after-c-2' }));
    const { fixture, el } = await render();
    expect(texts('.chains td.name', el)).toEqual(['小额', '中额']);
    expect(el.querySelector('button.more-chains')?.textContent).toContain('加载更多');
    await press(fixture, el.querySelector('button.more-chains'));
    expect(api.requests.chains.query).toHaveBeenCalledWith({ limit: 50, cursor: 'after-c-2' });
    // A row the next page repeats is shown once.
    expect(texts('.chains td.name', el)).toEqual(['小额', '中额', '大额']);
    expect(el.querySelector('button.more-chains')).toBeNull();
  });

  it('shows a refusal of the list', async () => {
    api.requests.chains.query.and.rejectWith(apiError('FORBIDDEN', { code: 'auth.roleMissing', params: { roles: 'admin' } }));
    const { el } = await render();
    expect(el.querySelector('app-error-alert .error-message')?.textContent).toContain('此操作需要以下角色之一');
    expect(el.querySelectorAll('.chains tr[data-chain]').length).toBe(0);
  });

  it('refuses to save a chain without a name or a step without a name, naming the field', async () => {
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('button.add-step'));
    await press(fixture, el.querySelector('button.save-chain'));
    expect(api.requests.saveChain.mutate).not.toHaveBeenCalled();
    expect(el.querySelector('.name-error')?.textContent?.trim()).toBeTruthy();
    expect(el.querySelectorAll('.step-name-error').length).toBe(1);
    for (const id of ['chain-name', 'chain-department', 'chain-min', 'step-name-0', 'step-mode-0', 'step-role-0', 'step-sla-0']) {
      expect(el.querySelector(`label[for="${id}"]`)).withContext(id).not.toBeNull();
    }
  });

  it('saves a department chain of two steps (会签 then 或签) and shows a refusal from the server', async () => {
    api.requests.saveChain.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict.exists', path: ['minUnits'] }));
    const { fixture, el } = await render();
    typeInto(el.querySelector('input.chain-name'), '大额');
    await chooseOption(fixture, el.querySelector('nz-select.chain-department'), '南昌市数据局');
    await press(fixture, el.querySelector('button.add-step'));
    const names = el.querySelectorAll('input.step-name');
    typeInto(names[1] ?? null, '运维');
    await chooseOption(fixture, el.querySelectorAll('.chain-step')[0]!.querySelector('nz-select'), '会签');
    await press(fixture, el.querySelector('button.save-chain'));
    expect(api.requests.saveChain.mutate).toHaveBeenCalledOnceWith({
      name: '大额', departmentId: 'd-1', minUnits: 0,
      steps: [
        { name: '部门审批', mode: 'countersign', approvers: { role: 'department-admin' }, slaHours: 24 },
        { name: '运维', mode: 'or-sign', approvers: { role: 'cloud-operator' }, slaHours: 24 },
      ],
    });
    expect(el.querySelector('.error-alert')?.textContent).toContain('相同的记录已存在');
  });
});
