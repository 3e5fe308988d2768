import { z } from 'zod';
import { login, loginError } from '../auth/login.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password.ts';
import { recordSecurityEvent } from '../auth/security-events.ts';
import { issueToken } from '../auth/sessions.ts';
import { ForbiddenError, InputError, NotFoundError } from '../errors.ts';
import { tokensRepo } from '../auth/tokens-repo.ts';
import { usersRepo } from '../auth/users-repo.ts';
import { authedProcedure, procedure, router } from '../trpc.ts';
import { passwordInputSchema } from '../schemas.ts';

const me = async (db: Parameters<typeof usersRepo.byId>[0], userId: string) => {
  const u = await usersRepo.byId(db, userId);
  if (!u) throw new NotFoundError('user not found');
  return {
    id: u.id, username: u.username, displayName: u.displayName, departmentId: u.departmentId,
    departmentName: u.departmentName, roles: u.roles, mustChangePassword: u.mustChangePassword,
  };
};

export const authRouter = router({
  login: procedure
    .meta({ roles: 'public', selfManaged: true })
    .input(z.object({ username: z.string().min(1).max(64), password: passwordInputSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.actor = input.username;
      const outcome = await login(ctx.deps, input.username, input.password, ctx.requestId, { source: ctx.source });
      if (!outcome.ok) {
        ctx.deps.metrics.loginFailures.inc({ reason: outcome.reason });
        if (outcome.user) ctx.audit.target = `user:${outcome.user.id}`;
        if (outcome.lockedNow) {
          await recordSecurityEvent(ctx.deps, {
            event: 'auth.lockout', actorId: null, actor: outcome.lockedNow.username, target: `user:${outcome.lockedNow.userId}`,
            requestId: ctx.requestId, source: ctx.source, detail: 'account locked after repeated failed sign-ins',
            after: { source: ctx.source, lockedUntil: outcome.lockedNow.until?.toISOString() ?? null },
          });
        }
        if (outcome.sourceLockedNow) {
          await recordSecurityEvent(ctx.deps, {
            event: 'auth.sourceLockout', actorId: null, actor: null, target: ctx.source ? `source:${ctx.source}` : null,
            requestId: ctx.requestId, source: ctx.source, detail: 'source address locked after repeated failed sign-ins',
          });
        }
        throw loginError(outcome.reason);
      }
      return { token: outcome.token, expiresAt: outcome.expiresAt.toISOString(), user: await me(ctx.deps.store, outcome.user.id) };
    }),

  /**
   * The caller as the token resolved them: the verified caller (auth/caller-cache.ts) already holds every field,
   * and any change to them clears it, so the console's most frequent call costs no query.
   */
  me: authedProcedure.meta({ roles: 'authenticated' }).query(({ ctx }) => {
    const c = ctx.caller;
    return { id: c.userId, username: c.username, displayName: c.displayName, departmentId: c.departmentId, departmentName: c.departmentName, roles: c.roles, mustChangePassword: c.mustChangePassword };
  }),

  logout: authedProcedure.meta({ roles: 'authenticated' }).mutation(async ({ ctx }) => {
    await tokensRepo.revoke(ctx.db, ctx.caller.tokenId, ctx.caller.userId);
    ctx.audit.target = `token:${ctx.caller.tokenId}`;
    return { ok: true as const };
  }),

  changePassword: authedProcedure
    .meta({ roles: 'authenticated' })
    .input(z.object({ currentPassword: passwordInputSchema, newPassword: passwordInputSchema }))
    .mutation(async ({ ctx, input }) => {
      const user = await usersRepo.byId(ctx.db, ctx.caller.userId);
      if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
        throw new InputError('current password is wrong', 'currentPassword', { code: 'auth.passwordWrong' });
      }
      const problem = passwordProblem(input.newPassword, user);
      if (problem) throw new InputError(problem, 'newPassword', { code: 'auth.passwordWeak', params: { minLength: 12 } });
      if (input.newPassword === input.currentPassword) throw new InputError('the new password must differ from the current one', 'newPassword', { code: 'auth.passwordUnchanged' });
      await usersRepo.setPassword(ctx.db, user.id, await hashPassword(input.newPassword), false);
      // Every other session of this user ends: a changed password should lock out whoever knew the old one.
      await tokensRepo.revokeAllForUser(ctx.db, user.id, ctx.caller.tokenId);
      ctx.audit.target = `user:${user.id}`;
      return { ok: true as const };
    }),

  createApiToken: authedProcedure
    .meta({ roles: 'authenticated' })
    .input(z.object({ name: z.string().trim().min(1).max(100), ttlDays: z.number().int().min(1).max(365) }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.caller.tokenKind === 'api') throw new ForbiddenError('an API token cannot create further tokens; sign in');
      const issued = await issueToken(ctx.db, { userId: ctx.caller.userId, kind: 'api', name: input.name, ttlMinutes: input.ttlDays * 24 * 60 });
      ctx.audit.target = `token:${issued.id}`;
      ctx.audit.after = { name: input.name, expiresAt: issued.expiresAt.toISOString() };
      return { id: issued.id, token: issued.token, expiresAt: issued.expiresAt.toISOString() };
    }),

  listApiTokens: authedProcedure.meta({ roles: 'authenticated' }).query(async ({ ctx }) => ({
    items: (await tokensRepo.listForUser(ctx.db, ctx.caller.userId, 'api')).map((t) => ({
      id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt.toISOString(),
      revokedAt: t.revokedAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    })),
  })),

  /** Revokes one of the caller's tokens; an admin may revoke anyone's. */
  revokeToken: authedProcedure
    .meta({ roles: 'authenticated' })
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const owner = ctx.caller.roles.includes('admin') ? null : ctx.caller.userId;
      const revoked = await tokensRepo.revoke(ctx.db, input.id, owner);
      if (!revoked) throw new NotFoundError('no such token of yours');
      ctx.audit.target = `token:${input.id}`;
      return { ok: true as const };
    }),
});

