import { InjectionToken, inject } from '@angular/core';
import { Router } from '@angular/router';
import {
  createTRPCClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import { observable } from '@trpc/server/observable';
// Type-only: the server's router shape, no server code in the bundle.
import type { AppRouter } from '@ganyun/control-plane/router-types';
import { toApiError } from './api-error';
import { SessionStore } from './session';

export type { AppRouter };

/** The typed tRPC client: `api.clouds.list.query(input)`, `api.users.create.mutate(input)`, `.subscribe(…)`. */
export type ApiClient = TRPCClient<AppRouter>;

const TRPC_URL = '/trpc';

/**
 * Sees every answer before the caller does: a refused token (UNAUTHORIZED while signed in) calls
 * `onUnauthorized` once per failed operation, for queries, mutations and streams alike. A failed
 * sign-in (no token yet) is left to the login form.
 */
export function unauthorizedLink(onUnauthorized: (err: unknown) => void): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (value) => observer.next(value),
          error: (err) => {
            onUnauthorized(err);
            observer.error(err);
          },
          complete: () => observer.complete(),
        }),
      );
}

/**
 * Queries and mutations go over plain HTTP with the bearer token in a header; subscriptions go
 * over SSE, where EventSource cannot send headers, so the token travels as a connection param
 * (the server reads `connectionParams.token`). No transformer: dates arrive as ISO strings.
 */
export function createApiClient(token: () => string | null, onError: (err: unknown) => void = () => undefined): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [
      unauthorizedLink(onError),
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

/**
 * The console's one way to the server. Components and services inject the typed client and call
 * the procedures directly (`inject(API).clouds.get.query({ id })`): no pass-through wrapper
 * methods. Specs provide a typed fake instead (`provideFakeApi` in src/testing/fake-api.ts).
 * The client follows the session's one rule: a refused token ends the session and goes to /login.
 */
export const API = new InjectionToken<ApiClient>('ganyun.api', {
  providedIn: 'root',
  factory: () => {
    const session = inject(SessionStore);
    const router = inject(Router);
    return createApiClient(
      () => session.token(),
      (err) => {
        if (toApiError(err).code === 'UNAUTHORIZED' && session.token() !== null) {
          session.clear();
          void router.navigate(['/login']);
        }
      },
    );
  },
});
