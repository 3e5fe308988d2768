import type { AppDeps } from '../context.ts';
import { freshDeps } from '../testing/harness.ts';
import { QuotaError, QuotaExceededError, type QuotaItem } from './contract.ts';
import { setOvercommit } from './limits.ts';
import { limit, quotaSnapshot, quotaViolations, seedCloudRow, seedQuotaDepartment, seedSystem } from '../testing/quota-fixtures.ts';
import { quotaRepo } from './quota-repo.ts';
import { reserveInputSchema } from './quota-schemas.ts';
import { quotaViews } from './views.ts';

const vcpu = (amount: number, cloudId = 'qc-one'): QuotaItem => ({ cloudId, resourceClass: 'vcpu', amount });

/** Province 100 → city 3601: 80 → department A: 50 → systems A1, A2: 40 each; department B (3601) and a provincial department P. */
async function world(deps: AppDeps) {
  const db = deps.store;
  await seedCloudRow(db, 'qc-one');
  await seedCloudRow(db, 'qc-two');
  const deptA = await seedQuotaDepartment(db, '甲局', '360102');
  const deptB = await seedQuotaDepartment(db, '乙局', '3601');
  const deptP = await seedQuotaDepartment(db, '省厅', '36');
  const a1 = await seedSystem(db, deptA, 'A1');
  const a2 = await seedSystem(db, deptA, 'A2');
  const b1 = await seedSystem(db, deptB, 'B1');
  const p1 = await seedSystem(db, deptP, 'P1');
  await limit(db, 'province', '36', [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 100 }]);
  await limit(db, 'city', '3601', [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 80 }]);
  await limit(db, 'department', deptA, [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 50 }]);
  for (const s of [a1, a2, b1, p1]) await limit(db, 'system', s, [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 40 }, { cloudId: 'qc-one', resourceClass: 'memoryGiB', limit: 64 }]);
  return { deptA, deptB, deptP, a1, a2, b1, p1 };
}

