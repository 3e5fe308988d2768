import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens: 32 random bytes, prefixed so they are recognisable in a leaked log or a secret
 * scanner. Only the SHA-256 of a token is stored; tokens have enough entropy that a salt adds nothing.
 */
export function newToken(kind: 'session' | 'api'): string {
  return `${kind === 'api' ? 'gya' : 'gys'}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
