/**
 * Resilience around every provider call, with cockatiel: per cloud a bulkhead (bounded
 * concurrency and queue), then retries with jittered exponential backoff for retryable
 * errors only, then the circuit breaker of the call's operation class, then a per-attempt
 * timeout.
 *
 *   bulkhead → retry → circuit breaker (per class) → timeout → provider
 *
 * The breaker sits inside the retry so that every attempt counts toward opening it, and
 * an open circuit stops the retries at once. There is one breaker per operation class
 * (read, mutate, inventory, health): a throttled inventory listing or failing mutations
 * must not refuse the reads that still work. While the health circuit is open the policies
 * ask the cloud's health themselves once the half-open delay has passed (and again after
 * each failed probe), so a healed cloud is seen within `halfOpenAfterMs` without waiting
 * for the next scheduled check. Errors leave as ProviderErrors: an open circuit is
 * `unavailable` (reason `circuit-open`), a full bulkhead is `throttled` (reason
 * `bulkhead-full`), a timeout is `timeout`. Metrics go out through hooks, so this package
 * needs no metrics library.
 */
import { BrokenCircuitError, BulkheadRejectedError, CircuitState, ConsecutiveBreaker, ExponentialBackoff, TaskCancelledError, TimeoutStrategy, bulkhead, type CircuitBreakerPolicy, circuitBreaker, decorrelatedJitterGenerator, handleWhen, retry, timeout, type IBackoff, type IBackoffFactory, type IRetryBackoffContext } from 'cockatiel';
import { ProviderError, isProviderError, toProviderError, type ProviderErrorCode } from './errors.ts';
import { ResilientProvider } from './resilient-provider.ts';
import type { Provider, ProviderOp } from './spi.ts';

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** Operation classes, each with its own circuit breaker. */
export const OPERATION_CLASSES = ['read', 'mutate', 'inventory', 'health'] as const;
export type OperationClass = (typeof OPERATION_CLASSES)[number];
export type CircuitStates = Readonly<Record<OperationClass, CircuitStateName>>;

/** The class of every contract operation; a new operation does not compile until it is given one. */
const CLASS_OF: Readonly<Record<Exclude<ProviderOp, 'close'>, OperationClass>> = {
  connect: 'read',
  observeTenantSpace: 'read',
  createTenantSpace: 'mutate',
  updateTenantSpace: 'mutate',
  deleteTenantSpace: 'mutate',
  observeResource: 'read',
  createResource: 'mutate',
  updateResource: 'mutate',
  deleteResource: 'mutate',
  observeByKey: 'read',
  listInventory: 'inventory',
  capacity: 'read',
  replicationLinks: 'read',
  networkFacts: 'read',
  health: 'health',
};

/** The class of an operation by name; names outside the contract (DR, migration) are reads unless their caller says otherwise. */
export function operationClassOf(op: string): OperationClass {
  return (CLASS_OF as Readonly<Record<string, OperationClass>>)[op] ?? 'read';
}

const SEVERITY: Readonly<Record<CircuitStateName, number>> = { closed: 0, 'half-open': 1, open: 2, isolated: 3 };

/** The worst of the class states: what a single "circuit" figure for the cloud shows. */
export function worstCircuitState(states: CircuitStates): CircuitStateName {
  return OPERATION_CLASSES.map((c) => states[c]).reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'closed');
}
/**
 * How one call departs from the cloud's policies. `once`: a single attempt, no retries (a probe is not
 * repeated; a connect check answers what it saw). `callerDeadline`: no per-attempt timeout, only the caller's
 * signal bounds the call (device inventories and probes take longer than one ordinary call).
 */
export interface CallPolicy {
  readonly once?: boolean;
  readonly callerDeadline?: boolean;
}

/** `ok`, an error code, or what the resilience layer itself refused. */
export type CallOutcome = 'ok' | ProviderErrorCode | 'circuit-open' | 'bulkhead-rejected';

export interface ResilienceOptions {
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Consecutive failures (unavailable, timeout, garbage, internal) of one operation class that open its circuit. */
  readonly breakerThreshold: number;
  /** How long an open circuit refuses calls before one call (or the health probe) may try again. */
  readonly halfOpenAfterMs: number;
  /** Whether the policies probe the cloud's health themselves while the health circuit is open (see above). */
  readonly recoveryProbe: boolean;
  readonly bulkheadLimit: number;
  readonly bulkheadQueue: number;
  readonly onCall?: (provider: string, op: ProviderOp, outcome: CallOutcome, seconds: number) => void;
  /** Every state change of a class's circuit; called once per class with `closed` when the policies are built. */
  readonly onCircuitState?: (cloud: string, state: CircuitStateName, opClass: OperationClass) => void;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  breakerThreshold: 5,
  // Short, so that recovery shows within seconds (issue 17.3 asks ≤ 5 s); an open circuit costs one
  // health probe per interval per cloud, which is cheap.
  halfOpenAfterMs: 2_000,
  recoveryProbe: true,
  bulkheadLimit: 16,
  bulkheadQueue: 64,
};

/** Failures that say the cloud is unwell (not that the request was wrong). */
const BREAKING: ReadonlySet<ProviderErrorCode> = new Set(['unavailable', 'timeout', 'garbage', 'internal']);

/** Reads that report on mutations (see `execute`). */
const ANSWERS_FOR_MUTATIONS: ReadonlySet<string> = new Set(['observeByKey', 'drObserveByKey', 'migrationObserveByKey']);

