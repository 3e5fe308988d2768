import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The fields covered by the chain hash: every stored column except the hashes themselves. */
export interface AuditFields {
  seq: number;
  at: string;
  actorId: string | null;
  actor: string | null;
  role: string | null;
  procedure: string;
  target: string | null;
  outcome: 'ok' | 'denied' | 'error';
  before: unknown;
  after: unknown;
  requestId: string;
  error: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * hash_n = SM3(hash_{n-1} || "\n" || JCS(record_n)). JSON canonicalisation (RFC 8785) makes the hash
 * independent of key order, which jsonb does not preserve. Changing, deleting or reordering any
 * record breaks every later link.
 */
export function chainHash(prevHash: string, fields: AuditFields): string {
  const canonical = canonicalJson({ ...fields, before: fields.before ?? null, after: fields.after ?? null });
  return createHash('sm3').update(prevHash).update('\n').update(canonical).digest('hex');
}
