/**
 * Resilience around every provider call, with cockatiel: per cloud a bulkhead (bounded
 * concurrency and queue), then retries with jittered exponential backoff for retryable
 * errors only, then a circuit breaker, then a per-attempt timeout.
 *
 *   bulkhead → retry → circuit breaker → timeout → provider
 *
 * The breaker sits inside the retry so that every attempt counts toward opening it, and
 * an open circuit stops the retries at once. Errors leave as ProviderErrors: an open
 * circuit is `unavailable` (reason `circuit-open`), a full bulkhead is `throttled`
 * (reason `bulkhead-full`), a timeout is `timeout`. Metrics go out through hooks, so
 * this package needs no metrics library.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  decorrelatedJitterGenerator,
  handleWhen,
  retry,
  timeout,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import { ProviderError, isProviderError, toProviderError, type ProviderErrorCode } from './errors.ts';
import { ResilientProvider } from './resilient-provider.ts';
import type { Provider, ProviderOp } from './spi.ts';

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';
/** `ok`, an error code, or what the resilience layer itself refused. */
export type CallOutcome = 'ok' | ProviderErrorCode | 'circuit-open' | 'bulkhead-rejected';

export interface ResilienceOptions {
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Consecutive failures (unavailable, timeout, garbage, internal) that open the circuit. */
  readonly breakerThreshold: number;
  readonly halfOpenAfterMs: number;
  readonly bulkheadLimit: number;
  readonly bulkheadQueue: number;
  readonly onCall?: (provider: string, op: ProviderOp, outcome: CallOutcome, seconds: number) => void;
  readonly onCircuitState?: (cloud: string, state: CircuitStateName) => void;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
  bulkheadLimit: 16,
  bulkheadQueue: 64,
};

/** Failures that say the cloud is unwell (not that the request was wrong). */
const BREAKING: ReadonlySet<ProviderErrorCode> = new Set(['unavailable', 'timeout', 'garbage', 'internal']);

const STATE_NAMES: Readonly<Record<CircuitState, CircuitStateName>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** The policies for one cloud; shared by all calls to it. */
export class CloudPolicies {
  readonly breaker;
  private readonly bulkhead;
  private readonly retry;
  private readonly timeout;

  constructor(
    readonly cloudId: string,
    readonly options: ResilienceOptions,
  ) {
    this.bulkhead = bulkhead(options.bulkheadLimit, options.bulkheadQueue);
    this.retry = retry(
      handleWhen((e) => isProviderError(e) && e.retryable && !((e.retryAfterMs ?? 0) > options.maxDelayMs)),
      {
        maxAttempts: Math.max(0, options.maxAttempts - 1),
        backoff: honourRetryAfter(
          new ExponentialBackoff({
            generator: decorrelatedJitterGenerator,
            initialDelay: options.initialDelayMs,
            maxDelay: options.maxDelayMs,
          }),
        ),
      },
    );
    this.breaker = circuitBreaker(
      handleWhen((e) => isProviderError(e) && BREAKING.has(e.code)),
      { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) },
    );
    this.timeout = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    const hook = options.onCircuitState;
    if (hook !== undefined) {
      hook(cloudId, 'closed');
      this.breaker.onStateChange((s) => hook(cloudId, STATE_NAMES[s]));
    }
  }

  get circuitState(): CircuitStateName {
    return STATE_NAMES[this.breaker.state];
  }

  /** Runs one provider call through all the policies; reports it to `onCall`. */
  async execute<T>(op: ProviderOp, call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const started = performance.now();
    let outcome: CallOutcome = 'ok';
    try {
      return await this.bulkhead.execute(
        ({ signal: s1 }) =>
          this.retry.execute(
            ({ signal: s2 }) => this.breaker.execute(({ signal: s3 }) => this.attempt(op, call, s3), s2),
            s1,
          ),
        signal,
      );
    } catch (e) {
      const err = this.normalise(e, op);
      outcome = err.reason === 'circuit-open' ? 'circuit-open' : err.reason === 'bulkhead-full' ? 'bulkhead-rejected' : err.code;
      throw err;
    } finally {
      this.options.onCall?.(this.cloudId, op, outcome, (performance.now() - started) / 1000);
    }
  }

  private async attempt<T>(op: ProviderOp, call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    try {
      return await this.timeout.execute((_ctx, s) => call(s), signal);
    } catch (e) {
      throw this.normalise(e, op);
    }
  }

  private normalise(e: unknown, op: ProviderOp): ProviderError {
    const p = { provider: this.cloudId, op, cause: e };
    if (e instanceof BrokenCircuitError) {
      return new ProviderError({ ...p, code: 'unavailable', reason: 'circuit-open', retryAfterMs: this.options.halfOpenAfterMs, message: `${this.cloudId}: ${op}: circuit open after repeated failures` });
    }
    if (e instanceof BulkheadRejectedError) {
      return new ProviderError({ ...p, code: 'throttled', reason: 'bulkhead-full', message: `${this.cloudId}: ${op}: too many calls in flight to this cloud` });
    }
    if (e instanceof TaskCancelledError) {
      return new ProviderError({ ...p, code: 'timeout', message: `${this.cloudId}: ${op}: no answer within ${this.options.timeoutMs} ms` });
    }
    return toProviderError(e, this.cloudId, op);
  }
}

type RetryCtx = IRetryBackoffContext<unknown>;

/** Waits at least as long as the cloud asked (Retry-After), else the jittered backoff. */
function honourRetryAfter(inner: IBackoffFactory<RetryCtx>): IBackoffFactory<RetryCtx> {
  const wrap = (b: IBackoff<RetryCtx>, ctx: RetryCtx): IBackoff<RetryCtx> => {
    const asked = 'error' in ctx.result && isProviderError(ctx.result.error) ? (ctx.result.error.retryAfterMs ?? 0) : 0;
    return { duration: Math.max(b.duration, asked), next: (c) => wrap(b.next(c), c) };
  };
  return { next: (ctx) => wrap(inner.next(ctx), ctx) };
}

/** Wraps a provider so that every call goes through its cloud's policies. */
export function withResilience(provider: Provider, options: Partial<ResilienceOptions> = {}): ResilientProvider {
  return new ResilientProvider(provider, new CloudPolicies(provider.cloudId, { ...DEFAULT_RESILIENCE, ...options }));
}
