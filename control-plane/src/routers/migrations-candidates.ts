import { z } from 'zod';
import { divisionsRepo } from '../departments/divisions-repo.ts';
import { ConflictError, InputError } from '../errors.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { newId } from '../ids.ts';
import { candidateFields, loadCandidate, saveCandidate, targetFacts } from '../migrations/candidate-service.ts';
import { candidatesRepo } from '../migrations/candidates-repo.ts';
import { candidateHistory } from '../migrations/wave-service.ts';
import { candidateInputSchema, linkInputSchema, roomInputSchema } from '../migrations/schemas.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import { authedProcedure, byIdProcedure, commitUnitOfWork, router } from '../trpc.ts';
import { PLANNERS, READERS } from './migrations-roles.ts';
import { idSchema, pageFields } from '../schemas.ts';

/** Migration candidates (issue 12.1): a system with its source, target, method and reasons; machine rooms and replication links. */
export const migrationCandidatesRouter = router({
  list: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ state: z.enum(['candidate', 'scheduled', 'migrating', 'migrated']).optional(), departmentId: idSchema.optional(), ...pageFields }).prefault({}))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      return candidatesRepo.page(ctx.db, ctx.scope, filter, { cursor, limit });
    }),

  get: byIdProcedure(READERS)
    .query(async ({ ctx, input }) => loadCandidate(ctx.db, ctx.scope, input.id)),

  /** The system's migration history: each wave that held it, the department's answer and its steps in that run. */
  history: byIdProcedure(READERS)
    .query(async ({ ctx, input }) => candidateHistory(ctx.deps.store, ctx.db, ctx.scope, input.id)),

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

  remove: byIdProcedure(PLANNERS)
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
      if (!(await divisionsRepo.levelOf(ctx.db, input.divisionCode))) throw new InputError(`no division ${input.divisionCode}`, 'divisionCode');
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
      const clouds = await cloudsRepo.list(ctx.db, { ids: [input.targetCloudId, ...(input.source.kind === 'cloud' ? [input.source.cloudId] : [])] });
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
