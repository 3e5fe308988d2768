import { z } from 'zod';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { assertWindowNotPast } from '../migrations/calendar.ts';
import { candidatesRepo } from '../migrations/candidates-repo.ts';
import { approveVersion, loadPlan, startSolve, versionView } from '../migrations/plan-service.ts';
import { plansRepo } from '../migrations/plans-repo.ts';
import { capacityInputSchema, planInputSchema, solveInputSchema, whatIfInputSchema } from '../migrations/schemas.ts';
import { authedProcedure, byIdProcedure, pageProcedure, router } from '../trpc.ts';
import { PLANNERS, READERS } from './migrations-roles.ts';
import { idSchema } from '../schemas.ts';

/** Migration plans (issue 12.2–12.3): members, capacity per window, solve and what-if as versions, approval into waves. */
export const migrationPlansRouter = router({
  list: pageProcedure(READERS)
    .query(async ({ ctx, input }) => plansRepo.page(ctx.db, ctx.scope, input)),

  get: byIdProcedure(READERS)
    .query(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.id);
      const members = await plansRepo.members(ctx.db, plan.id);
      const candidates = members.length ? await candidatesRepo.list(ctx.db, ctx.scope, { ids: members }) : [];
      if (ctx.scope.departmentIds !== null && !candidates.length) throw new NotFoundError(`no migration plan ${input.id}`);
      return { ...plan, candidates, versions: await plansRepo.versions(ctx.db, plan.id) };
    }),

  create: authedProcedure
    .meta({ roles: PLANNERS })
    .input(planInputSchema)
    .mutation(async ({ ctx, input }) => {
      if (await plansRepo.nameTaken(ctx.db, input.name)) throw new ConflictError(`a plan named ${input.name} exists`, 'name');
      assertWindowNotPast({ id: 'W1', weekStart: input.firstWeek }, new Date());
      const id = newId();
      await plansRepo.insert(ctx.db, { id, name: input.name, firstWeek: input.firstWeek, weeks: input.weeks, operatorHours: Array(input.weeks).fill(input.operatorHours), pools: [], createdBy: ctx.caller.userId });
      await addCandidates(ctx.db, id, input.candidateIds);
      Object.assign(ctx.audit, { target: `migration-plan:${id}`, after: input });
      return loadPlan(ctx.db, id);
    }),

  addCandidates: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ planId: idSchema, candidateIds: z.array(idSchema).min(1).max(20_000) }))
    .mutation(async ({ ctx, input }) => {
      await loadPlan(ctx.db, input.planId, { forUpdate: true });
      await addCandidates(ctx.db, input.planId, input.candidateIds);
      Object.assign(ctx.audit, { target: `migration-plan:${input.planId}`, after: { added: input.candidateIds } });
      return { members: (await plansRepo.members(ctx.db, input.planId)).length };
    }),

  removeCandidates: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ planId: idSchema, candidateIds: z.array(idSchema).min(1).max(20_000) }))
    .mutation(async ({ ctx, input }) => {
      await loadPlan(ctx.db, input.planId, { forUpdate: true });
      const busy = (await candidatesRepo.list(ctx.db, { departmentIds: null }, { ids: input.candidateIds })).filter((c) => c.state === 'migrating' || c.state === 'migrated');
      if (busy.length) {
        const systems = busy.map((c) => c.systemName).join(', ');
        throw new ConflictError(`${systems}: already migrating or migrated`, 'candidateIds', { code: 'migration.alreadyMigrating', params: { systems } });
      }
      await plansRepo.removeMembers(ctx.db, input.planId, input.candidateIds);
      Object.assign(ctx.audit, { target: `migration-plan:${input.planId}`, after: { removed: input.candidateIds } });
      return { members: (await plansRepo.members(ctx.db, input.planId)).length };
    }),

  /** Operator hours per window and target pools (a cancelled window is set through cancelWindow). */
  setCapacity: authedProcedure
    .meta({ roles: PLANNERS })
    .input(capacityInputSchema)
    .mutation(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, { forUpdate: true });
      if (input.operatorHours && input.operatorHours.length !== plan.weeks) throw new InputError(`give operator hours for each of the plan's ${plan.weeks} windows`, 'operatorHours');
      const next = { operatorHours: input.operatorHours ?? plan.operatorHours, pools: input.pools ?? plan.pools, cancelled: plan.cancelled };
      if (next.pools.some((p) => p.steps.some((s) => s.fromWindow >= plan.weeks))) throw new InputError(`a capacity step starts after the plan's last window (${plan.weeks})`, 'pools');
      await plansRepo.updateCapacity(ctx.db, plan.id, next);
      Object.assign(ctx.audit, { target: `migration-plan:${plan.id}`, before: { operatorHours: plan.operatorHours, pools: plan.pools }, after: next });
      return loadPlan(ctx.db, plan.id);
    }),

  /** Cancels a window: nothing new is placed there at the next solve (waves under way keep their place). */
  cancelWindow: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ planId: idSchema, windowIndex: z.number().int().min(0), cancelled: z.boolean().default(true) }))
    .mutation(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, { forUpdate: true });
      if (input.windowIndex >= plan.weeks) throw new InputError(`the plan has ${plan.weeks} windows`, 'windowIndex');
      const cancelled = input.cancelled ? [...new Set([...plan.cancelled, input.windowIndex])].sort((a, b) => a - b) : plan.cancelled.filter((w) => w !== input.windowIndex);
      await plansRepo.updateCapacity(ctx.db, plan.id, { operatorHours: plan.operatorHours, pools: plan.pools, cancelled });
      Object.assign(ctx.audit, { target: `migration-plan:${plan.id}`, before: { cancelled: plan.cancelled }, after: { cancelled } });
      return loadPlan(ctx.db, plan.id);
    }),

  /** Solves the plan as a new version (a durable workflow); progress on plans.version. */
  solve: authedProcedure
    .meta({ roles: PLANNERS })
    .input(solveInputSchema)
    .mutation(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, { forUpdate: true });
      const out = await startSolve(ctx.db, ctx.deps.engine, plan, { now: new Date(), whatIf: false, changes: null, createdBy: ctx.caller.userId, timeLimitSeconds: input.timeLimitSeconds });
      Object.assign(ctx.audit, { target: `migration-plan:${plan.id}`, after: out });
      return out;
    }),

  /** Solves the plan with changes (windows cancelled, systems added) as a what-if version: the plan itself is not changed and the version cannot be approved. */
  whatIf: authedProcedure
    .meta({ roles: PLANNERS })
    .input(whatIfInputSchema)
    .mutation(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, { forUpdate: true });
      if (input.cancelWindows.some((w) => w >= plan.weeks)) throw new InputError(`the plan has ${plan.weeks} windows`, 'cancelWindows');
      if (input.addCandidates.length) await checkAddable(ctx.db, input.planId, input.addCandidates);
      const changes = { cancelWindows: input.cancelWindows, addCandidates: input.addCandidates };
      const out = await startSolve(ctx.db, ctx.deps.engine, plan, { now: new Date(), whatIf: true, changes, createdBy: ctx.caller.userId, timeLimitSeconds: input.timeLimitSeconds });
      Object.assign(ctx.audit, { target: `migration-plan:${plan.id}`, after: { ...out, changes } });
      return out;
    }),

  version: byIdProcedure(READERS)
    .query(async ({ ctx, input }) => {
      const v = await plansRepo.version(ctx.db, input.id);
      if (!v) throw new NotFoundError(`no plan version ${input.id}`);
      const systems = (v.input as { systems: { id: string; departmentId: string }[] }).systems;
      const departmentOf = new Map(systems.map((s) => [s.id, s.departmentId]));
      if (ctx.scope.departmentIds !== null && !systems.some((s) => ctx.scope.departmentIds!.includes(s.departmentId))) throw new NotFoundError(`no plan version ${input.id}`);
      const windows = (v.input as { windows: { id: string; weekStart: string }[] }).windows;
      return { ...versionView(v, ctx.scope, departmentOf), windows };
    }),

  approve: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ versionId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const out = await approveVersion(ctx.db, input.versionId, ctx.caller.userId);
      Object.assign(ctx.audit, { target: `migration-plan:${out.planId}`, after: out });
      return out;
    }),
});

