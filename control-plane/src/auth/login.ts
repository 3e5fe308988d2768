import type { AppDeps } from '../context.ts';
import { AuthenticationError } from '../errors.ts';
import { usersRepo, type UserRow } from './users-repo.ts';
import { loginThrottleRepo } from './login-throttle-repo.ts';
import { verifyPassword } from './password.ts';
import { issueToken } from './sessions.ts';

/** A fixed hash to verify against when the user does not exist or is locked, so timing does not reveal usernames. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export type LoginRefusal = 'bad-credentials' | 'locked' | 'disabled' | 'source-locked';

export type LoginOutcome =
  | { ok: true; user: UserRow; token: string; expiresAt: Date }
  | {
      ok: false;
      reason: LoginRefusal;
      /** The account the attempt named, when it exists (the audit target; never shown to the caller). */
      user?: { id: string; username: string };
      /** This attempt locked the account (recorded once in the audit chain). */
      lockedNow?: { userId: string; username: string; until: Date | null };
      /** This attempt locked the source address. */
      sourceLockedNow?: boolean;
    };

/**
 * Checks a password and issues a session token (issue 19.1). The attempt is counted first, atomically, per
 * source address and per account (auth/login-throttle-repo.ts); an address or account over its threshold is
 * refused without a password check, so parallel and batched guessing gets no more than the threshold of
 * guesses. Passwords are hashed in a bounded pool (auth/password.ts). Every refusal gives the caller the
 * same answer (loginError), locked accounts included: no hint about which accounts exist.
 */
export async function login(
  deps: AppDeps, username: string, password: string, requestId: string, opts: { source?: string | null; now?: Date } = {},
): Promise<LoginOutcome> {
  const { store, settings } = deps;
  const source = opts.source ?? null;
  if (source) {
    const s = await loginThrottleRepo.countSourceAttempt(store, source, settings.sourceLockoutThreshold, settings.lockoutMinutes);
    if (s.locked) return { ok: false, reason: 'source-locked', sourceLockedNow: s.justLocked };
  }
  const attempt = await loginThrottleRepo.countAccountAttempt(store, username, settings.lockoutThreshold, settings.lockoutMinutes);
  // Locked or unknown: the dummy hash still runs, so the answer takes as long as for a wrong password.
  const checkAgainst = attempt && !attempt.locked ? attempt.passwordHash : DUMMY_HASH;
  deps.metrics.passwordChecks.inc();
  const passwordOk = (await verifyPassword(password, checkAgainst)) && checkAgainst !== DUMMY_HASH;
  if (!attempt) return { ok: false, reason: 'bad-credentials' };
  const named = { id: attempt.id, username: attempt.username };
  if (attempt.locked) {
    return {
      ok: false, reason: 'locked', user: named,
      lockedNow: attempt.justLocked ? { userId: attempt.id, username: attempt.username, until: attempt.lockedUntil } : undefined,
    };
  }
  if (attempt.disabled) return { ok: false, reason: 'disabled', user: named };
  if (!passwordOk) {
    const lockedNow = await loginThrottleRepo.lockIfReached(store, attempt.id, settings.lockoutThreshold, settings.lockoutMinutes);
    return { ok: false, reason: 'bad-credentials', user: named, lockedNow: lockedNow ? { userId: attempt.id, username: attempt.username, until: null } : undefined };
  }
  const now = opts.now ?? new Date();
  const { issued, record } = await store.transaction(async (tx) => {
    await loginThrottleRepo.accountSucceeded(tx, attempt.id);
    if (source) await loginThrottleRepo.sourceSucceeded(tx, source);
    const issued = await issueToken(tx, { userId: attempt.id, kind: 'session', name: null, ttlMinutes: settings.tokenTtlMinutes, now });
    const record = await deps.audit.append(tx, {
      actorId: attempt.id, actor: attempt.username, role: attempt.roles.join(','), procedure: 'auth.login', target: `user:${attempt.id}`,
      outcome: 'ok', before: null, after: { tokenId: issued.id, expiresAt: issued.expiresAt.toISOString() }, requestId, error: null,
    });
    return { issued, record };
  });
  deps.audit.published([record]);
  const user = (await usersRepo.byId(store, attempt.id))!;
  return { ok: true, user, token: issued.token, expiresAt: issued.expiresAt };
}

/**
 * One answer for every refusal: a wrong password, an unknown or disabled account, a locked account or a locked
 * source address are indistinguishable to the caller (issue 19.8: a locked account must not reveal that it exists).
 */
export function loginError(_reason: LoginRefusal): Error {
  return new AuthenticationError('wrong username or password, or too many failed attempts: wait a while and try again', { code: 'auth.loginFailed' });
}
