import { EventEmitter } from 'node:events';
import type { Queryable } from '../store/store.ts';
import { auditRepo, type AuditRow } from './audit-repo.ts';
import { GENESIS_HASH, chainHash, type AuditFields, type AuditKeys } from './chain.ts';
import { checkpointIsAuthentic, signCheckpoint, type Checkpoint, type CheckpointSink } from './checkpoints.ts';
import { redactSecrets, storableText } from './redact.ts';

export type AuditEntry = Omit<AuditFields, 'seq' | 'at'>;
export type AuditRecord = AuditFields & { prevHash: string; hash: string; keyed?: boolean };

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
  | { ok: true; count: number; checkpoints?: CheckpointSummary }
  | { ok: false; count: number; brokenAt: ChainBreak; broken?: ChainBreak[]; checkpoints?: CheckpointSummary };

/** What the chain was compared with outside the database. */
export interface CheckpointSummary {
  where: string;
  count: number;
  last: { seq: number; at: string } | null;
}

const MAX_BREAKS = 1000;

const toRecord = (r: AuditRow): AuditRecord => ({
  seq: r.seq, at: new Date(r.at).toISOString(), actorId: r.actor_id, actor: r.actor, role: r.role,
  procedure: r.procedure, target: r.target, outcome: r.outcome, before: r.before, after: r.after,
  requestId: r.request_id, error: r.error, prevHash: r.prev_hash, hash: r.hash, keyed: r.keyed,
});

/**
 * The append-only audit trail. `append` runs inside the caller's transaction so a change and its
 * record commit together; the chain head row is locked for the append, which gives the chain one order
 * across replicas. Followers read committed records from the store (so they see every replica's records);
 * `published` only wakes the followers of this process early, after the caller's commit.
 */
export class AuditLog {
  private readonly events = new EventEmitter();
  private lastExported = 0;
  /**
   * `keys` come from the secret store (never the database); `checkpoints` is where signed heads are exported,
   * outside the database (issue 19.4).
   */
  constructor(
    private readonly keys: AuditKeys,
    private readonly checkpoints: CheckpointSink,
    private readonly onAppend?: (outcome: string) => void,
  ) {
    this.events.setMaxListeners(0);
  }

  get checkpointsAt(): string {
    return this.checkpoints.where;
  }

  /**
   * Exports a signed checkpoint of the committed head when it moved since the last one this process wrote.
   * Called periodically and at shutdown (app.ts); returns the checkpoint written, if any.
   */
  async checkpoint(db: Queryable, now = new Date()): Promise<Checkpoint | null> {
    const head = await auditRepo.head(db);
    if (!head || Number(head.seq) === 0 || Number(head.seq) <= this.lastExported) return null;
    const c = signCheckpoint(this.keys.checkpoint, { seq: Number(head.seq), hash: head.hash, at: now.toISOString() });
    await this.checkpoints.append(c);
    this.lastExported = c.seq;
    return c;
  }

  /** Appends one record in the caller's transaction (see appendMany). */
  async append(tx: Queryable, entry: AuditEntry, now = new Date()): Promise<AuditRecord> {
    const [record] = await this.appendMany(tx, [entry], now);
    return record!;
  }

