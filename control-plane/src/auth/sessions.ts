import type { Caller } from '../context.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { tokensRepo } from './tokens-repo.ts';
import type { CallerCache } from './caller-cache.ts';
import { hashToken, newToken } from './tokens.ts';

/**
 * The caller behind a bearer token, or null when the token is unknown, expired, revoked, or its user disabled.
 * With a cache, a caller resolved since the last identity change (and within the TTL) is answered without the database.
 */
export async function resolveCaller(db: Queryable, token: string, cache?: CallerCache): Promise<Caller | null> {
  if (!/^gy[sa]_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const cached = cache?.get(tokenHash);
  if (cached) return cached;
  const generation = cache?.generation ?? 0;
  const row = await tokensRepo.useLiveWithUser(db, tokenHash);
  if (!row || row.disabled) return null;
  const caller: Caller = {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    roles: row.roles,
    departmentId: row.departmentId,
    departmentName: row.departmentName,
    tokenId: row.tokenId,
    tokenKind: row.tokenKind,
    mustChangePassword: row.mustChangePassword,
  };
  cache?.set(tokenHash, caller, generation, new Date(row.expiresAt).getTime());
  return caller;
}

/** Issues a token; only its hash is stored. The plain token is returned once and never again. */
export async function issueToken(
  db: Queryable,
  opts: { userId: string; kind: 'session' | 'api'; name: string | null; ttlMinutes: number; now?: Date },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newToken(opts.kind);
  const id = newId();
  const expiresAt = new Date((opts.now ?? new Date()).getTime() + opts.ttlMinutes * 60_000);
  await tokensRepo.insert(db, { id, userId: opts.userId, kind: opts.kind, name: opts.name, tokenHash: hashToken(token), expiresAt });
  return { id, token, expiresAt };
}
