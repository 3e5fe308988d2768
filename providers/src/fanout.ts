/**
 * Ask many clouds the same question at once. Each cloud gets its own deadline; a cloud
 * that is down, failing or slow lands in `errors` and never delays or fails the answer
 * from the others (Backstage's multi-cluster fan-out, with a deadline added).
 */
import { ProviderError, toProviderError } from './errors.ts';
import type { Provider } from './spi.ts';

export interface FanOutResult<T> {
  readonly results: { readonly cloudId: string; readonly value: T }[];
  readonly errors: { readonly cloudId: string; readonly error: ProviderError }[];
}

export interface FanOutOptions {
  /** Per cloud, from the start of the fan-out. */
  readonly deadlineMs: number;
  /** Aborts all clouds still running (they end up in `errors`). */
  readonly signal?: AbortSignal;
  /** Operation name for errors and timeouts, e.g. 'capacity'. */
  readonly op?: string;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: ProviderError };

export async function fanOut<T>(
  providers: Iterable<Provider>,
  call: (provider: Provider, signal: AbortSignal) => Promise<T>,
  opts: FanOutOptions,
): Promise<FanOutResult<T>> {
  const op = opts.op ?? 'fanOut';
  const list = [...providers];
  const settled = await Promise.all(list.map((p) => oneCloud(p, call, opts, op)));
  const out: FanOutResult<T> = { results: [], errors: [] };
  settled.forEach((s, i) => {
    const cloudId = list[i].cloudId;
    if (s.ok) out.results.push({ cloudId, value: s.value });
    else out.errors.push({ cloudId, error: s.error });
  });
  return out;
}

function oneCloud<T>(
  p: Provider,
  call: (provider: Provider, signal: AbortSignal) => Promise<T>,
  opts: FanOutOptions,
  op: string,
): Promise<Settled<T>> {
  const controller = new AbortController();
  return new Promise<Settled<T>>((resolve) => {
    let done = false;
    const finish = (s: Settled<T>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(s);
    };
    const giveUp = (message: string): void => {
      controller.abort(new Error(message));
      finish({ ok: false, error: new ProviderError({ provider: p.cloudId, op, code: 'timeout', message: `${p.cloudId}: ${op}: ${message}` }) });
    };
    const onAbort = (): void => giveUp('fan-out aborted');
    const timer = setTimeout(() => giveUp(`no answer within the ${opts.deadlineMs} ms deadline`), opts.deadlineMs);
    if (opts.signal?.aborted === true) return giveUp('fan-out aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = call(p, controller.signal);
    } catch (e) {
      return finish({ ok: false, error: toProviderError(e, p.cloudId, op) });
    }
    pending.then(
      (value) => finish({ ok: true, value }),
      (e: unknown) => finish({ ok: false, error: toProviderError(e, p.cloudId, op) }),
    );
  });
}
