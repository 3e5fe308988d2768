import type { AppDeps } from '../context.ts';
import { freshDeps } from '../testing/harness.ts';
import { workflowsRepo } from './workflows-repo.ts';
import type { StepSpec } from './dag.ts';
import { WorkflowRunner } from './runner.ts';

/** Test actions that record what they did, per idempotency key, the way a simulated cloud counts calls. */
class Effects {
  readonly runs = new Map<string, number>();
  readonly order: string[] = [];
  readonly undone: string[] = [];
  active = 0;
  maxActive = 0;
}

function setup(deps: AppDeps, effects: Effects) {
  const flakyFailures = new Map<string, number>();
  deps.actions
    .register<{ ms?: number }, { did: string }>('record', {
      async run(ctx) {
        effects.active++;
        effects.maxActive = Math.max(effects.maxActive, effects.active);
        await new Promise((r) => setTimeout(r, ctx.params?.ms ?? 5));
        effects.active--;
        effects.runs.set(ctx.idempotencyKey, (effects.runs.get(ctx.idempotencyKey) ?? 0) + 1);
        effects.order.push(ctx.stepKey);
        return { did: ctx.stepKey };
      },
      async compensate(ctx, output) {
        effects.undone.push(output.did);
      },
    })
    .register('fail', { run: async () => { throw new Error('quota exceeded at the cloud'); } })
    .register<{ failures: number }, string>('flaky', {
      async run(ctx) {
        const seen = flakyFailures.get(ctx.stepKey) ?? 0;
        if (seen < ctx.params.failures) {
          flakyFailures.set(ctx.stepKey, seen + 1);
          throw Object.assign(new Error('cloud answered 503'), { retryable: true });
        }
        return 'ok';
      },
    })
    .register('wait', {
      run: (ctx) => new Promise((resolve) => {
        const timer = setInterval(() => released.has(ctx.stepKey) && (clearInterval(timer), resolve('released')), 5);
      }),
      compensate: async (ctx) => { effects.undone.push(ctx.stepKey); },
    });
  const released = new Set<string>();
  return { release: (key: string) => released.add(key) };
}

function runner(deps: AppDeps, owner = 'test-runner', concurrency = 8, leaseMs = 2000) {
  return new WorkflowRunner(deps, { owner, concurrency, leaseMs, pollMs: 10, retryBaseMs: 2 });
}

async function startWorkflow(deps: AppDeps, steps: StepSpec[]) {
  return deps.store.transaction((tx) => deps.engine.start(tx, { kind: 'test', title: 'test', input: {}, departmentId: null, createdBy: 'spec', steps }));
}

