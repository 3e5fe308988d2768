import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import type { Role } from './api-types';
import { SessionStore } from './session';

/** Everything except /login needs a session. */
export const authGuard: CanActivateFn = () => {
  const session = inject(SessionStore);
  return session.signedIn() || inject(Router).createUrlTree(['/login']);
};

/** Hides whole areas from roles that may not use them; the server enforces the same rule. */
export function roleGuard(roles: readonly Role[]): CanActivateFn {
  return () => {
    const session = inject(SessionStore);
    return session.hasAnyRole(roles) || inject(Router).createUrlTree(['/']);
  };
}
