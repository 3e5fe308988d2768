import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, Router, RouterStateSnapshot, UrlTree } from '@angular/router';
import { signIn, setUpConsoleSpec } from '../../testing/test-helpers';
import { authGuard, signedInGuard } from './guards';
import { safeReturnUrl } from './return-url';

describe('sign-in and password guards (issue 17.8)', () => {
  beforeEach(() => {
    setUpConsoleSpec();
  });

  const run = (guard: typeof authGuard, url: string) =>
    TestBed.runInInjectionContext(() => guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot));
  const serialized = (result: unknown) => (result instanceof UrlTree ? TestBed.inject(Router).serializeUrl(result) : result);

  it('sends a visitor to sign in, keeping the page asked for', () => {
    expect(serialized(run(authGuard, '/network/units/360102?tab=links'))).toBe('/login?returnUrl=%2Fnetwork%2Funits%2F360102%3Ftab%3Dlinks');
    expect(serialized(run(authGuard, '/'))).toBe('/login');
    expect(serialized(run(signedInGuard, '/password'))).toBe('/login');
  });

  it('sends a user whose password was reset to the password page first, keeping the page asked for', () => {
    signIn({ mustChangePassword: true });
    expect(serialized(run(authGuard, '/admin/users'))).toBe('/password?returnUrl=%2Fadmin%2Fusers');
    expect(run(signedInGuard, '/password')).toBeTrue();
  });

  it('lets a user with a current password in', () => {
    signIn();
    expect(run(authGuard, '/admin/users')).toBeTrue();
  });

  it('only ever returns to a path of this console', () => {
    for (const good of ['/admin/users', '/network/units/360102?tab=links#top', '/quotas']) expect(safeReturnUrl(good)).withContext(good).toBe(good);
    const bad = [
      'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'admin/users', '/login', '/login?returnUrl=/x',
      '/password', '/password?returnUrl=/x', '/a\nb', '', null, undefined, 42, '/' + 'x'.repeat(3000),
    ];
    for (const b of bad) expect(safeReturnUrl(b)).withContext(String(b)).toBe('/');
  });
});
