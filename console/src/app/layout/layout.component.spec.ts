import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { Me } from '../core/api-types';
import { SessionStore } from '../core/session';
import { apiError, click, FakeApi, sampleMe, settle, setUpConsoleSpec, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { LayoutComponent } from './layout.component';

@Component({ template: '' })
class BlankPage {}

describe('LayoutComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [LayoutComponent], routes: [{ path: '**', component: BlankPage }] });
  });

  async function render(me: Me) {
    api.auth.me.query.and.resolveTo(me);
    return renderComponent(LayoutComponent, { me });
  }

  const navKeys = (el: HTMLElement) =>
    Array.from(el.querySelectorAll('[data-nav]')).map((e) => e.getAttribute('data-nav'));

  it('shows administration and audit to an admin, with name and roles in the header', async () => {
    const { el } = await render(sampleMe({ displayName: '王管理', roles: ['admin'] }));

    expect(navKeys(el)).toEqual(jasmine.arrayContaining(['admin', 'admin/users', 'admin/departments', 'audit', 'clouds', 'dr']));
    expect(el.querySelector('.user-name')?.textContent).toContain('王管理');
    expect(texts('.user nz-tag', el)).toEqual(['系统管理员']);
  });

  it('shows audit but not administration to an auditor, and neither to a department user', async () => {
    const auditor = await render(sampleMe({ roles: ['auditor'] }));
    expect(navKeys(auditor.el)).toContain('audit');
    expect(navKeys(auditor.el)).not.toContain('admin');
    auditor.fixture.destroy();

    const user = await render(sampleMe({ roles: ['department-user'] }));
    expect(navKeys(user.el)).not.toContain('audit');
    expect(navKeys(user.el)).not.toContain('admin/users');
    expect(navKeys(user.el)).toContain('requests');
  });

  it('switches every text to English and back', async () => {
    const { fixture, el } = await render(sampleMe({ roles: ['admin'] }));
    expect(el.querySelector('[data-nav="admin/users"]')?.textContent).toContain('用户');
    expect(el.querySelector('button.logout')?.textContent).toContain('退出登录');

    click(el.querySelector('label[data-lang="en"]'));
    await settle(fixture);

    expect(el.querySelector('[data-nav="admin/users"]')?.textContent).toContain('Users');
    expect(el.querySelector('[data-nav="audit"]')?.textContent).toContain('Audit log');
    expect(el.querySelector('button.logout')?.textContent).toContain('Sign out');
    expect(texts('.user nz-tag', el)).toEqual(['Administrator']);
    expect(localStorage.getItem('ganyun.lang')).toBe('en');

    click(el.querySelector('label[data-lang="zh-CN"]'));
    await settle(fixture);
    expect(el.querySelector('button.logout')?.textContent).toContain('退出登录');
  });

  it('signs out through the server and returns to the login page', async () => {
    const { fixture, el } = await render(sampleMe());
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);

    click(el.querySelector('button.logout'));
    await settle(fixture);

    expect(api.auth.logout.mutate).toHaveBeenCalledTimes(1);
    expect(TestBed.inject(SessionStore).signedIn()).toBeFalse();
    expect(navigate).toHaveBeenCalledOnceWith(['/login']);
  });

  it('sends a user whose password was reset meanwhile to the password page, and back here afterwards', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    const { fixture } = await render(sampleMe());
    expect(navigate).not.toHaveBeenCalled();

    // The profile refreshed by the layout says the password was reset (by an administrator, in another tab).
    TestBed.inject(SessionStore).setUser(sampleMe({ mustChangePassword: true }));
    await settle(fixture);
    expect(navigate).toHaveBeenCalledOnceWith(['/password'], {});
  });

  it('shows a wrong current password beside that field', async () => {
    api.auth.changePassword.mutate.and.rejectWith(
      apiError('BAD_REQUEST', { code: 'auth.passwordWrong', path: ['currentPassword'] }),
    );
    const { fixture, el } = await render(sampleMe());

    click(el.querySelector('button.change-password'));
    await settle(fixture);
    const inputs = document.querySelectorAll<HTMLInputElement>('.ant-modal input[type=password]');
    typeInto(inputs[0], 'bad');
    typeInto(inputs[1], 'New#pass22');
    typeInto(inputs[2], 'New#pass22');
    click(document.querySelector('.ant-modal-footer .ant-btn-primary'));
    await settle(fixture);

    const tips = texts('.ant-modal .ant-form-item-explain-error');
    expect(tips).toEqual(['当前密码不正确']);
  });
});
