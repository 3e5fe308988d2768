import type { Queryable } from './store.ts';

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

export const tokensRepo = {
  async insert(db: Queryable, t: { id: string; userId: string; kind: 'session' | 'api'; name: string | null; tokenHash: string; expiresAt: Date }): Promise<void> {
    await db.query(
      'INSERT INTO tokens (id, user_id, kind, name, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [t.id, t.userId, t.kind, t.name, t.tokenHash, t.expiresAt.toISOString()],
    );
  },
  /** The live token with this hash, touching last_used_at; expired and revoked tokens are not found. */
  async useLive(db: Queryable, tokenHash: string): Promise<TokenRow | undefined> {
    const [row] = await db.query<TokenRow>(
      `UPDATE tokens SET last_used_at = now()
       WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING ${COLUMNS}`,
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
