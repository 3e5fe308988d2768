import { z } from 'zod';
import { assertInScope } from '../auth/scope.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { divisionsRepo } from '../departments/divisions-repo.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import type { Queryable } from '../store/store.ts';
import { authedProcedure, byIdProcedure, router } from '../trpc.ts';
import { ANY_ROLE } from '../auth/roles.ts';
import { creditCodeSchema, divisionCodeSchema, idSchema } from '../schemas.ts';

const fields = {
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'),
  creditCode: creditCodeSchema,
  parentId: idSchema.nullable(),
  divisionCode: divisionCodeSchema,
};

async function checkReferences(db: Queryable, d: { id?: string; name: string; creditCode: string; parentId: string | null; divisionCode: string }) {
  if (!(await divisionsRepo.levelOf(db, d.divisionCode))) throw new InputError(`no division with code ${d.divisionCode} in Jiangxi`, 'divisionCode');
  if (d.parentId !== null) {
    if (!(await departmentsRepo.byId(db, d.parentId))) throw new InputError('no such parent department', 'parentId');
    if (d.id && (await departmentsRepo.subtreeIds(db, d.id)).includes(d.parentId)) {
      throw new InputError('a department cannot sit below itself or one of its own sub-departments', 'parentId');
    }
  }
  const clash = await departmentsRepo.clashing(db, d);
  if (clash?.creditCode === d.creditCode) throw new ConflictError(`credit code ${d.creditCode} belongs to ${clash.name}`, 'creditCode');
  if (clash) throw new ConflictError(`a department named ${d.name} exists`, 'name');
}

export const departmentsRouter = router({
  list: authedProcedure
    .meta({ roles: ANY_ROLE })
    .query(async ({ ctx }) => ({ items: await departmentsRepo.list(ctx.db, ctx.scope.departmentIds) })),

  get: byIdProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => {
      const d = await departmentsRepo.byId(ctx.db, input.id);
      if (!d) throw new NotFoundError('department not found');
      assertInScope(ctx.scope, d.id, 'that department');
      return d;
    }),

  create: authedProcedure
    .meta({ roles: ['admin'] })
    .input(z.object(fields))
    .mutation(async ({ ctx, input }) => {
      await checkReferences(ctx.db, input);
      const id = newId();
      await departmentsRepo.insert(ctx.db, { id, ...input });
      const after = (await departmentsRepo.byId(ctx.db, id))!;
      Object.assign(ctx.audit, { target: `department:${id}`, after });
      return after;
    }),

  update: authedProcedure
    .meta({ roles: ['admin'] })
    .input(z.object({ id: idSchema, ...z.object(fields).partial().shape }))
    .mutation(async ({ ctx, input }) => {
      const before = await departmentsRepo.byId(ctx.db, input.id);
      if (!before) throw new NotFoundError('department not found');
      const next = {
        id: input.id, name: input.name ?? before.name, creditCode: input.creditCode ?? before.creditCode,
        parentId: input.parentId !== undefined ? input.parentId : before.parentId, divisionCode: input.divisionCode ?? before.divisionCode,
      };
      await checkReferences(ctx.db, next);
      await departmentsRepo.update(ctx.db, input.id, next);
      const after = (await departmentsRepo.byId(ctx.db, input.id))!;
      Object.assign(ctx.audit, { target: `department:${input.id}`, before, after });
      return after;
    }),

  delete: byIdProcedure(['admin'])
    .mutation(async ({ ctx, input }) => {
      const before = await departmentsRepo.byId(ctx.db, input.id);
      if (!before) throw new NotFoundError('department not found');
      const deps = await departmentsRepo.dependents(ctx.db, input.id);
      if (deps.users || deps.children) {
        throw new ConflictError(`${before.name} still has ${deps.users} users and ${deps.children} sub-departments; move or remove them first`);
      }
      await departmentsRepo.delete(ctx.db, input.id);
      Object.assign(ctx.audit, { target: `department:${input.id}`, before });
      return { ok: true as const };
    }),
});
