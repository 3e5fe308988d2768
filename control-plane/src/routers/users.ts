import { z } from 'zod';
import { loginThrottleRepo } from '../auth/login-throttle-repo.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { DEPARTMENT_ROLES, type Role } from '../auth/roles.ts';
import { assertInScope, type Scope } from '../auth/scope.ts';
import type { Caller } from '../context.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import type { Queryable } from '../store/store.ts';
import { tokensRepo } from '../auth/tokens-repo.ts';
import { toUserView, usersRepo, type UserRow } from '../auth/users-repo.ts';
import { authedProcedure, byIdProcedure, router } from '../trpc.ts';
import { displayNameSchema, idSchema, pageFields, passwordInputSchema, rolesSchema, usernameSchema } from '../schemas.ts';

const MANAGERS = ['admin', 'department-admin'] as const;

/**
 * Admins manage every user. A department admin manages the users of their own department subtree and
 * may hand out only department roles: nobody can grant more than they hold.
 */
function assertMayGrant(caller: Caller, roles: readonly Role[]): void {
  if (caller.roles.includes('admin')) return;
  const beyond = roles.filter((r) => !DEPARTMENT_ROLES.includes(r));
  if (beyond.length) throw new ForbiddenError(`a department admin cannot grant ${beyond.join(', ')}`);
}

async function assertDepartmentFits(db: Queryable, scope: Scope, departmentId: string | null, roles: readonly Role[]) {
  if (departmentId !== null && !(await departmentsRepo.byId(db, departmentId))) {
    throw new InputError('no such department', 'departmentId');
  }
  if (departmentId === null && roles.some((r) => DEPARTMENT_ROLES.includes(r))) {
    throw new InputError('department roles need a department', 'departmentId');
  }
  assertInScope(scope, departmentId, 'that department');
}

async function loadInScope(db: Queryable, scope: Scope, id: string): Promise<UserRow> {
  const user = await usersRepo.byId(db, id);
  if (!user) throw new NotFoundError('user not found');
  assertInScope(scope, user.departmentId, 'that user');
  return user;
}

export const usersRouter = router({
  list: authedProcedure
    .meta({ roles: ['admin', 'department-admin', 'auditor'] })
    .input(z.object({ search: z.string().max(64).optional(), departmentId: idSchema.optional(), ...pageFields }).prefault({}))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      const page = await usersRepo.page(ctx.db, { departmentIds: ctx.scope.departmentIds, ...filter }, { cursor, limit });
      return { items: page.items.map((u) => toUserView(u)), nextCursor: page.nextCursor };
    }),

  create: authedProcedure
    .meta({ roles: MANAGERS })
    .input(z.object({
      username: usernameSchema, displayName: displayNameSchema, password: passwordInputSchema,
      departmentId: idSchema.nullable(), roles: rolesSchema,
    }))
    .mutation(async ({ ctx, input }) => {
      assertMayGrant(ctx.caller, input.roles);
      await assertDepartmentFits(ctx.db, ctx.scope, input.departmentId, input.roles);
      const problem = passwordProblem(input.password, input);
      if (problem) throw new InputError(problem, 'password');
      if (await usersRepo.byUsername(ctx.db, input.username)) throw new ConflictError(`username ${input.username} is taken`, 'username');
      const id = newId();
      // An initial password is set by someone else, so its owner must replace it at first sign-in.
      await usersRepo.insert(ctx.db, { id, username: input.username, displayName: input.displayName, departmentId: input.departmentId, roles: input.roles, passwordHash: await hashPassword(input.password), mustChangePassword: true });
      const view = toUserView((await usersRepo.byId(ctx.db, id))!);
      Object.assign(ctx.audit, { target: `user:${id}`, after: view });
      return view;
    }),

  update: authedProcedure
    .meta({ roles: MANAGERS })
    .input(z.object({
      id: idSchema, displayName: displayNameSchema.optional(), departmentId: idSchema.nullable().optional(),
      roles: rolesSchema.optional(), disabled: z.boolean().optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      const before = await loadInScope(ctx.db, ctx.scope, input.id);
      const roles = input.roles ?? before.roles;
      const departmentId = input.departmentId !== undefined ? input.departmentId : before.departmentId;
      if (input.roles) assertMayGrant(ctx.caller, input.roles);
      if (!ctx.caller.roles.includes('admin')) assertMayGrant(ctx.caller, before.roles);
      await assertDepartmentFits(ctx.db, ctx.scope, departmentId, roles);
      if (input.id === ctx.caller.userId && (input.disabled || (ctx.caller.roles.includes('admin') && !roles.includes('admin')))) {
        throw new InputError('you cannot disable yourself or remove your own admin role', input.disabled ? 'disabled' : 'roles');
      }
      await usersRepo.update(ctx.db, input.id, { displayName: input.displayName, departmentId: input.departmentId, roles: input.roles, disabled: input.disabled });
      if (input.disabled) await tokensRepo.revokeAllForUser(ctx.db, input.id);
      const after = toUserView((await usersRepo.byId(ctx.db, input.id))!);
      Object.assign(ctx.audit, { target: `user:${input.id}`, before: toUserView(before), after });
      return after;
    }),

  resetPassword: authedProcedure
    .meta({ roles: MANAGERS })
    .input(z.object({ id: idSchema, newPassword: passwordInputSchema }))
    .mutation(async ({ ctx, input }) => {
      const user = await loadInScope(ctx.db, ctx.scope, input.id);
      if (!ctx.caller.roles.includes('admin')) assertMayGrant(ctx.caller, user.roles);
      const problem = passwordProblem(input.newPassword, user);
      if (problem) throw new InputError(problem, 'newPassword');
      await usersRepo.setPassword(ctx.db, user.id, await hashPassword(input.newPassword), true);
      await tokensRepo.revokeAllForUser(ctx.db, user.id);
      ctx.audit.target = `user:${user.id}`;
      return { ok: true as const };
    }),

  unlock: byIdProcedure(MANAGERS)
    .mutation(async ({ ctx, input }) => {
      const before = await loadInScope(ctx.db, ctx.scope, input.id);
      await loginThrottleRepo.unlock(ctx.db, input.id);
      const after = toUserView((await usersRepo.byId(ctx.db, input.id))!);
      Object.assign(ctx.audit, { target: `user:${input.id}`, before: { locked: toUserView(before).locked }, after: { locked: after.locked } });
      return after;
    }),
});
