import { inventoryRepo } from '../federation/inventory-repo.ts';
import { seedCloudRow, seedSystem } from '../testing/quota-fixtures.ts';
import { callerAs, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { forEachSpec } from '../testing/each-spec.ts';
import { allOf, scopeFilter } from './scope-filter.ts';

describe('scopeFilter (store/scope-filter.ts)', () => {
  it('adds no condition for a province-wide scope, and an ANY over the subtree for a department scope', () => {
    const params: unknown[] = ['x'];
    expect(scopeFilter({ departmentIds: null }, params, 'department_id')).toBeNull();
    expect(params).toEqual(['x']);
    expect(scopeFilter({ departmentIds: ['a', 'b'] }, params, 's.department_id')).toBe('s.department_id = ANY($2::uuid[])');
    expect(scopeFilter({ departmentIds: [] }, params, 'department_id', { shared: true })).toBe('(department_id IS NULL OR department_id = ANY($3::uuid[]))');
    expect(scopeFilter({ departmentIds: ['c'] }, params, 'r.department_id')).toBe('r.department_id = $4::uuid');
    expect(scopeFilter({ departmentIds: ['d'] }, params, 'department_ids', { shared: true, array: true })).toBe('(department_ids IS NULL OR department_ids && $5::uuid[])');
    expect(params).toEqual(['x', ['a', 'b'], [], 'c', ['d']]);
    expect(allOf(null, 'a = 1', undefined, 'b = 2')).toBe('a = 1 AND b = 2');
    expect(allOf(null)).toBe('TRUE');
  });
});

/** Issue 19.5: lists that can return department-owned objects show a department user only its subtree. */
describe('department scope of clouds.inventory and ipam.natMappings', () => {
  const s = forEachSpec(async () => {
    const deps = await freshDeps();
    return { deps, mine: (await seedDepartment(deps, '江西省公安厅')).id, other: (await seedDepartment(deps, '江西省税务局')).id };
  });

  it('inventory: a department user sees only its systems\' tenant spaces and their objects; an operator sees all', async () => {
    await seedCloudRow(s.deps.store, 'qc-scope');
    const ours = await seedSystem(s.deps.store, s.mine, '我们的系统');
    const theirs = await seedSystem(s.deps.store, s.other, '他们的系统');
    const labelled = await seedSystem(s.deps.store, s.mine, '按标签');
    const obj = (key: string, kind: string, tenant: string | null, name: string, labels: Record<string, string> = {}) =>
      ({ key, kind, tenant, name, arch: null, status: 'running', spec: { labels }, revision: 1 });
    await inventoryRepo.upsertPage(s.deps.store, 'qc-scope', [
      obj('ts-ours', 'tenant-space', null, `sys-${ours}`), obj('vm-ours', 'vm', `sys-${ours}`, 'web-1'),
      obj('ts-theirs', 'tenant-space', null, `sys-${theirs}`), obj('vm-theirs', 'vm', `sys-${theirs}`, 'db-1'),
      obj('ts-label', 'tenant-space', null, 'legacy-space', { 'ganyun.system': labelled }),
      obj('vm-nobody', 'vm', 'demo-tenant', 'demo-1'),
    ], new Date());
    const deptUser = await callerAs(s.deps, (await seedUser(s.deps, 'police-user', ['department-user'], s.mine)).id);
    const emptyDept = await callerAs(s.deps, (await seedUser(s.deps, 'empty-user', ['department-user'], (await seedDepartment(s.deps, '空部门')).id)).id);
    const operator = await callerAs(s.deps, (await seedUser(s.deps, 'op', ['cloud-operator'])).id);
    const keys = async (c: typeof operator) => (await c.clouds.inventory({ id: 'qc-scope' })).items.map((o) => o.key).sort();
    expect(await keys(deptUser)).toEqual(['ts-label', 'ts-ours', 'vm-ours']);
    expect(await keys(emptyDept)).toEqual([]);
    expect(await keys(operator)).toEqual(['ts-label', 'ts-ours', 'ts-theirs', 'vm-nobody', 'vm-ours', 'vm-theirs']);
  });

  it('NAT mappings: a department user sees only mappings between its own and shared VRFs; an operator sees all', async () => {
    const eng = await callerAs(s.deps, (await seedUser(s.deps, 'neteng', ['network-engineer'])).id);
    const shared = await eng.ipam.createVrf({ name: 'EGOV-P1', rd: '65001:1', importTargets: ['65001:1'], exportTargets: ['65001:1'] });
    const police = await eng.ipam.createVrf({ name: 'DEPT-POLICE', kind: 'department', departmentId: s.mine, migrationState: 'in-progress' });
    const tax = await eng.ipam.createVrf({ name: 'DEPT-TAX', kind: 'department', departmentId: s.other, migrationState: 'in-progress' });
    await eng.ipam.createNatMapping({ insideVrfId: police.id, insideCidr: '10.36.0.0/24', outsideVrfId: shared.id, outsideCidr: '100.64.3.0/24' });
    await eng.ipam.createNatMapping({ insideVrfId: tax.id, insideCidr: '10.99.0.0/24', outsideVrfId: shared.id, outsideCidr: '100.64.4.0/24' });
    const deptUser = await callerAs(s.deps, (await seedUser(s.deps, 'police-user', ['department-user'], s.mine)).id);
    const cidrs = async (c: typeof eng) => (await c.ipam.natMappings()).items.map((m) => m.insideCidr).sort();
    expect(await cidrs(deptUser)).toEqual(['10.36.0.0/24']);
    expect(await cidrs(eng)).toEqual(['10.36.0.0/24', '10.99.0.0/24']);
  });

  it('department networks: a department user sees only its own department VRFs; a network engineer sees all', async () => {
    const eng = await callerAs(s.deps, (await seedUser(s.deps, 'neteng', ['network-engineer'])).id);
    await eng.ipam.createVrf({ name: 'DEPT-POLICE', kind: 'department', departmentId: s.mine, migrationState: 'in-progress' });
    await eng.ipam.createVrf({ name: 'DEPT-TAX', kind: 'department', departmentId: s.other, migrationState: 'planned' });
    const deptUser = await callerAs(s.deps, (await seedUser(s.deps, 'police-user', ['department-user'], s.mine)).id);
    const names = async (c: typeof eng) => (await c.extranet.departmentNetworks()).networks.map((n) => n.name).sort();
    expect(await names(deptUser)).toEqual(['DEPT-POLICE']);
    expect((await deptUser.extranet.departmentNetworks()).states.find((st) => st.state === 'planned')!.count).toBe(0);
    expect(await names(eng)).toEqual(['DEPT-POLICE', 'DEPT-TAX']);
  });
});