async function until(deps: AppDeps, id: string, statuses: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const w = await workflowsRepo.byId(deps.store, id);
    if (w && statuses.includes(w.status)) return w;
    if (Date.now() > deadline) throw new Error(`workflow still ${w?.status}, wanted ${statuses.join('/')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const s = (key: string, action: string, dependsOn: string[] = [], params: unknown = {}, maxAttempts?: number): StepSpec => ({ key, action, dependsOn, params, maxAttempts });

describe('workflow runner', () => {
  let deps: AppDeps;
  let effects: Effects;
  let control: ReturnType<typeof setup>;
  let runners: WorkflowRunner[];
  beforeEach(async () => {
    deps = await freshDeps();
    effects = new Effects();
    control = setup(deps, effects);
    runners = [];
  });
  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stop()));
  });
  const start = (...rs: WorkflowRunner[]) => rs.forEach((r) => (runners.push(r), r.start()));

  it('runs a diamond in dependency order, the independent middle steps in parallel', async () => {
    const id = await startWorkflow(deps, [s('a', 'record'), s('b', 'record', ['a'], { ms: 60 }), s('c', 'record', ['a'], { ms: 60 }), s('d', 'record', ['b', 'c'])]);
    start(runner(deps));
    const done = await until(deps, id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(done.stepsDone).toBe(4);
    expect(effects.order[0]).toBe('a');
    expect(effects.order[3]).toBe('d');
    expect(effects.maxActive).toBe(2);
    const kinds = (await workflowsRepo.eventsAfter(deps.store, id, 0)).map((e) => e.kind);
    expect(kinds[0]).toBe('workflow.started');
    expect(kinds.at(-1)).toBe('workflow.succeeded');
    expect(kinds.filter((k) => k === 'step.succeeded').length).toBe(4);
  });

  it('records a step\'s own effects in the transaction of its success (Action.succeeded), once, with the step already succeeded there; a step gets its dependencies\' outputs', async () => {
    await deps.store.query('CREATE TABLE IF NOT EXISTS succeeded_spec (step text, status text, inputs jsonb)');
    await deps.store.query('TRUNCATE succeeded_spec');
    deps.actions.register<unknown, { did: string; saw: Record<string, unknown> }>('noted', {
      run: async (ctx) => ({ did: ctx.stepKey, saw: ctx.inputs }),
      async succeeded(tx, ctx, output) {
        const [row] = await tx.query<{ status: string }>('SELECT status FROM workflow_steps WHERE workflow_id = $1 AND key = $2', [ctx.workflowId, ctx.stepKey]);
        await tx.query('INSERT INTO succeeded_spec (step, status, inputs) VALUES ($1, $2, $3)', [output.did, row!.status, JSON.stringify(output.saw)]);
      },
    });
    const id = await startWorkflow(deps, [s('a', 'noted'), s('b', 'noted', ['a'])]);
    start(runner(deps));
    expect((await until(deps, id, ['succeeded', 'failed'])).status).toBe('succeeded');
    expect(await deps.store.query('SELECT step, status, inputs FROM succeeded_spec ORDER BY step')).toEqual([
      { step: 'a', status: 'succeeded', inputs: {} },
      { step: 'b', status: 'succeeded', inputs: { a: { did: 'a', saw: {} } } },
    ]);
  });

  it('hands a finishing step\'s ready dependents to its own runner in the finish transaction; what it has no room for is announced and claimed', async () => {
    const r = new WorkflowRunner(deps, { owner: 'handover-runner', concurrency: 1, leaseMs: 2000, pollMs: 60_000, retryBaseMs: 2 });
    const id = await startWorkflow(deps, [s('a', 'record'), s('b', 'record', ['a']), s('c', 'record', ['b']), s('d', 'record', ['c'])]);
    start(r);
    expect((await until(deps, id, ['succeeded', 'failed'], 10_000)).status).toBe('succeeded');
    expect(effects.order).toEqual(['a', 'b', 'c', 'd']);
    // Each next step of the chain was claimed in the transaction that recorded its dependency's success (one now()),
    // owned by the finishing runner, at its first attempt: no claim of its own in between.
    const events = await workflowsRepo.eventsAfter(deps.store, id, 0);
    const at = (kind: string, key: string) => events.find((e) => e.kind === kind && e.stepKey === key)!;
    for (const [prev, next] of [['a', 'b'], ['b', 'c'], ['c', 'd']] as const) {
      expect(at('step.started', next).at).withContext(`${next} started with ${prev}'s success`).toBe(at('step.succeeded', prev).at);
      expect(at('step.started', next).data).toEqual({ attempt: 1, owner: 'handover-runner' });
    }
    expect((await workflowsRepo.steps(deps.store, id)).every((st) => st.attempts === 1 && st.status === 'succeeded')).toBeTrue();

    // A fan-out wider than the room (concurrency 1): one dependent handed over, the other announced and claimed later.
    const fan = await startWorkflow(deps, [s('root', 'record'), s('left', 'record', ['root']), s('right', 'record', ['root'])]);
    r.wake();
    expect((await until(deps, fan, ['succeeded', 'failed'], 10_000)).status).toBe('succeeded');
    const fanEvents = await workflowsRepo.eventsAfter(deps.store, fan, 0);
    const rootDone = fanEvents.find((e) => e.kind === 'step.succeeded' && e.stepKey === 'root')!.at;
    const startedWithRoot = fanEvents.filter((e) => e.kind === 'step.started' && e.at === rootDone).map((e) => e.stepKey);
    expect(startedWithRoot).toEqual(['left']);
    expect(fanEvents.filter((e) => e.kind === 'step.started').length).toBe(3);
  });

  it('does not claim between the steps of a chain it hands over: one claim starts it, one after its last step', async () => {
    const claims = spyOn(workflowsRepo, 'claim').and.callThrough();
    // No poll during the spec (a minute): every claim counted comes from the runner's start or a step's end.
    const r = new WorkflowRunner(deps, { owner: 'chain-runner', concurrency: 8, leaseMs: 2000, pollMs: 60_000, retryBaseMs: 2 });
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const id = await startWorkflow(deps, keys.map((k, i) => s(k, 'record', i ? [keys[i - 1]!] : [])));
    start(r);
    expect((await until(deps, id, ['succeeded', 'failed'], 10_000)).status).toBe('succeeded');
    expect(effects.order).toEqual(keys);
    // A step that hands its slot to the next one frees none, so it does not wake the loop: six steps took at most
    // two claims (the first finds `a`; the end of `f`, which hands over nothing, may claim once more). Each claim
    // is a turn on PGlite's one connection that the chain's next step waited behind.
    expect(claims.calls.count()).toBeGreaterThanOrEqual(1);
    expect(claims.calls.count()).toBeLessThanOrEqual(2);
  });

  it('retries a retryable failure with backoff, and fails a non-retryable one at once', async () => {
    const id = await startWorkflow(deps, [s('flaky', 'flaky', [], { failures: 2 })]);
    start(runner(deps));
    await until(deps, id, ['succeeded']);
    expect((await workflowsRepo.steps(deps.store, id))[0]).toEqual(jasmine.objectContaining({ status: 'succeeded', attempts: 3 }));

    const id2 = await startWorkflow(deps, [s('boom', 'fail')]);
    const failed = await until(deps, id2, ['failed']);
    expect(failed.error).toContain('boom failed: quota exceeded at the cloud');
    expect((await workflowsRepo.steps(deps.store, id2))[0]!.attempts).toBe(1);
  });

  it('gives up after max attempts', async () => {
    const id = await startWorkflow(deps, [s('flaky', 'flaky', [], { failures: 10 }, 3)]);
    start(runner(deps));
    await until(deps, id, ['failed']);
    expect((await workflowsRepo.steps(deps.store, id))[0]).toEqual(jasmine.objectContaining({ status: 'failed', attempts: 3 }));
  });

  it('unwinds a failure: later steps skipped, succeeded steps undone in reverse dependency order', async () => {
    const id = await startWorkflow(deps, [s('a', 'record'), s('b', 'record', ['a']), s('c', 'fail', ['b']), s('d', 'record', ['c'])]);
    start(runner(deps));
    const w = await until(deps, id, ['failed']);
    expect(w.error).toContain('c failed');
    expect(effects.undone).toEqual(['b', 'a']);
    const byKey = Object.fromEntries((await workflowsRepo.steps(deps.store, id)).map((st) => [st.key, st.status]));
    expect(byKey).toEqual({ a: 'compensated', b: 'compensated', c: 'failed', d: 'skipped' });
  });

  it('pauses (no new step starts) and resumes', async () => {
    const id = await startWorkflow(deps, [s('w', 'wait'), s('after', 'record', ['w'])]);
    start(runner(deps));
    await new Promise((r) => setTimeout(r, 50));
    await deps.store.transaction((tx) => deps.engine.pause(tx, id));
    control.release('w');
    await new Promise((r) => setTimeout(r, 150));
    expect(effects.order).toEqual([]);
    expect((await workflowsRepo.byId(deps.store, id))!.status).toBe('paused');
    await deps.store.transaction((tx) => deps.engine.resume(tx, id));
    await until(deps, id, ['succeeded']);
    expect(effects.order).toEqual(['after']);
  });

  it('cancels: the running step finishes and is undone, the rest never runs', async () => {
    const id = await startWorkflow(deps, [s('a', 'record'), s('w', 'wait', ['a']), s('z', 'record', ['w'])]);
    start(runner(deps));
    await new Promise((r) => setTimeout(r, 80));
    await deps.store.transaction((tx) => deps.engine.cancel(tx, id));
    control.release('w');
    await until(deps, id, ['cancelled']);
    expect(effects.undone).toEqual(['w', 'a']);
    expect(effects.order).toEqual(['a']);
    await expectAsync(deps.store.transaction((tx) => deps.engine.resume(tx, id))).toBeRejectedWithError(/cancelled/);
  });

  it('takes over a step whose runner died (lease expired) and does it once; the dead runner\'s late result is dropped', async () => {
    const id = await startWorkflow(deps, [s('a', 'record')]);
    // A runner claims the step and "dies": it never renews the lease.
    const [claimed] = await workflowsRepo.claim(deps.store, 'dead-runner', 1, 50);
    expect(claimed!.key).toBe('a');
    await new Promise((r) => setTimeout(r, 80));
    start(runner(deps, 'survivor'));
    await until(deps, id, ['succeeded']);
    expect(effects.runs.get(`${id}/a`)).toBe(1);
    expect(await deps.metrics.registry.getSingleMetricAsString('ganyun_workflow_lease_takeovers_total')).toContain('ganyun_workflow_lease_takeovers_total 1');
    expect((await workflowsRepo.steps(deps.store, id))[0]!.attempts).toBe(2);
    const late = await deps.store.transaction((tx) => workflowsRepo.finishStep(tx, { workflowId: id, key: 'a', owner: 'dead-runner', from: 'running', to: 'failed', error: 'late', event: { kind: 'step.failed', data: { error: 'late' } } }));
    expect(late).toBeFalse();
    expect((await workflowsRepo.steps(deps.store, id))[0]!.status).toBe('succeeded');
    // Each claim wrote its start event; the refused late result wrote none.
    const events = await workflowsRepo.eventsAfter(deps.store, id, 0);
    expect(events.filter((e) => e.kind === 'step.started').map((e) => e.data)).toEqual([{ attempt: 1, owner: 'dead-runner' }, { attempt: 2, owner: 'survivor' }]);
    expect(events.filter((e) => e.kind === 'step.failed')).toEqual([]);
  });

  it('shares a 1,000-step plan between two runners: every step exactly once, dependencies respected', async () => {
    // 10 layers of 100 steps; each step depends on two steps of the layer before.
    const steps: StepSpec[] = [];
    for (let layer = 0; layer < 10; layer++) {
      for (let i = 0; i < 100; i++) {
        const deps2 = layer ? [`L${layer - 1}-${i}`, `L${layer - 1}-${(i + 1) % 100}`] : [];
        steps.push(s(`L${layer}-${i}`, 'record', deps2, { ms: 1 }));
      }
    }
    const id = await startWorkflow(deps, steps);
    start(runner(deps, 'r1', 8, 30_000), runner(deps, 'r2', 8, 30_000));
    const w = await until(deps, id, ['succeeded', 'failed'], 170_000);
    expect(w.status).toBe('succeeded');
    expect(effects.runs.size).toBe(1000);
    expect([...effects.runs.values()].every((n) => n === 1)).toBeTrue();
    const position = new Map(effects.order.map((k, i) => [k, i]));
    for (const st of steps) for (const d of st.dependsOn) expect(position.get(d)! < position.get(st.key)!).toBeTrue();
  }, 180_000);
});
