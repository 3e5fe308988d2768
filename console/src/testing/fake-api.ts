/**
 * A typed fake of the tRPC client (`API`) for specs. Every procedure's `.query`, `.mutate` and
 * `.subscribe` is a jasmine spy typed from the router, created on first use:
 *
 *   const api = createFakeApi();
 *   api.clouds.list.query.and.resolveTo({ items: [sampleCloud()] });
 *   … expect(api.clouds.sync.mutate).toHaveBeenCalledWith({ id: 'c-1', mode: 'full' });
 *
 * A query or mutation nobody stubbed rejects with an error naming it (so a spec fails loudly
 * instead of rendering `undefined`); a subscription nobody stubbed returns a spy unsubscribe.
 */
import type { Provider } from '@angular/core';
import type { Resolver, SubscriptionResolver } from '@trpc/client';
import { API, type ApiClient } from '../app/core/api-client';
import type { StreamHandlers, Subscription } from '../app/core/streams';

type Yield<T> = T extends AsyncIterable<infer V> ? V : T;

/**
 * A procedure call as a spy: queries and mutations take the input and resolve to the output (a plain
 * Promise, so `resolveTo` and `callFake(async …)` both fit); subscriptions take the input and the
 * stream's handlers and return what stops the stream.
 */
type FakeCall<F> =
  F extends SubscriptionResolver<infer D>
    ? jasmine.Spy<(input: D['input'], handlers: StreamHandlers<Yield<D['output']>>) => Subscription>
    : F extends Resolver<infer D>
      ? jasmine.Spy<(input: D['input']) => Promise<Awaited<ReturnType<F>>>>
      : never;

/** The client's shape with each procedure call replaced by a spy typed from the router. */
export type Fake<T> = {
  [K in keyof T as K extends string ? K : never]: K extends 'query' | 'mutate' | 'subscribe' ? FakeCall<T[K]> : Fake<T[K]>;
};

export type FakeApi = Fake<ApiClient>;

const CALLS = new Set(['query', 'mutate', 'subscribe']);

export function createFakeApi(): FakeApi {
  const spies = new Map<string, jasmine.Spy>();
  const nodes = new Map<string, object>();

  const spyFor = (path: string[]): jasmine.Spy => {
    const name = path.join('.');
    let spy = spies.get(name);
    if (!spy) {
      spy = jasmine.createSpy(name);
      if (path[path.length - 1] === 'subscribe') {
        spy.and.callFake(() => ({ unsubscribe: jasmine.createSpy(`${name}:unsubscribe`) }));
      } else {
        spy.and.callFake(() => Promise.reject(new Error(`fake API: ${name} was not stubbed`)));
      }
      spies.set(name, spy);
    }
    return spy;
  };

  const node = (path: string[]): object => {
    const name = path.join('.');
    let found = nodes.get(name);
    if (!found) {
      found = new Proxy(
        {},
        {
          get: (_target, key) => {
            // Not a thenable, not iterable: only string keys are router paths.
            if (typeof key !== 'string' || key === 'then') return undefined;
            const next = [...path, key];
            return CALLS.has(key) && path.length > 0 ? spyFor(next) : node(next);
          },
        },
      );
      nodes.set(name, found);
    }
    return found;
  };

  return node([]) as FakeApi;
}

/** Provides the fake under the client's token. */
export function provideFakeApi(api: FakeApi): Provider {
  return { provide: API, useValue: api as unknown as ApiClient };
}