describe('quota service', () => {
  let deps: AppDeps;
  let w: Awaited<ReturnType<typeof world>>;
  let seq = 0;
  const tx = <T>(fn: (db: import('../store/store.ts').Queryable) => Promise<T>) => deps.store.transaction(fn);
  const reserve = (systemId: string, items: QuotaItem[], key = `k-${++seq}`, ttlSeconds = 600) =>
    tx((db) => deps.quotaRuntime.service.reserve(db, { systemId, items, idempotencyKey: key, ttlSeconds, ref: `spec-${seq}`, actor: 'spec' }));
  const usedAt = async (level: string, ref: string, resourceClass = 'vcpu') => {
    const [row] = await deps.store.query<{ reserved: number; committed: number }>(
      `SELECT u.reserved, u.committed FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id WHERE n.level = $1 AND n.ref = $2 AND u.cloud_id = 'qc-one' AND u.resource_class = $3`,
      [level, ref, resourceClass],
    );
    return row ? [row.reserved, row.committed] : null;
  };

  beforeEach(async () => {
    deps = await freshDeps();
    w = await world(deps);
  });
  afterEach(async () => expect(await quotaViolations(deps.store)).toEqual([]));

  it('places provincial departments under the province and others under the city of their division code', async () => {
    const [a1] = await quotaRepo.systemNodes(deps.store, [w.a1]);
    const [p1] = await quotaRepo.systemNodes(deps.store, [w.p1]);
    const levels = async (path: string) => (await quotaRepo.nodesByIds(deps.store, path.split('/').filter(Boolean))).map((n) => `${n.level}:${n.level === 'city' || n.level === 'province' ? n.ref : '·'}`).sort();
    expect(await levels(a1!.path)).toEqual(['city:3601', 'department:·', 'province:36', 'system:·']);
    expect(await levels(p1!.path)).toEqual(['department:·', 'province:36', 'system:·']);
    // Idempotent: a second call returns the same node.
    const again = await tx((db) => deps.quotaRuntime.service.ensureSystemNode(db, { systemId: w.a1, departmentId: w.deptA, actor: 'spec' }));
    expect(again.nodeId).toBe(a1!.id);
    // The wrong department is refused, changing nothing.
    const before = await quotaSnapshot(deps.store);
    await expectAsync(tx((db) => deps.quotaRuntime.service.ensureSystemNode(db, { systemId: w.a1, departmentId: w.deptB, actor: 'spec' }))).toBeRejectedWithError(/belongs to another department/);
    expect(await quotaSnapshot(deps.store)).toEqual(before);
  });

  it('holds at every level of the path, and refuses at the tightest level holding nothing anywhere', async () => {
    await reserve(w.a1, [vcpu(30)]);
    for (const [level, ref] of [['system', w.a1], ['department', w.deptA], ['city', '3601'], ['province', '36']]) expect(await usedAt(level!, ref!)).toEqual([30, 0]);
    const before = await quotaSnapshot(deps.store);
    const error = await reserve(w.a2, [vcpu(30)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect((error as QuotaExceededError).shortfalls.map((s) => `${s.level}:${s.limit}:${s.used}`)).toEqual(['department:50:30']);
    expect((error as Error).message).toContain('department');
    expect(await quotaSnapshot(deps.store)).toEqual(before);
    // Another department under the same city is capped by the city (80 - 30 = 50 left, system allows 40).
    await reserve(w.b1, [vcpu(40)]);
    const cityFull = await reserve(w.a2, [vcpu(15)]).catch((e: QuotaExceededError) => e.shortfalls.map((s) => s.level));
    expect(cityFull).toEqual(['city']);
  });

  it('commits and releases once, with repeats changing nothing and cross moves refused', async () => {
    const r = await reserve(w.a1, [vcpu(10), { cloudId: 'qc-one', resourceClass: 'memoryGiB', amount: 16 }]);
    const committed = await tx((db) => deps.quotaRuntime.service.commit(db, { reservationId: r.id, actor: 'spec' }));
    expect(committed.state).toBe('committed');
    expect(await usedAt('province', '36')).toEqual([0, 10]);
    expect(await usedAt('system', w.a1, 'memoryGiB')).toEqual([0, 16]);
    expect((await tx((db) => deps.quotaRuntime.service.commit(db, { reservationId: r.id, actor: 'spec' }))).state).toBe('committed');
    await expectAsync(tx((db) => deps.quotaRuntime.service.release(db, { reservationId: r.id, actor: 'spec', reason: 'x' }))).toBeRejectedWithError(/committed/);

    const r2 = await reserve(w.a1, [vcpu(5)]);
    await tx((db) => deps.quotaRuntime.service.release(db, { reservationId: r2.id, actor: 'spec', reason: 'cancelled' }));
    await tx((db) => deps.quotaRuntime.service.release(db, { reservationId: r2.id, actor: 'spec', reason: 'again' }));
    await expectAsync(tx((db) => deps.quotaRuntime.service.commit(db, { reservationId: r2.id, actor: 'spec' }))).toBeRejectedWithError(/released/);
    expect(await usedAt('department', w.deptA)).toEqual([0, 10]);
  });

  it('returns the same reservation for the same idempotency key, and refuses the key for something else', async () => {
    const first = await reserve(w.a1, [vcpu(7)], 'same-key');
    const second = await reserve(w.a1, [vcpu(7)], 'same-key');
    expect(second.id).toBe(first.id);
    expect(await usedAt('system', w.a1)).toEqual([7, 0]);
    await expectAsync(reserve(w.a1, [vcpu(8)], 'same-key')).toBeRejectedWithError(/idempotency key/);
    await tx((db) => deps.quotaRuntime.service.release(db, { reservationId: first.id, actor: 'spec', reason: 'x' }));
    expect((await reserve(w.a1, [vcpu(7)], 'same-key')).state).toBe('released'); // whatever its state: no second hold
  });

  it('warns in the soft band (check says approval is needed) and still holds', async () => {
    await limit(deps.store, 'department', w.deptA, [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 50, softLimit: 20 }]);
    const check = await deps.quotaRuntime.service.check(deps.store, { systemId: w.a1, items: [vcpu(25)] });
    expect([check.fits, check.needsApproval, check.shortfalls.map((s) => `${s.kind}:${s.level}`)]).toEqual([true, true, ['soft:department']]);
    const r = await reserve(w.a1, [vcpu(25)]);
    expect(r.warnings?.map((s) => s.kind)).toEqual(['soft']);
    const hard = await deps.quotaRuntime.service.check(deps.store, { systemId: w.a1, items: [vcpu(30)] });
    expect([hard.fits, hard.needsApproval]).toEqual([false, false]);
  });

  it('applies the overcommit ratio at province level and refuses a ratio that would put usage above the cap', async () => {
    await limit(deps.store, 'province', '36', [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 40 }]);
    await limit(deps.store, 'city', '3601', [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: null }]);
    await reserve(w.a1, [vcpu(40)]);
    await expectAsync(reserve(w.b1, [vcpu(1)])).toBeRejectedWithError(QuotaExceededError);
    await tx((db) => setOvercommit(db, { cloudId: 'qc-one', resourceClass: 'vcpu', ratio: 1.5 }));
    await reserve(w.b1, [vcpu(20)]);
    await expectAsync(reserve(w.p1, [vcpu(1)])).toBeRejectedWithError(QuotaExceededError);
    const before = await quotaSnapshot(deps.store);
    await expectAsync(tx((db) => setOvercommit(db, { cloudId: 'qc-one', resourceClass: 'vcpu', ratio: 1.2 }))).toBeRejectedWithError(QuotaError, /below the 60 in use/);
    expect(await quotaSnapshot(deps.store)).toEqual(before);
  });

  it('refuses a limit below usage, changing nothing, and accepts one equal to it', async () => {
    await reserve(w.a1, [vcpu(12)]);
    const before = await quotaSnapshot(deps.store);
    for (const [level, ref] of [['system', w.a1], ['department', w.deptA], ['city', '3601'], ['province', '36']] as const) {
      await expectAsync(limit(deps.store, level, ref, [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 11 }])).toBeRejectedWithError(QuotaError, /below the 12 in use/);
    }
    expect(await quotaSnapshot(deps.store)).toEqual(before);
    await limit(deps.store, 'system', w.a1, [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 12 }]);
    await expectAsync(reserve(w.a1, [vcpu(1)])).toBeRejectedWithError(QuotaExceededError);
  });

  it('refuses bad items with a clear error, holding nothing: the shape by the API schema (the one validation), an unknown cloud by the service', async () => {
    const before = await quotaSnapshot(deps.store);
    const cases: [string, QuotaItem[], RegExp][] = [
      ['a negative amount', [vcpu(-5)], /above 0/],
      ['a zero amount', [vcpu(0)], /above 0/],
      ['a fractional amount', [vcpu(1.5)], /whole number/],
      ['an absurd amount', [vcpu(1e13)], /at most 1000000000/],
      ['an unknown class', [{ cloudId: 'qc-one', resourceClass: 'qubits' as never, amount: 1 }], /one of vcpu/],
      ['no items', [], /at least one item/],
    ];
    for (const [why, items, message] of cases) {
      const parsed = reserveInputSchema.safeParse({ systemId: w.a1, items, idempotencyKey: 'k' });
      expect(parsed.success).withContext(why).toBeFalse();
      expect(parsed.error?.issues.map((i) => i.message).join('; ')).withContext(why).toMatch(message);
    }
    expect(reserveInputSchema.safeParse({ systemId: w.a1, items: [vcpu(1)], idempotencyKey: 'k', ttlSeconds: 0 }).success).withContext('a hold of 0 s').toBeFalse();
    await expectAsync(reserve(w.a1, [vcpu(1, 'nowhere')])).withContext('an unknown cloud').toBeRejectedWithError(/unknown cloud nowhere/);
    await expectAsync(reserve(w.a1, [vcpu(1, 'qc-two')])).withContext('no limit on that cloud').toBeRejectedWithError(QuotaExceededError, /system .* has 0 left/);
    expect(await quotaSnapshot(deps.store)).toEqual(before);
  });

  it('expires holds past their time: the reaper releases them at every level, and a late commit is refused', async () => {
    const r = await reserve(w.a1, [vcpu(9)], 'short', 1);
    const keep = await reserve(w.a2, [vcpu(3)], 'long', 3600);
    const later = new Date(Date.now() + 5_000);
    await expectAsync(tx((db) => deps.quotaRuntime.service.commit(db, { reservationId: r.id, actor: 'spec' }, later))).toBeRejectedWithError(/expired/);
    const expired = await tx((db) => deps.quotaRuntime.service.reapExpired(db, later));
    expect(expired).toEqual([r.id]);
    expect(await tx((db) => deps.quotaRuntime.service.reapExpired(db, later))).toEqual([]);
    expect(await usedAt('system', w.a1)).toEqual([0, 0]);
    expect(await usedAt('department', w.deptA)).toEqual([3, 0]);
    const [row] = await deps.store.query<{ state: string }>('SELECT state FROM quota_reservations WHERE id = $1', [r.id]);
    expect(row!.state).toBe('expired');
    // A cancel arriving after the reaper finds nothing left to give back: no error, no second movement.
    expect((await tx((db) => deps.quotaRuntime.service.release(db, { reservationId: r.id, actor: 'spec', reason: 'cancelled late' }))).state).toBe('expired');
    expect(await usedAt('department', w.deptA)).toEqual([3, 0]);
    expect((await tx((db) => deps.quotaRuntime.service.commit(db, { reservationId: keep.id, actor: 'spec' }))).state).toBe('committed');
  });

  it('explains a usage figure line by line from the ledger', async () => {
    const r1 = await reserve(w.a1, [vcpu(10)]);
    const r2 = await reserve(w.a2, [vcpu(4)]);
    const r3 = await reserve(w.a2, [vcpu(6)]);
    await tx((db) => deps.quotaRuntime.service.commit(db, { reservationId: r1.id, actor: 'spec' }));
    await tx((db) => deps.quotaRuntime.service.release(db, { reservationId: r3.id, actor: 'spec', reason: 'cancelled' }));
    const node = (await quotaRepo.nodeByRef(deps.store, 'department', w.deptA))!;
    const x = await quotaViews.explain(deps.store, node, 'qc-one', 'vcpu');
    // 5 movements + 3 vCPU limit lines (the department's, A1's and A2's).
    expect([x.reserved, x.committed, x.consistent, x.ledger.lines]).toEqual([4, 10, true, 8]);
    expect(x.contributions.map((c) => `${c.reservationId}:${c.state}:${c.reserved}/${c.committed}`).sort()).toEqual([`${r1.id}:committed:0/10`, `${r2.id}:held:4/0`].sort());
    const page = await quotaViews.ledger(deps.store, node, { limit: 3 });
    const rest = await quotaViews.ledger(deps.store, node, { limit: 10, cursor: page.nextCursor! });
    expect(page.items.length + rest.items.length).toBe(10); // 5 movements + 5 limit lines (department vCPU; A1, A2 vCPU and memory)
    expect(rest.nextCursor).toBeNull();
  });
});
