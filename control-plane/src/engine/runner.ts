import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Queryable, Store } from '../store/store.ts';
import { settle, startUnwinding } from './settle.ts';
import type { ClaimedStep } from './workflow-types.ts';
import { workflowsRepo } from './workflows-repo.ts';
import { isOutcomeUnknown, isRetryable, retryAfterOf, spendsNoAttempt, type Action, type ActionRegistry, type Observed, type StepContext } from './actions.ts';

export interface RunnerOptions {
  /** Names this runner in leases; unique per process (host:pid:random). */
  owner: string;
  concurrency: number;
  leaseMs: number;
  /**
   * How long an idle runner waits before looking for work by itself. Work normally wakes it: a workflow started,
   * resumed or cancelled, dependents made ready or leases handed back on any replica notify the channel
   * WORKFLOW_CHANNEL (workflows-repo.ts), and its own retries set a timer. This poll is what remains for
   * what nobody can announce: a lease running out because its runner died.
   */
  pollMs: number;
  /** First retry delay; doubles per attempt, with full jitter. */
  retryBaseMs: number;
}

/** How many undo calls refused by the cloud's circuit a step may wait out without spending an attempt. */
const MAX_REFUSALS = 5;

export const DEFAULT_RUNNER_OPTIONS: Omit<RunnerOptions, 'owner'> = { concurrency: 8, leaseMs: 15_000, pollMs: 5_000, retryBaseMs: 500 };

/**
 * Runs workflow steps whose state lives in the store. Any number of runners (in one process or in
 * replicas on one PostgreSQL) share the work: a step is claimed with a lease, the lease is renewed while
 * the step runs, and a step whose lease expired (its runner died) is taken over. Results are written only
 * while the lease is still held, so a slow runner that lost its step cannot overwrite the new owner.
 */
export class WorkflowRunner {
  private readonly inFlight = new Set<Promise<void>>();
  /** The abort handle of each step running here, so that a shutdown past its grace period can stop them. */
  private readonly aborts = new Set<AbortController>();
  private readonly wakeups = new EventEmitter();
  /** A wake-up arrived since the last claim began: the next sleep returns at once (the claim may have missed it). */
  private woken = false;
  /** Timers of this runner's own retries (a step set back to pending with a delay). */
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** Slots promised to steps being handed over by finishing steps (see finish), not yet in inFlight. */
  private promised = 0;

