import type { AppDeps } from '../context.ts';
import { newId } from '../ids.ts';
import { callerAs, errorOf, freshDepsWithTwoDepartments, seedUser } from '../testing/harness.ts';
import { walkPages } from '../testing/paging.ts';

/** workflows.list pages newest first by a cursor, inside the caller's department scope (issue 15.3). */
describe('workflows.list paging', () => {
  let deps: AppDeps;
  let mine: string;
  let other: string;

  /** `count` workflows of a department; many share one created_at to the microsecond, so the id breaks ties. */
  async function seed(departmentId: string, count: number, status: string) {
    await deps.store.query(
      `INSERT INTO workflows (id, kind, title, status, input, department_id, created_by, steps_total, created_at)
       SELECT gen_random_uuid(), 'test', 'wf ' || g, $2, '{}'::jsonb, $1, 'spec', 1,
              timestamptz '2026-12-01 10:00:00.123456+00' + make_interval(secs => (g / 10) * 0.000001)
         FROM generate_series(1, $3::int) g`,
      [departmentId, status, count],
    );
  }

  beforeEach(async () => {
    ({ deps, mine, other } = await freshDepsWithTwoDepartments());
    await seed(mine, 95, 'succeeded');
    await seed(mine, 30, 'failed');
    await seed(other, 20, 'failed');
  });

  const walk = (list: (cursor?: string) => Promise<{ items: { id: string; createdAt: string }[]; nextCursor: string | null }>) => walkPages(list, (w) => w.id);

  it('walks every workflow once, newest first, a bounded page at a time', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const { seen, pages } = await walk((cursor) => admin.workflows.list({ limit: 40, ...(cursor ? { cursor } : {}) }));
    expect([seen.length, new Set(seen).size, pages]).toEqual([145, 145, 4]);
    const all = await deps.store.query<{ id: string }>('SELECT id FROM workflows ORDER BY created_at DESC, id DESC');
    expect(seen).toEqual(all.map((r) => r.id));
    expect((await admin.workflows.list({ limit: 500 })).nextCursor).toBeNull();
  });

  it('keeps a department user to their department, with a filter, across pages', async () => {
    const user = await callerAs(deps, (await seedUser(deps, 'dept-user', ['department-user'], mine)).id);
    const { seen } = await walk((cursor) => user.workflows.list({ status: 'failed', limit: 7, ...(cursor ? { cursor } : {}) }));
    const expected = await deps.store.query<{ id: string }>(`SELECT id FROM workflows WHERE department_id = $1 AND status = 'failed' ORDER BY created_at DESC, id DESC`, [mine]);
    expect(seen).toEqual(expected.map((r) => r.id));
    expect(seen.length).toBe(30);
  });

  it('refuses a cursor it did not give out, as an input error', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const forged = Buffer.from(JSON.stringify(['yesterday', newId()])).toString('base64url');
    for (const cursor of [forged, 'not base64 json']) {
      const error = await errorOf(() => admin.workflows.list({ cursor }));
      expect([error.code, error.reason.path]).toEqual(['BAD_REQUEST', ['cursor']]);
    }
  });
});
