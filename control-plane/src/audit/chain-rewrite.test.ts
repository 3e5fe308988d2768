import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDeps } from '../context.ts';
import { freshDeps, TEST_AUDIT_KEYS } from '../testing/harness.ts';
import { AuditLog } from './audit-log.ts';
import { canonicalJson } from './canonical-json.ts';
import { chainHash, deriveAuditKeys, GENESIS_HASH, type AuditFields } from './chain.ts';
import { FileCheckpointSink, MemoryCheckpointSink } from './checkpoints.ts';

/**
 * Issue 19.4: a chain that someone who can write the database cannot rewrite unseen. The attacks are what a
 * DBA can do with SQL alone: cut records from the end and move the head back; edit a record and recompute
 * every later link (without the key, which is not in the database); and, for completeness, the same with a
 * guessed key. Each is shown verifying as intact without the defence (the old unkeyed chain, no checkpoints).
 */
describe('audit chain: keyed MAC and checkpoints outside the database', () => {
  let deps: AppDeps;
  let sink: MemoryCheckpointSink;
  let audit: AuditLog;

  const entry = (i: number) => ({
    actorId: null, actor: `user${i}`, role: 'admin', procedure: 'test.op', target: `thing:${i}`, outcome: 'ok' as const,
    before: null, after: { n: i }, requestId: `r${i}`, error: null,
  });
  const appendN = async (from: number, n: number) => {
    for (let i = from; i < from + n; i++) await deps.store.transaction((tx) => audit.append(tx, entry(i)));
  };

  interface Row { seq: number; at: Date; actor_id: string | null; actor: string | null; role: string | null; procedure: string; target: string | null; outcome: AuditFields['outcome']; before: unknown; after: unknown; request_id: string; error: string | null }
  const fieldsOf = (r: Row): AuditFields => ({
    seq: Number(r.seq), at: new Date(r.at).toISOString(), actorId: r.actor_id, actor: r.actor, role: r.role, procedure: r.procedure,
    target: r.target, outcome: r.outcome, before: r.before, after: r.after, requestId: r.request_id, error: r.error,
  });

  /** What a DBA without the key can do: recompute every link from genesis with plain SM3 (or a key of their own). */
  async function recomputeWholeChain(key: Buffer | null) {
    const rows = await deps.store.query<Row>('SELECT * FROM audit_log ORDER BY seq');
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const hash = chainHash(prev, fieldsOf(r), key);
      await deps.store.query('UPDATE audit_log SET prev_hash = $1, hash = $2, keyed = $3 WHERE seq = $4', [prev, hash, key !== null, r.seq]);
      prev = hash;
    }
    await deps.store.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [rows.length, prev]);
  }

  beforeEach(async () => {
    deps = await freshDeps();
    sink = new MemoryCheckpointSink();
    audit = new AuditLog(TEST_AUDIT_KEYS, sink);
    await appendN(1, 10);
  });

  it('chains with HMAC-SM3 under the audit key: the stored link is not the unkeyed SM3 of the record', async () => {
    const [r] = await deps.store.query<Row & { hash: string; keyed: boolean }>('SELECT * FROM audit_log WHERE seq = 1');
    expect(r!.keyed).toBeTrue();
    expect(r!.hash).toBe(chainHash(GENESIS_HASH, fieldsOf(r!), TEST_AUDIT_KEYS.chain));
    const unkeyed = createHash('sm3').update(GENESIS_HASH).update('\n').update(canonicalJson(fieldsOf(r!))).digest('hex');
    expect(r!.hash).not.toBe(unkeyed);
    expect((await audit.verify(deps.store)).ok).toBeTrue();
  });

  it('detects records cut from the end with the head moved back, once a checkpoint holds them', async () => {
    expect(await audit.checkpoint(deps.store)).toEqual(jasmine.objectContaining({ seq: 10 }));
    const [seven] = await deps.store.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = 7');
    await deps.store.query('DELETE FROM audit_log WHERE seq > 7');
    await deps.store.query('UPDATE audit_head SET seq = 7, hash = $1 WHERE id = 1', [seven!.hash]);
    // Without the exported checkpoint this is a perfectly consistent chain of 7.
    expect((await new AuditLog(TEST_AUDIT_KEYS, new MemoryCheckpointSink()).verify(deps.store)).ok).toBeTrue();
    const result = await audit.verify(deps.store);
    expect(result.ok).toBeFalse();
    expect(!result.ok && result.broken!.map((b) => b.reason)).toEqual([jasmine.stringMatching(/holds record 10, but the chain ends at 7 \(records cut from the end/)]);
  });

  it('detects an edit with every later link recomputed without the key (plain SM3), which the unkeyed chain could not', async () => {
    await audit.checkpoint(deps.store);
    await deps.store.query(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 4`);
    await recomputeWholeChain(null);
    const result = await audit.verify(deps.store);
    expect(result.ok).toBeFalse();
    const reasons = !result.ok ? result.broken!.map((b) => `${b.seq}: ${b.reason}`) : [];
    expect(reasons).toEqual([jasmine.stringMatching(/^10: record 10 differs from the checkpoint/)]);
    // Records appended after the checkpoint cannot be forged unkeyed either.
    await appendN(11, 1);
    await deps.store.query(`UPDATE audit_log SET keyed = false WHERE seq = 11`);
    const later = await audit.verify(deps.store);
    expect(!later.ok && later.broken!.map((b) => b.seq)).toEqual([10, 11]);
  });

  it('detects a recompute with a key of the attacker\'s own on every record, with or without a checkpoint', async () => {
    await deps.store.query(`UPDATE audit_log SET target = 'elsewhere' WHERE seq = 6`);
    await recomputeWholeChain(deriveAuditKeys(Buffer.alloc(32, 1)).chain);
    const result = await audit.verify(deps.store);
    expect(result.ok).toBeFalse();
    expect(!result.ok && result.brokenAt).toEqual({ seq: 1, reason: jasmine.stringMatching(/does not match its MAC/) });
  });

  it('detects an edited checkpoint file, and a checkpoint signed with another key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gy-audit-'));
    const file = new FileCheckpointSink(join(dir, 'checkpoints.jsonl'));
    const withFile = new AuditLog(TEST_AUDIT_KEYS, file);
    await withFile.checkpoint(deps.store);
    expect((await withFile.verify(deps.store)).ok).toBeTrue();
    const line = JSON.parse((await readFile(file.where, 'utf8')).trim()) as { seq: number };
    await writeFile(file.where, JSON.stringify({ ...line, seq: 3 }) + '\n');
    const result = await withFile.verify(deps.store);
    expect(!result.ok && result.brokenAt.reason).toMatch(/not signed with the audit key/);
  });

  it('exports a checkpoint only when the head moved, and reports what it compared with', async () => {
    expect(await audit.checkpoint(deps.store)).not.toBeNull();
    expect(await audit.checkpoint(deps.store)).toBeNull();
    await appendN(11, 2);
    expect(await audit.checkpoint(deps.store)).toEqual(jasmine.objectContaining({ seq: 12 }));
    const result = await audit.verify(deps.store);
    expect(result).toEqual(jasmine.objectContaining({ ok: true, count: 12, checkpoints: { where: 'memory', count: 2, last: { seq: 12, at: jasmine.any(String) } } }));
  });

  it('accepts records written before the key existed, at the start of the chain only', async () => {
    // An upgraded installation: the first records were chained with plain SM3 and say so (keyed = false).
    await deps.store.query('DELETE FROM audit_log');
    await deps.store.query(`UPDATE audit_head SET seq = 0, hash = repeat('0', 64) WHERE id = 1`);
    await appendN(1, 3);
    await recomputeWholeChain(null);
    await appendN(4, 2); // keyed from here on
    expect((await audit.verify(deps.store)).ok).toBeTrue();
    // An unkeyed record after a keyed one is a forgery.
    await deps.store.query('UPDATE audit_log SET keyed = false WHERE seq = 5');
    const result = await audit.verify(deps.store);
    expect(!result.ok && result.brokenAt).toEqual({ seq: 5, reason: jasmine.stringMatching(/not keyed/) });
  });
});
