import { ProviderError } from '@ganyun/providers';
import type { AppDeps } from '../context.ts';
import { freshDeps } from '../testing/harness.ts';
import { waitFor } from '../testing/wait.ts';
import type { StepSpec } from './dag.ts';
import { WorkflowRunner } from './runner.ts';
import { workflowsRepo } from './workflows-repo.ts';

/**
 * What the unwind does with steps that may have left something behind (delivery crash sweep, seed 13): a create
 * that failed for good or was waiting for a retry when the workflow failed, and an undo the cloud's own circuit
 * refuses because the failures that started the unwind opened it.
 */
const s = (key: string, action: string, dependsOn: string[] = [], params: unknown = {}, maxAttempts?: number): StepSpec => ({ key, action, dependsOn, params, maxAttempts });
const circuitOpen = () => new ProviderError({ provider: 'nanchang', op: 'deleteResource', code: 'unavailable', reason: 'circuit-open', retryAfterMs: 5, message: 'nanchang: deleteResource: circuit open' });
const unavailable = () => new ProviderError({ provider: 'nanchang', op: 'deleteResource', code: 'unavailable', message: 'nanchang: deleteResource: 503' });

describe('workflow unwind: steps that may have left effects', () => {
  let deps: AppDeps;
  let runner: WorkflowRunner;
  /** What each step's compensation saw: `key:done` (it had an output) or `key:unfinished` (output null). */
  let undone: string[];
  let undoCalls: Map<string, number>;

  beforeEach(async () => {
    deps = await freshDeps();
    undone = [];
    undoCalls = new Map();
    const compensate = async (ctx: { stepKey: string }, output: unknown) => {
      undone.push(`${ctx.stepKey}:${output === null ? 'unfinished' : 'done'}`);
    };
    deps.actions
      .register('leaves-then-fails', { undoesUnfinished: true, run: async () => { throw new Error('pool exhausted after the first object'); }, compensate })
      // Fails once, retryable, asking for a pause long enough that the workflow fails while it waits.
      .register('leaves-then-waits', { undoesUnfinished: true, run: async () => { throw Object.assign(new Error('cloud busy'), { retryable: true, retryAfterMs: 60_000 }); }, compensate })
      .register('waits-plain', { run: async () => { throw Object.assign(new Error('cloud busy'), { retryable: true, retryAfterMs: 60_000 }); }, compensate })
      .register('fails-plain', { run: async () => { throw new Error('refused'); }, compensate })
      .register<{ refusals: number; kind: 'circuit' | 'unavailable' }, string>('made', {
        run: async () => 'made',
        async compensate(ctx) {
          const n = (undoCalls.get(ctx.stepKey) ?? 0) + 1;
          undoCalls.set(ctx.stepKey, n);
          if (n <= ctx.params.refusals) throw ctx.params.kind === 'circuit' ? circuitOpen() : unavailable();
          undone.push(`${ctx.stepKey}:done`);
        },
      })
      .register('fail-later', { run: async () => { await new Promise((r) => setTimeout(r, 100)); throw new Error('a later step failed'); } });
    runner = new WorkflowRunner(deps, { owner: 'spec', concurrency: 8, leaseMs: 2000, pollMs: 10, retryBaseMs: 2 });
    runner.start();
  });
  afterEach(async () => runner.stop());

  const startWorkflow = (steps: StepSpec[]) =>
    deps.store.transaction((tx) => deps.engine.start(tx, { kind: 'test', title: 'test', input: {}, departmentId: null, createdBy: 'spec', steps }));
  const ended = (id: string) => waitFor('workflow ended', async () => {
    const w = await workflowsRepo.byId(deps.store, id);
    return w && !['running', 'compensating'].includes(w.status) ? w : undefined;
  }, { timeoutMs: 20_000 });
  const statuses = async (id: string) => Object.fromEntries((await workflowsRepo.steps(deps.store, id)).map((st) => [st.key, st.status]));

  it('compensates a step that failed for good, and one waiting for a retry, when their action undoes an unfinished run; others are left as failed and skipped', async () => {
    const id = await startWorkflow([s('seg', 'made', [], { refusals: 0, kind: 'circuit' }), s('host', 'leaves-then-fails', ['seg']), s('vol', 'leaves-then-waits', ['seg'])]);
    const w = await ended(id);
    expect(w.status).toBe('failed');
    expect(w.error).toContain('host failed: pool exhausted after the first object');
    expect(await statuses(id)).toEqual({ seg: 'compensated', host: 'compensated', vol: 'compensated' });
    // Both were undone from their params (no output), before the segment they stand on.
    expect(undone.slice(0, 2).sort()).toEqual(['host:unfinished', 'vol:unfinished']);
    expect(undone[2]).toBe('seg:done');

    const plain = await startWorkflow([s('a', 'fails-plain'), s('b', 'waits-plain')]);
    expect((await ended(plain)).status).toBe('failed');
    expect(await statuses(plain)).toEqual({ a: 'failed', b: 'skipped' });
    expect(undone.filter((u) => u.startsWith('a:') || u.startsWith('b:'))).toEqual([]);
  });

  it('an undo refused by an open circuit waits for it without spending attempts, up to a bound; real failures still end it as needs-attention', async () => {
    // Five refusals by the circuit, with two undo attempts allowed: it still gets through.
    const id = await startWorkflow([s('vm', 'made', [], { refusals: 5, kind: 'circuit' }, 2), s('boom', 'fail-later', ['vm'])]);
    const w = await ended(id);
    expect(w.status).toBe('failed');
    expect(await statuses(id)).toEqual({ vm: 'compensated', boom: 'failed' });
    expect(undoCalls.get('vm')).toBe(6);
    expect(undone).toEqual(['vm:done']);

    // A circuit that never closes: five refusals are waited out, then three attempts are spent and it is named.
    const stuck = await startWorkflow([s('vm3', 'made', [], { refusals: 100, kind: 'circuit' }, 3), s('boom', 'fail-later', ['vm3'])]);
    expect((await ended(stuck)).status).toBe('needs-attention');
    expect(undoCalls.get('vm3')).toBe(8);

    // Seven answers of 503 from the cloud itself: three attempts, then the object is named for attention.
    const id2 = await startWorkflow([s('vm2', 'made', [], { refusals: 7, kind: 'unavailable' }, 3), s('boom', 'fail-later', ['vm2'])]);
    const w2 = await ended(id2);
    expect(w2.status).toBe('needs-attention');
    expect(undoCalls.get('vm2')).toBe(3);
  });
});
