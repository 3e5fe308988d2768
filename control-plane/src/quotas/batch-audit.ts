import type { AuditEntry, AuditRecord } from '../audit/audit-log.ts';
import { chainHash, type AuditFields } from '../audit/chain.ts';
import { redactSecrets } from '../audit/redact.ts';
import type { Queryable } from '../store/store.ts';

export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Appends records to the audit chain in one statement, after a head the caller has read and locked in the
 * same transaction (the reservation batch locks it in its write statement, after the quota rows — the same
 * order as every other mutation, which locks its rows first and the head at its end). Records are exactly
 * what AuditLog.append writes (redacted, SM3-chained, seq after seq), so `audit.verify` checks them as usual.
 */
export async function appendAfterHead(tx: Queryable, head: AuditHead, entries: readonly AuditEntry[], now = new Date()): Promise<AuditRecord[]> {
  if (!entries.length) return [];
  const records: AuditRecord[] = [];
  let prev = head;
  for (const entry of entries) {
    const fields: AuditFields = {
      ...entry, before: redactSecrets(entry.before ?? null), after: redactSecrets(entry.after ?? null), seq: prev.seq + 1, at: now.toISOString(),
    };
    const hash = chainHash(prev.hash, fields);
    records.push({ ...fields, prevHash: prev.hash, hash });
    prev = { seq: fields.seq, hash };
  }
  await tx.query(
    `WITH rows AS (
       INSERT INTO audit_log (seq, at, actor_id, actor, role, procedure, target, outcome, before, after, request_id, error, prev_hash, hash)
       SELECT seq, at, actor_id, actor, role, procedure, target, outcome, before, after, request_id, error, prev_hash, hash
       FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, at timestamptz, actor_id uuid, actor text, role text, procedure text, target text, outcome text,
         before jsonb, after jsonb, request_id text, error text, prev_hash text, hash text)
       RETURNING 1)
     UPDATE audit_head SET seq = $2, hash = $3 WHERE id = 1 AND (SELECT count(*) FROM rows) = $4`,
    [JSON.stringify(records.map((r) => ({
      seq: r.seq, at: r.at, actor_id: r.actorId, actor: r.actor, role: r.role, procedure: r.procedure, target: r.target, outcome: r.outcome,
      before: r.before, after: r.after, request_id: r.requestId, error: r.error, prev_hash: r.prevHash, hash: r.hash,
    }))), prev.seq, prev.hash, records.length],
  );
  return records;
}
