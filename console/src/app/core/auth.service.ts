import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { API } from './api-client';
import type { Me, Role } from './api-types';
import { SessionStore } from './session';

/**
 * Where a user starts after signing in: the operations overview for every role. The overview itself
 * follows the roles (a department's own systems and quota, an operator's clouds and queues, an
 * auditor's trail), so nobody lands on a page that does not concern them.
 */
export function landingPath(_roles: readonly Role[]): string {
  return '/';
}

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(API);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  readonly user = this.session.user;
  readonly roles = this.session.roles;

  async login(username: string, password: string): Promise<Me> {
    const result = await this.api.auth.login.mutate({ username, password });
    this.session.start(result.token, result.expiresAt, result.user);
    return result.user;
  }

  /** Re-reads the profile (roles may have changed since the tab was opened). */
  async refresh(): Promise<void> {
    this.session.setUser(await this.api.auth.me.query());
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.api.auth.changePassword.mutate({ currentPassword, newPassword });
    const user = this.session.user();
    if (user?.mustChangePassword) this.session.setUser({ ...user, mustChangePassword: false });
  }

  async logout(): Promise<void> {
    try {
      await this.api.auth.logout.mutate();
    } catch {
      // The token may already be invalid; signing out locally is what matters.
    }
    this.session.clear();
    await this.router.navigate(['/login']);
  }
}
