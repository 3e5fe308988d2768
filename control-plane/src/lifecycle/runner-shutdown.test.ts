import type { AppDeps } from '../context.ts';
import { WorkflowRunner } from '../engine/runner.ts';
import { freshDeps } from '../testing/harness.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';

/**
 * A runner stopping (SIGTERM) gives its steps the grace period; a step still running then is handed to
 * another runner at once (its lease released, not left to expire), and the late result of the stopped
 * runner does not count. Leases are long here (60 s) so that only the hand-back can explain a takeover.
 */
describe('workflow runner shutdown (grace period, lease hand-back)', () => {
  let deps: AppDeps;
  const calls = new Map<string, number>();
  let finishQuickSteps: () => void;
  const runners: WorkflowRunner[] = [];

  beforeEach(async () => {
    deps = await freshDeps();
    calls.clear();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    finishQuickSteps = release;
    deps.actions
      // First call: runs until aborted and then, like a careless action, still returns a result late.
      // Later calls (the runner that took over): finish at once.
      .register('slow-then-fast', {
        async run(ctx) {
          const n = (calls.get(ctx.idempotencyKey) ?? 0) + 1;
          calls.set(ctx.idempotencyKey, n);
          if (n > 1) return { by: 'takeover' };
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
          return { by: 'stopped runner, too late' };
        },
      })
      .register('until-released', {
        async run(ctx) {
          calls.set(ctx.idempotencyKey, (calls.get(ctx.idempotencyKey) ?? 0) + 1);
          await released;
          return { by: 'first runner' };
        },
      });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(1000)));
  });

  const runner = (owner: string) => {
    const r = new WorkflowRunner(deps, { owner, concurrency: 4, leaseMs: 60_000, pollMs: 10, retryBaseMs: 2 });
    runners.push(r);
    r.start();
    return r;
  };
  const start = (action: string) => deps.store.transaction((tx) => deps.engine.start(tx, {
    kind: 'test', title: 'shutdown', input: {}, departmentId: null, createdBy: 'spec', steps: [{ key: 'only', action, dependsOn: [], params: {} }],
  }));
  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const stepRow = async (id: string) => (await deps.store.query<{ status: string; lease_owner: string | null; attempts: number; output: unknown }>(
    'SELECT status, lease_owner, attempts, output FROM workflow_steps WHERE workflow_id = $1', [id]))[0]!;
  const eventKinds = async (id: string) => (await workflowsRepo.eventsAfter(deps.store, id, 0)).map((e) => e.kind);

  it('lets a step that finishes within the grace period finish on the stopping runner', async () => {
    const id = await start('until-released');
    const a = runner('runner-a');
    await until('step claimed', async () => ((await stepRow(id)).status === 'running' ? true : undefined));
    const stopping = a.stop(20_000);
    finishQuickSteps();
    expect(await stopping).toEqual({ released: 0 });
    const row = await stepRow(id);
    expect(row.status).toBe('succeeded');
    expect(row.output).toEqual({ by: 'first runner' });
    expect(await eventKinds(id)).not.toContain('step.lease-released');
  });

  it('hands a step still running at the end of the grace period to another runner at once; the late result does not count', async () => {
    const id = await start('slow-then-fast');
    const a = runner('runner-a');
    await until('step claimed', async () => ((await stepRow(id)).lease_owner === 'runner-a' ? true : undefined));
    expect(await a.stop(100)).toEqual({ released: 1 });

    const handedBack = await stepRow(id);
    expect(handedBack.status).toBe('running');
    expect(handedBack.lease_owner).toBeNull();
    // Another runner takes it over long before the 60 s lease would have run out.
    runner('runner-b');
    const done = await until('workflow finished', async () => {
      const w = await workflowsRepo.byId(deps.store, id);
      return w?.status === 'running' ? undefined : w;
    });
    expect(done.status).toBe('succeeded');
    const row = await stepRow(id);
    expect(row.output).toEqual({ by: 'takeover' });
    expect(row.attempts).toBe(2);
    const kinds = await eventKinds(id);
    expect(kinds).toContain('step.lease-released');
    expect(kinds).not.toContain('step.failed');
    expect(kinds.filter((k) => k === 'step.succeeded').length).toBe(1);
  });
});
