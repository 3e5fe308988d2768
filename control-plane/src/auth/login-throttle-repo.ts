import type { Queryable } from '../store/store.ts';

/**
 * The SQL of login throttling (issue 19.1). Every attempt is counted BEFORE its password is checked, in
 * one row update (per account) and one upsert (per source address), so N parallel or batched guesses count
 * N: there is no read-then-write window. An attempt beyond the threshold locks at once and is refused
 * without a password check; each lockout doubles the next one (back-off, capped at 2^6 × the base) until a
 * successful sign-in or an administrator's unlock resets it.
 */

/** Lock length in minutes for the n-th consecutive lockout (n counted before this one). */
const BACKOFF = (base: string, lockouts: string) => `make_interval(mins => (${base} * power(2, least(${lockouts}, 6)))::int)`;

export interface AccountAttempt {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  passwordHash: string;
  disabled: boolean;
  /** This attempt's number in the current window (1 = first since the last success or lock expiry). */
  attempt: number;
  locked: boolean;
  /** This very attempt set the lock (so the lockout is recorded once). */
  justLocked: boolean;
  lockedUntil: Date | null;
}

export interface SourceAttempt {
  failures: number;
  locked: boolean;
  justLocked: boolean;
}

export const loginThrottleRepo = {
  /** Counts an attempt on the account named `username` (nothing when there is no such account). */
  async countAccountAttempt(db: Queryable, username: string, threshold: number, lockMinutes: number): Promise<AccountAttempt | undefined> {
    const [row] = await db.query<AccountAttempt>(
      `WITH prev AS (SELECT id, locked_until AS prev_locked FROM users WHERE username = $1 FOR UPDATE)
       UPDATE users u SET
         failed_logins = CASE WHEN u.locked_until <= now() THEN 1 ELSE u.failed_logins + 1 END,
         locked_until = CASE
           WHEN u.locked_until <= now() THEN NULL
           WHEN u.locked_until IS NULL AND u.failed_logins + 1 > $2 THEN now() + ${BACKOFF('$3', 'u.lockouts')}
           ELSE u.locked_until END,
         lockouts = CASE WHEN u.locked_until IS NULL AND u.failed_logins + 1 > $2 THEN u.lockouts + 1 ELSE u.lockouts END
       FROM prev WHERE u.id = prev.id
       RETURNING u.id, u.username, u.display_name AS "displayName", u.roles, u.password_hash AS "passwordHash", u.disabled,
         u.failed_logins AS attempt, coalesce(u.locked_until > now(), false) AS locked,
         coalesce(u.locked_until > now(), false) AND NOT coalesce(prev.prev_locked > now(), false) AS "justLocked",
         u.locked_until AS "lockedUntil"`,
      [username, threshold, lockMinutes],
    );
    return row;
  },

  /**
   * After a wrong password: the attempt that reached the threshold locks the account (the attempts beyond it
   * are locked by `countAccountAttempt`). True when this call set the lock.
   */
  async lockIfReached(db: Queryable, userId: string, threshold: number, lockMinutes: number): Promise<boolean> {
    const rows = await db.query(
      `UPDATE users SET locked_until = now() + ${BACKOFF('$3', 'lockouts')}, lockouts = lockouts + 1
       WHERE id = $1 AND failed_logins >= $2 AND (locked_until IS NULL OR locked_until <= now()) RETURNING id`,
      [userId, threshold, lockMinutes],
    );
    return rows.length > 0;
  },

  /** A successful sign-in ends the window and the back-off. */
  async accountSucceeded(db: Queryable, userId: string): Promise<void> {
    await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL, lockouts = 0 WHERE id = $1', [userId]);
  },

  /** An administrator's unlock: the same reset. */
  async unlock(db: Queryable, userId: string): Promise<void> {
    await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL, lockouts = 0 WHERE id = $1', [userId]);
  },

  /**
   * Counts an attempt from a source address within a window of `windowMinutes`; beyond `threshold` the address
   * is locked (with back-off) and its attempts are refused before any password is hashed.
   */
  async countSourceAttempt(db: Queryable, address: string, threshold: number, windowMinutes: number): Promise<SourceAttempt> {
    const [row] = await db.query<SourceAttempt>(
      `WITH prev AS (SELECT locked_until AS prev_locked FROM login_sources WHERE address = $1),
       up AS (
         INSERT INTO login_sources AS s (address, failures, window_start) VALUES ($1, 1, now())
         ON CONFLICT (address) DO UPDATE SET
           failures = CASE WHEN s.locked_until <= now() OR (s.locked_until IS NULL AND s.window_start < now() - make_interval(mins => $3))
                           THEN 1 ELSE s.failures + 1 END,
           window_start = CASE WHEN s.locked_until <= now() OR (s.locked_until IS NULL AND s.window_start < now() - make_interval(mins => $3))
                               THEN now() ELSE s.window_start END,
           locked_until = CASE
             WHEN s.locked_until <= now() THEN NULL
             WHEN s.locked_until IS NULL AND s.window_start >= now() - make_interval(mins => $3) AND s.failures + 1 > $2
               THEN now() + ${BACKOFF('$3', 's.lockouts')}
             ELSE s.locked_until END,
           lockouts = CASE WHEN s.locked_until IS NULL AND s.window_start >= now() - make_interval(mins => $3) AND s.failures + 1 > $2
                           THEN s.lockouts + 1 ELSE s.lockouts END
         RETURNING failures, locked_until)
       SELECT up.failures, coalesce(up.locked_until > now(), false) AS locked,
              coalesce(up.locked_until > now(), false) AND NOT coalesce((SELECT prev_locked > now() FROM prev), false) AS "justLocked"
       FROM up`,
      [address, threshold, windowMinutes],
    );
    return row!;
  },

  /** A success from an address takes back its own attempt (a busy office behind one address is not locked out by its successes). */
  async sourceSucceeded(db: Queryable, address: string): Promise<void> {
    await db.query('UPDATE login_sources SET failures = greatest(failures - 1, 0) WHERE address = $1', [address]);
  },
};
