import { z } from 'zod';
import { ANY_ROLE, type Role } from '../auth/roles.ts';
import { assertInScope } from '../auth/scope.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { assertWindowNotPast } from '../migrations/calendar.ts';
import { calendarRepo } from '../migrations/calendar-repo.ts';
import { candidateFields, loadCandidate, saveCandidate, targetFacts } from '../migrations/candidate-service.ts';
import { candidatesRepo } from '../migrations/candidates-repo.ts';
import { STATUTORY_HOLIDAYS } from '../migrations/holidays-cn.ts';
import { approveVersion, loadPlan, startSolve, versionView } from '../migrations/plan-service.ts';
import { plansRepo } from '../migrations/plans-repo.ts';
import { DEFAULT_SOAK_SECONDS, gatherPrechecks, loadWave, recordPrechecks, rollbackWave, startWave, syncWave, waveProgress } from '../migrations/wave-service.ts';
import {
  blackoutInputSchema, candidateInputSchema, capacityInputSchema, linkInputSchema, planInputSchema, roomInputSchema, slotSchema, solveInputSchema, whatIfInputSchema,
} from '../migrations/schemas.ts';
import { departmentsRepo } from '../store/departments-repo.ts';
import { authedProcedure, commitUnitOfWork, router } from '../trpc.ts';
import { idSchema } from './schemas.ts';

/**
 * Migrations (issue 12). Cloud operators (and admins) plan and run; departments see their own systems'
 * candidates, plans and waves, set their own maintenance slots, and confirm or ask to move their
 * systems' windows; auditors read. Every list is scoped to the caller's departments.
 */
const PLANNERS: readonly Role[] = ['admin', 'cloud-operator'];
const READERS: readonly Role[] = ANY_ROLE;
const DEPARTMENT_PEOPLE: readonly Role[] = ['admin', 'cloud-operator', 'department-admin'];

const candidatesRouter = router({
  list: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ state: z.enum(['candidate', 'scheduled', 'migrating', 'migrated']).optional(), departmentId: idSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => ({ items: await candidatesRepo.list(ctx.db, ctx.scope, input) })),

  get: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ id: idSchema }))
    .query(async ({ ctx, input }) => loadCandidate(ctx.db, ctx.scope, input.id)),

  /**
   * Registers (or re-derives) a system as a candidate. The target cloud is asked what it offers before the
   * transaction (a network call); then the method, its reasons and the effort are saved with the audit record.
   */
  save: authedProcedure
    .meta({ roles: PLANNERS, selfManaged: true })
    .input(candidateInputSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `system:${input.systemId}`;
      const target = await targetFacts(ctx.deps.federation, ctx.db, input.targetCloudId);
      return commitUnitOfWork(ctx, 'migrations.candidates.save', async (tx) => {
        const fields = await candidateFields(tx, ctx.scope, input, target);
        const saved = await saveCandidate(tx, newId(), fields);
        ctx.audit.target = `migration-candidate:${saved.id}`;
        ctx.audit.after = { ...fields };
        return { ...(await candidatesRepo.byId(tx, ctx.scope, saved.id))!, created: saved.created };
      });
    }),

  remove: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `migration-candidate:${input.id}`;
      const c = await loadCandidate(ctx.db, ctx.scope, input.id, { forUpdate: true });
      if (c.state !== 'candidate') throw new ConflictError(`${c.systemName} is ${c.state}: take it out of its plan first`);
      if (await candidatesRepo.inAnyPlan(ctx.db, c.id)) throw new ConflictError(`${c.systemName} is in a plan: take it out of the plan first`);
      await candidatesRepo.remove(ctx.db, c.id);
      ctx.audit.before = { systemId: c.systemId, method: c.method, targetCloudId: c.targetCloudId };
      return { id: c.id };
    }),

  rooms: authedProcedure.meta({ roles: READERS }).query(async ({ ctx }) => ({ items: await candidatesRepo.rooms(ctx.db) })),

  addRoom: authedProcedure
    .meta({ roles: PLANNERS })
    .input(roomInputSchema)
    .mutation(async ({ ctx, input }) => {
      if (await candidatesRepo.roomNameTaken(ctx.db, input.name)) throw new ConflictError(`a machine room named ${input.name} exists`, 'name');
      if (input.departmentId && !(await departmentsRepo.byId(ctx.db, input.departmentId))) throw new InputError('no such department', 'departmentId');
      const [division] = await ctx.db.query('SELECT 1 FROM divisions WHERE code = $1', [input.divisionCode]);
      if (!division) throw new InputError(`no division ${input.divisionCode}`, 'divisionCode');
      const room = { id: newId(), ...input };
      await candidatesRepo.insertRoom(ctx.db, room);
      Object.assign(ctx.audit, { target: `migration-room:${room.id}`, after: room });
      return room;
    }),

  links: authedProcedure.meta({ roles: READERS }).query(async ({ ctx }) => ({ items: await candidatesRepo.links(ctx.db) })),

  addLink: authedProcedure
    .meta({ roles: PLANNERS })
    .input(linkInputSchema)
    .mutation(async ({ ctx, input }) => {
      const clouds = await ctx.db.query<{ id: string }>('SELECT id FROM clouds WHERE id = ANY($1::text[])', [[input.targetCloudId, ...(input.source.kind === 'cloud' ? [input.source.cloudId] : [])]]);
      if (!clouds.some((c) => c.id === input.targetCloudId)) throw new InputError(`no cloud ${input.targetCloudId}`, 'targetCloudId');
      const source = input.source;
      if (source.kind === 'cloud' && !clouds.some((c) => c.id === source.cloudId)) throw new InputError(`no cloud ${source.cloudId}`, 'source');
      if (input.source.kind === 'room' && !(await candidatesRepo.room(ctx.db, input.source.roomId))) throw new InputError(`no machine room ${input.source.roomId}`, 'source');
      const link = {
        id: newId(), label: input.label, targetCloudId: input.targetCloudId, gbps: input.gbps, hoursPerWindow: input.hoursPerWindow,
        sourceCloudId: input.source.kind === 'cloud' ? input.source.cloudId : null, sourceRoomId: input.source.kind === 'room' ? input.source.roomId : null,
      };
      await candidatesRepo.insertLink(ctx.db, link);
      Object.assign(ctx.audit, { target: `migration-link:${link.id}`, after: link });
      return link;
    }),
});