/** A candidate can join a plan when it exists, is not in another plan and is not migrating or moved. */
async function checkAddable(db: Parameters<typeof candidatesRepo.list>[0], planId: string, ids: string[]) {
  const found = await candidatesRepo.list(db, { departmentIds: null }, { ids });
  const missing = ids.filter((id) => !found.some((c) => c.id === id));
  if (missing.length) throw new InputError(`no migration candidate ${missing.join(', ')}`, 'candidateIds');
  const busy = found.filter((c) => c.state === 'migrating' || c.state === 'migrated');
  if (busy.length) {
    const systems = busy.map((c) => `${c.systemName} (${c.state})`).join(', ');
    throw new ConflictError(`${systems}: already migrating or migrated`, 'candidateIds', { code: 'migration.alreadyMigrating', params: { systems } });
  }
  const elsewhere = await plansRepo.otherPlansOf(db, planId, ids);
  if (elsewhere.length) {
    const name = (id: string) => found.find((c) => c.id === id)!.systemName;
    throw new ConflictError(`already in another plan: ${elsewhere.map((e) => `${name(e.candidateId)} (${e.planName})`).join(', ')}`, 'candidateIds');
  }
}

async function addCandidates(db: Parameters<typeof candidatesRepo.list>[0], planId: string, ids: string[]) {
  if (!ids.length) return;
  await checkAddable(db, planId, ids);
  await plansRepo.addMembers(db, planId, ids);
}
