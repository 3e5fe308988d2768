import { z } from 'zod';
import { assertInScope } from '../auth/scope.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { loadPlan } from '../migrations/plan-service.ts';
import { plansRepo } from '../migrations/plans-repo.ts';
import { DEFAULT_SOAK_SECONDS, gatherPrechecks, loadWave, recordPrechecks, rollbackWave, startWave, syncWave, waveProgress } from '../migrations/wave-service.ts';
import { authedProcedure, byIdProcedure, commitUnitOfWork, router } from '../trpc.ts';
import { PLANNERS, READERS } from './migrations-roles.ts';
import { idSchema } from '../schemas.ts';

/** Migration waves (issue 12.4–12.6): prechecks, the run as a durable workflow with live steps, rollback, departments' confirmations. */
export const migrationWavesRouter = router({
  list: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ planId: idSchema, includeSuperseded: z.boolean().default(false) }))
    .query(async ({ ctx, input }) => {
      // Superseded waves (every re-plan leaves the previous version's) are left out in SQL, not read and dropped:
      // the board costs the plan's current waves however often it was re-planned (a superseded wave never runs).
      const all = await plansRepo.waves(ctx.db, ctx.scope, { planId: input.planId, ...(input.includeSuperseded ? {} : { exceptStatuses: ['superseded'] }) });
      const waves = await Promise.all(all.map((w) => syncWave(ctx.deps.store, w)));
      const systems = waves.length ? await plansRepo.waveSystems(ctx.db, ctx.scope, waves.map((w) => w.id)) : [];
      return { items: waves.map((w) => ({ ...w, systems: systems.filter((s) => s.waveId === w.id) })) };
    }),

  /** A wave with each system's steps live from its workflow (departments see their own systems). */
  get: byIdProcedure(READERS)
    .query(async ({ ctx, input }) => {
      const wave = await syncWave(ctx.deps.store, await loadWave(ctx.db, ctx.scope, input.id));
      const systems = await plansRepo.waveSystems(ctx.db, ctx.scope, [wave.id]);
      return { ...wave, systems, progress: await waveProgress(ctx.db, wave, new Set(systems.map((s) => s.candidateId))) };
    }),

  /**
   * Runs the prechecks of every system in the wave (the target's provider is asked first, outside any
   * transaction) and records them; the wave is prechecked only when every check passed.
   */
  precheck: authedProcedure
    .meta({ roles: PLANNERS, selfManaged: true })
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `migration-wave:${input.id}`;
      const wave = await loadWave(ctx.db, ctx.scope, input.id);
      if (wave.status !== 'planned' && wave.status !== 'prechecked') throw new ConflictError(`the wave is ${wave.status}: prechecks run before it starts`);
      const results = await gatherPrechecks({ store: ctx.deps.store, federation: ctx.deps.federation, quotas: ctx.deps.quotas }, wave, new Date());
      return commitUnitOfWork(ctx, 'migrations.waves.precheck', async (tx) => {
        const { passed } = await recordPrechecks(tx, (await plansRepo.wave(tx, wave.id, { forUpdate: true }))!, results);
        ctx.audit.after = { passed, failed: results.flatMap((r) => r.verdicts.filter((v) => !v.ok).map((v) => `${r.systemName}: ${v.check}`)) };
        return { passed, systems: results };
      });
    }),

  /** Starts a prechecked wave as a durable workflow; a second start (here or on another control plane) is refused. */
  start: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ id: idSchema, soakSeconds: z.number().int().min(0).max(7 * 86_400).default(DEFAULT_SOAK_SECONDS) }))
    .mutation(async ({ ctx, input }) => {
      const wave = await loadWave(ctx.db, ctx.scope, input.id, { forUpdate: true });
      const plan = await loadPlan(ctx.db, wave.planId);
      const out = await startWave(ctx.db, ctx.deps.engine, wave, { soakSeconds: input.soakSeconds, createdBy: ctx.caller.userId, planName: plan.name });
      Object.assign(ctx.audit, { target: `migration-wave:${wave.id}`, before: { status: wave.status }, after: { status: 'running', ...out } });
      return out;
    }),

  /** The operator's rollback: undoes the steps done, last first; refused once a source has been released. */
  rollback: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ id: idSchema, reason: z.string().trim().min(2, 'say why').max(500) }))
    .mutation(async ({ ctx, input }) => {
      const wave = await loadWave(ctx.db, ctx.scope, input.id, { forUpdate: true });
      const out = await rollbackWave(ctx.db, ctx.deps.engine, wave);
      Object.assign(ctx.audit, { target: `migration-wave:${wave.id}`, before: { status: wave.status }, after: { rollback: true, reason: input.reason, ...out } });
      return out;
    }),

  /** A department confirms its system's window, or asks to move it (with a note the operators see). */
  confirm: authedProcedure
    .meta({ roles: ['admin', 'cloud-operator', 'department-admin', 'department-user'] })
    .input(z.object({ waveId: idSchema, candidateId: idSchema, answer: z.enum(['confirmed', 'move-requested']), note: z.string().trim().max(500).nullable().default(null) }))
    .mutation(async ({ ctx, input }) => {
      const [row] = await plansRepo.waveSystems(ctx.db, { departmentIds: null }, [input.waveId]).then((r) => r.filter((s) => s.candidateId === input.candidateId));
      if (!row) throw new NotFoundError('that system is not in that wave');
      assertInScope(ctx.scope, row.departmentId, 'that system');
      if (input.answer === 'move-requested' && !input.note) throw new InputError('say which window would suit, or why this one does not', 'note');
      const wave = (await plansRepo.wave(ctx.db, input.waveId))!;
      if (wave.status !== 'planned') throw new ConflictError(`the wave is ${wave.status}: its windows can no longer be changed`);
      await plansRepo.setConfirmation(ctx.db, input.waveId, input.candidateId, input.answer, input.note);
      Object.assign(ctx.audit, { target: `migration-wave:${input.waveId}`, before: { confirmation: row.confirmation }, after: { candidateId: input.candidateId, confirmation: input.answer, note: input.note } });
      return { ...row, confirmation: input.answer, note: input.note };
    }),
});
