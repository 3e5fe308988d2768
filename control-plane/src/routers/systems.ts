import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { assertInScope } from '../auth/scope.ts';
import { ConflictError, InputError } from '../errors.ts';
import { newId } from '../ids.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import { requestsRepo } from '../requests/requests-repo.ts';
import { checkOwner, loadSystem, setDependencies, systemImage } from '../systems/system-service.ts';
import { dependsOnSchema, statusSchema, systemFieldsSchema } from '../systems/system-schemas.ts';
import { complianceOf, currentCompliance } from '../placement/placement-compliance.ts';
import { systemsRepo, type SystemRow } from '../systems/systems-repo.ts';
import { authedProcedure, byIdProcedure, router } from '../trpc.ts';
import { idSchema, pageFields } from '../schemas.ts';

/** Who may register and change business systems: admins, and department people for their own department. */
export const SYSTEM_WRITERS = ['admin', 'department-admin', 'department-user'] as const;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const view = (s: SystemRow) => {
  const { createdAt, updatedAt, ownerName: _owner, ...rest } = s;
  return { ...rest, createdAt: iso(createdAt)!, updatedAt: iso(updatedAt)! };
};

export const systemsRouter = router({
  list: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ status: statusSchema.optional(), search: z.string().trim().max(100).optional(), departmentId: idSchema.optional(), ...pageFields }).prefault({}))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      const page = await systemsRepo.page(ctx.db, { departmentIds: ctx.scope.departmentIds, ...filter }, { cursor, limit });
      // The rows come built by the statement (systemsRepo.page); only a verdict that is no longer current is recomputed.
      return { items: await currentCompliance(ctx.db, page.items), nextCursor: page.nextCursor };
    }),

  get: byIdProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => {
      const s = await loadSystem(ctx.db, ctx.scope, input.id);
      const compliance = (await complianceOf(ctx.db, [s])).get(s.id)!;
      return { ...view(s), ownerName: s.ownerName, ...compliance, dependsOn: await systemsRepo.dependsOn(ctx.db, s.id), dependents: await systemsRepo.dependents(ctx.db, s.id) };
    }),

  create: authedProcedure
    .meta({ roles: SYSTEM_WRITERS })
    .input(systemFieldsSchema.extend({ departmentId: idSchema.optional(), dependsOn: dependsOnSchema.default([]) }))
    .mutation(async ({ ctx, input }) => {
      const departmentId = input.departmentId ?? ctx.caller.departmentId;
      if (!departmentId) throw new InputError('name the department the system belongs to', 'departmentId');
      if (!(await departmentsRepo.byId(ctx.db, departmentId))) throw new InputError('no such department', 'departmentId');
      assertInScope(ctx.scope, departmentId, 'that department');
      const { dependsOn, departmentId: _d, ...fields } = input;
      if (await systemsRepo.nameTaken(ctx.db, departmentId, fields.name)) throw new ConflictError(`the department already has a system named ${fields.name}`, 'name');
      await checkOwner(ctx.db, departmentId, fields.ownerUserId);
      const id = newId();
      ctx.audit.target = `system:${id}`;
      await systemsRepo.insert(ctx.db, id, departmentId, fields);
      await setDependencies(ctx.db, ctx.scope, id, dependsOn);
      const after = (await systemsRepo.byId(ctx.db, id))!;
      ctx.audit.after = systemImage(after, dependsOn);
      return view(after);
    }),

  update: authedProcedure
    .meta({ roles: SYSTEM_WRITERS })
    .input(systemFieldsSchema.partial().extend({ id: idSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `system:${input.id}`;
      const before = await loadSystem(ctx.db, ctx.scope, input.id, { forUpdate: true });
      if (before.status === 'retired') throw new ConflictError('a retired system cannot be changed');
      const { id, ...patch } = input;
      const fields = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as typeof before;
      if (fields.name !== before.name && (await systemsRepo.nameTaken(ctx.db, before.departmentId, fields.name, id))) {
        throw new ConflictError(`the department already has a system named ${fields.name}`, 'name');
      }
      await checkOwner(ctx.db, before.departmentId, fields.ownerUserId);
      await systemsRepo.update(ctx.db, id, fields);
      const after = (await systemsRepo.byId(ctx.db, id))!;
      Object.assign(ctx.audit, { before: systemImage(before), after: systemImage(after) });
      return view(after);
    }),

  setDependencies: authedProcedure
    .meta({ roles: SYSTEM_WRITERS })
    .input(z.object({ id: idSchema, dependsOn: dependsOnSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `system:${input.id}`;
      await loadSystem(ctx.db, ctx.scope, input.id, { forUpdate: true });
      const before = (await systemsRepo.dependsOn(ctx.db, input.id)).map((d) => d.id);
      await setDependencies(ctx.db, ctx.scope, input.id, input.dependsOn);
      Object.assign(ctx.audit, { before: { dependsOn: before }, after: { dependsOn: input.dependsOn } });
      return { dependsOn: await systemsRepo.dependsOn(ctx.db, input.id) };
    }),

  /** Retires a system that is not on the way onto or off a cloud and that nothing live depends on. */
  retire: byIdProcedure(SYSTEM_WRITERS)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `system:${input.id}`;
      const before = await loadSystem(ctx.db, ctx.scope, input.id, { forUpdate: true });
      const live = (await systemsRepo.dependents(ctx.db, input.id)).filter((d) => d.status !== 'retired');
      if (live.length) throw new ConflictError(`still needed by ${live.map((d) => d.name).join(', ')}`);
      if (!(await systemsRepo.setStatus(ctx.db, input.id, 'retired', { from: ['registered', 'on-cloud'] }))) {
        throw new ConflictError(`a system that is ${before.status} cannot be retired now`);
      }
      const after = (await systemsRepo.byId(ctx.db, input.id))!;
      Object.assign(ctx.audit, { before: systemImage(before), after: systemImage(after) });
      return view(after);
    }),

  /** Deletes a system registered by mistake: only while registered, never placed, with nothing depending on it. */
  delete: byIdProcedure(SYSTEM_WRITERS)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `system:${input.id}`;
      const before = await loadSystem(ctx.db, ctx.scope, input.id, { forUpdate: true });
      if (before.status !== 'registered' || before.cloudId) throw new ConflictError(`a system that is ${before.status} cannot be deleted; retire it`);
      const dependents = await systemsRepo.dependents(ctx.db, input.id);
      if (dependents.length) throw new ConflictError(`still needed by ${dependents.map((d) => d.name).join(', ')}`);
      if (await requestsRepo.anyForSystem(ctx.db, input.id)) throw new ConflictError('the system has resource requests; retire it instead');
      await systemsRepo.delete(ctx.db, input.id);
      ctx.audit.before = systemImage(before);
      return { id: input.id };
    }),
});