const STATE_NAMES: Readonly<Record<CircuitState, CircuitStateName>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** The policies for one cloud; shared by all calls to it. */
export class CloudPolicies {
  readonly breakers: Readonly<Record<OperationClass, CircuitBreakerPolicy>>;
  /** The failure counters behind the breakers (see `execute` for why the mutate one is reset from outside). */
  private readonly counters = new Map<OperationClass, ConsecutiveBreaker>();
  private readonly bulkhead;
  private readonly retry;
  private readonly timeout;
  private probeTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** `circuitStates` as last read; dropped at every state change of a breaker (cockatiel reports each one). */
  private states: CircuitStates | null = null;

  /** `healthProbe`: how to ask the cloud's health while the health circuit is open (absent: no probing). */
  constructor(
    readonly cloudId: string,
    readonly options: ResilienceOptions,
    private readonly healthProbe?: (signal: AbortSignal) => Promise<unknown>,
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
    this.breakers = Object.fromEntries(OPERATION_CLASSES.map((c) => [c, this.newBreaker(c)])) as Record<OperationClass, CircuitBreakerPolicy>;
    this.timeout = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  }

  private newBreaker(opClass: OperationClass): CircuitBreakerPolicy {
    const counter = new ConsecutiveBreaker(this.options.breakerThreshold);
    this.counters.set(opClass, counter);
    const breaker = circuitBreaker(
      handleWhen((e) => isProviderError(e) && BREAKING.has(e.code)),
      { halfOpenAfter: this.options.halfOpenAfterMs, breaker: counter },
    );
    const hook = this.options.onCircuitState;
    hook?.(this.cloudId, 'closed', opClass);
    breaker.onStateChange((s) => {
      this.states = null;
      hook?.(this.cloudId, STATE_NAMES[s], opClass);
      if (opClass === 'health' && s === CircuitState.Open) this.scheduleProbe();
    });
    return breaker;
  }

  /** Asks for health once the open circuit may half-open; a failed probe re-opens it, which schedules the next. */
  private scheduleProbe(): void {
    const probe = this.healthProbe;
    if (probe === undefined || !this.options.recoveryProbe || this.disposed) return;
    clearTimeout(this.probeTimer);
    // One millisecond past the delay: the breaker compares with `>=` on Date.now(), which may lag the timer.
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.execute('health', probe).catch((e: unknown) => {
        // Still too early for the breaker (clock skew): try again rather than stay open until a caller comes.
        if (isProviderError(e) && e.reason === 'circuit-open') this.scheduleProbe();
      });
    }, this.options.halfOpenAfterMs + 1);
    this.probeTimer.unref?.();
  }

  /** Stops probing (the provider is being closed). */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  /**
   * The state per operation class: one frozen object until a breaker changes state, so a reader that polls it
   * (clouds.list, every console's) can tell "nothing moved" by identity instead of rebuilding it per call.
   */
  get circuitStates(): CircuitStates {
    return (this.states ??= Object.freeze(Object.fromEntries(OPERATION_CLASSES.map((c) => [c, STATE_NAMES[this.breakers[c].state]])) as Record<OperationClass, CircuitStateName>));
  }

  /** The worst class state (see worstCircuitState). */
  get circuitState(): CircuitStateName {
    return worstCircuitState(this.circuitStates);
  }

  /** Runs one provider call through all the policies; reports it to `onCall`. */
  async execute<T>(
    op: ProviderOp,
    call: (signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
    opClass: OperationClass = operationClassOf(op),
    policy: CallPolicy = {},
  ): Promise<T> {
    const started = performance.now();
    let outcome: CallOutcome = 'ok';
    const breaker = this.breakers[opClass];
    const guarded = (s: AbortSignal): Promise<T> => breaker.execute(({ signal: s3 }) => this.attempt(op, call, s3, policy.callerDeadline !== true), s);
    try {
      const result = await this.bulkhead.execute(
        ({ signal: s1 }) => (policy.once === true ? guarded(s1) : this.retry.execute(({ signal: s2 }) => guarded(s2), s1)),
        signal,
      );
      // An answer by idempotency key shows the cloud's mutation bookkeeping works (a mutation that timed out
      // was asked about, and answered): it clears the mutate class's run of failures, as the single breaker of
      // old did, so answers lost one after another do not refuse the deletes that unwind them. It runs as a
      // read, so an open mutate circuit never refuses the question itself.
      if (ANSWERS_FOR_MUTATIONS.has(op) && this.breakers.mutate.state === CircuitState.Closed) this.counters.get('mutate')?.success();
      return result;
    } catch (e) {
      const err = this.normalise(e, op);
      outcome = err.reason === 'circuit-open' ? 'circuit-open' : err.reason === 'bulkhead-full' ? 'bulkhead-rejected' : err.code;
      throw err;
    } finally {
      this.options.onCall?.(this.cloudId, op, outcome, (performance.now() - started) / 1000);
    }
  }

  private async attempt<T>(op: ProviderOp, call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, timed = true): Promise<T> {
    try {
      return timed ? await this.timeout.execute((_ctx, s) => call(s), signal) : await call(signal);
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
  const policies = new CloudPolicies(provider.cloudId, { ...DEFAULT_RESILIENCE, ...options }, (signal) => provider.health({ signal }));
  return new ResilientProvider(provider, policies);
}
