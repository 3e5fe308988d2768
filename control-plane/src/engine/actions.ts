import type { Logger } from '../logger.ts';

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
 * An action: the code behind a step kind. `compensate` undoes a succeeded step when the workflow fails
 * or is cancelled (the saga pattern); it gets the step's output and must also be idempotent.
 */
export interface Action<P = unknown, O = unknown> {
  run(ctx: StepContext<P>): Promise<O>;
  compensate?(ctx: StepContext<P>, output: O): Promise<void>;
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
