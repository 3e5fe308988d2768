import type { Queryable } from '../store/store.ts';
import type { AuditFields } from './chain.ts';
import type { AuditFilter, AuditRecord } from './audit-log.ts';

/** SQL of the audit trail (audit_log and its head row). The chain itself is computed in audit-log.ts and chain.ts only. */

export interface AuditRow {
  seq: number; at: Date; actor_id: string | null; actor: string | null; role: string | null; procedure: string;
  target: string | null; outcome: AuditFields['outcome']; before: unknown; after: unknown; request_id: string;
  error: string | null; prev_hash: string; hash: string; keyed: boolean;
}

export const auditRepo = {
  /** The committed head of the chain. */
  async head(db: Queryable): Promise<{ seq: number; hash: string } | undefined> {
    const [head] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
    return head;
  },

  /** The head, locked for an append: it orders the chain across replicas. */
  async lockHead(tx: Queryable): Promise<{ seq: number; hash: string } | undefined> {
    const [head] = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
    return head;
  },

  /** Writes the chained records and moves the head to the last of them, in one statement. */
  async insertRecords(tx: Queryable, records: readonly AuditRecord[], head: { seq: number; hash: string }): Promise<void> {
    await tx.query(
      `WITH rows AS (
         INSERT INTO audit_log (seq, at, actor_id, actor, role, procedure, target, outcome, before, after, request_id, error, prev_hash, hash, keyed)
         SELECT seq, at, actor_id, actor, role, procedure, target, outcome, before, after, request_id, error, prev_hash, hash, true
         FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, at timestamptz, actor_id uuid, actor text, role text, procedure text, target text,
           outcome text, before jsonb, after jsonb, request_id text, error text, prev_hash text, hash text)
         RETURNING 1)
       UPDATE audit_head SET seq = $2, hash = $3 WHERE id = 1 AND (SELECT count(*) FROM rows) = $4`,
      [JSON.stringify(records.map((r) => ({
        seq: r.seq, at: r.at, actor_id: r.actorId, actor: r.actor, role: r.role, procedure: r.procedure, target: r.target, outcome: r.outcome,
        before: r.before, after: r.after, request_id: r.requestId, error: r.error, prev_hash: r.prevHash, hash: r.hash,
      }))), head.seq, head.hash, records.length],
    );
  },

  /** The head's seq alone (where a follower starts). */
  async headSeq(db: Queryable): Promise<number | undefined> {
    const [head] = await db.query<{ seq: number }>('SELECT seq FROM audit_head WHERE id = 1');
    return head?.seq;
  },

  /** Up to 500 records after `seq`, in chain order. */
  after: (db: Queryable, seq: number) => db.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 500', [seq]),

  /** Records from `seq` on, in chain order, `pageSize` at most. */
  pageFrom: (db: Queryable, seq: number, pageSize: number) => db.query<AuditRow>('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [seq, pageSize]),

  /** Records matching the filter, newest first, one more than `f.limit` (the caller pages). */
  async list(db: Queryable, f: AuditFilter): Promise<AuditRow[]> {
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
    return rows;
  },
};
