import type { AppDeps } from '../context.ts';
import { callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { at, walkPages } from '../testing/paging.ts';

/**
 * requests.chains pages by cursor (issue 15.3 / 18.7): the general chains first, then each department's by
 * threshold, inside the caller's scope (a department sees the general chains and its own).
 */
describe('requests.chains paging', () => {
  let deps: AppDeps;
  let mine: string;
  let other: string;

  /** `count` chains of a department (null: general), thresholds 0, 2.5, 5, … so that fractions order as numbers. */
  async function seed(departmentId: string | null, count: number) {
    await deps.store.query(
      `INSERT INTO approval_chains (id, department_id, name, min_units, steps)
       SELECT gen_random_uuid(), $1::uuid, '链-' || g, (g * 2.5)::numeric, '[{"name":"审批","mode":"single","approvers":{"role":"department-admin"},"slaHours":24}]'
         FROM generate_series(0, $2::int - 1) g`,
      [departmentId, count],
    );
  }

  beforeEach(async () => {
    deps = await freshDeps();
    mine = (await seedDepartment(deps, '赣州市数据局')).id;
    other = (await seedDepartment(deps, '九江市数据局')).id;
    await deps.store.query('DELETE FROM approval_chains');
    await seed(null, 7);
    await seed(mine, 60);
    await seed(other, 45);
  });

  const walk = (list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) => walkPages(list, (c) => c.id);
  const ordered = async (where: string, params: unknown[] = []) => (await deps.store.query<{ id: string }>(
    `SELECT id FROM approval_chains WHERE ${where} ORDER BY department_id NULLS FIRST, min_units, id`, params)).map((r) => r.id);

  it('walks every chain once: the general ones first, then each department\'s by threshold', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const { seen, pages } = await walk((c) => admin.requests.chains({ ...at(c) }));
    expect([seen, pages]).toEqual([await ordered('TRUE'), 3]);
    const small = await walk((c) => admin.requests.chains({ limit: 8, ...at(c) }));
    expect([small.seen, small.pages]).toEqual([await ordered('TRUE'), 14]);
    const firstPage = await admin.requests.chains({ limit: 7 });
    expect(firstPage.items.every((c) => c.departmentId === null)).toBeTrue();
    expect(firstPage.items.map((c) => Number(c.minUnits))).toEqual([0, 2.5, 5, 7.5, 10, 12.5, 15]);
  });

  it('shows a department the general chains and its own, across pages, never another department\'s', async () => {
    const user = await callerAs(deps, (await seedUser(deps, 'dept-admin', ['department-admin'], mine)).id);
    const { seen } = await walk((c) => user.requests.chains({ limit: 6, ...at(c) }));
    expect(seen).toEqual(await ordered('department_id IS NULL OR department_id = $1', [mine]));
    expect(seen.length).toBe(67);
  });

  it('bounds the page size and refuses a cursor it did not give out', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    for (const limit of [0, 201, 10_000]) {
      const e = await errorOf(() => admin.requests.chains({ limit }));
      expect([e.code, e.reason.path]).withContext(`limit ${limit}`).toEqual(['BAD_REQUEST', ['limit']]);
    }
    expect((await admin.requests.chains({ limit: 200 })).items.length).toBe(112);
    const uuid = '00000000-0000-0000-0000-000000000000';
    for (const cursor of ['forged', Buffer.from(JSON.stringify([uuid, 'ten', uuid])).toString('base64url'), Buffer.from(JSON.stringify([uuid, uuid])).toString('base64url')]) {
      const e = await errorOf(() => admin.requests.chains({ cursor }));
      expect([e.code, e.reason.path]).withContext(cursor).toEqual(['BAD_REQUEST', ['cursor']]);
    }
  });
});
