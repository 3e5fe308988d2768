import { MemoryCheckpointSink } from './checkpoints.ts';
import { freshDeps, TEST_AUDIT_KEYS } from '../testing/harness.ts';
import type { AppDeps } from '../context.ts';
import { AuditLog } from './audit-log.ts';

async function appendMany(deps: AppDeps, n: number) {
  for (let i = 0; i < n; i++) {
    await deps.store.transaction((tx) =>
      deps.audit.append(tx, {
        actorId: null, actor: `user${i}`, role: 'admin', procedure: 'test.op', target: `thing:${i}`, outcome: 'ok',
        before: { n: i, nested: { b: 1, a: 2 } }, after: { n: i + 1, password: 'hunter2' }, requestId: `r${i}`, error: null,
      }),
    );
  }
}

describe('audit trail (SM3 chain)', () => {
  let deps: AppDeps;
  beforeEach(async () => {
    deps = await freshDeps();
    await appendMany(deps, 5);
  });

  it('verifies an untouched chain and counts its records', async () => {
    expect(await deps.audit.verify(deps.store)).toEqual(jasmine.objectContaining({ ok: true, count: 5 }));
  });

  it('never stores a secret in a summary', async () => {
    const [row] = await deps.store.query<{ after: { password: string } }>('SELECT after FROM audit_log WHERE seq = 1');
    expect(row!.after.password).toBe('[redacted]');
  });

  it('detects an edited record, naming it', async () => {
    await deps.store.query(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3`);
    const result = await deps.audit.verify(deps.store);
    expect(result).toEqual(jasmine.objectContaining({ ok: false, count: 2, brokenAt: { seq: 3, reason: jasmine.stringMatching(/edited/) }, broken: [{ seq: 3, reason: jasmine.stringMatching(/edited/) }] }));
  });

  it('reports every broken record, not only the first (an early break cannot hide a later edit)', async () => {
    await deps.store.query(`UPDATE audit_log SET actor = 'x' WHERE seq = 2`);
    await deps.store.query(`UPDATE audit_log SET target = 'y' WHERE seq = 4`);
    const result = await deps.audit.verify(deps.store);
    expect(!result.ok && result.broken!.map((b) => b.seq)).toEqual([2, 4]);
  });
  it('detects an edit that also recomputes that record\'s own hash (the next link breaks)', async () => {
    await deps.store.query(`UPDATE audit_log SET hash = repeat('a', 64) WHERE seq = 2`);
    const result = await deps.audit.verify(deps.store);
    expect(result.ok).toBeFalse();
    expect(!result.ok && result.brokenAt.seq).toBe(2);
  });

  it('detects a deleted record in the middle', async () => {
    await deps.store.query('DELETE FROM audit_log WHERE seq = 2');
    const result = await deps.audit.verify(deps.store);
    expect(!result.ok && result.brokenAt).toEqual({ seq: 2, reason: 'record 2 is missing' });
  });

  it('detects reordered records', async () => {
    await deps.store.transaction(async (tx) => {
      await tx.query('UPDATE audit_log SET seq = 100 WHERE seq = 2');
      await tx.query('UPDATE audit_log SET seq = 2 WHERE seq = 4');
      await tx.query('UPDATE audit_log SET seq = 4 WHERE seq = 100');
    });
    const result = await deps.audit.verify(deps.store);
    expect(!result.ok && result.brokenAt.seq).toBe(2);
  });

  it('detects records deleted from the end', async () => {
    await deps.store.query('DELETE FROM audit_log WHERE seq = 5');
    const result = await deps.audit.verify(deps.store);
    expect(!result.ok && result.brokenAt.reason).toMatch(/deleted from the end/);
  });

  it('pages through long chains', async () => {
    await appendMany(deps, 7);
    expect(await deps.audit.verify(deps.store, 3)).toEqual(jasmine.objectContaining({ ok: true, count: 12 }));
  });

  it('lists newest first with a cursor and filters', async () => {
    const page1 = await deps.audit.list(deps.store, { limit: 2 });
    expect(page1.items.map((r) => r.seq)).toEqual([5, 4]);
    const page2 = await deps.audit.list(deps.store, { limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((r) => r.seq)).toEqual([3, 2]);
    expect((await deps.audit.list(deps.store, { limit: 10, actor: 'user1' })).items.map((r) => r.seq)).toEqual([2]);
  });

  it('keeps one order when many appends race (no duplicate or missing seq)', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => deps.store.transaction((tx) =>
      deps.audit.append(tx, { actorId: null, actor: 'race', role: null, procedure: 'p', target: null, outcome: 'ok', before: null, after: { i }, requestId: `x${i}`, error: null }))));
    expect(await deps.audit.verify(deps.store)).toEqual(jasmine.objectContaining({ ok: true, count: 25 }));
  });

  it('follows records appended by another replica: read from the store, not from this process', async () => {
    const otherReplica = new AuditLog(TEST_AUDIT_KEYS, new MemoryCheckpointSink());
    const stop = new AbortController();
    const feed = deps.audit.follow(deps.store, stop.signal, 50)[Symbol.asyncIterator]();
    const next = feed.next();
    await new Promise((r) => setTimeout(r, 100)); // the follower has read the head (seq 5) by now
    await deps.store.transaction((tx) => otherReplica.append(tx, {
      actorId: null, actor: 'replica-2', role: 'admin', procedure: 'test.elsewhere', target: null, outcome: 'ok',
      before: null, after: null, requestId: 'r-other', error: null,
    }));
    const { value } = await next;
    expect([value!.seq, value!.actor, value!.procedure]).toEqual([6, 'replica-2', 'test.elsewhere']);
    stop.abort();
    await feed.return?.(undefined);
  });

  describe('appendMany (a batch in one call)', () => {
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ({
      actorId: null, actor: `batch${i}`, role: 'cloud-operator', procedure: 'quotas.reserve', target: `reservation:${i}`, outcome: 'ok' as const,
      before: null, after: { i, token: 'secret-value', text: 'nul\u0000here' }, requestId: `b${i}`, error: null,
    }));

    it('chains the batch after the head, seq after seq, and verify passes', async () => {
      const records = await deps.store.transaction((tx) => deps.audit.appendMany(tx, batch(4)));
      expect(records.map((r) => r.seq)).toEqual([6, 7, 8, 9]);
      expect(records.slice(1).map((r) => r.prevHash)).toEqual(records.slice(0, -1).map((r) => r.hash));
      const [head] = await deps.store.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
      expect([Number(head!.seq), head!.hash]).toEqual([9, records[3]!.hash]);
      expect(await deps.audit.verify(deps.store)).toEqual(jasmine.objectContaining({ ok: true, count: 9 }));
      await appendMany(deps, 1); // a single append continues the chain after the batch
      expect(await deps.audit.verify(deps.store)).toEqual(jasmine.objectContaining({ ok: true, count: 10 }));
      const [row] = await deps.store.query<{ after: { token: string } }>('SELECT after FROM audit_log WHERE seq = 7');
      expect(row!.after.token).toBe('[redacted]');
    });

    it('detects a tampered record inside a batch, naming it', async () => {
      await deps.store.transaction((tx) => deps.audit.appendMany(tx, batch(3)));
      await deps.store.query(`UPDATE audit_log SET target = 'reservation:forged' WHERE seq = 7`);
      const result = await deps.audit.verify(deps.store);
      expect(!result.ok && result.broken!.map((b) => b.seq)).toEqual([7]);
    });

    it('writes nothing for an empty batch, and nothing when the transaction rolls back', async () => {
      expect(await deps.store.transaction((tx) => deps.audit.appendMany(tx, []))).toEqual([]);
      await expectAsync(deps.store.transaction(async (tx) => {
        await deps.audit.appendMany(tx, batch(2));
        throw new Error('rolled back');
      })).toBeRejectedWithError('rolled back');
      expect(await deps.audit.verify(deps.store)).toEqual(jasmine.objectContaining({ ok: true, count: 5 }));
    });
  });
});
