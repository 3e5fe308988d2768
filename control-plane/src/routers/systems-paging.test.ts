import type { AppDeps } from '../context.ts';
import type { SystemStatus } from '../systems/systems-repo.ts';
import { callerAs, errorOf, freshDepsWithTwoDepartments, seedUser } from '../testing/harness.ts';
import { seedSystems } from '../testing/system-fixtures.ts';
import { at, walkPages } from '../testing/paging.ts';

/** systems.list pages by cursor in name order, inside the caller's department scope (issue 15.3 / 18.7). */
describe('systems.list paging', () => {
  let deps: AppDeps;
  let mine: string;
  let other: string;

  /** `count` systems of a department, some sharing a name with the other department's (the id breaks ties). */
  const seed = (departmentId: string, count: number, status: SystemStatus) =>
    seedSystems(deps.store, departmentId, Array.from({ length: count }, (_, i) => `系统-${String((i + 1) % 60).padStart(3, '0')}-${status}${i + 1}`), { status });

  beforeEach(async () => {
    ({ deps, mine, other } = await freshDepsWithTwoDepartments());
    await seed(mine, 90, 'registered');
    await seed(mine, 25, 'retired');
    await seed(other, 40, 'registered');
  });

  const walk = (list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) => walkPages(list, (s) => s.id);
  const ordered = async (where: string, params: unknown[] = []) =>
    (await deps.store.query<{ id: string }>(`SELECT id FROM business_systems WHERE ${where} ORDER BY name, id`, params)).map((r) => r.id);

  it('walks every system once in name order, 50 at a time by default', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const { seen, pages } = await walk((c) => admin.systems.list({ ...at(c) }));
    expect([seen, pages]).toEqual([await ordered('TRUE'), 4]);
    const filtered = await walk((c) => admin.systems.list({ departmentId: mine, status: 'retired', limit: 6, ...at(c) }));
    expect(filtered.seen).toEqual(await ordered(`department_id = $1 AND status = 'retired'`, [mine]));
    expect((await walk((c) => admin.systems.list({ search: '-059-', limit: 1, ...at(c) }))).seen).toEqual(await ordered(`name LIKE '%-059-%'`));
  });

  it('keeps a department user to their department across pages', async () => {
    const user = await callerAs(deps, (await seedUser(deps, 'dept-user', ['department-user'], mine)).id);
    const { seen } = await walk((c) => user.systems.list({ limit: 7, ...at(c) }));
    expect(seen).toEqual(await ordered('department_id = $1', [mine]));
    expect((await user.systems.list({ departmentId: other })).items).toEqual([]);
  });

  it('bounds the page size and refuses a forged cursor', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    expect((await errorOf(() => admin.systems.list({ limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await admin.systems.list({ limit: 200 })).items.length).toBe(155);
    expect((await errorOf(() => admin.systems.list({ cursor: 'forged' }))).reason.path).toEqual(['cursor']);
  });
});
