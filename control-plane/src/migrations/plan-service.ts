import type { Scope } from '../auth/scope.ts';
import type { ActionRegistry, StepContext } from '../engine/actions.ts';
import type { WorkflowEngine } from '../engine/engine.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { Queryable, Store } from '../store/store.ts';
import { checkSchedule } from './checker.ts';
import { compilePlan } from './compile.ts';
import { candidatesRepo } from './candidates-repo.ts';
import { buildPlanInput } from './plan-input.ts';
import type { PlanInput } from './plan-model.ts';
import { plansRepo, type PlanRow } from './plans-repo.ts';
import { explainPlacements, type Placement } from './placement-why.ts';
import { solvePlan, type SolveProgress } from './scheduler.ts';

/**
 * Plans, versions and approval. Solving is a durable workflow (one step, `migrations.solve`): the API
 * stores the input as a new version and returns at once; the runner solves it, writing progress to the
 * version as it goes, then the schedule (checked by the independent checker before it is stored). A
 * runner killed mid-solve loses its lease and another solves the same stored input again: the version is
 * finished once (`finishVersion` only moves a version that is still solving). Approving a version turns
 * each window it uses into a wave; a later approval replaces the planned waves, never the ones under way.
 */

export interface StoredResult {
  status: 'optimal' | 'feasible' | 'infeasible' | 'incomplete';
  makespan: number | null;
  lowerBound: number;
  gap: number | null;
  peakRisk: number | null;
  /** Candidate id → window index. */
  assignment: Record<string, number>;
  placements: Record<string, Placement>;
  explanations: unknown[];
  bounds: unknown[];
  violations: number;
  stats: unknown;
}

export const DEFAULT_SOLVE_SECONDS = 10;

export async function startSolve(db: Queryable, engine: WorkflowEngine, plan: PlanRow, opts: { now: Date; whatIf: boolean; changes: { cancelWindows?: number[]; addCandidates?: string[] } | null; createdBy: string | null; timeLimitSeconds?: number }) {
  const { input, candidates } = await buildPlanInput(db, plan, { now: opts.now, extraCandidates: opts.changes?.addCandidates, cancelWindows: opts.changes?.cancelWindows });
  if (!candidates.length) throw new InputError('the plan has no systems to schedule', 'candidates');
  const busy = candidates.filter((c) => c.state === 'migrating' && !input.systems.find((s) => s.id === c.id)?.pinnedWindow);
  if (busy.length) {
    const systems = busy.map((c) => c.systemName).join(', ');
    throw new ConflictError(`already migrating in another wave: ${systems}`, 'candidates', { code: 'migration.alreadyMigrating', params: { systems } });
  }
  // Bad input the solver would refuse (a dependency cycle, an empty capacity, …) is refused here, named, before a version is stored.
  compilePlan(input);
  const id = newId();
  const version = await plansRepo.insertVersion(db, { id, planId: plan.id, whatIf: opts.whatIf, input, changes: opts.changes, createdBy: opts.createdBy });
  // input.names: what the console titles the workflow with in the reader's language (console core/workflow-title.ts).
  const workflowId = await engine.start(db, {
    kind: 'migration.solve', title: `${opts.whatIf ? 'What-if' : 'Solve'} ${plan.name} v${version}`, input: { versionId: id, names: { plan: plan.name, version, whatIf: !!opts.whatIf } }, departmentId: null, createdBy: opts.createdBy,
    steps: [{ key: 'solve', action: 'migrations.solve', dependsOn: [], params: { versionId: id, timeLimitSeconds: opts.timeLimitSeconds ?? DEFAULT_SOLVE_SECONDS }, maxAttempts: 3 }],
  });
  await plansRepo.setVersionWorkflow(db, id, workflowId);
  return { versionId: id, version, workflowId };
}

