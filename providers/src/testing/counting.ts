/**
 * Helpers for this package's specs: count the calls a provider receives, and script
 * failures in front of it.
 */
import { ProviderError } from '../errors.ts';
import type { Provider, ProviderOp } from '../spi.ts';

export interface Counted<P extends Provider> {
  readonly provider: P;
  readonly calls: Map<string, number>;
  count(op: ProviderOp): number;
}

/** Wraps a provider so that every method call is counted by name before it runs. */
export function counting<P extends Provider>(inner: P, before?: (op: ProviderOp, n: number) => void): Counted<P> {
  const calls = new Map<string, number>();
  const provider = new Proxy(inner, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => {
        const n = (calls.get(prop) ?? 0) + 1;
        calls.set(prop, n);
        before?.(prop as ProviderOp, n);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { provider, calls, count: (op) => calls.get(op) ?? 0 };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Awaits `p`, expecting it to fail with a ProviderError, and returns that error; any other error is rethrown. */
export async function caughtProviderError(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}
