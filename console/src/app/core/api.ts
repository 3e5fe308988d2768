import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
// Type-only: the server's router shape, no server code in the bundle.
import type { AppRouter } from '@ganyun/control-plane/router-types';
import type { ApiInputs, AuditRecord } from './api-types';
import { toApiError } from './api-error';
import { SessionStore } from './session';

export type { AppRouter };

const TRPC_URL = '/trpc';

/**
 * Queries and mutations go over plain HTTP with the bearer token in a header; subscriptions go
 * over SSE, where EventSource cannot send headers, so the token travels as a connection param
 * (the server reads `connectionParams.token`). No transformer: dates arrive as ISO strings.
 */
export function createApiClient(token: () => string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: TRPC_URL,
          connectionParams: () => ({ token: token() ?? '' }),
        }),
        false: httpLink({
          url: TRPC_URL,
          headers: (): Record<string, string> => {
            const t = token();
            return t ? { Authorization: `Bearer ${t}` } : {};
          },
        }),
      }),
    ],
  });
}

export interface Subscription {
  unsubscribe(): void;
}

export interface StreamHandlers<T> {
  onData(value: T): void;
  onError?(err: unknown): void;
  onStarted?(): void;
}

/**
 * The console's one connection to the server: one tRPC client for the session, and the one rule every call
 * follows (a rejected token ends the session; a failed login, with no token yet, just reports the error).
 * ApiService and the feature API services wrap it with named methods.
 */
@Injectable({ providedIn: 'root' })
export class ApiGateway {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  readonly client = createApiClient(() => this.session.token());

  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.checkUnauthorized(err);
      throw err;
    }
  }

  /** For streams, whose errors arrive in a callback rather than as a rejection. */
  checkUnauthorized(err: unknown): void {
    if (toApiError(err).code === 'UNAUTHORIZED' && this.session.token() !== null) {
      this.session.clear();
      void this.router.navigate(['/login']);
    }
  }
}

/**
 * The one place the console talks to the server. Components depend on these methods (not on
 * the tRPC proxy) so specs can swap in a fake at this boundary.
 */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly gateway = inject(ApiGateway);
  private readonly client = this.gateway.client;

  // auth
  login(input: ApiInputs['auth']['login']) {
    return this.call(() => this.client.auth.login.mutate(input));
  }
  me() {
    return this.call(() => this.client.auth.me.query());
  }
  logout() {
    return this.call(() => this.client.auth.logout.mutate());
  }
  changePassword(input: ApiInputs['auth']['changePassword']) {
    return this.call(() => this.client.auth.changePassword.mutate(input));
  }

  // users
  listUsers(input: ApiInputs['users']['list']) {
    return this.call(() => this.client.users.list.query(input));
  }
  createUser(input: ApiInputs['users']['create']) {
    return this.call(() => this.client.users.create.mutate(input));
  }
  updateUser(input: ApiInputs['users']['update']) {
    return this.call(() => this.client.users.update.mutate(input));
  }
  resetPassword(input: ApiInputs['users']['resetPassword']) {
    return this.call(() => this.client.users.resetPassword.mutate(input));
  }
  unlockUser(input: ApiInputs['users']['unlock']) {
    return this.call(() => this.client.users.unlock.mutate(input));
  }

  // departments and divisions
  listDepartments() {
    return this.call(() => this.client.departments.list.query());
  }
  createDepartment(input: ApiInputs['departments']['create']) {
    return this.call(() => this.client.departments.create.mutate(input));
  }
  updateDepartment(input: ApiInputs['departments']['update']) {
    return this.call(() => this.client.departments.update.mutate(input));
  }
  deleteDepartment(input: ApiInputs['departments']['delete']) {
    return this.call(() => this.client.departments.delete.mutate(input));
  }
  listDivisions(input: ApiInputs['divisions']['list']) {
    return this.call(() => this.client.divisions.list.query(input));
  }

  // audit
  listAudit(input: ApiInputs['audit']['list']) {
    return this.call(() => this.client.audit.list.query(input));
  }
  verifyAudit() {
    return this.call(() => this.client.audit.verify.mutate());
  }
  onAuditAppend(handlers: StreamHandlers<AuditRecord>): Subscription {
    return this.client.audit.onAppend.subscribe(
      undefined,
      {
        onStarted: () => handlers.onStarted?.(),
        onData: (record) => handlers.onData(record),
        onError: (err) => {
          this.gateway.checkUnauthorized(err);
          handlers.onError?.(err);
        },
      },
    );
  }

  // system
  systemInfo() {
    return this.call(() => this.client.system.info.query());
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return this.gateway.call(fn);
  }
}
