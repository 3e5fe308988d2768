import { TRPCError, initTRPC } from '@trpc/server';
import { performance } from 'node:perf_hooks';
import type { Role } from './auth/roles.ts';
import { scopeOf, type Scope } from './auth/scope.ts';
import { resolveCaller } from './auth/sessions.ts';
import type { Caller, Context } from './context.ts';
import type { Queryable } from './store/store.ts';
import { fieldErrorsOf, reasonOf, toTRPCError } from './error-mapping.ts';
import { AuthenticationError, ForbiddenError, InputError } from './errors.ts';
import { illFormedTextPath } from './input-text.ts';
import { recordSecurityEvent } from './auth/security-events.ts';
import { hashToken } from './auth/tokens.ts';
import { tokensRepo } from './auth/tokens-repo.ts';
import { z } from 'zod';
import { idSchema, pageFields } from './schemas.ts';

/**
 * The only initTRPC. Every procedure declares who may call it in its meta; the catalog publishes that.
 *  - 'public': anyone (login, health-like info)
 *  - 'authenticated': any signed-in user (own profile, logout)
 *  - a list of roles: callers holding at least one of them
 * A procedure that declares nothing is refused for everyone: forgetting is safe.
 */
export interface Meta {
  roles: readonly Role[] | 'public' | 'authenticated';
  /** The procedure runs its own transactions and success audit (login: a failure must still count). */
  selfManaged?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    isDev: false, // never send stack traces to clients
    // `reason` is what the console translates (issue 17.4); `message` a plain English sentence, never JSON, a stack
    // or database text; `fieldErrors` the English per-field messages for API callers.
    errorFormatter({ shape, error }) {
      const mapped = toTRPCError(error);
      return { ...shape, message: mapped.message, data: { ...shape.data, reason: reasonOf(mapped), fieldErrors: fieldErrorsOf(mapped) } };
    },
    sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Paths a user who must change their password may still call. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['auth.me', 'auth.changePassword', 'auth.logout']);

/**
 * Outermost: metrics, logs, the domain→protocol error mapping, and the audit record of every failed
 * mutation and every denied call (written after any transaction has rolled back, so it survives).
 */
const edge = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  let result = await next();
  // A subscription's refusals (scope, not found) come while it streams, after this middleware returned: they
  // get the same mapping and audit as any other call's (issue 19.6).
  if (result.ok && type === 'subscription' && isAsyncIterable(result.data)) {
    result = { ...result, data: mapStreamErrors(result.data, (cause) => refused(ctx, path, type, toTRPCError(asTRPCError(cause)))) };
  }
  const error = result.ok ? null : toTRPCError(result.error);
  const outcome = error ? error.code : 'ok';
  const seconds = (performance.now() - started) / 1000;
  ctx.deps.metrics.apiCall(path, outcome, seconds);
  if (!error) return result;
  throw await refused(ctx, path, type, error);
});

/** Logs and audits a failed call; returns the error to throw. */
async function refused(ctx: Context, path: string, type: string, error: TRPCError): Promise<TRPCError> {
  if (error.code === 'INTERNAL_SERVER_ERROR') ctx.log.error({ err: error.cause ?? error, path }, 'procedure failed');
  else ctx.log.info({ path, code: error.code, msg: error.message }, 'procedure refused');
  const caller = (ctx as { caller?: Caller | null }).caller ?? null;
  const denied = error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN';
  if (!caller && (denied || error.code === 'BAD_REQUEST' || error.code === 'TOO_MANY_REQUESTS')) {
    // Refused anonymous calls are counted and sampled into the log, not chained (issue 19.7): an unauthenticated
    // flood must neither fill the trail nor queue every audited write behind the chain head. What is security
    // relevant about them (a lockout, a refused token of a real account) is recorded by auth/security-events.ts.
    ctx.deps.metrics.anonymousRefusals.inc({ procedure: path, code: error.code });
    if (sampleAnonymousRefusal()) ctx.log.warn({ path, code: error.code, source: ctx.source }, 'anonymous call refused (sampled: 1 line a second)');
    if (path === 'auth.login' && ctx.audit.target) {
      await recordSecurityEvent(ctx.deps, {
        event: 'auth.login', actorId: null, actor: ctx.audit.actor ?? null, target: ctx.audit.target, requestId: ctx.requestId,
        source: ctx.source, detail: `${error.code}: ${error.message}`, after: { source: ctx.source },
      });
    }
    return error;
  }
  if (type === 'mutation' || denied || type === 'subscription') await auditFailure(ctx, path, denied ? 'denied' : 'error', error);
  return error;
}

