import { callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { forEachSpec } from '../testing/each-spec.ts';
import { seedCloudRow, seedSystem } from '../testing/quota-fixtures.ts';
import { at, walkPages } from '../testing/paging.ts';

/**
 * requests.queue pages what waits on the caller newest first by cursor, with the queue's total (issue 15.3 /
 * 18.7): only pending requests whose active step names the caller and that the caller has not decided.
 */
describe('requests.queue paging', () => {
  const s = forEachSpec(async () => {
    const deps = await freshDeps();
    const dept = (await seedDepartment(deps, '赣州市数据局')).id;
    await seedCloudRow(deps.store, 'nanchang');
    const systemId = await seedSystem(deps.store, dept, 'sys');
    const requester = (await seedUser(deps, 'requester', ['department-user'], dept)).id;
    const approver = (await seedUser(deps, 'approver', ['department-admin'], dept)).id;
    const other = (await seedUser(deps, 'other-approver', ['department-admin'], dept)).id;
    // 130 requests, two per microsecond (the id breaks ties). By g: the active step names the approver (g % 4 <> 3)
    // or only the other one; some are no longer pending (g % 10 = 0); the approver already decided some (g % 7 = 0).
    await deps.store.query(
      `INSERT INTO resource_requests (id, department_id, system_id, requester_id, title, placement_mode, cloud_id, items, units, status, policy_results, current_step, submitted_at)
       SELECT gen_random_uuid(), $1, $2, $3, 'r' || g, 'named', 'nanchang', '{}'::jsonb, 1, CASE WHEN g % 10 = 0 THEN 'approved' ELSE 'pending' END, '[]'::jsonb, 1,
              timestamptz '2026-12-01 10:00:00+00' + make_interval(secs => (g / 2) * 0.000001)
         FROM generate_series(1, 130) g`,
      [dept, systemId, requester],
    );
    await deps.store.query(
      `INSERT INTO request_approval_steps (request_id, idx, name, mode, approver_ids, status, sla_hours)
       SELECT r.id, s.idx, '步骤' || s.idx, 'countersign',
              CASE WHEN s.idx = 1 AND substr(r.title, 2)::int % 4 = 3 THEN ARRAY[$2::uuid] ELSE ARRAY[$1::uuid, $2::uuid] END,
              CASE WHEN s.idx = 1 THEN 'active' ELSE 'approved' END, 24
         FROM resource_requests r CROSS JOIN (VALUES (0), (1)) s(idx)`,
      [approver, other],
    );
    await deps.store.query(
      `INSERT INTO request_decisions (request_id, step_idx, approver_id, decision, reason)
       SELECT r.id, 1, $1, 'approve', '同意' FROM resource_requests r WHERE substr(r.title, 2)::int % 7 = 0 AND substr(r.title, 2)::int % 4 <> 3`,
      [approver],
    );
    return { deps, approver, other };
  });

  const waiting = async () => (await s.deps.store.query<{ id: string }>(
    `SELECT id FROM resource_requests WHERE status = 'pending' AND substr(title, 2)::int % 4 <> 3 AND substr(title, 2)::int % 7 <> 0
      ORDER BY submitted_at DESC, id DESC`)).map((r) => r.id);
  const walk = (list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) => walkPages(list, (r) => r.id);

  it('walks every request waiting on the caller once, newest first, with the total on every page', async () => {
    const me = await callerAs(s.deps, s.approver);
    const expected = await waiting();
    expect(expected.length).toBe(73);
    for (const limit of [1, 7, 50]) {
      const { seen } = await walk((c) => me.requests.queue({ limit, ...at(c) }));
      expect(seen).withContext(`limit ${limit}`).toEqual(expected);
    }
    const first = await me.requests.queue({ limit: 10 });
    expect([first.items.length, first.total]).toEqual([10, 73]);
    // Unpaged callers read the largest page, as the queue was read before it paged.
    const whole = await me.requests.queue();
    expect([whole.items.length, whole.nextCursor, whole.total]).toEqual([73, null, 73]);
  });

  it('shows each approver only what waits on them', async () => {
    const them = await callerAs(s.deps, s.other);
    const { seen } = await walk((c) => them.requests.queue({ limit: 40, ...at(c) }));
    const theirs = (await s.deps.store.query<{ id: string }>(`SELECT id FROM resource_requests WHERE status = 'pending' ORDER BY submitted_at DESC, id DESC`)).map((r) => r.id);
    expect(seen).toEqual(theirs);
    expect((await them.requests.queue({ limit: 1 })).total).toBe(117);
    const nobody = await callerAs(s.deps, (await seedUser(s.deps, 'bystander', ['department-admin'])).id);
    expect(await nobody.requests.queue()).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('bounds the page size and refuses a cursor it did not give out', async () => {
    const me = await callerAs(s.deps, s.approver);
    for (const limit of [0, 201, 10_000]) {
      const e = await errorOf(() => me.requests.queue({ limit }));
      expect([e.code, e.reason.path]).withContext(`limit ${limit}`).toEqual(['BAD_REQUEST', ['limit']]);
    }
    for (const cursor of ['forged', Buffer.from(JSON.stringify(['2026-12-01', '00000000-0000-0000-0000-000000000000'])).toString('base64url')]) {
      const e = await errorOf(() => me.requests.queue({ cursor }));
      expect([e.code, e.reason.path]).withContext(cursor).toEqual(['BAD_REQUEST', ['cursor']]);
    }
  });
});
