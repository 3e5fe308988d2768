import type { AppDeps } from '../context.ts';
import { callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { seedCloudRow, seedSystem } from '../testing/quota-fixtures.ts';
import { at, walkPages } from '../testing/paging.ts';

/**
 * requests.list and resources.list page by (time, id) with the time kept to the microsecond (issue 15.3): rows
 * stamped within one millisecond are neither repeated nor skipped at a page boundary, whatever the page size.
 */
describe('requests.list and resources.list cursors within one millisecond', () => {
  let deps: AppDeps;
  let mine: string;

  beforeEach(async () => {
    deps = await freshDeps();
    mine = (await seedDepartment(deps, '赣州市数据局')).id;
    const other = (await seedDepartment(deps, '九江市数据局')).id;
    await seedCloudRow(deps.store, 'nanchang');
    for (const [dept, n] of [[mine, 9], [other, 4]] as const) {
      const systemId = await seedSystem(deps.store, dept, `sys-${n}`);
      const requester = (await seedUser(deps, `u-${n}`, ['department-user'], dept)).id;
      // Every row of a department within one millisecond (µs apart, some sharing a µs: the id breaks the tie).
      await deps.store.query(
        `INSERT INTO resource_requests (id, department_id, system_id, requester_id, title, placement_mode, cloud_id, items, units, status, policy_results, submitted_at)
         SELECT gen_random_uuid(), $1, $2, $3, 'r' || g, 'named', 'nanchang', '{}'::jsonb, 1, 'pending', '[]'::jsonb,
                timestamptz '2026-12-01 10:00:00.123400+00' + make_interval(secs => (g / 2) * 0.000001)
           FROM generate_series(1, $4::int) g`,
        [dept, systemId, requester, n],
      );
      await deps.store.query(
        `INSERT INTO resources (id, system_id, department_id, cloud_id, request_id, kind, name, tenant, cloud_name, state, spec, quota, created_at)
         SELECT gen_random_uuid(), $1, $2, 'nanchang', r.id, 'volume', 'v-' || r.title, 't-' || r.department_id, 'c-' || r.title, 'active', '{}'::jsonb, '{}'::jsonb, r.submitted_at
           FROM resource_requests r WHERE r.department_id = $2`,
        [systemId, dept],
      );
    }
  });

  const walk = async (list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) => (await walkPages(list, (r) => r.id)).seen;

  it('walks every request and every resource exactly once in order, with page sizes 1 to 3', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const requests = (await deps.store.query<{ id: string }>('SELECT id FROM resource_requests ORDER BY submitted_at DESC, id DESC')).map((r) => r.id);
    const resources = (await deps.store.query<{ id: string }>('SELECT id FROM resources ORDER BY created_at DESC, id DESC')).map((r) => r.id);
    expect(requests.length).toBe(13);
    for (const limit of [1, 2, 3]) {
      expect(await walk((c) => admin.requests.list({ limit, ...at(c) }))).withContext(`requests, limit ${limit}`).toEqual(requests);
      expect(await walk((c) => admin.resources.list({ limit, ...at(c) }))).withContext(`resources, limit ${limit}`).toEqual(resources);
    }
  });

  it('keeps a department user to their department across pages', async () => {
    const user = await callerAs(deps, (await seedUser(deps, 'dept-user', ['department-user'], mine)).id);
    const own = (await deps.store.query<{ id: string }>('SELECT id FROM resource_requests WHERE department_id = $1 ORDER BY submitted_at DESC, id DESC', [mine])).map((r) => r.id);
    expect(await walk((c) => user.requests.list({ limit: 2, ...at(c) }))).toEqual(own);
    expect((await walk((c) => user.resources.list({ limit: 2, ...at(c) }))).length).toBe(9);
  });

  it('refuses a cursor it did not give out', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const millis = Buffer.from(JSON.stringify(['2026-12-01T10:00:00.123Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    for (const cursor of [millis, 'not a cursor']) {
      expect((await errorOf(() => admin.requests.list({ cursor }))).reason.path).toEqual(['cursor']);
      expect((await errorOf(() => admin.resources.list({ cursor }))).reason.path).toEqual(['cursor']);
    }
  });
});
