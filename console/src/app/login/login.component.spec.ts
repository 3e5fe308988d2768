import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { SessionStore } from '../core/session';
import { apiError, click, FakeApi, sampleMe, settle, setUpConsoleSpec, typeInto, renderComponent } from '../../testing/test-helpers';
import { LoginComponent } from './login.component';

describe('LoginComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [LoginComponent] });
  });

  async function render() {
    const { fixture, el } = await renderComponent(LoginComponent);
    const submit = async (username: string, password: string) => {
      typeInto(el.querySelector('#login-username'), username);
      typeInto(el.querySelector('#login-password'), password);
      click(el.querySelector('button[type=submit]'));
      await settle(fixture);
    };
    return { fixture, el, submit };
  }

  it('says in Chinese why sign-in was refused and stays signed out', async () => {
    api.auth.login.mutate.and.rejectWith(apiError('UNAUTHORIZED', { code: 'auth.loginFailed' }));
    const { el, submit } = await render();

    await submit('zhangsan', 'wrong');

    expect(api.auth.login.mutate).toHaveBeenCalledOnceWith({ username: 'zhangsan', password: 'wrong' });
    const alert = el.querySelector('nz-alert');
    expect(alert?.textContent).toContain('登录失败');
    expect(alert?.textContent).toContain('用户名或密码错误');
    expect(TestBed.inject(SessionStore).signedIn()).toBeFalse();
  });

  it('does not call the server while a field is empty and marks the field', async () => {
    const { el, submit } = await render();

    await submit('zhangsan', '');

    expect(api.auth.login.mutate).not.toHaveBeenCalled();
    expect(el.querySelector('.ant-form-item-explain-error')?.textContent).toContain('此项必填');
  });

  it('starts the session and sends an admin to the overview', async () => {
    const me = sampleMe({ roles: ['admin'] });
    api.auth.login.mutate.and.resolveTo({ token: 'tok-1', expiresAt: '2099-01-01T00:00:00.000Z', user: me });
    const navigate = spyOn(TestBed.inject(Router), 'navigateByUrl').and.resolveTo(true);
    const { submit } = await render();

    await submit('admin', 'secret-pass');

    expect(navigate).toHaveBeenCalledOnceWith('/');
    const session = TestBed.inject(SessionStore);
    expect(session.token()).toBe('tok-1');
    expect(session.user()?.displayName).toBe('管理员');
    expect(sessionStorage.getItem('ganyun.token')).toBe('tok-1');
  });

  it('sends an auditor and anyone else to the overview too (its panels follow the roles)', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigateByUrl').and.resolveTo(true);
    const { submit } = await render();

    api.auth.login.mutate.and.resolveTo({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: sampleMe({ roles: ['auditor'] }) });
    await submit('auditor', 'pw');
    expect(navigate).toHaveBeenCalledWith('/');

    api.auth.login.mutate.and.resolveTo({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: sampleMe({ roles: ['department-user'] }) });
    await submit('user', 'pw');
    expect(navigate).toHaveBeenCalledWith('/');
  });
});
