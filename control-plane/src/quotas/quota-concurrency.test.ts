import type { AppDeps } from '../context.ts';
import { ConflictError } from '../errors.ts';
import { freshDeps } from '../testing/harness.ts';
import { QuotaExceededError, type Reservation } from './contract.ts';
import { limit, quotaViolations, seedCloudRow, seedQuotaDepartment, seedSystem } from '../testing/quota-fixtures.ts';
import { QuotaServiceImpl } from './quota-service.ts';
import { QuotaReaper } from './reaper.ts';
import { ReserveBatcher } from './reserve-batcher.ts';

/**
 * Thousands of reservations at once against a quota that is nearly full at every level: the hot system has
 * 1,000 vCPU left, and so — because of what others already use — do its department, city and province.
 * Two batchers with their own service instances stand in for two processes (on PostgreSQL their
 * transactions really run side by side on the pool), and single contract reservations run beside them.
 */
describe('quota under concurrency', () => {
  let deps: AppDeps;
  let hot: string;
  const who = { actorId: null, actor: 'spec', role: 'cloud-operator', requestId: 'spec', procedure: 'quotas.reserve' };
  const vcpu = (amount: number) => [{ cloudId: 'qc-hot', resourceClass: 'vcpu' as const, amount }];
  const used = async (level: string) =>
    (await deps.store.query<{ reserved: number; committed: number }>(
      `SELECT u.reserved, u.committed FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id
       JOIN quota_nodes s ON s.level = 'system' AND s.ref = $2 AND s.path LIKE n.path || '%'
       WHERE n.level = $1 AND u.cloud_id = 'qc-hot' AND u.resource_class = 'vcpu'`,
      [level, hot],
    ))[0]!;

  beforeEach(async () => {
    deps = await freshDeps();
    const db = deps.store;
    await seedCloudRow(db, 'qc-hot');
    const dept = await seedQuotaDepartment(db, '热点局', '360102');
    const sibling = await seedSystem(db, dept, '兄弟系统');
    const otherDept = await seedQuotaDepartment(db, '邻局', '3601');
    const cousin = await seedSystem(db, otherDept, '邻居系统');
    const farDept = await seedQuotaDepartment(db, '远局', '3607');
    const far = await seedSystem(db, farDept, '远方系统');
    hot = await seedSystem(db, dept, '热点系统');
    for (const s of [sibling, cousin, far]) await limit(db, 'system', s, [{ cloudId: 'qc-hot', resourceClass: 'vcpu', limit: 1000 }]);
    await limit(db, 'system', hot, [{ cloudId: 'qc-hot', resourceClass: 'vcpu', limit: 1000 }]);
    await limit(db, 'department', dept, [{ cloudId: 'qc-hot', resourceClass: 'vcpu', limit: 1200 }]);
    await limit(db, 'city', '3601', [{ cloudId: 'qc-hot', resourceClass: 'vcpu', limit: 1600 }]);
    await limit(db, 'province', '36', [{ cloudId: 'qc-hot', resourceClass: 'vcpu', limit: 2000 }]);
    // Fill the parents: 200 by the sibling (department), 400 by the cousin (city), 400 far away (province).
    for (const [s, n] of [[sibling, 200], [cousin, 400], [far, 400]] as const) {
      const r = await db.transaction((tx) => deps.quotaRuntime.service.reserve(tx, { systemId: s, items: vcpu(n), idempotencyKey: `fill-${s}`, ttlSeconds: 3600, ref: 'fill', actor: 'spec' }));
      await db.transaction((tx) => deps.quotaRuntime.service.commit(tx, { reservationId: r.id, actor: 'spec' }));
    }
  });

  it('never oversubscribes any level and leaks no hold after cancels, commits and expiry', async () => {
    const batchers = [0, 1].map(() => new ReserveBatcher(deps, new QuotaServiceImpl(), { lingerMs: 1, maxBatch: 128 }));
    const direct = new QuotaServiceImpl();
    const N = 3000;
    const amountOf = (i: number) => 1 + (i % 3);
    const attempts = Array.from({ length: N }, (_, i) => {
      const input = { systemId: hot, items: vcpu(amountOf(i)), idempotencyKey: `hot-${i}`, ttlSeconds: i % 4 === 0 ? 1 : 3600, ref: `req-${i}`, actor: 'spec' };
      if (i % 10 === 9) return deps.store.transaction((tx) => direct.reserve(tx, input)); // the contract path, one transaction each
      return batchers[i % 2]!.submit(input, who);
    });
    // A few callers retry with the same key at the same time: no second hold.
    const replays = Array.from({ length: 100 }, (_, j) => batchers[j % 2]!.submit({ systemId: hot, items: vcpu(amountOf(j * 7)), idempotencyKey: `hot-${j * 7}`, ttlSeconds: j * 7 % 4 === 0 ? 1 : 3600, ref: `req-${j * 7}`, actor: 'spec' }, who));
    const settled = await Promise.allSettled([...attempts, ...replays]);
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused.every((s) => (s as PromiseRejectedResult).reason instanceof QuotaExceededError)).withContext(String((refused.find((s) => !((s as PromiseRejectedResult).reason instanceof QuotaExceededError)) as PromiseRejectedResult | undefined)?.reason)).toBeTrue();
    const granted = new Map<string, Reservation>();
    for (const s of settled) if (s.status === 'fulfilled') granted.set(s.value.id, s.value);
    const total = [...granted.values()].reduce((sum, r) => sum + r.items[0]!.amount, 0);
    expect(total).toBeLessThanOrEqual(1000);
    expect(total).toBeGreaterThan(990); // demand was 6,000: the quota was used, not just guarded
    expect(refused.length).toBeGreaterThan(1000);
    expect(await used('system')).toEqual({ reserved: total, committed: 0 });
    expect(await used('province')).toEqual({ reserved: total, committed: 1000 });
    expect(await quotaViolations(deps.store)).toEqual([]);

    // Cancel a third, commit a third, leave the rest to expire — while new requests race for what is freed.
    const list = [...granted.values()];
    const outcomes = await Promise.allSettled([
      ...list.map((r, i) => deps.store.transaction((tx) => (i % 3 === 0
        ? deps.quotaRuntime.service.release(tx, { reservationId: r.id, actor: 'spec', reason: 'cancelled' })
        : i % 3 === 1 ? deps.quotaRuntime.service.commit(tx, { reservationId: r.id, actor: 'spec' }) : Promise.resolve(r)))),
      ...Array.from({ length: 600 }, (_, i) => batchers[i % 2]!.submit({ systemId: hot, items: vcpu(1), idempotencyKey: `late-${i}`, ttlSeconds: 1, ref: 'late', actor: 'spec' }, who)),
    ]);
    // Allowed refusals: no room for a late request, or a commit that came after its one-second hold expired.
    const allowed = (e: unknown) => e instanceof QuotaExceededError || (e instanceof ConflictError && /expired/.test(e.message));
    expect(outcomes.filter((o) => o.status === 'rejected' && !allowed((o as PromiseRejectedResult).reason))).toEqual([]);
    expect(await quotaViolations(deps.store)).toEqual([]);
    const system = await used('system');
    expect(system.reserved + system.committed).toBeLessThanOrEqual(1000);

    // Everything still held expires; afterwards nothing is held anywhere, and committed is what was committed.
    await deps.store.transaction((tx) => deps.quotaRuntime.service.reapExpired(tx, new Date(Date.now() + 2 * 3600_000), 100_000));
    const [held] = await deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM quota_reservations WHERE state = 'held'`);
    expect(held!.n).toBe(0);
    const [committed] = await deps.store.query<{ n: number }>(
      `SELECT COALESCE(sum((items->0->>'amount')::int), 0)::int AS n FROM quota_reservations WHERE state = 'committed' AND system_id = $1`, [hot]);
    expect(await used('system')).toEqual({ reserved: 0, committed: committed!.n });
    expect(await used('department')).toEqual({ reserved: 0, committed: committed!.n + 200 });
    expect(await used('province')).toEqual({ reserved: 0, committed: committed!.n + 1000 });
    expect(await quotaViolations(deps.store)).toEqual([]);
    // The batches' audit records (one per batch, appended after the head the batch locked) keep the chain whole.
    const chain = await deps.audit.verify(deps.store);
    expect(chain.ok).withContext(JSON.stringify(chain)).toBeTrue();
    expect(chain.count).toBeGreaterThan(1);
  });

  it('lets two reapers (two replicas) release expired holds together, each hold exactly once', async () => {
    const batcher = new ReserveBatcher(deps, new QuotaServiceImpl(), { lingerMs: 1, maxBatch: 128 });
    await Promise.all(Array.from({ length: 500 }, (_, i) => batcher.submit({ systemId: hot, items: vcpu(1), idempotencyKey: `reap-${i}`, ttlSeconds: 1, ref: 'reap', actor: 'spec' }, who)));
    const reapers = [0, 1].map(() => new QuotaReaper(deps, new QuotaServiceImpl(), { intervalMs: 60_000, batch: 40 }));
    const later = new Date(Date.now() + 60_000);
    const released = await Promise.all(reapers.map((r) => r.tick(later)));
    expect(released[0]! + released[1]!).toBe(500);
    const [states] = await deps.store.query<{ held: number; expired: number }>(
      `SELECT count(*) FILTER (WHERE state = 'held')::int AS held, count(*) FILTER (WHERE state = 'expired')::int AS expired FROM quota_reservations WHERE ref = 'reap'`);
    expect(states).toEqual({ held: 0, expired: 500 });
    expect(await used('system')).toEqual({ reserved: 0, committed: 0 });
    expect(await quotaViolations(deps.store)).toEqual([]);
    expect((await deps.audit.verify(deps.store)).ok).toBeTrue();
  });

  it('fails only the request the database refuses when a batch cannot be written, and grants the rest', async () => {
    const batcher = new ReserveBatcher(deps, new QuotaServiceImpl(), { lingerMs: 5, maxBatch: 128 });
    // A NUL character cannot be stored in a text column: the batch's statement fails, the batcher retries one by one.
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
      batcher.submit({ systemId: hot, items: vcpu(1), idempotencyKey: `nul-${i}`, ttlSeconds: 600, ref: i === 7 ? 'bad\u0000ref' : 'ok', actor: 'spec' }, who)));
    expect(settled.map((s) => s.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
    expect(await used('system')).toEqual({ reserved: 19, committed: 0 });
    expect(await quotaViolations(deps.store)).toEqual([]);
    expect((await deps.audit.verify(deps.store)).ok).toBeTrue();
  });
});
