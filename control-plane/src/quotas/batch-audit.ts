import type { AuditEntry, AuditRecord } from '../audit/audit-log.ts';
import { chainHash, type AuditFields } from '../audit/chain.ts';
import { redactSecrets } from '../audit/redact.ts';

export interface AuditHead {
  seq: number;
  hash: string;
}

/** A batch's audit records, chained after the head, ready to be written with the batch's other rows. */
export interface BatchAudit {
  records: AuditRecord[];
  /** The head after the last record. */
  last: AuditHead;
}

/**
 * The records AuditLog.append would write for these entries, seq after seq from `head` (redacted, HMAC-SM3-chained with the audit key),
 * so that the reservation batch can write them in its own write statement: the batch locks the head in its first
 * statement, right after the quota rows (the order every mutation uses: its rows first, the head at its end).
 * `audit.verify` checks them like any other record.
 */
export function chainAfter(head: AuditHead, entries: readonly AuditEntry[], now: Date, chainKey: Buffer): BatchAudit {
  const records: AuditRecord[] = [];
  let last = head;
  for (const entry of entries) {
    const fields: AuditFields = {
      ...entry, before: redactSecrets(entry.before ?? null), after: redactSecrets(entry.after ?? null), seq: last.seq + 1, at: now.toISOString(),
    };
    const hash = chainHash(last.hash, fields, chainKey);
    records.push({ ...fields, prevHash: last.hash, hash });
    last = { seq: fields.seq, hash };
  }
  return { records, last };
}

/** Rows for the audit_log INSERT of a batch (jsonb_to_recordset shape). */
export const auditRowsJson = (records: readonly AuditRecord[]): string => JSON.stringify(records.map((r) => ({
  seq: r.seq, at: r.at, actor_id: r.actorId, actor: r.actor, role: r.role, procedure: r.procedure, target: r.target, outcome: r.outcome,
  before: r.before, after: r.after, request_id: r.requestId, error: r.error, prev_hash: r.prevHash, hash: r.hash, keyed: true,
})));