const calendarRouter = router({
  slots: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ departmentId: idSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => ({ items: await calendarRepo.slots(ctx.db, ctx.scope, input.departmentId ? [input.departmentId] : undefined) })),

  /** A department's maintenance slots (the whole week); department admins set their own department's. */
  setSlots: authedProcedure
    .meta({ roles: DEPARTMENT_PEOPLE })
    .input(z.object({ departmentId: idSchema, slots: z.array(slotSchema).max(21) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await departmentsRepo.byId(ctx.db, input.departmentId))) throw new NotFoundError('no such department');
      assertInScope(ctx.scope, input.departmentId, 'that department');
      ctx.audit.target = `department:${input.departmentId}`;
      ctx.audit.before = { slots: (await calendarRepo.slots(ctx.db, ctx.scope, [input.departmentId])).map(({ weekday, start, hours }) => ({ weekday, start, hours })) };
      await calendarRepo.replaceSlots(ctx.db, input.departmentId, input.slots.map((s) => ({ id: newId(), ...s })));
      ctx.audit.after = { slots: input.slots };
      return { items: await calendarRepo.slots(ctx.db, ctx.scope, [input.departmentId]) };
    }),

  blackouts: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }).default({}))
    .query(async ({ ctx, input }) => ({
      items: await calendarRepo.blackouts(ctx.db, ctx.scope, input),
      /** Which years' statutory holidays ship as data (null: the notice is not published / not sourced) and which are imported. */
      notices: Object.entries(STATUTORY_HOLIDAYS).map(([year, n]) => ({ year: Number(year), title: n?.title ?? null, issued: n?.issued ?? null, sources: n?.sources ?? [] })),
      importedYears: await calendarRepo.statutoryYears(ctx.db),
    })),

  addBlackout: authedProcedure
    .meta({ roles: PLANNERS })
    .input(blackoutInputSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.departmentIds) {
        const known = await departmentsRepo.list(ctx.db, input.departmentIds);
        const missing = input.departmentIds.filter((id) => !known.some((d) => d.id === id));
        if (missing.length) throw new InputError(`no department ${missing.join(', ')}`, 'departmentIds');
      }
      const b = { id: newId(), ...input, source: 'operator' as const };
      await calendarRepo.insertBlackout(ctx.db, b);
      Object.assign(ctx.audit, { target: `migration-blackout:${b.id}`, after: b });
      return b;
    }),

  updateBlackout: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ id: idSchema }).and(blackoutInputSchema))
    .mutation(async ({ ctx, input }) => {
      const before = await calendarRepo.blackout(ctx.db, input.id);
      if (!before) throw new NotFoundError('no such blackout');
      await calendarRepo.updateBlackout(ctx.db, input);
      Object.assign(ctx.audit, { target: `migration-blackout:${input.id}`, before, after: input });
      return (await calendarRepo.blackout(ctx.db, input.id))!;
    }),

  removeBlackout: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const before = await calendarRepo.blackout(ctx.db, input.id);
      if (!before) throw new NotFoundError('no such blackout');
      await calendarRepo.deleteBlackout(ctx.db, input.id);
      Object.assign(ctx.audit, { target: `migration-blackout:${input.id}`, before });
      return { id: input.id };
    }),

  /** Imports a year's statutory holidays from the data shipped (holidays-cn.ts); a year with no notice is refused, named. */
  importStatutory: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ year: z.number().int().min(2000).max(2100) }))
    .mutation(async ({ ctx, input }) => {
      const notice = STATUTORY_HOLIDAYS[input.year];
      if (!notice) throw new InputError(`the State Council's holiday notice for ${input.year} is not shipped (not yet published or not sourced): enter its dates as blackouts`, 'year');
      let added = 0;
      for (const h of notice.holidays) {
        if (await calendarRepo.insertBlackout(ctx.db, { id: newId(), from: h.from, to: h.to, reason: `法定节假日：${h.name} / Statutory holiday: ${h.nameEn}`, departmentIds: null, source: 'statutory' })) added++;
      }
      Object.assign(ctx.audit, { target: `migration-calendar:${input.year}`, after: { notice: notice.title, added } });
      return { year: input.year, added, notice: notice.title };
    }),
});

