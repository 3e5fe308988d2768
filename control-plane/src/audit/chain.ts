import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The fields covered by the chain MAC: every stored column except the hashes themselves. */
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

/** The audit keys, derived from the secret store's master key: never in the database. */
export interface AuditKeys {
  /** Keys the chain: mac_n = HMAC-SM3(chain, mac_{n-1} || "\n" || JCS(record_n)). */
  chain: Buffer;
  /** Signs the checkpoints exported outside the database. */
  checkpoint: Buffer;
}

export function deriveAuditKeys(masterKey: Buffer): AuditKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sm3', masterKey, Buffer.alloc(0), info, 32));
  return { chain: derive('ganyun/audit/chain/v1'), checkpoint: derive('ganyun/audit/checkpoint/v1') };
}

/**
 * link_n = HMAC-SM3(key, link_{n-1} || "\n" || JCS(record_n)). With a key that lives outside the database
 * (issue 19.4), whoever can write the database cannot recompute the chain after an edit. `key: null` is the
 * unkeyed SM3 of records written before the key existed (legacy; verify accepts them only at the start of the
 * chain, before any keyed record and any checkpoint). JSON canonicalisation (RFC 8785) makes the MAC
 * independent of key order, which jsonb does not preserve.
 */
export function chainHash(prevHash: string, fields: AuditFields, key: Buffer | null): string {
  const canonical = canonicalJson({ ...fields, before: fields.before ?? null, after: fields.after ?? null });
  const h = key ? createHmac('sm3', key) : createHash('sm3');
  return h.update(prevHash).update('\n').update(canonical).digest('hex');
}
