import { errorOf } from '../testing/harness.ts';
import { drWorld, PROD, REMOTE, type DrWorld } from '../testing/dr-fixtures.ts';
import { at, walkPages } from '../testing/paging.ts';

/** dr.protection.list pages by cursor in group-name order, inside the caller's department scope (issue 15.3 / 18.7). */
describe('dr.protection.list paging', () => {
  let w: DrWorld;

  beforeEach(async () => {
    w = await drWorld();
    // 45 groups of the department and 20 of another, inserted out of name order.
    await w.deps.store.query(
      `INSERT INTO dr_protection_groups (id, name, department_id, mode, production_centre, remote_centre, rto_seconds, rpo_seconds, active_centre)
       SELECT gen_random_uuid(), '保护组-' || lpad(g::text, 3, '0'), CASE WHEN g <= 45 THEN $1::uuid ELSE $2::uuid END, 'cold-backup', $3, $4, 86400, 86400, $3
         FROM generate_series(65, 1, -1) g`,
      [w.dept.id, w.other.id, PROD, REMOTE],
    );
  }, 120_000);
  afterEach(async () => w.stop());

  const walk = (list: (cursor?: string) => Promise<{ items: { name: string }[]; nextCursor: string | null }>) => walkPages(list, (g) => g.name, 49);
  const names = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `保护组-${String(from + i).padStart(3, '0')}`);

  it('walks every group once in name order; a department user only their own', async () => {
    const all = await walk((c) => w.as.auditor.dr.protection.list({ limit: 20, ...at(c) }));
    expect([all.seen, all.pages]).toEqual([names(1, 65), 4]);
    expect((await walk((c) => w.as.user.dr.protection.list({ limit: 7, ...at(c) }))).seen).toEqual(names(1, 45));
    expect((await walk((c) => w.as.otherUser.dr.protection.list({ limit: 7, ...at(c) }))).seen).toEqual(names(46, 65));
  });

  it('bounds the page size and refuses a forged cursor', async () => {
    expect((await errorOf(() => w.as.auditor.dr.protection.list({ limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await errorOf(() => w.as.auditor.dr.protection.list({ cursor: 'x' }))).reason.path).toEqual(['cursor']);
  });
});
