import {
  apiError,
  chooseOption,
  click,
  FakeApi,
  sampleDepartment,
  sampleUser,
  SERVER_TEXT,
  settle,
  setUpConsoleSpec,
  texts,
  typeInto,
  renderComponent,
  saveDialog,
} from '../../../testing/test-helpers';
import { UsersComponent } from './users.component';

describe('UsersComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [UsersComponent] });
    api.departments.list.query.and.resolveTo({
      items: [
        sampleDepartment({ id: 'd-1', name: '江西省大数据中心' }),
        sampleDepartment({ id: 'd-2', name: '南昌市数据局', creditCode: '11360100MB0000000A' }),
      ],
    });
    api.users.list.query.and.resolveTo({
      items: [
        sampleUser({ id: 'u-2', username: 'zhangsan', displayName: '张三', roles: ['cloud-operator', 'auditor'] }),
        sampleUser({ id: 'u-3', username: 'lisi', displayName: '李四', departmentId: null, departmentName: null, roles: [], locked: true }),
        sampleUser({ id: 'u-4', username: 'wangwu', displayName: '王五', disabled: true, roles: ['department-user'] }),
      ],
      nextCursor: null,
    });
  });

  const render = () => renderComponent(UsersComponent);

  /** Opens the create dialog and types a new user's username, name and initial password. */
  async function fillCreateForm(username: string, displayName: string) {
    const { fixture, el } = await render();
    click(el.querySelector('button.create-user'));
    await settle(fixture);
    typeInto(document.querySelector('#user-username'), username);
    typeInto(document.querySelector('#user-display-name'), displayName);
    typeInto(document.querySelector('#user-password'), 'Initial#Pass1');
    return { fixture, el };
  }

  const row = (el: HTMLElement, username: string) => el.querySelector(`tr[data-user="${username}"]`);

  it('loads the next page of users with the same filter', async () => {
    api.users.list.query.and.callFake(async (input) => (input?.cursor === undefined
      ? { items: [sampleUser({ id: 'u-2', username: 'zhangsan' })], nextCursor: 'after-zhangsan' }
      : { items: [sampleUser({ id: 'u-5', username: 'zhaoliu' })], nextCursor: null }));
    const { fixture, el } = await render();
    expect(texts('td.username', el)).toEqual(['zhangsan']);
    click(el.querySelector('.more-users'));
    await settle(fixture);
    expect(api.users.list.query).toHaveBeenCalledWith({ cursor: 'after-zhangsan' });
    expect(texts('td.username', el)).toEqual(['zhangsan', 'zhaoliu']);
    expect(el.querySelector('.more-users')).toBeNull();
  });

  it('lists users with department, role tags and status', async () => {
    const { el } = await render();

    expect(api.users.list.query).toHaveBeenCalledWith({});
    expect(texts('td.username', el)).toEqual(['zhangsan', 'lisi', 'wangwu']);
    const zhang = row(el, 'zhangsan')!;
    expect(zhang.querySelector('.display-name')?.textContent).toContain('张三');
    expect(zhang.querySelector('.department')?.textContent).toContain('江西省大数据中心');
    expect(texts('.roles nz-tag', zhang)).toEqual(['云运维', '审计员']);
    expect(texts('.status nz-tag', zhang)).toEqual(['正常']);
    expect(texts('.status nz-tag', row(el, 'lisi')!)).toEqual(['已锁定']);
    expect(texts('.status nz-tag', row(el, 'wangwu')!)).toEqual(['已停用']);
    // Only a locked account offers unlocking.
    expect(row(el, 'lisi')!.querySelector('button.unlock')).not.toBeNull();
    expect(zhang.querySelector('button.unlock')).toBeNull();
  });

  it('create dialog sends exactly the entered user and adds it to the table', async () => {
    const created = sampleUser({ id: 'u-9', username: 'zhaoliu', displayName: '赵六', departmentId: 'd-2', departmentName: '南昌市数据局', roles: ['department-admin'] });
    api.users.create.mutate.and.resolveTo(created);
    const { fixture, el } = await fillCreateForm(' zhaoliu ', '赵六');
    await chooseOption(fixture, document.querySelector('[data-field=departmentId] nz-select'), '南昌市数据局');
    await chooseOption(fixture, document.querySelector('[data-field=roles] nz-select'), '部门管理员');
    await saveDialog(fixture);

    expect(api.users.create.mutate).toHaveBeenCalledOnceWith({
      username: 'zhaoliu',
      displayName: '赵六',
      password: 'Initial#Pass1',
      departmentId: 'd-2',
      roles: ['department-admin'],
    });
    expect(texts('td.username', el)[0]).toBe('zhaoliu');
    expect(document.querySelector('#user-username')).toBeNull(); // dialog closed
  });

  it('shows a server field error beside its field and keeps the dialog open', async () => {
    api.users.create.mutate.and.rejectWith(
      apiError('CONFLICT', { code: 'conflict', path: ['username'] }),
    );
    const { fixture } = await fillCreateForm('zhangsan', '张三二');
    await saveDialog(fixture);

    expect(api.users.create.mutate).toHaveBeenCalledTimes(1);
    const field = document.querySelector('[data-field=username]');
    expect(field?.querySelector('.ant-form-item-explain-error')?.textContent).toContain('与现有数据冲突');
    expect(document.querySelector('[data-field=displayName] .ant-form-item-explain-error')).toBeNull();
    expect(document.querySelector('.ant-modal nz-alert')?.textContent).toContain('与现有数据冲突');
    expect(document.body.textContent).not.toContain(SERVER_TEXT);
    expect(document.querySelector('#user-username')).not.toBeNull();
  });

  it('does not send a user without the required fields', async () => {
    const { fixture, el } = await render();

    click(el.querySelector('button.create-user'));
    await settle(fixture);
    typeInto(document.querySelector('#user-username'), 'someone');
    await saveDialog(fixture);

    expect(api.users.create.mutate).not.toHaveBeenCalled();
    expect(document.querySelector('[data-field=password] .ant-form-item-explain-error')?.textContent).toContain('此项必填');
  });

  it('edits a user without resending username or password', async () => {
    api.users.update.mutate.and.callFake(async (input) => sampleUser({ id: input.id, displayName: input.displayName ?? '', disabled: input.disabled ?? false }));
    const { fixture, el } = await render();

    click(row(el, 'zhangsan')!.querySelector('button.edit'));
    await settle(fixture);
    expect(document.querySelector('#user-password')).toBeNull();
    expect((document.querySelector('#user-username') as HTMLInputElement).disabled).toBeTrue();
    typeInto(document.querySelector('#user-display-name'), '张三丰');
    click(document.querySelector('[data-field=disabled] button'));
    await saveDialog(fixture);

    expect(api.users.update.mutate).toHaveBeenCalledOnceWith({
      id: 'u-2',
      displayName: '张三丰',
      departmentId: 'd-1',
      roles: ['cloud-operator', 'auditor'],
      disabled: true,
    });
    expect(texts('.status nz-tag', row(el, 'zhangsan')!)).toEqual(['已停用']);
  });

  it('unlocks a locked account', async () => {
    api.users.unlock.mutate.and.resolveTo(sampleUser({ id: 'u-3', username: 'lisi', locked: false }));
    const { fixture, el } = await render();

    click(row(el, 'lisi')!.querySelector('button.unlock'));
    await settle(fixture);

    expect(api.users.unlock.mutate).toHaveBeenCalledOnceWith({ id: 'u-3' });
    expect(texts('.status nz-tag', row(el, 'lisi')!)).toEqual(['正常']);
  });

  it('resets a password for the chosen user', async () => {
    api.users.resetPassword.mutate.and.resolveTo({ ok: true });
    const { fixture, el } = await render();

    click(row(el, 'wangwu')!.querySelector('button.reset'));
    await settle(fixture);
    expect(document.querySelector('.ant-modal-title')?.textContent).toContain('王五');
    typeInto(document.querySelector('[data-field=newPassword] input'), 'Brand#New2');
    click(Array.from(document.querySelectorAll('.ant-modal-footer button')).at(-1)!);
    await settle(fixture);

    expect(api.users.resetPassword.mutate).toHaveBeenCalledOnceWith({ id: 'u-4', newPassword: 'Brand#New2' });
  });
});
