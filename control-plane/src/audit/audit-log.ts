import { EventEmitter } from 'node:events';
import type { Queryable } from '../store/store.ts';
import { GENESIS_HASH, chainHash, type AuditFields } from './chain.ts';
import { redactSecrets, storableText } from './redact.ts';

export type AuditEntry = Omit<AuditFields, 'seq' | 'at'>;
export type AuditRecord = AuditFields & { prevHash: string; hash: string };

export interface AuditFilter {
  actor?: string;
  procedure?: string;
  outcome?: AuditFields['outcome'];
  target?: string;
  from?: Date;
  to?: Date;
  /** Return records with seq below this (newest first paging). */
  cursor?: number;
  limit: number;
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * `brokenAt` is the first break; `broken` (always set by verify; optional for older clients' types) lists every break found (at most MAX_BREAKS), so a harmless-looking early
 * break cannot hide a real edit further on: after a break the walk continues from the stored hash.
 */
export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; count: number; brokenAt: ChainBreak; broken?: ChainBreak[] };

const MAX_BREAKS = 1000;

interface AuditRow {
  seq: number; at: Date; actor_id: string | null; actor: string | null; role: string | null; procedure: string;
  target: string | null; outcome: AuditFields['outcome']; before: unknown; after: unknown; request_id: string;
  error: string | null; prev_hash: string; hash: string;
}

const toRecord = (r: AuditRow): AuditRecord => ({
  seq: r.seq, at: new Date(r.at).toISOString(), actorId: r.actor_id, actor: r.actor, role: r.role,
  procedure: r.procedure, target: r.target, outcome: r.outcome, before: r.before, after: r.after,
  requestId: r.request_id, error: r.error, prevHash: r.prev_hash, hash: r.hash,
});

/**
 * The append-only audit trail. `append` runs inside the caller's transaction so a change and its
 * record commit together; the chain head row is locked for the append, which gives the chain one order
 * across replicas. Followers read committed records from the store (so they see every replica's records);
 * `published` only wakes the followers of this process early, after the caller's commit.
 */
export class AuditLog {
  private readonly events = new EventEmitter();
  constructor(private readonly onAppend?: (outcome: string) => void) {
    this.events.setMaxListeners(0);
  }

  async append(tx: Queryable, entry: AuditEntry, now = new Date()): Promise<AuditRecord> {
    const [head] = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
    if (!head) throw new Error('audit head missing: migrations not applied');
    // The chain hashes exactly what is stored: every text in the record in the form the database keeps.
    const fields = storableText({
      ...entry,
      before: redactSecrets(entry.before ?? null),
      after: redactSecrets(entry.after ?? null),
      seq: head.seq + 1,
      at: now.toISOString(),
    }) as AuditFields;
    const hash = chainHash(head.hash, fields);
    await tx.query(
      `INSERT INTO audit_log (seq, at, actor_id, actor, role, procedure, target, outcome, before, after, request_id, error, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [fields.seq, fields.at, fields.actorId, fields.actor, fields.role, fields.procedure, fields.target, fields.outcome,
        JSON.stringify(fields.before), JSON.stringify(fields.after), fields.requestId, fields.error, head.hash, hash],
    );
    await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [fields.seq, hash]);
    return { ...fields, prevHash: head.hash, hash };
  }

  /** Counts committed records and wakes this process's followers (console SSE) without waiting for their next poll. */
  published(records: AuditRecord[]): void {
    for (const r of records) this.onAppend?.(r.outcome);
    if (records.length) this.events.emit('append');
  }

  /**
   * Records committed from now on, in chain order, read from the store: a record appended by another
   * replica reaches this follower within `pollMs`, one appended here at once. Ends when `signal` aborts.
   */
  async *follow(db: Queryable, signal?: AbortSignal, pollMs = 1000): AsyncGenerator<AuditRecord> {
    const [head] = await db.query<{ seq: number }>('SELECT seq FROM audit_head WHERE id = 1');
    let last = head?.seq ?? 0;
    while (!signal?.aborted) {
      const rows = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 500', [last]);
      for (const row of rows) {
        last = row.seq;
        yield toRecord(row);
      }
      if (rows.length === 0) await this.nextWake(pollMs, signal);
    }
  }

  private nextWake(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off('append', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.events.once('append', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async list(db: Queryable, f: AuditFilter): Promise<{ items: AuditRecord[]; nextCursor: number | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.actor) add('actor = ?', f.actor);
    if (f.procedure) add('procedure LIKE ?', `${f.procedure.replace(/[%_\\]/g, '\\$&')}%`);
    if (f.outcome) add('outcome = ?', f.outcome);
    if (f.target) add('target = ?', f.target);
    if (f.from) add('at >= ?', f.from.toISOString());
    if (f.to) add('at < ?', f.to.toISOString());
    if (f.cursor !== undefined) add('seq < ?', f.cursor);
    params.push(f.limit + 1);
    const rows = await db.query<AuditRow>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, f.limit).map(toRecord);
    return { items, nextCursor: rows.length > f.limit ? items[items.length - 1]!.seq : null };
  }

  /** Walks the whole chain in seq order, in pages, and reports every record that does not fit. */
  async verify(db: Queryable, pageSize = 2000): Promise<VerifyResult> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let intact = 0;
    const broken: ChainBreak[] = [];
    const report = (b: ChainBreak) => {
      if (broken.length < MAX_BREAKS) broken.push(b);
    };
    for (;;) {
      const rows = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [expectedSeq, pageSize]);
      for (const row of rows) {
        const r = toRecord(row);
        if (r.seq !== expectedSeq) {
          report({ seq: expectedSeq, reason: r.seq === expectedSeq + 1 ? `record ${expectedSeq} is missing` : `records ${expectedSeq} to ${r.seq - 1} are missing` });
          expectedSeq = r.seq;
        }
        const { prevHash: _p, hash, ...fields } = r;
        if (r.prevHash !== prevHash) report({ seq: r.seq, reason: 'previous-hash link does not match the record before it (reordered or inserted)' });
        else if (chainHash(prevHash, fields) !== hash) report({ seq: r.seq, reason: 'record content does not match its hash (edited)' });
        else if (broken.length === 0) intact = r.seq;
        // Go on from what is stored, so each later record is judged on its own.
        prevHash = hash;
        expectedSeq++;
      }
      if (rows.length < pageSize) break;
    }
    const [head] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
    if (!head || head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
      report({ seq: expectedSeq, reason: `chain ends at ${expectedSeq - 1} but the head says ${head?.seq} (records deleted from the end)` });
    }
    if (broken.length === 0) return { ok: true, count: expectedSeq - 1 };
    return { ok: false, count: intact, brokenAt: broken[0]!, broken };
  }

}
