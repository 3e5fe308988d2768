import { Writable } from 'node:stream';
import { AuditLog } from '../audit/audit-log.ts';
import type { FederationOptions } from '../federation/federation.ts';
import { createAppDeps } from '../app-deps.ts';
import { hashPassword } from '../auth/password.ts';
import type { Role } from '../auth/roles.ts';
import { issueToken } from '../auth/sessions.ts';
import { createContextInner, type AppDeps } from '../context.ts';
import { checkCharacter } from '../domain/credit-code.ts';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { fieldErrorsOf, reasonOf, type ErrorReason } from '../error-mapping.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { appRouter } from '../routers/_app.ts';
import { SealingService } from '../secrets/sealing.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import { usersRepo } from '../auth/users-repo.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { observeStore, type Queryable } from '../store/store.ts';
import { createCallerFactory } from '../trpc.ts';
import { resetTestStore } from './test-store.ts';
import { deriveAuditKeys } from '../audit/chain.ts';
import { MemoryCheckpointSink } from '../audit/checkpoints.ts';

/** Fixed audit keys for specs (the sealing key of freshDeps is fixed too). */
export const TEST_AUDIT_KEYS = deriveAuditKeys(Buffer.alloc(32, 7));

export const TEST_PASSWORD = 'Test-Password-123';
let passwordHash: Promise<string> | undefined;
const createCaller = createCallerFactory(appRouter);

/** Captures log lines so specs can assert that secrets never reach the log. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  get text() {
    return this.lines.join('');
  }
}

/** Fresh, empty application state on the shared test store. */
export async function freshDeps(overrides: Partial<AppDeps['settings']> = {}, federation: Partial<FederationOptions> = {}): Promise<AppDeps & { logs: LogCapture }> {
  const logs = new LogCapture();
  const metrics = createMetrics();
  const store = observeStore(await resetTestStore(), (seconds, ok) => metrics.storeQueryDuration.observe({ outcome: ok ? 'ok' : 'error' }, seconds));
  const deps = createAppDeps({
    store,
    audit: new AuditLog(TEST_AUDIT_KEYS, new MemoryCheckpointSink(), (outcome) => metrics.auditAppends.inc({ outcome })),
    sealing: new SealingService(Buffer.alloc(32, 7)),
    metrics,
    log: createLogger('debug', logs),
    version: 'test',
    settings: { tokenTtlMinutes: 60, lockoutThreshold: 5, lockoutMinutes: 15, sourceLockoutThreshold: 30, ...overrides },
    // Off: specs change tokens and users with SQL behind the API's back; caller-cache.test.ts covers the cache.
    callerCacheMs: 0,
    federation: { ...TEST_FEDERATION_OPTIONS, ...federation, resilience: { ...TEST_FEDERATION_OPTIONS.resilience, ...federation.resilience } },
  });
  return Object.assign(deps, { logs });
}

/** Fast retries and short deadlines, so fault specs run in milliseconds; several pages per listing. */
export const TEST_FEDERATION_OPTIONS: Partial<FederationOptions> = {
  fanOutDeadlineMs: 2_000,
  pageSize: 100,
  pagesPerSecond: 10_000,
  resilience: { timeoutMs: 2_000, initialDelayMs: 5, maxDelayMs: 50, halfOpenAfterMs: 60_000 },
};

/** A department with a valid credit code derived from `seed` (codes differ per seed). */
export async function seedDepartment(deps: AppDeps, name: string, opts: { parentId?: string | null; divisionCode?: string } = {}) {
  const body = `11360000${String(Math.abs(hashCode(name)) % 1e9).padStart(9, '0')}`;
  const id = newId();
  await departmentsRepo.insert(deps.store, { id, name, creditCode: body + checkCharacter(body), parentId: opts.parentId ?? null, divisionCode: opts.divisionCode ?? '36' });
  return (await departmentsRepo.byId(deps.store, id))!;
}

function hashCode(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.codePointAt(0)!) | 0;
  return h;
}

/** Two departments side by side for scope specs: 赣州市数据局 (`mine`, the caller's) and 九江市数据局 (`other`). */
export async function seedTwoDepartments(deps: AppDeps): Promise<{ mine: string; other: string }> {
  const mine = (await seedDepartment(deps, '赣州市数据局')).id;
  const other = (await seedDepartment(deps, '九江市数据局')).id;
  return { mine, other };
}

/**
 * Fresh test state with the two departments of `seedTwoDepartments`: the usual start of a department-scope spec,
 * one assignment in its beforeEach (`({ deps, mine, other } = await freshDepsWithTwoDepartments())`).
 */
