import { InjectionToken, inject } from '@angular/core';
import { Router } from '@angular/router';
import {
  createTRPCClient,
  httpLink,
  httpSubscriptionLink,
  retryLink,
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
 * An EventSource that never reconnects by itself. The browser's own reconnection would reuse the URL, and
 * with it a ticket that is single-use (below): the server would refuse it as unauthorized. Closing on the
 * first error hands the failure to tRPC instead, and `retryLink` reopens the stream with a fresh ticket,
 * resuming after the last event received.
 */
class OneShotEventSource extends EventSource {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(url, init);
    // Registered before tRPC's own listener, so tRPC sees the stream closed, not reconnecting.
    this.addEventListener('error', () => this.close());
  }
}

/** A dropped stream has no tRPC error code; a refusal (UNAUTHORIZED, FORBIDDEN, …) carries one and is final. */
const isTransportFailure = (err: { data?: unknown }) => !(err.data as { code?: string } | undefined)?.code;

/**
 * Queries and mutations go over plain HTTP with the bearer token in a header. Subscriptions go over SSE,
 * where EventSource cannot send headers and a token must not sit in a URL (logs keep URLs): each connection
 * first trades the token (in the header) for a single-use ticket, `streams.ticket`, that opens the stream.
 * No transformer: dates arrive as ISO strings.
 */
export function createApiClient(token: () => string | null, onError: (err: unknown) => void = () => undefined): ApiClient {
  const plainHttp = httpLink<AppRouter>({
    url: TRPC_URL,
    headers: (): Record<string, string> => {
      const t = token();
      return t ? { Authorization: `Bearer ${t}` } : {};
    },
  });
  const tickets = createTRPCClient<AppRouter>({ links: [plainHttp] });
  return createTRPCClient<AppRouter>({
    links: [
      unauthorizedLink(onError),
      retryLink({
        retry: ({ op, error }) => op.type === 'subscription' && isTransportFailure(error),
        retryDelayMs: (attempt) => Math.min(500 * 2 ** attempt, 15_000),
      }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: TRPC_URL,
          EventSource: OneShotEventSource,
          connectionParams: async () => ({ ticket: (await tickets.streams.ticket.mutate()).ticket }),
        }),
        false: plainHttp,
      }),
    ],
  });
}

/**
 * The console's one way to the server. Components and services inject the typed client and call
 * the procedures directly (`inject(API).clouds.get.query({ id })`): no pass-through wrapper
 * methods. Specs provide a typed fake instead (`provideFakeApi` in src/testing/fake-api.ts).
 * The client follows the session's rules: a refused token ends the session and goes to /login; a refusal
 * because the password must be changed first (reset while signed in) marks the session so, and the layout
 * goes round by the password page (issue 17.8).
 */
export const API = new InjectionToken<ApiClient>('ganyun.api', {
  providedIn: 'root',
  factory: () => {
    const session = inject(SessionStore);
    const router = inject(Router);
    return createApiClient(
      () => session.token(),
      (err) => {
        const e = toApiError(err);
        if (e.code === 'UNAUTHORIZED' && session.token() !== null) {
          session.clear();
          void router.navigate(['/login']);
        }
        const user = session.user();
        if (e.reason?.code === 'auth.passwordChangeRequired' && user && !user.mustChangePassword) {
          session.setUser({ ...user, mustChangePassword: true });
        }
      },
    );
  },
});