/** The solve step. Progress goes to the version row at most a few times a second. */
export function registerSolveAction(actions: ActionRegistry, deps: { store: Store; log: Logger }): void {
  actions.register('migrations.solve', {
    async run(ctx: StepContext<{ versionId: string; timeLimitSeconds: number }>) {
      const v = await plansRepo.version(deps.store, ctx.params.versionId);
      if (!v) throw new Error(`plan version ${ctx.params.versionId} is gone`);
      if (v.status !== 'solving') return { status: v.status }; // finished by an earlier attempt
      let lastWrite = 0;
      let pending: Promise<void> = Promise.resolve();
      const onProgress = (p: SolveProgress) => {
        const now = Date.now();
        if (p.phase !== 'done' && now - lastWrite < 250) return;
        lastWrite = now;
        pending = pending.then(() => plansRepo.setProgress(deps.store, v.id, p)).catch((err: unknown) => ctx.log.warn({ err }, 'recording solve progress failed'));
      };
      const input = v.input as PlanInput;
      let stored: StoredResult;
      try {
        const r = await solvePlan(input, { timeLimitSeconds: ctx.params.timeLimitSeconds, onProgress });
        const violations = r.assignment.size ? checkSchedule(input, r.assignment) : [];
        if (violations.length) ctx.log.error({ violations: violations.slice(0, 5) }, 'the checker found violations in a schedule: not stored as solved');
        stored = {
          status: r.status, makespan: r.makespan, lowerBound: r.lowerBound, gap: r.gap, peakRisk: r.peakRisk,
          assignment: Object.fromEntries(r.assignment), placements: Object.fromEntries(explainPlacements(input, r.assignment)),
          explanations: r.explanations, bounds: r.bounds, violations: violations.length, stats: r.stats,
        };
      } catch (error) {
        await pending;
        // Bad input the solver names (an InputError): the version failed, the workflow did its job.
        if (error instanceof InputError) {
          await plansRepo.finishVersion(deps.store, v.id, { status: 'failed', result: null, error: error.message });
          return { status: 'failed' };
        }
        throw error;
      }
      await pending;
      const status = stored.status === 'infeasible' || stored.status === 'incomplete' || stored.violations ? 'infeasible' : 'solved';
      await plansRepo.finishVersion(deps.store, v.id, { status, result: stored, error: stored.violations ? `${stored.violations} constraint violations found by the checker` : null });
      return { status, makespan: stored.makespan, lowerBound: stored.lowerBound };
    },
  });
}

export async function loadPlan(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<PlanRow> {
  const p = await plansRepo.byId(db, id, opts);
  if (!p) throw new NotFoundError(`no migration plan ${id}`);
  return p;
}

/** Approves a solved version: the planned waves of the previous approval are replaced by this version's. */
export async function approveVersion(db: Queryable, versionId: string, by: string) {
  const v = await plansRepo.version(db, versionId, { forUpdate: true });
  if (!v) throw new NotFoundError(`no plan version ${versionId}`);
  const plan = await loadPlan(db, v.planId, { forUpdate: true });
  if (v.whatIf) throw new ConflictError('a what-if version cannot be approved: solve the plan itself', 'versionId');
  if (v.status !== 'solved') throw new ConflictError(`version ${v.version} is ${v.status}; only a solved version can be approved`, 'versionId');
  const result = v.result as StoredResult;
  const input = v.input as PlanInput;
  const underWay = await plansRepo.underWay(db, plan.id);
  await plansRepo.supersedePlannedWaves(db, plan.id);
  await plansRepo.supersedeApproved(db, plan.id, v.id);
  await plansRepo.approveVersion(db, v.id, by);
  const byWindow = new Map<number, string[]>();
  for (const [candidateId, w] of Object.entries(result.assignment)) {
    if (underWay.has(candidateId)) continue; // its wave under way stays as it is
    byWindow.set(w, [...(byWindow.get(w) ?? []), candidateId]);
  }
  const deptOf = new Map(input.systems.map((s) => [s.id, s.departmentId]));
  const waves: { id: string; windowIndex: number; systems: number }[] = [];
  for (const [w, ids] of [...byWindow].sort((a, b) => a[0] - b[0])) {
    const id = newId();
    await plansRepo.insertWave(db, { id, planId: plan.id, versionId: v.id, windowIndex: w, weekStart: input.windows[w]!.weekStart });
    await plansRepo.insertWaveSystems(db, ids.map((c) => ({ waveId: id, candidateId: c, departmentId: deptOf.get(c)!, placement: result.placements[c] ?? null })));
    waves.push({ id, windowIndex: w, systems: ids.length });
  }
  const scheduled = Object.keys(result.assignment).filter((c) => !underWay.has(c));
  await candidatesRepo.setState(db, scheduled, 'scheduled', ['candidate', 'scheduled']);
  return { planId: plan.id, version: v.version, waves };
}

/** A scoped view of a version: departments see the placements of their own systems only. */
export function versionView(v: Awaited<ReturnType<typeof plansRepo.version>> & object, scope: Scope, departmentOf: Map<string, string>) {
  const r = v.result as StoredResult | null;
  const visible = (id: string) => scope.departmentIds === null || scope.departmentIds.includes(departmentOf.get(id) ?? '');
  const { input: _input, ...rest } = v;
  return {
    ...rest,
    result: r && {
      ...r,
      assignment: Object.fromEntries(Object.entries(r.assignment).filter(([id]) => visible(id))),
      placements: Object.fromEntries(Object.entries(r.placements).filter(([id]) => visible(id))),
    },
  };
}
