/**
 * How the Kubernetes provider calls the API: bounded by the caller's signal with errors mapped in one place
 * (kube-errors.ts), read → modify → replace retried on 409 Conflict, creates that tolerate "already exists",
 * reads that answer undefined for 404.
 */
import { fromKubeError, statusOf, statusReason } from './kube-errors.ts';

/** Runs `fn`, settling early when `signal` aborts; any failure becomes the ProviderError of `op`. */
export async function callCluster<T>(cloudId: string, op: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    if (signal?.aborted === true) throw signal.reason;
    if (signal === undefined) return await fn();
    return await new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      fn().then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  } catch (e) {
    throw fromKubeError(e, cloudId, op, signal);
  }
}

/** Read → modify → replace with resourceVersion; on 409 Conflict read again, `retries` times at most. */
export async function withConflictRetry<T>(fn: () => Promise<T>, retries: number): Promise<T> {
  const tries = retries + 1;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (statusOf(e) !== 409 || statusReason(e) === 'AlreadyExists' || i >= tries) throw e;
    }
  }
}

/** A create whose object may exist already (409) is done. */
export async function ensureExists(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
  }
}

export async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}
