import type { Caller } from '../context.ts';
import type { Queryable } from '../store/store.ts';

export interface TokenRow {
  id: string;
  userId: string;
  kind: 'session' | 'api';
  name: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const COLUMNS = `id, user_id AS "userId", kind, name, created_at AS "createdAt", expires_at AS "expiresAt",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/** How stale `last_used_at` may get before a request refreshes it. */
const TOUCH_EVERY_SECONDS = 60;

/** A live token and its user: who is calling (a Caller), and what decides whether they may (expiry, a disabled account). */
export interface LiveTokenWithUser extends Caller {
  expiresAt: Date;
  disabled: boolean;
}

export const tokensRepo = {
  async insert(db: Queryable, t: { id: string; userId: string; kind: 'session' | 'api'; name: string | null; tokenHash: string; expiresAt: Date }): Promise<void> {
    await db.query(
      'INSERT INTO tokens (id, user_id, kind, name, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [t.id, t.userId, t.kind, t.name, t.tokenHash, t.expiresAt.toISOString()],
    );
  },
  /**
   * The live token with this hash and the user it belongs to (enabled or not: the caller decides), in one
   * round trip: every API request asks this. Expired and revoked tokens are not found. `last_used_at` is touched at most once a
   * minute: touching it on every request made one hot row that every request of a busy client (a bench, an
   * automation token) queued on, a write per read.
   */
  async useLiveWithUser(db: Queryable, tokenHash: string): Promise<LiveTokenWithUser | undefined> {
    const [row] = await db.query<LiveTokenWithUser>(
      `WITH live AS (
         SELECT id, user_id, kind, last_used_at, expires_at FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
       ), touched AS (
         UPDATE tokens SET last_used_at = now()
         WHERE id = (SELECT id FROM live) AND (last_used_at IS NULL OR last_used_at < now() - interval '${TOUCH_EVERY_SECONDS} seconds')
       )
       SELECT live.id AS "tokenId", live.kind AS "tokenKind", u.id AS "userId", u.username, u.display_name AS "displayName",
              u.roles, u.department_id AS "departmentId", d.name AS "departmentName", live.expires_at AS "expiresAt",
              u.disabled, u.must_change_password AS "mustChangePassword"
         FROM live JOIN users u ON u.id = live.user_id LEFT JOIN departments d ON d.id = u.department_id`,
      [tokenHash],
    );
    return row;
  },
  /** Whose token this is, live or not (a refused token of a real account is a security event). */
  async ownerOfHash(db: Queryable, tokenHash: string): Promise<{ tokenId: string; userId: string; username: string } | undefined> {
    const [row] = await db.query<{ tokenId: string; userId: string; username: string }>(
      `SELECT t.id AS "tokenId", u.id AS "userId", u.username FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
      [tokenHash],
    );
    return row;
  },
  async listForUser(db: Queryable, userId: string, kind: 'session' | 'api'): Promise<TokenRow[]> {
    return db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE user_id = $1 AND kind = $2 ORDER BY created_at DESC`, [userId, kind]);
  },
  async revoke(db: Queryable, id: string, userId: string | null): Promise<TokenRow | undefined> {
    const [row] = await db.query<TokenRow>(
      `UPDATE tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return row;
  },
  async revokeAllForUser(db: Queryable, userId: string, except?: string): Promise<void> {
    await db.query('UPDATE tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2', [userId, except ?? null]);
  },
};
