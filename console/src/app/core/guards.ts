import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import type { Role } from './api-types';
import { returnUrlQuery } from './return-url';
import { SessionStore } from './session';

/**
 * Everything except /login and /password needs a session, and a user whose password was reset changes it
 * first (the server refuses everything else meanwhile): both go round by their page and come back to the URL
 * they asked for (`returnUrl`, issue 17.8). The layout is not even created before that, so nothing on it is
 * loaded with a session that may not use it.
 */
export const authGuard: CanActivateFn = (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  if (!session.signedIn()) return router.createUrlTree(['/login'], returnUrlQuery(state.url));
  if (session.user()?.mustChangePassword) return router.createUrlTree(['/password'], returnUrlQuery(state.url));
  return true;
};

/** The password page needs a session (any: it is where a forced change happens). */
export const signedInGuard: CanActivateFn = (_route, state) => {
  const session = inject(SessionStore);
  return session.signedIn() || inject(Router).createUrlTree(['/login'], returnUrlQuery(state.url));
};

/** Hides whole areas from roles that may not use them; the server enforces the same rule. */
export function roleGuard(roles: readonly Role[]): CanActivateFn {
  return () => {
    const session = inject(SessionStore);
    return session.hasAnyRole(roles) || inject(Router).createUrlTree(['/']);
  };
}