const plansRouter = router({
  list: authedProcedure.meta({ roles: READERS }).query(async ({ ctx }) => {
    const plans = await plansRepo.list(ctx.db);
    if (ctx.scope.departmentIds === null) return { items: plans };
    // Departments see the plans that hold one of their systems.
    const mine = new Set((await candidatesRepo.list(ctx.db, ctx.scope)).map((c) => c.id));
    const visible = [];
    for (const p of plans) if ((await plansRepo.members(ctx.db, p.id)).some((m) => mine.has(m))) visible.push(p);
    return { items: visible };
  }),

  get: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ id: idSchema }))
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
      if (busy.length) throw new ConflictError(`${busy.map((c) => c.systemName).join(', ')}: already migrating or migrated`, 'candidateIds');
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

  version: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ id: idSchema }))
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

const wavesRouter = router({
  list: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ planId: idSchema, includeSuperseded: z.boolean().default(false) }))
    .query(async ({ ctx, input }) => {
      const all = await plansRepo.waves(ctx.db, ctx.scope, { planId: input.planId });
      const waves = (await Promise.all(all.map((w) => syncWave(ctx.deps.store, w)))).filter((w) => input.includeSuperseded || w.status !== 'superseded');
      const systems = waves.length ? await plansRepo.waveSystems(ctx.db, ctx.scope, waves.map((w) => w.id)) : [];
      return { items: waves.map((w) => ({ ...w, systems: systems.filter((s) => s.waveId === w.id) })) };
    }),

  /** A wave with each system's steps live from its workflow (departments see their own systems). */
  get: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ id: idSchema }))
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

/** A candidate can join a plan when it exists, is not in another plan and is not migrating or moved. */
async function checkAddable(db: Parameters<typeof candidatesRepo.list>[0], planId: string, ids: string[]) {
  const found = await candidatesRepo.list(db, { departmentIds: null }, { ids });
  const missing = ids.filter((id) => !found.some((c) => c.id === id));
  if (missing.length) throw new InputError(`no migration candidate ${missing.join(', ')}`, 'candidateIds');
  const busy = found.filter((c) => c.state === 'migrating' || c.state === 'migrated');
  if (busy.length) throw new ConflictError(`${busy.map((c) => `${c.systemName} (${c.state})`).join(', ')}: already migrating or migrated`, 'candidateIds');
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

export const migrationsRouter = router({
  candidates: candidatesRouter,
  calendar: calendarRouter,
  plans: plansRouter,
  waves: wavesRouter,
});
