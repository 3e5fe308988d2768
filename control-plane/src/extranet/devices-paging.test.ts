import type { AppDeps } from '../context.ts';
import { seedPlanesAndUnits } from '../testing/ipam-fixtures.ts';
import { callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { at, walkPages } from '../testing/paging.ts';

/** extranet.devices pages by cursor in name order (issue 15.3 / 18.7); department users still may not read it. */
describe('extranet.devices paging', () => {
  let deps: AppDeps;

  beforeEach(async () => {
    deps = await freshDeps();
    await seedPlanesAndUnits(deps.store);
    // 130 devices, inserted out of name order, across roles and two planes.
    await deps.store.query(
      `INSERT INTO extranet_devices (id, name, role, plane_id, vendor, model)
       SELECT gen_random_uuid(), 'DEV-' || lpad(g::text, 4, '0'), (ARRAY['pe', 'aggregation', 'ce'])[g % 3 + 1], CASE WHEN g % 2 = 0 THEN 'plane-1' ELSE 'plane-2' END, 'huawei', 'NE40E'
         FROM generate_series(130, 1, -1) g`,
    );
  });

  const walk = (list: (cursor?: string) => Promise<{ items: { name: string }[]; nextCursor: string | null }>) => walkPages(list, (d) => d.name, 49);
  const names = async (where: string) => (await deps.store.query<{ name: string }>(`SELECT name FROM extranet_devices WHERE ${where} ORDER BY name`)).map((r) => r.name);

  it('walks every device once in name order, with and without filters', async () => {
    const eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    const all = await walk((c) => eng.extranet.devices({ ...at(c) }));
    expect([all.seen, all.pages]).toEqual([await names('TRUE'), 3]);
    expect((await walk((c) => eng.extranet.devices({ role: 'pe', planeId: 'plane-1', limit: 4, ...at(c) }))).seen).toEqual(await names(`role = 'pe' AND plane_id = 'plane-1'`));
    expect((await walk((c) => eng.extranet.devices({ search: 'DEV-01', limit: 3, ...at(c) }))).seen).toEqual(await names(`name LIKE 'DEV-01%'`));
  });

  it('bounds the page size, refuses a forged cursor, and still refuses department users', async () => {
    const eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    expect((await errorOf(() => eng.extranet.devices({ limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await errorOf(() => eng.extranet.devices({ cursor: '!!' }))).reason.path).toEqual(['cursor']);
    const dept = await seedDepartment(deps, '江西省公安厅');
    const deptUser = await callerAs(deps, (await seedUser(deps, 'du', ['department-user'], dept.id)).id);
    expect((await errorOf(() => deptUser.extranet.devices())).code).toBe('FORBIDDEN');
  });
});
