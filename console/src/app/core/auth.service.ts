import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { API } from './api-client';
import type { Me, Role } from './api-types';
import { SessionStore } from './session';

/** Where each kind of user starts: admins manage users, auditors read the trail. */
export function landingPath(roles: readonly Role[]): string {
  if (roles.includes('admin')) return '/admin/users';
  if (roles.includes('auditor')) return '/audit';
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
