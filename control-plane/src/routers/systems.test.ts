import { onboardingWorld, systemInput, type World } from '../testing/onboarding-fixtures.ts';
import { auditTrail, errorOf } from '../testing/harness.ts';

/** Row counts and a digest of systems and their dependency edges: a refused call must leave them as they were. */
const systemsState = async (w: World) => (await w.deps.store.query<Record<string, unknown>>(
  `SELECT (SELECT count(*)::int FROM business_systems) AS systems, (SELECT count(*)::int FROM business_system_dependencies) AS edges,
          (SELECT md5(string_agg(name || mlps_level || status || array_to_string(architectures, ','), '|' ORDER BY id)) FROM business_systems) AS digest`))[0];

describe('business systems (in-process simulated clouds)', () => {
  let w: World;
  beforeEach(async () => (w = await onboardingWorld()));
  afterEach(async () => w.stop());

  it('registers a system in the caller’s department, audited, and lists it only to that department', async () => {
    const s = await w.as.user.systems.create(systemInput({ ownerUserId: w.ids.user }));
    expect([s.departmentId, s.status, s.cloudId]).toEqual([w.dept.id, 'registered', null]);
    expect((await w.as.deptAdmin.systems.list()).items.map((x) => x.id)).toEqual([s.id]);
    expect((await w.as.otherUser.systems.list()).items).toEqual([]);
    expect((await w.as.admin.systems.list()).items.length).toBe(1);
    const trail = await auditTrail(w.deps);
    expect(trail.map((r) => `${r.procedure}:${r.outcome}:${r.target}`)).toEqual([`systems.create:ok:system:${s.id}`]);
    expect((trail[0]!.after as { mlpsLevel: number }).mlpsLevel).toBe(2);
  });

  it('keeps dependencies a DAG and names the cycle it refuses', async () => {
    const a = await w.as.user.systems.create(systemInput({ name: '统一身份认证' }));
    const b = await w.as.user.systems.create(systemInput({ name: '电子证照', dependsOn: [a.id] }));
    const c = await w.as.user.systems.create(systemInput({ name: '赣服通', dependsOn: [b.id] }));
    const before = await systemsState(w);
    const error = await errorOf(() => w.as.user.systems.setDependencies({ id: a.id, dependsOn: [c.id] }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('统一身份认证 → 赣服通 → 电子证照 → 统一身份认证');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['dependsOn']);
    expect(await systemsState(w)).toEqual(before);
    const got = await w.as.user.systems.get({ id: b.id });
    expect([got.dependsOn.map((d) => d.name), got.dependents.map((d) => d.name)]).toEqual([['统一身份认证'], ['赣服通']]);
    // Refused deletes: still needed by others.
    expect((await errorOf(() => w.as.user.systems.delete({ id: a.id }))).code).toBe('CONFLICT');
  });

  const bad: [string, () => Record<string, unknown>, string, string][] = [
    ['a 等保 level of 5', () => systemInput({ mlpsLevel: 5 }), 'BAD_REQUEST', 'mlpsLevel'],
    ['a DR level of 7', () => systemInput({ drLevel: 7 }), 'BAD_REQUEST', 'drLevel'],
    ['a DR edition that is not 2007 or 2025', () => systemInput({ drEdition: '2013' }), 'BAD_REQUEST', 'drEdition'],
    ['a negative RPO', () => systemInput({ rpoSeconds: -1 }), 'BAD_REQUEST', 'rpoSeconds'],
    ['an unknown CPU architecture', () => systemInput({ architectures: ['sparc'] }), 'BAD_REQUEST', 'architectures.0'],
    ['no architecture', () => systemInput({ architectures: [] }), 'BAD_REQUEST', 'architectures'],
    ['an unknown data classification', () => systemInput({ dataClassification: 'top-secret' }), 'BAD_REQUEST', 'dataClassification'],
    ['an owner from another department', () => systemInput({ ownerUserId: 'OTHER' }), 'BAD_REQUEST', 'ownerUserId'],
    ['a dependency that does not exist', () => systemInput({ dependsOn: ['00000000-0000-4000-8000-000000000001'] }), 'BAD_REQUEST', 'dependsOn'],
    ['another department', () => systemInput({ departmentId: 'OTHER_DEPT' }), 'FORBIDDEN', ''],
  ];
  for (const [why, input, code, field] of bad) {
    it(`refuses ${why}, changing nothing`, async () => {
      const before = await systemsState(w);
      const raw = JSON.parse(JSON.stringify(input()).replace('"OTHER"', JSON.stringify(w.ids.otherUser)).replace('"OTHER_DEPT"', JSON.stringify(w.other.id)));
      const error = await errorOf(() => w.as.user.systems.create(raw));
      expect(error.code).toBe(code);
      if (field) expect(Object.keys(error.fieldErrors ?? {})).toContain(field);
      expect(await systemsState(w)).toEqual(before);
      expect((await auditTrail(w.deps)).map((r) => r.outcome)).toEqual([code === 'FORBIDDEN' ? 'denied' : 'error']);
    });
  }

  it('refuses a department user reaching another department’s system, in every procedure, changing nothing', async () => {
    const s = await w.as.user.systems.create(systemInput());
    const before = await systemsState(w);
    for (const attempt of [
      () => w.as.otherUser.systems.get({ id: s.id }),
      () => w.as.otherUser.systems.update({ id: s.id, mlpsLevel: 3 }),
      () => w.as.otherUser.systems.setDependencies({ id: s.id, dependsOn: [] }),
      () => w.as.otherUser.systems.retire({ id: s.id }),
      () => w.as.otherUser.systems.delete({ id: s.id }),
      () => w.as.otherUser.onboarding.start({ systemId: s.id }),
      () => w.as.otherUser.onboarding.preview({ systemId: s.id }),
    ]) expect((await errorOf(attempt)).code).withContext(String(attempt)).toBe('FORBIDDEN');
    const theirs = await w.as.otherUser.systems.create(systemInput({ name: '九江系统' }));
    expect((await errorOf(() => w.as.otherUser.systems.setDependencies({ id: theirs.id, dependsOn: [s.id] }))).code).toBe('FORBIDDEN');
    expect((await systemsState(w))['edges']).toEqual(before!['edges']);
  });

  it('updates, refuses a duplicate name, retires and deletes with the right guards', async () => {
    const a = await w.as.user.systems.create(systemInput({ name: 'A系统' }));
    const b = await w.as.user.systems.create(systemInput({ name: 'B系统' }));
    const updated = await w.as.deptAdmin.systems.update({ id: a.id, mlpsLevel: 3, drLevel: 4, drEdition: '2007' });
    expect([updated.mlpsLevel, updated.drLevel, updated.drEdition, updated.name]).toEqual([3, 4, '2007', 'A系统']);
    expect((await errorOf(() => w.as.user.systems.update({ id: b.id, name: 'A系统' }))).code).toBe('CONFLICT');
    expect((await w.as.user.systems.retire({ id: b.id })).status).toBe('retired');
    expect((await errorOf(() => w.as.user.systems.update({ id: b.id, mlpsLevel: 1 }))).code).toBe('CONFLICT');
    await w.as.user.systems.delete({ id: a.id });
    expect((await w.as.user.systems.list()).items.map((x) => x.name)).toEqual(['B系统']);
    expect((await errorOf(() => w.as.user.systems.get({ id: a.id }))).code).toBe('NOT_FOUND');
  });

  it('gives a system page what it reads: the owner by name, its quota node, its requests only; other departments refused', async () => {
    const s = await w.as.user.systems.create(systemInput({ ownerUserId: w.ids.user }));
    const other = await w.as.user.systems.create(systemInput({ name: '另一个系统' }));
    const got = await w.as.user.systems.get({ id: s.id });
    expect([got.ownerName, (await w.as.user.systems.get({ id: other.id })).ownerName]).toEqual(['nc-user', null]);
    expect(await w.as.user.quotas.systemNode({ systemId: s.id })).toBeNull();
    for (const id of [s.id, other.id]) {
      const { workflowId } = await w.as.user.onboarding.start({ systemId: id, limits: [{ resourceClass: 'vcpu', limit: 16 }, { resourceClass: 'memoryGiB', limit: 32 }] });
      expect((await w.settled(workflowId)).status).toBe('succeeded');
    }
    const node = (await w.as.user.quotas.systemNode({ systemId: s.id }))!;
    expect([node.level, node.ref, node.name]).toEqual(['system', s.id, s.name]);
    expect(node.usage.find((u) => u.resourceClass === 'vcpu')?.limit).toBe(16);
    expect(node.path.map((p) => p.level)).toContain('department');
    const items = [{ resourceClass: 'vcpu' as const, amount: 2 }];
    const mine = await w.as.user.requests.submit({ systemId: s.id, title: '本系统扩容', items });
    await w.as.user.requests.submit({ systemId: other.id, title: '另一个系统扩容', items });
    expect((await w.as.user.requests.list({ systemId: s.id })).items.map((r) => r.id)).toEqual([mine.id]);
    expect((await w.as.admin.requests.list({ systemId: s.id })).items.map((r) => r.id)).toEqual([mine.id]);
    expect((await w.as.otherUser.requests.list({ systemId: s.id })).items).toEqual([]);
    expect((await errorOf(() => w.as.otherUser.quotas.systemNode({ systemId: s.id }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => w.as.user.quotas.systemNode({ systemId: '00000000-0000-4000-8000-000000000001' }))).code).toBe('NOT_FOUND');
  });
});
