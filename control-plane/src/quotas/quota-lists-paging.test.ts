import type { AppDeps } from '../context.ts';
import { quotaRepo } from './quota-repo.ts';
import { seedQuotaCloudAndTwoDepartments, seedSystem } from '../testing/quota-fixtures.ts';
import { callerAs, errorOf, freshDeps, seedUser } from '../testing/harness.ts';
import { at, walkPages } from '../testing/paging.ts';

/**
 * quotas.reservations and quotas.changes page newest first by cursor (issue 15.3 / 18.7), rows stamped within one
 * millisecond included; a department's people see only their own department's rows across pages.
 */
describe('quota lists paging', () => {
  let deps: AppDeps;
  let deptA: string;
  let deptB: string;
  const node = async (level: 'system' | 'department' | 'province', ref: string) => (await quotaRepo.nodeByRef(deps.store, level, ref))!.id;

  beforeEach(async () => {
    deps = await freshDeps();
    const db = deps.store;
    ({ deptA, deptB } = await seedQuotaCloudAndTwoDepartments(db));
    for (const [dept, n] of [[deptA, 70], [deptB, 30]] as const) {
      const systemId = await seedSystem(db, dept, `S-${n}`);
      const systemNode = await node('system', systemId);
      // Stamped a microsecond apart (pairs share one), all within a few milliseconds.
      await db.query(
        `INSERT INTO quota_reservations (id, system_id, system_node_id, idempotency_key, items, state, ref, actor, expires_at, created_at)
         SELECT gen_random_uuid(), $1, $2, $3 || g, '[]'::jsonb, CASE WHEN g % 4 = 0 THEN 'committed' ELSE 'held' END, 'spec', 'spec', now() + interval '1 hour',
                timestamptz '2026-12-01 10:00:00.001000+00' + make_interval(secs => (g / 2) * 0.000001)
           FROM generate_series(1, $4::int) g`,
        [systemId, systemNode, `k-${n}-`, n],
      );
      await db.query(
        `INSERT INTO quota_change_requests (id, node_id, cloud_id, resource_class, requested_limit, reason, status, requested_by, requested_by_name, created_at)
         SELECT gen_random_uuid(), $1, 'qc-one', 'vcpu', g, 'spec', CASE WHEN g % 3 = 0 THEN 'pending' ELSE 'rejected' END, gen_random_uuid(), 'spec',
                timestamptz '2026-12-01 10:00:00.001000+00' + make_interval(secs => (g / 2) * 0.000001)
           FROM generate_series(1, $2::int) g`,
        [await node('department', dept), n],
      );
    }
  });

  const walk = (list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) => walkPages(list, (r) => r.id, 99);
  const ids = async (sql: string, params: unknown[] = []) => (await deps.store.query<{ id: string }>(sql, params)).map((r) => r.id);

  it('walks every reservation under a node once, newest first', async () => {
    const ops = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    const province = await node('province', '36');
    const all = await walk((c) => ops.quotas.reservations({ nodeId: province, limit: 3, ...at(c) }));
    expect([all.seen, all.pages]).toEqual([await ids('SELECT id FROM quota_reservations ORDER BY created_at DESC, id DESC'), 34]);
    const deptNode = await node('department', deptA);
    const held = await walk((c) => ops.quotas.reservations({ nodeId: deptNode, state: 'committed', limit: 2, ...at(c) }));
    expect(held.seen).toEqual(await ids(`SELECT r.id FROM quota_reservations r JOIN business_systems s ON s.id = r.system_id WHERE s.department_id = $1 AND r.state = 'committed' ORDER BY r.created_at DESC, r.id DESC`, [deptA]));
  });

  it('walks every change request once, newest first, inside the caller\'s department', async () => {
    const ops = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    expect((await walk((c) => ops.quotas.changes({ limit: 7, ...at(c) }))).seen).toEqual(await ids('SELECT id FROM quota_change_requests ORDER BY created_at DESC, id DESC'));
    const user = await callerAs(deps, (await seedUser(deps, 'a-user', ['department-user'], deptA)).id);
    const own = await walk((c) => user.quotas.changes({ status: 'pending', limit: 4, ...at(c) }));
    expect(own.seen).toEqual(await ids(`SELECT c.id FROM quota_change_requests c JOIN quota_nodes n ON n.id = c.node_id WHERE n.department_id = $1 AND c.status = 'pending' ORDER BY c.created_at DESC, c.id DESC`, [deptA]));
    expect(own.seen.length).toBe(23);
    const theirs = await node('department', deptB);
    expect((await errorOf(() => user.quotas.reservations({ nodeId: theirs }))).code).toBe('FORBIDDEN');
  });

  it('bounds the page size and refuses a forged cursor', async () => {
    const ops = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    expect((await errorOf(() => ops.quotas.changes({ limit: 201 }))).reason.path).toEqual(['limit']);
    const province = await node('province', '36');
    expect((await errorOf(() => ops.quotas.reservations({ nodeId: province, limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await errorOf(() => ops.quotas.changes({ cursor: 'e30' }))).reason.path).toEqual(['cursor']);
  });
});
