import type { AppDeps } from '../context.ts';
import { addSimClouds } from '../testing/cloud-fixtures.ts';
import { quotaRepo } from '../quotas/quota-repo.ts';
import { quotaSnapshot, quotaViolations, seedQuotaCloudAndTwoDepartments, seedQuotaDepartment, seedSystem } from '../testing/quota-fixtures.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedUser, snapshot } from '../testing/harness.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

describe('quotas API', () => {
  let deps: AppDeps & { logs: { text: string } };
  let ops: Caller;
  let ops2: Caller;
  let deptAdmin: Caller;
  let deptUser: Caller;
  let otherUser: Caller;
  let auditor: Caller;
  let deptA: string;
  let deptB: string;
  let a1: string;
  let b1: string;
  const vcpu = (amount: number, cloudId = 'qc-one') => [{ cloudId, resourceClass: 'vcpu' as const, amount }];
  const node = async (level: 'system' | 'department' | 'city' | 'province', ref: string) => (await quotaRepo.nodeByRef(deps.store, level, ref))!.id;
  const state = async () => ({ quotas: await quotaSnapshot(deps.store), base: await snapshot(deps) });

  beforeEach(async () => {
    deps = await freshDeps();
    const db = deps.store;
    ({ deptA, deptB } = await seedQuotaCloudAndTwoDepartments(db));
    a1 = await seedSystem(db, deptA, 'A1');
    b1 = await seedSystem(db, deptB, 'B1');
    ops = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    ops2 = await callerAs(deps, (await seedUser(deps, 'ops2', ['admin'])).id);
    deptAdmin = await callerAs(deps, (await seedUser(deps, 'a-admin', ['department-admin'], deptA)).id);
    deptUser = await callerAs(deps, (await seedUser(deps, 'a-user', ['department-user'], deptA)).id);
    otherUser = await callerAs(deps, (await seedUser(deps, 'b-user', ['department-user'], deptB)).id);
    auditor = await callerAs(deps, (await seedUser(deps, 'aud', ['auditor'])).id);
    for (const s of [a1, b1]) await ops.quotas.setLimits({ node: { level: 'system', ref: s }, limits: [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 40 }], reason: 'initial quota' });
    await ops.quotas.setLimits({ node: { level: 'department', ref: deptA }, limits: [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 50, softLimit: 30 }], reason: 'initial quota' });
    await ops.quotas.setLimits({ node: { level: 'province', ref: '36' }, limits: [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 100 }], reason: 'capacity' });
  });
  afterEach(async () => {
    expect(await quotaViolations(deps.store)).toEqual([]);
    await deps.federation.stop();
  });

  it('lets operators reserve, commit and release through the API, with one audit record per batch listing the reservations', async () => {
    const [r1, r2] = await Promise.all([
      ops.quotas.reserve({ systemId: a1, items: vcpu(10), idempotencyKey: 'api-1', ref: 'req-1' }),
      ops.quotas.reserve({ systemId: a1, items: vcpu(5), idempotencyKey: 'api-2', ref: 'req-2' }),
    ]);
    expect([r1.state, r2.state]).toEqual(['held', 'held']);
    await ops.quotas.commit({ reservationId: r1.id });
    await ops.quotas.release({ reservationId: r2.id, reason: 'request cancelled' });
    const dept = await ops.quotas.node({ id: await node('department', deptA) });
    expect(dept.usage.map((u) => [u.reserved, u.committed, u.cap, u.utilisation])).toEqual([[0, 10, 50, 0.2]]);
    expect(dept.path.map((p) => p.level)).toEqual(['province', 'city']);
    const trail = await auditTrail(deps);
    const reserves = trail.filter((r) => r.procedure === 'quotas.reserve');
    const listed = reserves.flatMap((r) => (r.after as { reservations: { id: string }[] }).reservations.map((x) => x.id));
    expect(listed.sort()).toEqual([r1.id, r2.id].sort());
    expect(reserves.every((r) => r.actor === 'ops' && r.outcome === 'ok')).toBeTrue();
    expect(trail.map((r) => r.procedure)).toContain('quotas.commit');
    expect((await deps.audit.verify(deps.store)).ok).toBeTrue();
    await expectAsync(ops.quotas.reserve({ systemId: a1, items: vcpu(41), idempotencyKey: 'api-3' })).toBeRejected();
    const counted = await deps.metrics.registry.getSingleMetricAsString('ganyun_quota_reservations_total');
    expect(counted).toContain('outcome="granted"} 2');
    expect(counted).toContain('outcome="refused"} 1');
    const explained = await deptUser.quotas.explain({ nodeId: await node('department', deptA), cloudId: 'qc-one', resourceClass: 'vcpu' });
    expect([explained.consistent, explained.committed, explained.contributions.map((c) => c.reservationId)]).toEqual([true, 10, [r1.id]]);
  });

  it('answers history, reservations, overcommit and an expiry sweep through the API', async () => {
    const r = await ops.quotas.reserve({ systemId: a1, items: vcpu(6), idempotencyKey: 'h-1', ttlSeconds: 1 });
    await ops.quotas.reserve({ systemId: a1, items: vcpu(3), idempotencyKey: 'h-2' });
    const sys = await node('system', a1);
    const history = await deptUser.quotas.history({ nodeId: sys, resourceClass: 'vcpu', days: 3 });
    expect(history.days.map((d) => d.used)).toEqual([0, 0, 9]);
    expect((await deptUser.quotas.reservations({ nodeId: await node('department', deptA), state: 'held' })).items.map((x) => x.idempotencyKey).sort()).toEqual(['h-1', 'h-2']);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await ops.quotas.reapExpired()).toEqual({ expired: 1 });
    expect((await ops.quotas.reservations({ nodeId: sys, state: 'expired' })).items.map((x) => x.id)).toEqual([r.id]);
    expect(await ops.quotas.setOvercommit({ cloudId: 'qc-one', resourceClass: 'vcpu', ratio: 2 })).toEqual({ from: 1, to: 2 });
    expect((await auditor.quotas.overcommit()).items).toEqual([{ cloudId: 'qc-one', resourceClass: 'vcpu', ratio: 2 }]);
    expect((await ops.quotas.node({ id: await node('province', '36') })).usage.find((u) => u.resourceClass === 'vcpu')!.cap).toBe(200);
    const trail = await auditTrail(deps);
    expect(trail.filter((t) => t.procedure === 'quotas.setOvercommit').map((t) => [t.before, t.after])).toEqual([[{ ratio: 1 }, { ratio: 2 }]]);
  });

  it('shows department roles only their own department, and operators everything', async () => {
    expect((await ops.quotas.tree()).items.map((n) => n.level)).toEqual(['province']);
    expect((await auditor.quotas.tree()).items.map((n) => n.level)).toEqual(['province']);
    const mine = await deptUser.quotas.tree();
    expect(mine.items.map((n) => [n.level, n.ref])).toEqual([['department', deptA]]);
    expect((await deptUser.quotas.mine()).items.map((n) => n.ref)).toEqual([deptA]);
    const systems = await deptUser.quotas.tree({ parentId: mine.items[0]!.id });
    expect(systems.items.map((n) => n.name)).toEqual(['A1']);
    for (const attempt of [
      async () => deptUser.quotas.node({ id: await node('department', deptB) }),
      async () => deptUser.quotas.node({ id: await node('province', '36') }),
      async () => otherUser.quotas.ledger({ nodeId: await node('system', a1) }),
      async () => deptUser.quotas.check({ systemId: b1, items: vcpu(1) }),
      async () => deptUser.quotas.reserve({ systemId: a1, items: vcpu(1), idempotencyKey: 'x' }),
      async () => deptAdmin.quotas.setLimits({ node: { level: 'system', ref: a1 }, limits: [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 99 }], reason: 'more' }),
      async () => deptAdmin.quotas.requestChange({ nodeId: await node('system', b1), cloudId: 'qc-one', resourceClass: 'vcpu', limit: 99, reason: 'more' }),
      async () => auditor.quotas.release({ reservationId: a1, reason: 'no' }),
    ]) expect((await errorOf(attempt)).code).toBe('FORBIDDEN');
    expect((await deptUser.quotas.check({ systemId: a1, items: vcpu(35) })).needsApproval).toBeTrue(); // soft band of the department
  });

  type World = { ops: Caller; a1: string; deptA: string };
  const badInputs: [string, (w: World) => Promise<unknown>, string, string | null][] = [
    ['a negative amount', (w) => w.ops.quotas.reserve({ systemId: w.a1, items: vcpu(-1), idempotencyKey: 'b1' }), 'BAD_REQUEST', 'items.0.amount'],
    ['an absurd amount', (w) => w.ops.quotas.reserve({ systemId: w.a1, items: vcpu(5e12), idempotencyKey: 'b2' }), 'BAD_REQUEST', 'items.0.amount'],
    ['an unknown class', (w) => w.ops.quotas.reserve({ systemId: w.a1, items: [{ cloudId: 'qc-one', resourceClass: 'qubits' as never, amount: 1 }], idempotencyKey: 'b3' }), 'BAD_REQUEST', 'items.0.resourceClass'],
    ['an unknown cloud', (w) => w.ops.quotas.reserve({ systemId: w.a1, items: vcpu(1, 'nowhere'), idempotencyKey: 'b4' }), 'BAD_REQUEST', 'items.0.cloudId'],
    ['no items', (w) => w.ops.quotas.reserve({ systemId: w.a1, items: [], idempotencyKey: 'b5' }), 'BAD_REQUEST', 'items'],
    ['a hold of zero seconds', (w) => w.ops.quotas.reserve({ systemId: w.a1, items: vcpu(1), idempotencyKey: 'b6', ttlSeconds: 0 }), 'BAD_REQUEST', 'ttlSeconds'],
    ['more than the quota (422: the same answer every time, issue 17.4)', (w) => w.ops.quotas.reserve({ systemId: w.a1, items: vcpu(41), idempotencyKey: 'b7' }), 'UNPROCESSABLE_CONTENT', null],
    ['a limit below usage', (w) => w.ops.quotas.setLimits({ node: { level: 'department', ref: w.deptA }, limits: [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 4 }], reason: 'shrink' }), 'BAD_REQUEST', 'limits.0.limit'],
    ['a soft limit above the limit', (w) => w.ops.quotas.setLimits({ node: { level: 'system', ref: w.a1 }, limits: [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 10, softLimit: 11 }], reason: 'odd' }), 'BAD_REQUEST', 'limits.0.softLimit'],
    ['a city that is not in Jiangxi', (w) => w.ops.quotas.setLimits({ node: { level: 'city', ref: '3701' }, limits: [{ cloudId: 'qc-one', resourceClass: 'vcpu', limit: 10 }], reason: 'odd' }), 'BAD_REQUEST', 'node.ref'],
    ['an overcommit ratio of 40', (w) => w.ops.quotas.setOvercommit({ cloudId: 'qc-one', resourceClass: 'vcpu', ratio: 40 }), 'BAD_REQUEST', 'ratio'],
    ['an overcommit ratio for storage', (w) => w.ops.quotas.setOvercommit({ cloudId: 'qc-one', resourceClass: 'storageGiB' as never, ratio: 2 }), 'BAD_REQUEST', 'resourceClass'],
  ];
  for (const [why, call, code, field] of badInputs) {
    it(`refuses ${why} with a clear error, changing nothing`, async () => {
      await ops.quotas.reserve({ systemId: a1, items: vcpu(5), idempotencyKey: 'existing' });
      const before = await state();
      const error = await errorOf(() => call({ ops, a1, deptA }));
      expect(error.code).withContext(error.message).toBe(code);
      if (field) expect(Object.keys(error.fieldErrors ?? {})).withContext(error.message).toEqual([field]);
      expect(error.message.length).toBeGreaterThan(5);
      expect(await state()).toEqual(before);
    });
  }

  it('routes an increase to approval by someone else, applies a decrease at once, and never below usage', async () => {
    const sys = await node('system', a1);
    const inc = await deptAdmin.quotas.requestChange({ nodeId: sys, cloudId: 'qc-one', resourceClass: 'vcpu', limit: 45, reason: 'new module' });
    expect(inc.status).toBe('pending');
    expect((await deptAdmin.quotas.changes({ status: 'pending', limit: 10 })).items.map((c) => c.id)).toEqual([inc.id]);
    expect((await otherUser.quotas.changes({ limit: 10 })).items).toEqual([]);
    const own = await ops.quotas.requestChange({ nodeId: sys, cloudId: 'qc-one', resourceClass: 'vcpu', limit: 48, reason: 'for myself' });
    const before = await state();
    expect((await errorOf(() => ops.quotas.decideChange({ id: own.id, decision: 'approve', reason: 'mine' }))).code).toBe('FORBIDDEN');
    expect(await state()).toEqual(before);
    const approved = await ops.quotas.decideChange({ id: inc.id, decision: 'approve', reason: 'justified' });
    expect([approved.status, approved.decidedByName]).toEqual(['approved', 'ops']);
    expect((await errorOf(() => ops2.quotas.decideChange({ id: inc.id, decision: 'reject', reason: 'again' }))).code).toBe('CONFLICT');
    expect((await ops.quotas.node({ id: sys })).usage[0]!.limit).toBe(45);
    await ops2.quotas.decideChange({ id: own.id, decision: 'reject', reason: 'not now' });

    await ops.quotas.reserve({ systemId: a1, items: vcpu(20), idempotencyKey: 'use-20' });
    const dec = await deptAdmin.quotas.requestChange({ nodeId: sys, cloudId: 'qc-one', resourceClass: 'vcpu', limit: 25, reason: 'smaller' });
    expect(dec.status).toBe('applied');
    const mid = await state();
    const below = await errorOf(() => deptAdmin.quotas.requestChange({ nodeId: sys, cloudId: 'qc-one', resourceClass: 'vcpu', limit: 19, reason: 'too small' }));
    expect([below.code, below.message]).toEqual(['BAD_REQUEST', jasmine.stringContaining('below the 20 in use')]);
    expect(await state()).toEqual(mid);
    const ledger = await ops.quotas.ledger({ nodeId: sys, limit: 50 });
    expect(ledger.items.filter((l) => l.kind === 'limit').map((l) => (l.detail as { to: { limit: number } }).to.limit)).toEqual([25, 45, 40]);
  });

  it('lists drift after a sync: a tenant space of the system holding more than its committed usage', async () => {
    // The federation file registers clouds only into an empty registry: start again with the sim cloud first.
    await deps.federation.stop();
    deps = await freshDeps();
    await addSimClouds(deps, ['pingxiang'], 0);
    deptA = await seedQuotaDepartment(deps.store, '甲局', '360102');
    deptB = await seedQuotaDepartment(deps.store, '乙局', '3602');
    a1 = await seedSystem(deps.store, deptA, 'A1');
    ops = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    deptUser = await callerAs(deps, (await seedUser(deps, 'a-user', ['department-user'], deptA)).id);
    otherUser = await callerAs(deps, (await seedUser(deps, 'b-user', ['department-user'], deptB)).id);
    await ops.quotas.setLimits({ node: { level: 'system', ref: a1 }, limits: [{ cloudId: 'pingxiang', resourceClass: 'vcpu', limit: 64 }], reason: 'placed' });
    const r = await ops.quotas.reserve({ systemId: a1, items: [{ cloudId: 'pingxiang', resourceClass: 'vcpu', amount: 4 }], idempotencyKey: 'drift-1' });
    await ops.quotas.commit({ reservationId: r.id });
    const provider = deps.federation.provider('pingxiang');
    const tenant = `sys-${a1}`;
    await provider.createTenantSpace({ name: tenant, quota: { vcpu: 64, memoryGiB: 256, storageGiB: 1000, gpu: 0 } }, { idempotencyKey: 'ts-1' });
    for (const name of ['vm-a', 'vm-b']) {
      await provider.createResource({ tenant, kind: 'vm', name, arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu: 4, memoryGiB: 8, storageGiB: 40 } }, { idempotencyKey: `vm-${name}` });
    }
    // A second space of the same system, found by its label rather than its name: its usage adds up.
    await provider.createTenantSpace({ name: 'a1-batch', quota: { vcpu: 8, memoryGiB: 32, storageGiB: 100, gpu: 0 }, labels: { 'ganyun.system': a1 } }, { idempotencyKey: 'ts-2' });
    await provider.createResource({ tenant: 'a1-batch', kind: 'volume', name: 'vol-a', size: { storageGiB: 20 } }, { idempotencyKey: 'vol-a' });
    const result = await deps.federation.sync('pingxiang', 'full');
    expect(result instanceof Error).withContext(String(result)).toBeFalse();
    const drift = await ops.quotas.drift({ cloudId: 'pingxiang' });
    expect(drift.items.map((d) => `${d.resourceClass}:${d.recorded}→${d.observed}`).sort()).toEqual(['memoryGiB:0→16', 'storageGiB:0→100', 'vcpu:4→8']);
    expect(drift.items[0]!.tenant.split(',').sort()).toEqual(['a1-batch', tenant].sort());
    expect((await deptUser.quotas.drift({})).items.length).toBe(3);
    expect((await otherUser.quotas.drift({})).items).toEqual([]);
  });
});