  constructor(
    private readonly deps: { store: Store; actions: ActionRegistry; log: Logger; metrics: Metrics },
    private readonly opts: RunnerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Stops claiming and waits for the steps in flight, at most `graceMs`. Steps still running then are
   * aborted and their leases handed back (an event `step.lease-released` each), so that another runner
   * takes them over at once under the same idempotency keys instead of waiting for the leases to expire.
   */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<{ released: number }> {
    this.running = false;
    this.wake();
    await this.loopDone;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    // Until nothing is in flight: a step ending now may hand its dependents to this runner (see finish).
    const all = (async () => {
      while (this.inFlight.size) await Promise.all(this.inFlight);
    })();
    if (await settlesWithin(all, graceMs)) return { released: 0 };
    const { store, log } = this.deps;
    let released: { workflowId: string; key: string }[] = [];
    try {
      released = await store.transaction(async (tx) => {
        const steps = await workflowsRepo.releaseLeases(tx, this.opts.owner);
        if (steps.length) await workflowsRepo.notifyWork(tx);
        for (const s of steps) await workflowsRepo.addEvent(tx, { workflowId: s.workflowId, kind: 'step.lease-released', stepKey: s.key, data: { owner: this.opts.owner, reason: 'shutdown' } });
        return steps;
      });
    } catch (err) {
      // The store is unreachable: the leases then run out by themselves and are taken over as after a crash.
      log.warn({ err }, 'handing back workflow leases at shutdown failed; they expire by themselves');
    }
    // Aborted only now that the leases are gone: an action that stops at once cannot record its abort as the step's failure.
    for (const abort of this.aborts) abort.abort(new Error('the runner is shutting down: the step is handed to another runner'));
    if (released.length) log.warn({ steps: released.map((s) => `${s.workflowId}/${s.key}`) }, 'steps still running at the end of the grace period were handed to another runner');
    // Give the aborted actions a moment to unwind; a late result is refused (the lease is no longer ours).
    await settlesWithin(all, 1000);
    return { released: released.length };
  }

  /** Claims now instead of at the next poll (work was announced, or a step here finished). */
  wake(): void {
    this.woken = true;
    this.wakeups.emit('wake');
  }

  /** Wakes after `ms` (a retry this runner scheduled becomes due then). */
  private wakeAfter(ms: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.wake();
    }, Math.ceil(ms) + 5);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed: ClaimedStep[] = [];
      // Slots promised to steps being handed over (finish) are taken already.
      const free = this.opts.concurrency - this.inFlight.size - this.promised;
      if (free > 0) {
        // Cleared before the claim: a wake-up during it may announce work the claim did not see yet.
        this.woken = false;
        try {
          claimed = await workflowsRepo.claim(this.deps.store, this.opts.owner, free, this.opts.leaseMs);
        } catch (error) {
          this.deps.log.error({ err: error }, 'claiming workflow steps failed');
        }
      }
      for (const step of claimed) this.launch(step);
      // A claim that found fewer steps than it asked for saw all the ready work there was: the next claim waits for a
      // wake-up (a step finishing here, or a NOTIFY from any replica), as claiming again at once would find nothing
      // and, on PGlite's one connection, hold up the steps just claimed. With no free slot (all in flight, or promised
      // to hand-overs) it waits too: a step ending wakes it.
      if (free <= 0 || claimed.length < free || this.inFlight.size >= this.opts.concurrency) await this.sleep();
    }
  }

  /** Runs a claimed (or handed-over) step here, counted in flight until it ends. */
  private launch(step: ClaimedStep): void {
    if (step.takeover) this.deps.metrics.workflowLeaseTakeovers.inc();
    // A step whose result could not be recorded keeps its lease until it expires and is then
    // taken over and redone under the same idempotency key: logging is all that is needed here.
    // A step that ends frees a slot: the loop claims again, unless the step handed its slot to a dependent it made
    // ready (finish). The slot is then taken, and a claim would find nothing that was not announced: work made
    // ready elsewhere is announced by NOTIFY (releaseDependents, startUnwinding, start, resume), retries set their
    // own timer, and a lease that runs out is found by the poll. That claim cost a turn on PGlite's one connection
    // in the middle of every chained step (the provision bench's create steps waited for it).
    const p = this.execute(step).then((handedOver) => handedOver, (err) => {
      this.deps.log.error({ err, step: step.key }, 'recording a step result failed');
      return false;
    }).then((handedOver) => {
      this.inFlight.delete(p);
      if (!handedOver) this.wake();
    });
    this.inFlight.add(p);
  }

  private sleep(): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.opts.pollMs);
      const wakeups = this.wakeups;
      function done() {
        clearTimeout(timer);
        wakeups.off('wake', done);
        resolve();
      }
      wakeups.once('wake', done);
    });
  }

  /** Runs one step and records its result; true when it handed its slot to dependents it made ready (see finish). */
  private async execute(step: ClaimedStep): Promise<boolean> {
    const { store, actions, log, metrics } = this.deps;
    const undo = step.status === 'compensating';
    const started = process.hrtime.bigint();
    const abort = new AbortController();
    this.aborts.add(abort);
    const heartbeat = setInterval(() => {
      workflowsRepo.extendLease(store, step.workflowId, step.key, this.opts.owner, this.opts.leaseMs).then(
        (held) => held || abort.abort(new Error('lease lost')),
        (err) => log.warn({ err, step: step.key }, 'lease renewal failed'),
      );
    }, Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    let outcome = 'succeeded';
    try {
      // The claim wrote the step's start event (step.started / step.compensating) and brought its inputs.
      const ctx = this.contextFor(step, undo, abort.signal);
      const action = actions.get(step.action);
      let result: { output: unknown } | { error: unknown };
      try {
        result = { output: undo ? await action.compensate!(ctx, step.output) : ((await action.run(ctx)) ?? null) };
      } catch (error) {
        result = { error };
      }
      // A call that may have been applied is not a failure yet: ask the provider what exists under the key.
      let mayBeDone = false;
      if ('error' in result && isOutcomeUnknown(result.error) && (undo ? action.observeUndo : action.observe)) {
        const seen = await this.observe(step, action, ctx, undo, result.error);
        if (seen.done === true) result = { output: undo ? undefined : (seen.output ?? null) };
        else mayBeDone = seen.done === 'unknown';
      }
      // Only the action's own failure counts against the step. A failure to record the result (below)
      // propagates instead: the step keeps its lease, which expires, and is redone under the same key.
      if ('output' in result) {
        const output = result.output;
        const record = !undo && action.succeeded ? (tx: Queryable) => action.succeeded!(tx, ctx, output) : undefined;
        const handed = await this.finish(step, undo ? 'compensated' : 'succeeded', { output: undo ? undefined : output, event: undo ? 'step.compensated' : 'step.succeeded', ...(record ? { record } : {}) });
        // Started before this step's own end wakes the loop: the next step of a chain waits for no claim.
        for (const next of handed) this.launch(next);
        return handed.length > 0;
      }
      const error = result.error;
      const message = error instanceof Error ? error.message : String(error);
      // An undo refused by the cloud's own circuit (or bulkhead) reached nothing: it waits for the circuit and
      // does not spend an attempt, so a breaker opened by the failures that started the unwind cannot turn it
      // into orphans (delivery crash sweep, seed 13). Real failures still count, so a cloud that stays down
      // ends the undo as needs-attention: each half-open lets one call through, and its failure is counted.
      // The refunds are bounded too (MAX_REFUSALS), so an undo against a centre that is down still ends.
      const refunded = undo && spendsNoAttempt(error) && step.undoRefusals < MAX_REFUSALS;
      const retry = refunded || (isRetryable(error) && step.attempts < step.maxAttempts);
      outcome = retry ? 'retrying' : mayBeDone ? 'unknown' : 'failed';
      log.warn({ err: error, workflowId: step.workflowId, step: step.key, attempt: step.attempts, retry, mayBeDone }, 'workflow step failed');
      if (retry) {
        // Redone under the same idempotency key, so a call that was applied after all is not applied twice.
        // A refunded undo waits as long as the circuit asked (its half-open delay): with no attempt spent, the
        // backoff would not grow and it would spin against the open circuit.
        const backoff = Math.random() * this.opts.retryBaseMs * 2 ** (step.attempts - 1);
        const delay = refunded ? Math.max(retryAfterOf(error), backoff) : backoff;
        // A step to undo goes back to where it was ('succeeded' or 'unknown') so it is claimed for compensation again.
        await this.finish(step, undo ? (step.outcomeUnknown ? 'unknown' : 'succeeded') : 'pending', { error: message, retryAfterMs: delay, refundAttempt: refunded, event: 'step.retrying' });
        this.wakeAfter(delay);
      } else if (undo) {
        // The undo cannot be completed: whatever the step made may still exist. Named, and listed as orphaned.
        const object = await this.attention(step, action, ctx, message);
        await this.finish(step, 'needs-attention', { error: message, attention: object, event: 'step.needs-attention' });
      } else if (mayBeDone) {
        // Given up, but the effect may exist: the unwind compensates it like a succeeded step.
        const compensable = typeof action.compensate === 'function';
        const object = compensable ? null : await this.attention(step, action, ctx, message);
        await this.finish(step, compensable ? 'unknown' : 'needs-attention', { error: message, attention: object, event: compensable ? 'step.unknown' : 'step.needs-attention' });
      } else if (action.undoesUnfinished === true && typeof action.compensate === 'function') {
        // Failed for good, but the run may have left effects: the unwind compensates it (see undoesUnfinished).
        await this.finish(step, 'unknown', { error: message, event: 'step.failed' });
      } else {
        await this.finish(step, 'failed', { error: message, event: 'step.failed' });
      }
      return false;
    } catch (error) {
      outcome = 'unrecorded';
      throw error;
    } finally {
      clearInterval(heartbeat);
      this.aborts.delete(abort);
      metrics.workflowStepDuration.observe({ action: step.action, phase: undo ? 'compensate' : 'run', outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /**
   * The outcome of the step's call is unknown (its answer was lost or it timed out): asks the provider,
   * through the action, what exists under the step's idempotency key. Recorded as events, so the
   * workflow's history shows the unknown outcome and how it was settled. A failed question is `unknown`.
   */
  private async observe(step: ClaimedStep, action: Action, ctx: StepContext, undo: boolean, error: unknown): Promise<Observed<unknown>> {
    const { store, log } = this.deps;
    const message = error instanceof Error ? error.message : String(error);
    await workflowsRepo.addEvent(store, { workflowId: step.workflowId, kind: 'step.outcome-unknown', stepKey: step.key, data: { phase: undo ? 'compensate' : 'run', error: message } });
    let seen: Observed<unknown>;
    try {
      seen = undo ? await action.observeUndo!(ctx, step.output ?? null) : await action.observe!(ctx);
    } catch (err) {
      log.warn({ err, workflowId: step.workflowId, step: step.key }, 'observing by idempotency key failed');
      seen = { done: 'unknown', reason: err instanceof Error ? err.message : String(err) };
    }
    await workflowsRepo.addEvent(store, {
      workflowId: step.workflowId, kind: 'step.observed', stepKey: step.key,
      data: { phase: undo ? 'compensate' : 'run', done: seen.done, ...(seen.done === 'unknown' ? { reason: seen.reason } : {}) },
    });
    return seen;
  }

  /** Names (and records, through the action) the object a step may have left behind; the step key when the action cannot. */
  private async attention(step: ClaimedStep, action: Action, ctx: StepContext, reason: string): Promise<string> {
    if (!action.attention) return `step ${step.key} (${step.action})`;
    try {
      return await action.attention(ctx, step.output ?? null, reason);
    } catch (err) {
      this.deps.log.error({ err, workflowId: step.workflowId, step: step.key }, 'recording an object that needs attention failed');
      return `step ${step.key} (${step.action})`;
    }
  }

  private contextFor(step: ClaimedStep, undo: boolean, signal: AbortSignal): StepContext {
    return {
      workflowId: step.workflowId,
      stepKey: step.key,
      idempotencyKey: `${step.workflowId}/${step.key}${undo ? '/undo' : ''}`,
      attempt: step.attempts,
      params: step.params,
      inputs: undo ? {} : (step.inputs ?? {}),
      signal,
      log: this.deps.log.child({ workflowId: step.workflowId, step: step.key }),
    };
  }

  /**
   * Records a step's result. A run step that succeeded while its workflow runs releases its dependents and takes
   * the ready ones over at once, as far as this runner has room (answered, to be launched after the commit).
   */
  private async finish(step: ClaimedStep, to: StepEnd, r: StepResult): Promise<ClaimedStep[]> {
    // Room for handed-over steps: the free slots, counting this step's own (it ends now), less what other finishing
    // steps promised. Promised before the transaction (others may finish meanwhile), given back after it.
    const room = this.running ? Math.max(0, this.opts.concurrency - this.inFlight.size + 1 - this.promised) : 0;
    this.promised += room;
    try {
      return await this.deps.store.transaction((tx) => this.record(tx, step, to, r, room));
    } finally {
      this.promised -= room;
    }
  }

  private async record(tx: Queryable, step: ClaimedStep, to: StepEnd, r: StepResult, room: number): Promise<ClaimedStep[]> {
    const end = {
      workflowId: step.workflowId, key: step.key, owner: this.opts.owner, from: step.status, to,
      output: r.output, error: r.error ?? null, retryAfterMs: r.retryAfterMs, refundAttempt: r.refundAttempt === true, attention: r.attention ?? null,
      event: { kind: r.event, data: r.error ? { error: r.error, ...(r.attention ? { attention: r.attention } : {}) } : null },
    };
    // From the workflow's lock on (see below) the workflow row is held: the action's own records of its success
    // (Action.succeeded) come before it. A step without any takes the lock with its end, by one statement.
    let status: string | undefined;
    if (r.record) {
      if (!(await workflowsRepo.finishStep(tx, end))) return []; // taken over meanwhile: the new owner's result counts
      await r.record(tx);
      status = await workflowsRepo.lockForSettle(tx, step.workflowId);
    } else {
      const locked = await workflowsRepo.finishStepAndLock(tx, end);
      if (!locked) return []; // taken over meanwhile
      status = locked.status;
    }
    if (to === 'pending') {
      // A retry changes nothing else, unless a sibling failed (or a cancel came) while this attempt ran: the
      // step must not wait forever for a run that will not come. Like any step waiting when the unwind began
      // it is skipped, or compensated if its action undoes unfinished runs; then the workflow may settle.
      if (status !== 'compensating' && status !== 'cancelling') return [];
      await workflowsRepo.skipPending(tx, step.workflowId);
      await workflowsRepo.notifyWork(tx);
      await settle(tx, step.workflowId);
      return [];
    }
    // From here the workflow row is locked (see settle for why NO KEY UPDATE): the last statements of the
    // transaction, so steps of one workflow serialise only for a moment. It is locked before any other
    // step's row, the order every writer follows: a failure or a cancel holds it while skipping every
    // pending step, and a finisher that locked its dependents first and then waited for the workflow
    // deadlocked with it on PostgreSQL.
    if (to === 'succeeded' && step.status === 'running') {
      // While the workflow runs, a step with dependents leaves them pending: nothing to settle yet.
      if (step.hasDependents) {
        // Handed over only while the workflow runs: a paused one's ready steps wait for its resume (which announces them).
        const handTo = status === 'running' && room > 0 ? { owner: this.opts.owner, limit: room, leaseMs: this.opts.leaseMs } : undefined;
        const handed = await workflowsRepo.releaseDependents(tx, step.workflowId, step.key, handTo);
        if (status === 'running' || status === 'paused') return handed;
      }
      await settle(tx, step.workflowId, status);
      return [];
    }
    // The unwind changes the workflow's status: settle reads it again. Otherwise (an undo recorded) nothing changed it.
    if (r.event === 'step.failed') await startUnwinding(tx, step.workflowId, `${step.key} failed: ${r.error}`);
    else if (step.status === 'running' && (to === 'unknown' || to === 'needs-attention')) await startUnwinding(tx, step.workflowId, `${step.key}: outcome unknown: ${r.error}`);
    else {
      await settle(tx, step.workflowId, status);
      return [];
    }
    await settle(tx, step.workflowId);
    return [];
  }
}

type StepEnd = 'succeeded' | 'compensated' | 'pending' | 'failed' | 'unknown' | 'needs-attention';
type StepResult = { output?: unknown; error?: string; retryAfterMs?: number; refundAttempt?: boolean; attention?: string | null; event: string; record?: (tx: Queryable) => Promise<void> };

/** Whether `p` settles within `ms` (it keeps running either way). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms === Number.POSITIVE_INFINITY) {
    await p.catch(() => undefined);
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
