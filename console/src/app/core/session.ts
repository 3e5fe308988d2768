import { Injectable, computed, signal } from '@angular/core';
import type { Me, Role } from './api-types';

const TOKEN_KEY = 'ganyun.token';
const USER_KEY = 'ganyun.user';
const EXPIRES_KEY = 'ganyun.expiresAt';

/**
 * Who is signed in. Kept apart from AuthService so the API client can read the token
 * without depending on the service that calls the API (no injection cycle).
 * sessionStorage: a token should not outlive the browser tab.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly tokenSig = signal<string | null>(null);
  private readonly userSig = signal<Me | null>(null);

  readonly token = this.tokenSig.asReadonly();
  readonly user = this.userSig.asReadonly();
  readonly roles = computed<readonly Role[]>(() => this.userSig()?.roles ?? []);
  readonly signedIn = computed(() => this.tokenSig() !== null && this.userSig() !== null);

  constructor() {
    this.restore();
  }

  hasAnyRole(roles: readonly Role[]): boolean {
    const mine = this.roles();
    return roles.some((r) => mine.includes(r));
  }

  start(token: string, expiresAt: string, user: Me): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(EXPIRES_KEY, expiresAt);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    this.tokenSig.set(token);
    this.userSig.set(user);
  }

  setUser(user: Me): void {
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    this.userSig.set(user);
  }

  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(EXPIRES_KEY);
    sessionStorage.removeItem(USER_KEY);
    this.tokenSig.set(null);
    this.userSig.set(null);
  }

  /** A reload keeps the tab's session unless the token has already expired. */
  private restore(): void {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const expiresAt = sessionStorage.getItem(EXPIRES_KEY);
    const user = sessionStorage.getItem(USER_KEY);
    if (!token || !user || (expiresAt && Date.parse(expiresAt) <= Date.now())) {
      this.clear();
      return;
    }
    try {
      this.userSig.set(JSON.parse(user) as Me);
      this.tokenSig.set(token);
    } catch {
      this.clear();
    }
  }
}
