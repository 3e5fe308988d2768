import { onboardingWorld, systemInput, type World } from '../testing/onboarding-fixtures.ts';
import { systemsRepo } from './systems-repo.ts';

/** What clouds.list counted per call before migration 0050: the live, non-tenant-space inventory. */
const recount = async (w: World, cloudId: string) => (await w.deps.store.query<{ n: number }>(
  `SELECT count(*)::int AS n FROM inventory_objects WHERE cloud_id = $1 AND deleted_at IS NULL AND kind <> 'tenant-space'`, [cloudId]))[0]!.n;
const listed = async (w: World, cloudId: string) => (await w.as.admin.clouds.list()).items.find((c) => c.id === cloudId)!.resourceCount;
const stored = async (w: World, id: string) => (await w.deps.store.query<{ compliant: boolean | null; fresh: boolean }>(
  `SELECT s.compliant, s.compliance_epoch IS NOT DISTINCT FROM e.epoch AS fresh FROM business_systems s LEFT JOIN compliance_epoch e ON e.id = 1 WHERE s.id = $1`, [id]))[0]!;
const epoch = async (w: World) => (await w.deps.store.query<{ epoch: string }>('SELECT epoch::text FROM compliance_epoch'))[0]?.epoch;

describe('list summaries kept by the database (migration 0050; in-process simulated clouds)', () => {
  let w: World;
  beforeEach(async () => (w = await onboardingWorld()));
  afterEach(async () => w.stop());

  it('keeps each cloud’s live resource count through inserts, upserts, soft deletes, kind changes and deletes by any writer', async () => {
    const db = w.deps.store;
    const row = (key: string, kind: string, deleted: boolean) =>
      db.query(`INSERT INTO inventory_objects (cloud_id, key, kind, name, first_seen_at, last_seen_at, deleted_at) VALUES ('nanchang', $1, $2, $1, now(), now(), $3)`,
        [key, kind, deleted ? new Date() : null]);
    const start = await recount(w, 'nanchang');
    expect(await listed(w, 'nanchang')).toBe(start);
    await row('spec-a', 'vm', false);
    await row('spec-b', 'volume', false);
    await row('spec-c', 'tenant-space', false);
    await row('spec-d', 'vm', true);
    expect(await listed(w, 'nanchang')).toBe(start + 2);
    // A sync's upsert: one conflicting row updated back to life, one new row, in one statement.
    await db.query(`INSERT INTO inventory_objects (cloud_id, key, kind, name, first_seen_at, last_seen_at) VALUES
      ('nanchang', 'spec-d', 'vm', 'spec-d', now(), now()), ('nanchang', 'spec-e', 'vm', 'spec-e', now(), now())
      ON CONFLICT (cloud_id, key) DO UPDATE SET deleted_at = NULL, last_seen_at = now()`);
    expect(await listed(w, 'nanchang')).toBe(start + 4);
    await db.query(`UPDATE inventory_objects SET deleted_at = now() WHERE cloud_id = 'nanchang' AND key IN ('spec-a', 'spec-c')`);
    await db.query(`UPDATE inventory_objects SET kind = 'tenant-space' WHERE cloud_id = 'nanchang' AND key = 'spec-b'`);
    expect(await listed(w, 'nanchang')).toBe(start + 2);
    await db.query(`DELETE FROM inventory_objects WHERE cloud_id = 'nanchang' AND key LIKE 'spec-%'`);
    expect(await listed(w, 'nanchang')).toBe(start);
    // A full sync of every cloud, then every count equals a recount.
    for (const c of (await w.as.admin.clouds.list()).items) expect(await w.deps.federation.sync(c.id, 'full')).not.toEqual(jasmine.any(Error));
    for (const c of (await w.as.admin.clouds.list()).items) expect(c.resourceCount).withContext(c.id).toBe(await recount(w, c.id));
    expect(await recount(w, 'nanchang')).toBeGreaterThan(0);
  });

  it('stores each placed system’s compliance and recomputes it when its facts, its cloud, a cloud’s facts or the policy settings change', async () => {
    const db = w.deps.store;
    const s = await w.as.user.systems.create(systemInput());
    const compliant = async () => (await w.as.user.systems.list()).items.find((x) => x.id === s.id)!.compliant;
    expect(await compliant()).toBeNull();
    expect(await stored(w, s.id)).toEqual({ compliant: null, fresh: true });
    await db.query(`UPDATE business_systems SET cloud_id = 'nanchang', status = 'on-cloud' WHERE id = $1`, [s.id]);
    expect((await stored(w, s.id)).fresh).toBeFalse();
    expect(await compliant()).toBeTrue();
    expect(await stored(w, s.id)).toEqual({ compliant: true, fresh: true });
    // Its own facts: 等保 4 on a cloud certified up to 3.
    await w.as.user.systems.update({ id: s.id, mlpsLevel: 4 });
    expect(await compliant()).toBeFalse();
    // Another cloud's facts (the system moves there by script, then that cloud loses its certification).
    await db.query(`UPDATE business_systems SET cloud_id = 'jx-province' WHERE id = $1`, [s.id]);
    expect(await compliant()).toBeTrue();
    const before = await epoch(w);
    await db.query(`UPDATE clouds SET certifications = '{2,3}' WHERE id = 'jx-province'`);
    expect(await epoch(w)).not.toBe(before);
    expect(await compliant()).toBeFalse();
    // The policy settings.
    await w.as.admin.policies.setEnforcement({ policyId: 'require-mlps-certification', enforcement: 'disabled' });
    expect(await compliant()).toBeTrue();
    await w.as.admin.policies.setEnforcement({ policyId: 'require-mlps-certification', enforcement: 'mandatory' });
    expect(await compliant()).toBeFalse();
    // Every answer above agrees with the full evaluation systems.get makes.
    expect((await w.as.user.systems.get({ id: s.id })).compliant).toBeFalse();
    expect(await stored(w, s.id)).toEqual({ compliant: false, fresh: true });
  });

  it('answers a list page whose verdicts are current with one statement, without the placement record and rule results', async () => {
    const s = await w.as.user.systems.create(systemInput());
    await w.deps.store.query(`UPDATE business_systems SET cloud_id = 'nanchang', status = 'on-cloud' WHERE id = $1`, [s.id]);
    expect((await w.as.user.systems.list()).items.find((x) => x.id === s.id)!.compliant).toBeTrue(); // recomputed and stored
    const sql: string[] = [];
    const query = w.deps.store.query.bind(w.deps.store);
    spyOn(w.deps.store, 'query').and.callFake(((text: string, params?: unknown[]) => {
      sql.push(text);
      return query(text, params);
    }) as typeof w.deps.store.query);
    const row = (await w.as.user.systems.list()).items.find((x) => x.id === s.id)!;
    expect(sql.filter((q) => /business_systems/.test(q)).length).withContext(sql.join('\n---\n')).toBe(1);
    expect(row.compliant).toBeTrue();
    expect(Object.keys(row)).not.toContain('placement');
    expect(Object.keys(row)).not.toContain('policyResults');
    // systems.get still carries both.
    expect(Object.keys(await w.as.user.systems.get({ id: s.id }))).toEqual(jasmine.arrayContaining(['placement', 'policyResults']));
  });

  it('builds each list row in SQL as systems.get shows the same system, to the millisecond, without the detail-only fields', async () => {
    const a = await w.as.user.systems.create(systemInput({ name: 'A系统' }));
    const b = await w.as.user.systems.create(systemInput({ name: 'B系统', description: '有 "引号" 与 \\ 的说明', architectures: ['arm64', 'x86_64'] }));
    await w.deps.store.query(`UPDATE business_systems SET cloud_id = 'nanchang', status = 'on-cloud', updated_at = '2026-12-07T10:00:00.123456Z' WHERE id = $1`, [b.id]);
    const rows = (await w.as.user.systems.list()).items;
    expect(rows.map((r) => r.id)).toEqual(jasmine.arrayContaining([a.id, b.id]));
    for (const row of rows) {
      const { ownerName: _o, denials: _d, dependsOn: _p, dependents: _q, placement: _pl, policyResults: _pr, ...got } = await w.as.user.systems.get({ id: row.id });
      expect(row).withContext(row.name).toEqual(got);
      expect(Object.keys(row).sort()).toEqual(Object.keys(got).sort());
    }
    expect(rows.find((r) => r.id === b.id)!.updatedAt).toBe('2026-12-07T10:00:00.123Z');
  });

  it('moves the epoch when a cloud’s offered architectures change, not when a capacity read only changes usage', async () => {
    const db = w.deps.store;
    const line = (arch: string, total: number, used: number) => ({ arch, vendor: 'intel', resourceClass: 'vcpu', total, used, overcommit: 2 });
    await db.query(`UPDATE clouds SET capacity = $1 WHERE id = 'nanchang'`, [JSON.stringify([line('x86_64', 100, 10)])]);
    const first = await epoch(w);
    await db.query(`UPDATE clouds SET capacity = $1 WHERE id = 'nanchang'`, [JSON.stringify([line('x86_64', 100, 55), line('arm64', 0, 0)])]);
    expect(await epoch(w)).toBe(first);
    await db.query(`UPDATE clouds SET capacity = $1 WHERE id = 'nanchang'`, [JSON.stringify([line('x86_64', 100, 55), line('arm64', 64, 0)])]);
    expect(await epoch(w)).not.toBe(first);
  });

  it('does not store a verdict on a row that changed after it was read', async () => {
    const s = await w.as.user.systems.create(systemInput());
    await w.deps.store.query(`UPDATE business_systems SET cloud_id = 'nanchang', status = 'on-cloud' WHERE id = $1`, [s.id]);
    // The stamp as a page reads it, then a change, then the write-back of a verdict on the facts read.
    const stamp = (await systemsRepo.page(w.deps.store, { departmentIds: null }, { limit: 50 })).items.find((x) => x.row.id === s.id)!;
    expect(stamp.current).toBeFalse();
    await w.deps.store.query('UPDATE business_systems SET mlps_level = 4 WHERE id = $1', [s.id]);
    await systemsRepo.storeCompliance(w.deps.store, stamp.epoch, [{ id: s.id, rev: stamp.rev, compliant: true }]);
    expect(await stored(w, s.id)).toEqual({ compliant: null, fresh: false });
    expect((await w.as.user.systems.list()).items[0]!.compliant).toBeFalse();
  });
});