export async function freshDepsWithTwoDepartments(): Promise<{ deps: AppDeps & { logs: LogCapture }; mine: string; other: string }> {
  const deps = await freshDeps();
  return { deps, ...(await seedTwoDepartments(deps)) };
}

export async function seedUser(deps: AppDeps, username: string, roles: Role[], departmentId: string | null = null, mustChangePassword = false) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  await usersRepo.insert(deps.store, { id, username, displayName: username, departmentId, roles, passwordHash: await passwordHash, mustChangePassword });
  return (await usersRepo.byId(deps.store, id))!;
}

/** A session token for a user (an hour long unless told), as signing in gives. */
export async function sessionToken(deps: AppDeps, userId: string, ttlMinutes = 60): Promise<string> {
  return (await issueToken(deps.store, { userId, kind: 'session', name: null, ttlMinutes })).token;
}

/** A tRPC caller acting as `userId` through a real session token (the same path as HTTP). */
export async function callerAs(deps: AppDeps, userId: string | null) {
  const token = userId ? await sessionToken(deps, userId) : null;
  return anonymousCaller(deps, token);
}

/**
 * The people of a fixture world: each user seeded (in the order given: username, roles, department), then a caller
 * for each; their ids and their callers under the same keys.
 */
export async function seedCallers<K extends string>(
  deps: AppDeps,
  users: Record<K, readonly [username: string, roles: Role[], departmentId?: string]>,
): Promise<{ ids: Record<K, string>; as: Record<K, Awaited<ReturnType<typeof callerAs>>> }> {
  const keys = Object.keys(users) as K[];
  const ids = {} as Record<K, string>;
  for (const k of keys) {
    const [username, roles, departmentId] = users[k];
    ids[k] = (await seedUser(deps, username, roles, departmentId ?? null)).id;
  }
  const as = {} as Record<K, Awaited<ReturnType<typeof callerAs>>>;
  for (const k of keys) as[k] = await callerAs(deps, ids[k]);
  return { ids, as };
}

/** A context per call, as over HTTP: audit notes and the resolved caller belong to one request. */
export function anonymousCaller(deps: AppDeps, token: string | null = null) {
  return createCaller(() => createContextInner(deps, { token, requestId: newId() }));
}

/** Row counts of the tables a failed call must leave untouched. */
export async function snapshot(deps: AppDeps) {
  const [row] = await deps.store.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM departments) AS departments,
            (SELECT count(*)::int FROM tokens) AS tokens,
            (SELECT md5(string_agg(u.username || u.display_name || array_to_string(u.roles, ',') || u.disabled::text || coalesce(u.department_id::text, ''), '|' ORDER BY u.username)) FROM users u) AS "usersDigest",
            (SELECT md5(string_agg(d.name || d.credit_code || d.division_code || coalesce(d.parent_id::text, ''), '|' ORDER BY d.name)) FROM departments d) AS "departmentsDigest"`,
  );
  return row!;
}

/** Records of the audit trail, oldest first. */
export async function auditTrail(deps: AppDeps) {
  return (await deps.audit.list(deps.store, { limit: 1000 })).items.reverse();
}

/** Runs `fn` and returns the tRPC error code it failed with (fails the spec if it succeeded). */
export async function errorOf(fn: () => Promise<unknown>): Promise<{ code: string; message: string; fieldErrors?: Record<string, string[]>; reason: ErrorReason; status: number }> {
  try {
    await fn();
  } catch (error) {
    const e = error as { code?: string; message: string; cause?: unknown };
    const status = error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 0;
    return { code: e.code ?? 'UNKNOWN', message: e.message, fieldErrors: fieldErrorsOf(error as never), reason: reasonOf(error as never), status };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The statuses after which a workflow does nothing more by itself (needs-attention waits for an operator). */
export const WORKFLOW_ENDS: readonly string[] = ['succeeded', 'failed', 'cancelled', 'needs-attention'];

/**
 * Polls a workflow until its status is one of `ends`, and returns it; fails with the status it still has after
 * `timeoutMs`. What the worlds' `settled` (onboarding, migration, DR) wait with.
 */
export async function workflowSettled(store: Queryable, id: string, { ends = WORKFLOW_ENDS, timeoutMs, intervalMs = 10 }: { ends?: readonly string[]; timeoutMs: number; intervalMs?: number }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const w = await workflowsRepo.byId(store, id);
    if (w && ends.includes(w.status)) return w;
    if (Date.now() > deadline) throw new Error(`workflow still ${w?.status}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