let lastSampleAt = 0;
function sampleAnonymousRefusal(): boolean {
  const now = Date.now();
  if (now - lastSampleAt < 1000) return false;
  lastSampleAt = now;
  return true;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function asTRPCError(cause: unknown): TRPCError {
  return cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: cause instanceof Error ? cause : new Error(String(cause)) });
}

async function* mapStreamErrors<T>(source: AsyncIterable<T>, onError: (cause: unknown) => Promise<TRPCError>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (cause) {
    throw await onError(cause);
  }
}

async function auditFailure(ctx: Context & { caller?: Caller | null }, path: string, outcome: 'denied' | 'error', error: TRPCError) {
  const caller = (ctx as { caller?: Caller | null }).caller ?? null;
  try {
    const record = await ctx.deps.store.transaction((tx) =>
      ctx.deps.audit.append(tx, {
        actorId: caller?.userId ?? null,
        actor: caller?.username ?? ctx.audit.actor ?? null,
        role: caller?.roles.join(',') ?? null,
        procedure: path,
        target: ctx.audit.target ?? null,
        outcome,
        before: null,
        after: null,
        requestId: ctx.requestId,
        error: `${error.code}: ${error.message}`.slice(0, 500),
      }),
    );
    ctx.deps.audit.published([record]);
  } catch (auditError) {
    ctx.log.error({ err: auditError, path }, 'could not append the audit record of a failed call');
  }
}

export const publicProcedure = t.procedure.use(edge);

/**
 * Admits a call: resolves the caller, checks the declared roles and the password-change rule, and checks that the
 * input text is well-formed Unicode without NUL (input-text.ts), once for every procedure. One middleware, not three
 * (issue 15): tRPC copies the call's options and context at every middleware, which was a fifth of a cached read.
 */
async function admit(ctx: Context, meta: Meta | undefined, path: string, getRawInput: () => Promise<unknown>): Promise<{ caller: Caller | null; scope: Scope }> {
  const roles = meta?.roles;
  let admitted: { caller: Caller | null; scope: Scope };
  if (roles === 'public') admitted = { caller: null, scope: { departmentIds: [] } };
  else {
    const caller = ctx.token ? await resolveCaller(ctx.deps.store, ctx.token, ctx.deps.callers) : null;
    if (!caller) {
      if (ctx.token) await recordRefusedToken(ctx, path, ctx.token);
      throw new AuthenticationError('sign in first: the token is missing, expired or revoked');
    }
    // From here on failures name the caller in the audit record.
    (ctx as { caller?: Caller }).caller = caller;
    if (!roles) throw new ForbiddenError(`${path} declares no roles and is closed`);
    if (roles !== 'authenticated' && !caller.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenError(`${path} needs one of the roles: ${roles.join(', ')}`, { code: 'auth.roleMissing', params: { roles: roles.join(', ') } });
    }
    if (caller.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(path)) {
      throw new ForbiddenError('change your password before doing anything else', { code: 'auth.passwordChangeRequired' });
    }
    admitted = { caller, scope: await scopeOf(ctx.deps.store, caller, ctx.deps.callers) };
  }
  const where = illFormedTextPath(await getRawInput());
  if (where !== null) {
    throw new InputError(`text at ${where} is not well-formed Unicode or holds a NUL character`, where === '(input)' ? undefined : where, { code: 'input.malformed' });
  }
  return admitted;
}

// The procedure's name travels in the context: audit records written outside the unit of work (a group commit's) take it from there.
const authorize = t.middleware(async ({ ctx, meta, path, getRawInput, next }) => {
  const { caller, scope } = await admit(ctx, meta, path, getRawInput);
  return next({ ctx: { caller, scope, procedure: path } });
});

