import type { AppDeps } from '../context.ts';
import { AuthenticationError, TooManyRequestsError } from '../errors.ts';
import { usersRepo, type UserRow } from '../store/users-repo.ts';
import { verifyPassword } from './password.ts';
import { issueToken } from './sessions.ts';

/** A fixed hash to verify against when the user does not exist, so timing does not reveal usernames. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export type LoginOutcome =
  | { ok: true; user: UserRow; token: string; expiresAt: Date }
  | { ok: false; reason: 'bad-credentials' | 'locked' | 'disabled'; user?: UserRow };

/**
 * Checks a password and issues a session token. A failed attempt is counted in its own statement (it
 * must persist even though the call fails); reaching the threshold locks the account for a while.
 * The caller gets the same message for an unknown user and a wrong password.
 */
export async function login(deps: AppDeps, username: string, password: string, requestId: string, now = new Date()): Promise<LoginOutcome> {
  const { store, settings } = deps;
  const user = await usersRepo.byUsername(store, username);
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user) return { ok: false, reason: 'bad-credentials' };
  if (user.disabled) return { ok: false, reason: 'disabled', user };
  if (user.lockedUntil && user.lockedUntil > now) return { ok: false, reason: 'locked', user };
  if (!passwordOk) {
    await usersRepo.recordFailedLogin(store, user.id, settings.lockoutThreshold, settings.lockoutMinutes);
    return { ok: false, reason: 'bad-credentials', user };
  }
  const { issued, record } = await store.transaction(async (tx) => {
    await usersRepo.clearFailedLogins(tx, user.id);
    const issued = await issueToken(tx, { userId: user.id, kind: 'session', name: null, ttlMinutes: settings.tokenTtlMinutes, now });
    const record = await deps.audit.append(tx, {
      actorId: user.id, actor: user.username, role: user.roles.join(','), procedure: 'auth.login', target: `user:${user.id}`,
      outcome: 'ok', before: null, after: { tokenId: issued.id, expiresAt: issued.expiresAt.toISOString() }, requestId, error: null,
    });
    return { issued, record };
  });
  deps.audit.published([record]);
  return { ok: true, user, token: issued.token, expiresAt: issued.expiresAt };
}

export function loginError(reason: 'bad-credentials' | 'locked' | 'disabled'): Error {
  switch (reason) {
    case 'locked':
      return new TooManyRequestsError('account locked after repeated failed logins; try later or ask an administrator to unlock it');
    case 'disabled':
    case 'bad-credentials':
      // Disabled accounts get the same answer as wrong passwords: no hint about which accounts exist.
      return new AuthenticationError('wrong username or password');
  }
}
