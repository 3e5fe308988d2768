import type { AppDeps } from '../context.ts';
import { freshDeps } from '../testing/harness.ts';
import { byCaller, GroupCommit, type GroupCommitWork } from './group-commit.ts';

/** A toy capability on a scratch table: values are written in one statement per batch; a negative value is refused alone. */
const work: GroupCommitWork<number, number> = {
  apply: async (tx, batch) => {
    const ok = batch.filter((b) => b.item >= 0).map((b) => b.item);
    if (batch.some((b) => b.item === 666)) throw new Error('the batch statement failed');
    await tx.query('INSERT INTO gc_spec (v) SELECT unnest($1::int[])', [ok]);
    return batch.map((b) => (b.item >= 0 ? { ok: true as const, value: b.item * 2 } : { ok: false as const, error: new Error(`refused ${b.item}`) }));
  },
  auditEntries: (batch, outcomes) => byCaller(batch, outcomes).map(({ who, items }) => ({
    actorId: who.actorId, actor: who.actor, role: who.role, procedure: who.procedure, target: `gc:${items.length}`, outcome: 'ok' as const,
    before: null, after: { values: items.map((i) => i.item), requestIds: items.map((i) => i.requestId) }, requestId: who.requestId, error: null,
  })),
};

describe('group commit (store/group-commit.ts)', () => {
  let deps: AppDeps;
  beforeEach(async () => {
    deps = await freshDeps();
    await deps.store.query('CREATE TABLE IF NOT EXISTS gc_spec (v int NOT NULL)');
    await deps.store.query('TRUNCATE gc_spec');
  });
  const who = (actor: string, procedure: string, requestId: string) => ({ actorId: null, actor, role: 'cloud-operator', requestId, procedure });

  it('writes the procedure name each caller brought (from its request context), one record per caller and procedure', async () => {
    const gc = new GroupCommit(deps, work, { lingerMs: 5, maxBatch: 64 });
    const got = await Promise.all([
      gc.submit(1, who('ann', 'dr.protect', 'r1')), gc.submit(2, who('ann', 'dr.protect', 'r2')), gc.submit(3, who('bob', 'migrations.reserve', 'r3')),
    ]);
    expect(got).toEqual([2, 4, 6]);
    const rows = await deps.store.query<{ actor: string; procedure: string; after: { values: number[]; requestIds: string[] } }>(
      'SELECT actor, procedure, after FROM audit_log ORDER BY seq');
    expect(rows.map((r) => [r.actor, r.procedure, r.after.values, r.after.requestIds])).toEqual([
      ['ann', 'dr.protect', [1, 2], ['r1', 'r2']], ['bob', 'migrations.reserve', [3], ['r3']],
    ]);
    expect(gc.stats).toEqual({ batches: 1, requests: 3 });
    expect(await deps.audit.verify(deps.store)).toEqual(jasmine.objectContaining({ ok: true }));
  });

  it('refuses an item alone, and when the batch fails as a whole retries item by item so each gets its own answer', async () => {
    const gc = new GroupCommit(deps, work, { lingerMs: 5, maxBatch: 64 });
    const settled = await Promise.allSettled([4, -1, 666, 5].map((v, i) => gc.submit(v, who('ann', 'spec.op', `r${i}`))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((await deps.store.query<{ v: number }>('SELECT v FROM gc_spec ORDER BY v')).map((r) => r.v)).toEqual([4, 5]);
    // Only committed items are audited: one record per successful one-by-one transaction.
    expect((await deps.store.query<{ target: string }>('SELECT target FROM audit_log ORDER BY seq')).map((r) => r.target)).toEqual(['gc:1', 'gc:1']);
    expect(await deps.audit.verify(deps.store)).toEqual(jasmine.objectContaining({ ok: true }));
  });

  it('audits nothing for callers without an actor (internal callers audit themselves)', async () => {
    const gc = new GroupCommit(deps, work, { lingerMs: 0, maxBatch: 64 });
    expect(await gc.submit(7)).toBe(14);
    expect(await deps.store.query('SELECT seq FROM audit_log')).toEqual([]);
  });
});
