import type { Logger } from '../logger.ts';
import type { Queryable } from '../store/store.ts';

/** What a step's action gets: its params, its dependencies' outputs, and a stable idempotency key. */
export interface StepContext<P = unknown> {
  workflowId: string;
  stepKey: string;
  /** Stable across retries and takeovers of the same step: providers use it to do the work once. */
  idempotencyKey: string;
  attempt: number;
  params: P;
  /** Outputs of the steps this one depends on, by step key. */
  inputs: Record<string, unknown>;
  /** Aborted when this runner loses the step's lease (another runner has taken it over). */
  signal: AbortSignal;
  log: Logger;
}

/**
 * What became of a call whose answer never arrived, as the provider tells it by idempotency key:
 * done (with the output the call would have returned), not done, or `unknown` (the provider cannot say).
 */
export type Observed<O> =
  | { readonly done: true; readonly output: O }
  | { readonly done: false }
  | { readonly done: 'unknown'; readonly reason: string };

/**
 * An action: the code behind a step kind. `compensate` undoes a succeeded step when the workflow fails
 * or is cancelled (the saga pattern); it gets the step's output and must also be idempotent.
 *
 * Actions that change something outside the store (a cloud) also say how to find out what became of
 * a call whose outcome is unknown (see isOutcomeUnknown): `observe` for `run` under `ctx.idempotencyKey`,
 * `observeUndo` for `compensate`. A step that may be done is compensated with `output` null (its run
 * never returned one), so `compensate` then works from the params. `attention` names the object a step
 * may have left behind when its undo could not be completed, and records it (the inventory lists it as
 * orphaned): the workflow then ends `needs-attention` naming it.
 */
export interface Action<P = unknown, O = unknown> {
  run(ctx: StepContext<P>): Promise<O>;
  compensate?(ctx: StepContext<P>, output: O): Promise<void>;
  observe?(ctx: StepContext<P>): Promise<Observed<O>>;
  observeUndo?(ctx: StepContext<P>, output: O | null): Promise<Observed<void>>;
  attention?(ctx: StepContext<P>, output: O | null, reason: string): Promise<string>;
  /**
   * Records what the succeeded run (or an observe that found it done) made, in the transaction that records
   * the step's success: once, by the runner that still holds the lease, and never without the step's success
   * (a runner that lost the lease writes neither; its successor redoes the step under the same key).
   */
  succeeded?(tx: Queryable, ctx: StepContext<P>, output: O): Promise<void>;
  /**
   * `compensate` also undoes a run that did not finish (output null): the step is compensated, not left as
   * it was, when it fails for good or waits for a retry as the workflow unwinds. For actions whose run leaves
   * effects even when it fails (a cloud object made before a later call failed, IPAM rows taken first): the
   * unwind then removes them with the engine's retries, instead of the failing run cleaning up on its own
   * against a cloud whose circuit may be open.
   */
  undoesUnfinished?: boolean;
}

/**
 * Whether a failed call may nevertheless have been applied: it timed out, or its answer was lost or
 * unreadable (provider codes `timeout` and `garbage`). Anything else was refused before acting.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { outcomeUnknown?: unknown; code?: unknown; name?: unknown };
  if (e.outcomeUnknown === true) return true;
  return e.name === 'ProviderError' && (e.code === 'timeout' || e.code === 'garbage');
}

/**
 * Whether a failure costs the step no attempt: the call never left the control plane (the cloud's circuit was
 * open or its bulkhead full), so nothing reached the cloud; it only asks for a pause.
 */
export function spendsNoAttempt(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; reason?: unknown };
  return e.name === 'ProviderError' && (e.reason === 'circuit-open' || e.reason === 'bulkhead-full');
}

/** How long the error asked to wait before the next try (a circuit's half-open delay, a cloud's Retry-After). */
export function retryAfterOf(error: unknown): number {
  const ms = typeof error === 'object' && error !== null ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** Retry is decided by the error: provider errors say whether they are retryable. */
export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
}

export class ActionRegistry {
  private readonly actions = new Map<string, Action>();

  register<P, O>(name: string, action: Action<P, O>): this {
    if (this.actions.has(name)) throw new Error(`workflow action ${name} is registered twice`);
    this.actions.set(name, action as Action);
    return this;
  }

  get(name: string): Action {
    const action = this.actions.get(name);
    if (!action) throw new Error(`unknown workflow action ${name}`);
    return action;
  }

  has(name: string): boolean {
    return this.actions.has(name);
  }
}
