import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { routes } from '../app.routes';
import { SessionStore } from '../core/session';
import { apiError, click, FakeApi, sampleMe, settle, setUpConsoleSpec, texts, typeInto } from '../../testing/test-helpers';

/**
 * Issue 17.8: signing in with a password that must be changed leads through the password page straight on to
 * the page asked for, with the layout working (menu, user) and no reload.
 */
describe('forced password change, end to end in the router', () => {
  /** Lazy routes load whole chunks: on a busy machine that takes longer than Jasmine's 5 s default. */
  const JOURNEY_MS = 60_000;
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ routes: routes });
  });

  /** Lazy routes load in their own time: render until the condition holds (bounded). */
  async function until(harness: RouterTestingHarness, what: string, condition: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !condition(); i++) await settle(harness.fixture);
    if (!condition()) throw new Error(`never happened: ${what}`);
  }

  const page = () => document.body;

  it('signs in, changes the password and lands on the page asked for, menu and user shown', async () => {
    const reset = sampleMe({ displayName: '李管理', mustChangePassword: true });
    const changed = { ...reset, mustChangePassword: false };
    api.auth.login.mutate.and.resolveTo({ token: 'tok-1', expiresAt: '2099-01-01T00:00:00.000Z', user: reset });
    api.auth.changePassword.mutate.and.resolveTo({ ok: true });
    api.auth.me.query.and.resolveTo(changed);
    const router = TestBed.inject(Router);
    const harness = await RouterTestingHarness.create();

    await harness.navigateByUrl('/admin/users');
    await until(harness, 'the sign-in page', () => !!page().querySelector('#login-username'));
    expect(router.url).toBe('/login?returnUrl=%2Fadmin%2Fusers');

    typeInto(page().querySelector('#login-username'), 'li');
    typeInto(page().querySelector('#login-password'), 'Reset#pass-1');
    click(page().querySelector('button[type=submit]'));
    await until(harness, 'the password page', () => !!page().querySelector('#pw-current'));
    expect(router.url).toBe('/password?returnUrl=%2Fadmin%2Fusers');
    // No layout yet: nothing of the console is loaded while the server refuses it.
    expect(page().querySelector('app-layout')).toBeNull();
    expect(api.users.list.query).not.toHaveBeenCalled();

    // A refusal shows beside its field, in Chinese.
    api.auth.changePassword.mutate.and.rejectWith(apiError('BAD_REQUEST', { code: 'auth.passwordWeak', path: ['newPassword'], params: { minLength: 12 } }));
    typeInto(page().querySelector('#pw-current'), 'Reset#pass-1');
    typeInto(page().querySelector('#pw-new'), 'short');
    typeInto(page().querySelector('#pw-confirm'), 'short');
    click(page().querySelector('button.change'));
    await until(harness, 'the refusal', () => !!page().querySelector('[data-field=newPassword] .ant-form-item-explain-error'));
    expect(page().querySelector('[data-field=newPassword] .ant-form-item-explain-error')?.textContent).toContain('至少 12 个字符');
    expect(router.url).toBe('/password?returnUrl=%2Fadmin%2Fusers');

    api.auth.changePassword.mutate.and.resolveTo({ ok: true });
    typeInto(page().querySelector('#pw-new'), 'New#password-22');
    typeInto(page().querySelector('#pw-confirm'), 'New#password-22');
    click(page().querySelector('button.change'));
    await until(harness, 'the page asked for', () => router.url === '/admin/users' && !!page().querySelector('button.create-user'));

    expect(api.auth.changePassword.mutate).toHaveBeenCalledWith({ currentPassword: 'Reset#pass-1', newPassword: 'New#password-22' });
    expect(TestBed.inject(SessionStore).user()?.mustChangePassword).toBeFalse();
    expect(page().querySelector('.user-name')?.textContent).toContain('李管理');
    expect(Array.from(page().querySelectorAll('[data-nav]')).map((e) => e.getAttribute('data-nav'))).toContain('admin/users');
    expect(texts('.ant-modal')).toEqual([]); // no dialog left over
    expect(api.users.list.query).toHaveBeenCalled();
  }, JOURNEY_MS);

  it('signs a user with a current password straight in to the page asked for', async () => {
    api.auth.login.mutate.and.resolveTo({ token: 'tok-2', expiresAt: '2099-01-01T00:00:00.000Z', user: sampleMe() });
    api.auth.me.query.and.resolveTo(sampleMe());
    const router = TestBed.inject(Router);
    const harness = await RouterTestingHarness.create();

    await harness.navigateByUrl('/login?returnUrl=%2Fadmin%2Fdepartments');
    await until(harness, 'the sign-in page', () => !!page().querySelector('#login-username'));
    typeInto(page().querySelector('#login-username'), 'admin');
    typeInto(page().querySelector('#login-password'), 'Admin#pass-1');
    click(page().querySelector('button[type=submit]'));
    await until(harness, 'the departments page', () => router.url === '/admin/departments');
    expect(page().querySelector('#pw-current')).toBeNull();
  }, JOURNEY_MS);
});
