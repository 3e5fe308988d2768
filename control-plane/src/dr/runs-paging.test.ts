import { errorOf } from '../testing/harness.ts';
import { drWorld, PROD, REMOTE, type DrWorld } from '../testing/dr-fixtures.ts';
import { at, walkPages } from '../testing/paging.ts';

/** dr.runs.list pages by cursor, newest run first, inside the caller's department scope (issue 15.3 / 18.7). */
describe('dr.runs.list paging', () => {
  let w: DrWorld;
  let groups: { dept: string; other: string };

  beforeEach(async () => {
    w = await drWorld();
    const [dept, other] = await w.deps.store.query<{ id: string }>(
      `INSERT INTO dr_protection_groups (id, name, department_id, mode, production_centre, remote_centre, rto_seconds, rpo_seconds, active_centre)
       VALUES (gen_random_uuid(), '人社保护组', $1, 'cold-backup', $3, $4, 86400, 86400, $3), (gen_random_uuid(), '交通保护组', $2, 'cold-backup', $3, $4, 86400, 86400, $3)
       RETURNING id`,
      [w.dept.id, w.other.id, PROD, REMOTE],
    ) as [{ id: string }, { id: string }];
    groups = { dept: dept.id, other: other.id };
    // 40 finished drills of the department's group and 15 of the other's, one a minute, the same second for
    // pairs (so the order needs the id as well), inserted oldest last.
    await w.deps.store.query(
      `INSERT INTO dr_runs (id, group_id, department_id, kind, source_centre, target_centre, status, operator, scenario, started_at, finished_at)
       SELECT gen_random_uuid(), CASE WHEN n <= 40 THEN $1::uuid ELSE $2::uuid END, CASE WHEN n <= 40 THEN $3::uuid ELSE $4::uuid END,
              'drill', $5, $6, 'succeeded', 'spec', 'run ' || n, timestamptz '2026-11-01 00:00:00+00' + ((n / 2) * interval '1 minute'),
              timestamptz '2026-11-01 00:00:00+00' + ((n / 2) * interval '1 minute') + interval '30 seconds'
         FROM generate_series(55, 1, -1) n`,
      [groups.dept, groups.other, w.dept.id, w.other.id, PROD, REMOTE],
    );
  }, 120_000);
  afterEach(async () => w.stop());

  const walk = (list: (cursor?: string) => Promise<{ items: { id: string; startedAt: string; departmentId: string }[]; nextCursor: string | null }>) =>
    walkPages(list, (r) => r, 20);

  it('walks every run once, newest first; a department user only their own; a group only its runs', async () => {
    const all = await walk((c) => w.as.auditor.dr.runs.list({ limit: 15, ...at(c) }));
    expect(all.pages).toBe(4);
    expect(new Set(all.seen.map((r) => r.id)).size).toBe(55);
    const started = all.seen.map((r) => r.startedAt);
    expect(started).toEqual([...started].sort().reverse());
    const mine = await walk((c) => w.as.user.dr.runs.list({ limit: 7, ...at(c) }));
    expect([mine.seen.length, mine.seen.every((r) => r.departmentId === w.dept.id)]).toEqual([40, true]);
    expect((await walk((c) => w.as.otherUser.dr.runs.list({ limit: 7, ...at(c) }))).seen.length).toBe(15);
    expect((await walk((c) => w.as.auditor.dr.runs.list({ groupId: groups.other, limit: 4, ...at(c) }))).seen.length).toBe(15);
    // The first page without arguments: the default page size, and where to go on.
    const first = await w.as.auditor.dr.runs.list();
    expect([first.items.length, typeof first.nextCursor]).toEqual([50, 'string']);
  });

  it('bounds the page size and refuses a forged cursor', async () => {
    expect((await errorOf(() => w.as.auditor.dr.runs.list({ limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await errorOf(() => w.as.auditor.dr.runs.list({ cursor: 'x' }))).reason.path).toEqual(['cursor']);
  });
});
