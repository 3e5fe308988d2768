import type { ResourceUtilisation } from '@ganyun/providers';
import type { AppDeps } from '../context.ts';
import { callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { seedCloudRow, seedSystem } from '../testing/quota-fixtures.ts';
import { at, walkPages } from '../testing/paging.ts';

/**
 * resources.idle pages its computed list by cursor (issue 15.3): quietest first, ties of CPU use and name broken
 * by the resource's id, every candidate once however the list is cut; operators see every department's, and
 * department roles none.
 */
describe('resources.idle paging', () => {
  let deps: AppDeps;
  let operator: Awaited<ReturnType<typeof callerAs>>;
  let mine: string;
  /** What each cloud reports, by cloud. */
  const measured = new Map<string, ResourceUtilisation[]>();

  beforeEach(async () => {
    deps = await freshDeps();
    operator = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    mine = (await seedDepartment(deps, '赣州市数据局')).id;
    const other = (await seedDepartment(deps, '九江市数据局')).id;
    measured.clear();
    for (const [dept, cloudId, kind, n] of [[mine, 'nanchang', 'host', 30], [other, 'jiujiang', 'workload', 14]] as const) {
      await seedCloudRow(deps.store, cloudId);
      const requester = (await seedUser(deps, `u-${cloudId}`, ['department-user'], dept)).id;
      const systems: string[] = [];
      for (let i = 0; i < 5; i++) systems.push(await seedSystem(deps.store, dept, `sys-${cloudId}-${i}`));
      await deps.store.query(
        `INSERT INTO resource_requests (id, department_id, system_id, requester_id, title, placement_mode, cloud_id, items, units, status, policy_results, submitted_at)
         SELECT gen_random_uuid(), $1, s, $4, 'r', 'named', $3, '{}'::jsonb, 1, 'pending', '[]'::jsonb, now() FROM unnest($2::uuid[]) s`,
        [dept, systems, cloudId, requester],
      );
      // n hosts or workloads over 5 systems, the same names in each (so CPU use and name tie and the id decides),
      // every 7th one being changed (not a candidate), and one volume (never a candidate).
      await deps.store.query(
        `INSERT INTO resources (id, system_id, department_id, cloud_id, request_id, kind, name, tenant, cloud_name, state, spec, quota)
         SELECT gen_random_uuid(), q.system_id, $1, $2, q.id, CASE WHEN g = 0 THEN 'volume' ELSE $3 END,
                'web-' || (g / 5), 't-' || $2, 'c-' || g, CASE WHEN g % 7 = 6 THEN 'changing' ELSE 'active' END, '{}'::jsonb, '{"vcpu": 2, "memoryGiB": 4}'::jsonb
           FROM generate_series(0, $4::int) g JOIN resource_requests q ON q.system_id = ($5::uuid[])[g % 5 + 1]`,
        [dept, cloudId, kind, n, systems],
      );
      const rows = await deps.store.query<{ tenant: string; cloudName: string; kind: string }>(
        `SELECT tenant, cloud_name AS "cloudName", kind FROM resources WHERE cloud_id = $1`, [cloudId]);
      // CPU 0, 2, 4, 6 % by name (every resource of one name alike): at or below 5 % is idle by default.
      measured.set(cloudId, rows.map((r) => ({
        tenant: r.tenant, kind: r.kind === 'host' ? 'vm' : 'workload', name: r.cloudName, cpuPercent: (Math.floor(Number(r.cloudName.slice(2)) / 5) % 4) * 2, memoryPercent: 30, windowHours: 24,
      }) as ResourceUtilisation));
    }
    spyOn(deps.federation, 'connected').and.callFake((cloudId: string) =>
      ({ features: { utilisation: { utilisation: async () => measured.get(cloudId) ?? [] } } }) as unknown as ReturnType<AppDeps['federation']['connected']>);
  });
  afterEach(() => deps.federation.stop());

  type Candidate = { resourceId: string; name: string; cpuPercent: number; cloudId: string; departmentId: string };
  const walk = (list: (cursor?: string) => Promise<{ items: Candidate[]; nextCursor: string | null }>) => walkPages(list, (c) => c, 99);
  /** The whole list in one call (a page larger than it), to compare the pages with. */
  const whole = async (input: { cloudId?: string; maxCpuPercent?: number } = {}) => {
    const all = await operator.resources.idle({ maxCpuPercent: 5, maxMemoryPercent: 100, ...input, limit: 200 });
    expect(all.nextCursor).toBeNull();
    return all.items;
  };

  it('walks every idle candidate once, quietest first, ties broken by name and id, per cloud when asked', async () => {
    const all = await whole();
    const order = (a: Candidate, b: Candidate) => a.cpuPercent - b.cpuPercent || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.resourceId < b.resourceId ? -1 : 1);
    expect(all).toEqual([...all].sort(order));
    expect(all.every((c) => c.cpuPercent <= 5)).toBeTrue();
    expect(new Set(all.map((c) => c.departmentId)).size).toBe(2);
    // Ties of CPU use and name that only the id orders, and a list longer than the pages below.
    expect(all.length).toBeGreaterThan(25);
    expect(new Set(all.map((c) => `${c.cpuPercent}/${c.name}`)).size).toBeLessThan(all.length / 3);
    for (const limit of [4, 9, 25]) {
      const paged = await walk((c) => operator.resources.idle({ limit, ...at(c) }));
      expect(paged.seen.map((c) => c.resourceId)).withContext(`limit ${limit}`).toEqual(all.map((c) => c.resourceId));
      expect(paged.pages).toBe(Math.ceil(all.length / limit));
    }
    const jiujiang = await walk((c) => operator.resources.idle({ cloudId: 'jiujiang', limit: 3, ...at(c) }));
    expect(jiujiang.seen.map((c) => c.resourceId)).toEqual((await whole({ cloudId: 'jiujiang' })).map((c) => c.resourceId));
    expect(jiujiang.seen.every((c) => c.cloudId === 'jiujiang')).toBeTrue();
    // Each page names the clouds asked.
    const first = await operator.resources.idle({ limit: 4 });
    expect([first.items.length, first.sources.map((s) => s.cloudId).sort()]).toEqual([4, ['jiujiang', 'nanchang']]);
    const second = await operator.resources.idle({ limit: 4, cursor: first.nextCursor! });
    expect(second.sources.length).toBe(2);
    expect((await operator.resources.idle()).items.length).toBe(Math.min(50, all.length));
  });

  it('keeps department roles out, bounds the page size and refuses a forged cursor', async () => {
    const user = await callerAs(deps, (await seedUser(deps, 'dept', ['department-admin'], mine)).id);
    expect((await errorOf(() => user.resources.idle())).code).toBe('FORBIDDEN');
    expect((await errorOf(() => operator.resources.idle({ limit: 201 }))).reason.path).toEqual(['limit']);
    for (const cursor of ['x', Buffer.from(JSON.stringify([1, 'web-1', 'not-an-id'])).toString('base64url'), Buffer.from('["1","web-1"]').toString('base64url')]) {
      expect((await errorOf(() => operator.resources.idle({ cursor }))).reason.path).toEqual(['cursor']);
    }
  });
});
