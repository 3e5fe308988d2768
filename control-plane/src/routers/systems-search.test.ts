import type { AppDeps } from '../context.ts';
import { callerAs, freshDepsWithTwoDepartments, seedUser } from '../testing/harness.ts';
import { numberedNames, seedSystems } from '../testing/system-fixtures.ts';

/**
 * systems.list `search`, what the console's system picker asks as a person types (issue 18.5): it finds a system
 * however far down the name order it sits, stays inside the caller's department scope, and the trigram index of
 * migration 0230 can answer it without reading the table.
 */
describe('systems.list search (the system picker)', () => {
  let deps: AppDeps;
  let ganzhou: string;
  let jiujiang: string;

  /** 240 systems named 系统-001… so the ones searched for sort after the first pages of an unfiltered list. */
  const seed = (departmentId: string, count: number, prefix: string) => seedSystems(deps.store, departmentId, numberedNames(prefix, count));
  const named = async (departmentId: string, name: string) => (await seedSystems(deps.store, departmentId, [name]))[0]!;

  let ganzhouFund: string;
  let jiujiangFund: string;

  beforeEach(async () => {
    ({ deps, mine: ganzhou, other: jiujiang } = await freshDepsWithTwoDepartments());
    await seed(ganzhou, 240, '系统-');
    await seed(jiujiang, 60, '系统-九江-');
    // Names that sort last ("赣" and "鄱" after "系"), beyond every unfiltered first page.
    ganzhouFund = await named(ganzhou, '赣州住房公积金查询系统');
    jiujiangFund = await named(jiujiang, '鄱阳住房公积金缴存系统');
  });

  it('finds a system beyond the first page by any part of its name, with its department name', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const first = await admin.systems.list({ limit: 200 });
    expect(first.items.map((s) => s.id)).not.toContain(ganzhouFund);
    expect(first.nextCursor).not.toBeNull();

    const found = await admin.systems.list({ search: '公积金', limit: 20 });
    expect(found.items.map((s) => [s.name, s.departmentName])).toEqual([['赣州住房公积金查询系统', '赣州市数据局'], ['鄱阳住房公积金缴存系统', '九江市数据局']]);
    expect(found.nextCursor).toBeNull();
    // Surrounding spaces are trimmed; LIKE's wildcards are text, not patterns.
    expect((await admin.systems.list({ search: '  查询系统 ' })).items.map((s) => s.id)).toEqual([ganzhouFund]);
    expect((await admin.systems.list({ search: '%' })).items).toEqual([]);
    expect((await admin.systems.list({ search: '公积金', departmentId: jiujiang })).items.map((s) => s.id)).toEqual([jiujiangFund]);
  });

  it('keeps a department user to their own department', async () => {
    const user = await callerAs(deps, (await seedUser(deps, 'gz-user', ['department-user'], ganzhou)).id);
    expect((await user.systems.list({ search: '公积金' })).items.map((s) => s.id)).toEqual([ganzhouFund]);
    expect((await user.systems.list({ search: '缴存' })).items).toEqual([]);
    expect((await user.systems.list({ search: '公积金', departmentId: jiujiang })).items).toEqual([]);
  });

  it('can answer a search from the trigram index rather than by reading every row', async () => {
    // Forbid the alternatives so the plan shows the index is usable for a contains-search, Chinese text included.
    // VACUUM moves the rows just inserted out of GIN's pending list, as autovacuum does on a live database.
    await deps.store.query('VACUUM ANALYZE business_systems');
    const plan = await deps.store.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      await tx.query('SET LOCAL enable_indexscan = off');
      return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM business_systems WHERE name ILIKE '%公积金%'`);
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('business_systems_name_trgm_idx');
  });
});