  /**
   * Appends records in the caller's transaction, chained in the given order: the head is locked (it orders the
   * chain across replicas), then the records and the new head are written in one statement. The only code that
   * computes chain links; a batch (group commit) appends its callers' records with one call.
   */
  async appendMany(tx: Queryable, entries: readonly AuditEntry[], now = new Date()): Promise<AuditRecord[]> {
    if (!entries.length) return [];
    const head = await auditRepo.lockHead(tx);
    if (!head) throw new Error('audit head missing: migrations not applied');
    const records: AuditRecord[] = [];
    let prev = { seq: Number(head.seq), hash: head.hash };
    for (const entry of entries) {
      // The chain hashes exactly what is stored: every text in the record in the form the database keeps.
      const fields = storableText({
        ...entry,
        before: redactSecrets(entry.before ?? null),
        after: redactSecrets(entry.after ?? null),
        seq: prev.seq + 1,
        at: now.toISOString(),
      }) as AuditFields;
      const hash = chainHash(prev.hash, fields, this.keys.chain);
      records.push({ ...fields, prevHash: prev.hash, hash, keyed: true });
      prev = { seq: fields.seq, hash };
    }
    await auditRepo.insertRecords(tx, records, prev);
    return records;
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
    let last = (await auditRepo.headSeq(db)) ?? 0;
    while (!signal?.aborted) {
      const rows = await auditRepo.after(db, last);
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
    const rows = await auditRepo.list(db, f);
    const items = rows.slice(0, f.limit).map(toRecord);
    return { items, nextCursor: rows.length > f.limit ? items[items.length - 1]!.seq : null };
  }

  /**
   * Walks the whole chain in seq order, in pages, and reports every record that does not fit: its MAC, its link,
   * gaps, the head; then compares the chain with the checkpoints exported outside the database, which is what
   * catches a rewrite by someone who can write the database (records cut from the end with the head moved back,
   * or the chain recomputed without the key from some record on).
   */
  async verify(db: Queryable, pageSize = 2000): Promise<VerifyResult> {
    const checkpoints = await this.checkpoints.all();
    const bySeq = new Map<number, Checkpoint[]>();
    const broken: ChainBreak[] = [];
    const report = (b: ChainBreak) => {
      if (broken.length < MAX_BREAKS) broken.push(b);
    };
    const authentic = checkpoints.filter((c, i) => {
      const ok = checkpointIsAuthentic(this.keys.checkpoint, c);
      if (!ok) report({ seq: c.seq, reason: `checkpoint ${i + 1} in ${this.checkpoints.where} is not signed with the audit key (the checkpoint file was edited)` });
      return ok;
    });
    for (const c of authentic) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
    // From the first checkpoint on, every record was written with the key: an unkeyed record there is a forgery.
    const keyedFrom = authentic.length ? Math.min(...authentic.map((c) => c.seq)) : Infinity;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let intact = 0;
    let seenKeyed = false;
    for (;;) {
      const rows = await auditRepo.pageFrom(db, expectedSeq, pageSize);
      for (const row of rows) {
        const r = toRecord(row);
        if (r.seq !== expectedSeq) {
          report({ seq: expectedSeq, reason: r.seq === expectedSeq + 1 ? `record ${expectedSeq} is missing` : `records ${expectedSeq} to ${r.seq - 1} are missing` });
          expectedSeq = r.seq;
        }
        const { prevHash: _p, hash, keyed, ...fields } = r;
        if (r.prevHash !== prevHash) report({ seq: r.seq, reason: 'previous-hash link does not match the record before it (reordered or inserted)' });
        else if (!keyed && (seenKeyed || r.seq > keyedFrom)) report({ seq: r.seq, reason: 'record is not keyed where every record is (recomputed without the audit key)' });
        else if (chainHash(prevHash, fields, keyed ? this.keys.chain : null) !== hash) report({ seq: r.seq, reason: 'record content does not match its MAC (edited, or recomputed without the audit key)' });
        else if (broken.length === 0) intact = r.seq;
        for (const c of bySeq.get(r.seq) ?? []) {
          if (c.hash !== hash) report({ seq: r.seq, reason: `record ${r.seq} differs from the checkpoint exported at ${c.at} (the chain was rewritten from here or before)` });
        }
        seenKeyed ||= !!keyed;
        // Go on from what is stored, so each later record is judged on its own.
        prevHash = hash;
        expectedSeq++;
      }
      if (rows.length < pageSize) break;
    }
    const last = expectedSeq - 1;
    const head = await auditRepo.head(db);
    if (!head || Number(head.seq) !== last || head.hash !== prevHash) {
      report({ seq: expectedSeq, reason: `chain ends at ${last} but the head says ${head?.seq} (records deleted from the end)` });
    }
    const beyond = authentic.filter((c) => c.seq > last).sort((a, b) => b.seq - a.seq)[0];
    if (beyond) {
      report({ seq: last + 1, reason: `a checkpoint exported at ${beyond.at} holds record ${beyond.seq}, but the chain ends at ${last} (records cut from the end and the head moved back)` });
    }
    const newest = authentic.sort((a, b) => b.seq - a.seq)[0];
    const summary: CheckpointSummary = { where: this.checkpoints.where, count: authentic.length, last: newest ? { seq: newest.seq, at: newest.at } : null };
    if (broken.length === 0) return { ok: true, count: last, checkpoints: summary };
    return { ok: false, count: intact, brokenAt: broken[0]!, broken, checkpoints: summary };
  }
}
