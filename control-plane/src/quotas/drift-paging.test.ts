import { seedCloudRow, seedQuotaCloudAndTwoDepartments, seedSystem } from '../testing/quota-fixtures.ts';
import { callerAs, errorOf, freshDeps, seedUser } from '../testing/harness.ts';
import { forEachSpec } from '../testing/each-spec.ts';
import { at, walkPages } from '../testing/paging.ts';

/**
 * quotas.drift pages by cursor in the drift table's key order (cloud, system, resource class), with the total
 * (issue 15.3); a department's people see only their own systems' lines across pages.
 */
describe('quotas.drift paging', () => {
  const s = forEachSpec(async () => {
    const deps = await freshDeps();
    const db = deps.store;
    const { deptA, deptB } = await seedQuotaCloudAndTwoDepartments(db);
    await seedCloudRow(db, 'qc-two');
    // 甲局: 6 systems, 乙局: 3; on both clouds, 4 classes each: 48 + 24 lines.
    for (const [dept, n] of [[deptA, 6], [deptB, 3]] as const) {
      for (let i = 0; i < n; i++) {
        const systemId = await seedSystem(db, dept, `S-${dept.slice(0, 4)}-${i}`);
        await db.query(
          `INSERT INTO quota_drift (cloud_id, system_id, resource_class, tenant, recorded, observed, checked_at)
           SELECT c, $1::uuid, k, 'sys-' || $1::uuid, 0, 1, now() FROM unnest('{qc-one,qc-two}'::text[]) c, unnest('{vcpu,memoryGiB,gpu,storageGiB}'::text[]) k`,
          [systemId],
        );
      }
    }
    return { deps, deptA, deptB };
  }, ({ deps }) => deps.federation.stop());

  type Line = { cloudId: string; systemId: string; resourceClass: string; departmentId: string };
  const key = (d: Line) => `${d.cloudId}/${d.systemId}/${d.resourceClass}`;
  const walk = (list: (cursor?: string) => Promise<{ items: Line[]; nextCursor: string | null }>) => walkPages(list, key, 99);
  const keys = async (where = 'TRUE', params: unknown[] = []) =>
    (await s.deps.store.query<Line>(
      `SELECT d.cloud_id AS "cloudId", d.system_id AS "systemId", d.resource_class AS "resourceClass" FROM quota_drift d
         JOIN business_systems bs ON bs.id = d.system_id WHERE ${where} ORDER BY d.cloud_id, d.system_id, d.resource_class`, params)).map(key);

  it('walks every line once in key order, by cloud when asked, with the total on every page', async () => {
    const ops = await callerAs(s.deps, (await seedUser(s.deps, 'ops', ['cloud-operator'])).id);
    const all = await walk((c) => ops.quotas.drift({ limit: 25, ...at(c) }));
    expect([all.seen.length, new Set(all.seen).size, all.pages]).toEqual([72, 72, 3]);
    expect(all.seen).toEqual(await keys());
    const two = await walk((c) => ops.quotas.drift({ cloudId: 'qc-two', limit: 10, ...at(c) }));
    expect([two.seen, two.pages]).toEqual([await keys(`d.cloud_id = 'qc-two'`), 4]);
    const first = await ops.quotas.drift({ limit: 25 });
    expect([first.items.length, first.total, typeof first.nextCursor]).toEqual([25, 72, 'string']);
    expect((await ops.quotas.drift({ limit: 25, cursor: first.nextCursor! })).total).toBe(72);
    // Without arguments: the default page size.
    expect((await ops.quotas.drift()).items.length).toBe(50);
  });

  it('keeps each department to its own systems\' lines across pages', async () => {
    const a = await callerAs(s.deps, (await seedUser(s.deps, 'a-user', ['department-user'], s.deptA)).id);
    const own = await walk((c) => a.quotas.drift({ limit: 7, ...at(c) }));
    expect([own.seen, own.pages]).toEqual([await keys('bs.department_id = $1', [s.deptA]), 7]);
    expect((await a.quotas.drift({ limit: 7 })).total).toBe(48);
    const b = await callerAs(s.deps, (await seedUser(s.deps, 'b-user', ['department-admin'], s.deptB)).id);
    const theirs = await walk((c) => b.quotas.drift({ cloudId: 'qc-one', limit: 5, ...at(c) }));
    expect([theirs.seen, theirs.pages]).toEqual([await keys(`bs.department_id = $1 AND d.cloud_id = 'qc-one'`, [s.deptB]), 3]);
    expect(theirs.seen.length).toBe(12);
    expect((await b.quotas.drift({ cloudId: 'qc-one' })).total).toBe(12);
  });

  it('bounds the page size and refuses a forged cursor', async () => {
    const ops = await callerAs(s.deps, (await seedUser(s.deps, 'ops', ['cloud-operator'])).id);
    expect((await errorOf(() => ops.quotas.drift({ limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await errorOf(() => ops.quotas.drift({ cursor: 'e30' }))).reason.path).toEqual(['cursor']);
    expect((await errorOf(() => ops.quotas.drift({ cursor: Buffer.from('["qc-one","not-a-uuid","vcpu"]').toString('base64url') }))).reason.path).toEqual(['cursor']);
  });
});
