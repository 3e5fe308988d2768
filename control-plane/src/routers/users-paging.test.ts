import { callerAs, errorOf, freshDepsWithTwoDepartments, seedUser } from '../testing/harness.ts';
import { forEachSpec } from '../testing/each-spec.ts';
import { at, walkPages } from '../testing/paging.ts';

/** users.list pages by cursor in username order, inside the caller's department scope (issue 15.3 / 18.7). */
describe('users.list paging', () => {
  const s = forEachSpec(async () => {
    const { deps, mine, other } = await freshDepsWithTwoDepartments();
    // Password hashes are not checked here: these users never sign in.
    await deps.store.query(
      `INSERT INTO users (id, username, display_name, department_id, roles, password_hash)
       SELECT gen_random_uuid(), 'user-' || lpad(g::text, 3, '0'), '用户' || g, CASE WHEN g % 3 = 0 THEN $2::uuid ELSE $1::uuid END, '{department-user}', 'x'
         FROM generate_series(120, 1, -1) g`,
      [mine, other],
    );
    return { deps, mine, other };
  });

  const walk = (list: (cursor?: string) => Promise<{ items: { username: string }[]; nextCursor: string | null }>) => walkPages(list, (u) => u.username);
  const usernames = async (where: string, params: unknown[] = []) =>
    (await s.deps.store.query<{ username: string }>(`SELECT username FROM users WHERE ${where} ORDER BY username`, params)).map((r) => r.username);

  it('walks every user once in username order, with and without filters', async () => {
    const admin = await callerAs(s.deps, (await seedUser(s.deps, 'root', ['admin'])).id);
    const all = await walk((c) => admin.users.list({ ...at(c) }));
    expect([all.seen, all.pages]).toEqual([await usernames('TRUE'), 3]);
    expect((await walk((c) => admin.users.list({ departmentId: s.other, limit: 9, ...at(c) }))).seen).toEqual(await usernames('department_id = $1', [s.other]));
    expect((await walk((c) => admin.users.list({ search: '用户1', limit: 5, ...at(c) }))).seen).toEqual(await usernames(`display_name LIKE '用户1%'`));
  });

  it('keeps a department admin to their department across pages', async () => {
    const da = await callerAs(s.deps, (await seedUser(s.deps, 'police-admin', ['department-admin'], s.mine)).id);
    expect((await walk((c) => da.users.list({ limit: 7, ...at(c) }))).seen).toEqual(await usernames('department_id = $1', [s.mine]));
    expect((await da.users.list({ departmentId: s.other })).items).toEqual([]);
  });

  it('bounds the page size and refuses a forged cursor', async () => {
    const admin = await callerAs(s.deps, (await seedUser(s.deps, 'root', ['admin'])).id);
    expect((await errorOf(() => admin.users.list({ limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await errorOf(() => admin.users.list({ cursor: 'WyJ4Il0x' }))).reason.path).toEqual(['cursor']);
  });
});