/** The same admission for procedures that need a signed-in caller: `caller` typed non-null. */
const authorizeSignedIn = t.middleware(async ({ ctx, meta, path, getRawInput, next }) => {
  const { caller, scope } = await admit(ctx, meta, path, getRawInput);
  if (!caller) throw new AuthenticationError('sign in first');
  return next({ ctx: { caller, scope, procedure: path } });
});

/** A refused token that belonged to a real account (expired, revoked, its user disabled) is a security event. */
async function recordRefusedToken(ctx: Context, path: string, token: string): Promise<void> {
  const owner = await tokensRepo.ownerOfHash(ctx.deps.store, hashToken(token));
  if (!owner) return;
  await recordSecurityEvent(ctx.deps, {
    event: 'auth.tokenRefused', actorId: owner.userId, actor: owner.username, target: `token:${owner.tokenId}`, requestId: ctx.requestId,
    source: ctx.source, detail: `${path}: the token is expired, revoked or its user disabled`,
  });
}

/**
 * A mutation is one unit of work: it runs in a transaction (exposed as ctx.db) and its audit record is
 * appended in that same transaction, so a change without its record (or the reverse) cannot be committed.
 */
const unitOfWork = t.middleware(async ({ ctx, meta, path, type, next }) => {
  if (type !== 'mutation' || meta?.selfManaged) return next();
  return commitUnitOfWork(ctx, path, async (tx) => {
    const result = await next({ ctx: { db: tx } });
    if (!result.ok) throw result.error; // roll back; `edge` audits the failure
    return result;
  });
});

/**
 * Runs `work` in one transaction that also appends the success audit record (from `ctx.audit`), then
 * publishes the record to live followers. The unit-of-work middleware uses it for every mutation; a
 * `selfManaged` mutation that must do slow network I/O first (an SSH probe, a device that may hang for its
 * whole timeout) calls it after the I/O, so no transaction is held open across the wait: on PostgreSQL that
 * would pin a pooled connection, on the embedded store the only connection there is.
 */
export async function commitUnitOfWork<T>(ctx: Context, path: string, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const caller = (ctx as { caller?: Caller | null }).caller ?? null;
  const { record, value } = await ctx.deps.store.transaction(async (tx) => {
    const value = await work(tx);
    const record = await ctx.deps.audit.append(tx, {
      actorId: caller?.userId ?? null,
      actor: caller?.username ?? ctx.audit.actor ?? null,
      role: caller?.roles.join(',') ?? null,
      procedure: path,
      target: ctx.audit.target ?? null,
      outcome: 'ok',
      before: ctx.audit.before ?? null,
      after: ctx.audit.after ?? null,
      requestId: ctx.requestId,
      error: null,
    });
    return { record, value };
  });
  ctx.deps.audit.published([record]);
  // Who a token stands for may just have changed (logout, revocation, roles, a disabled user): forget them all.
  if (IDENTITY_ROUTERS.some((prefix) => path.startsWith(prefix))) ctx.deps.callers.clear();
  // A cloud registered, changed, checked or synced here is seen by this replica's next list without waiting for
  // the notification (federation/cloud-summaries.ts); other replicas hear it from the database.
  if (path.startsWith('clouds.') || path.startsWith('devices.')) ctx.deps.cloudSummaries.invalidate();
  return value;
}

/** Routers whose mutations change users, tokens, sessions or the department tree (see auth/caller-cache.ts). */
const IDENTITY_ROUTERS = ['auth.', 'users.', 'departments.'];

/** Every application procedure starts here and declares its roles with `.meta({ roles })`. */
export const procedure = publicProcedure.use(authorize).use(unitOfWork);

/** For procedures that need a signed-in caller: `caller` is non-null. */
export const authedProcedure = publicProcedure.use(authorizeSignedIn).use(unitOfWork);

/** A signed-in procedure on one object named by its id: its input is `{ id }`. */
export const byIdProcedure = (roles: Meta['roles']) => authedProcedure.meta({ roles }).input(z.object({ id: idSchema }));

/** A signed-in list read a page at a time: its input is the page fields (cursor, limit), every one optional. */
export const pageProcedure = (roles: Meta['roles']) => authedProcedure.meta({ roles }).input(z.object(pageFields).prefault({}));
