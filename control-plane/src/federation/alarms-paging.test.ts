import { callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { forEachSpec } from '../testing/each-spec.ts';
import { at, walkPages } from '../testing/paging.ts';

const KEY = (n: number) => `SHA256:${String(n).padStart(43, 'A')}`;

/** devices.alarms pages by cursor, newest alarm first, with the total (issue 15.3); province-wide roles only. */
describe('devices.alarms paging', () => {
  const s = forEachSpec(async () => {
    const deps = await freshDeps();
    const auditor = await callerAs(deps, (await seedUser(deps, 'audit', ['auditor'])).id);
    // 47 alarms: 30 of sw-a (every third resolved), 17 of no known cloud; several first seen in the same instant.
    await deps.store.query(
      `INSERT INTO ssh_host_key_alarms (host, port, cloud_id, expected_fingerprint, presented_fingerprint, first_seen_at, last_seen_at, resolved_at, resolved_by)
       SELECT '10.0.0.' || n, 22, CASE WHEN n <= 30 THEN 'sw-a' END, $1, 'SHA256:' || lpad(n::text, 43, 'B'),
              timestamptz '2026-11-01 00:00:00+00', timestamptz '2026-11-01 00:00:00+00',
              CASE WHEN n <= 30 AND n % 3 = 0 THEN timestamptz '2026-11-02 00:00:00+00' END, CASE WHEN n <= 30 AND n % 3 = 0 THEN 'root' END
         FROM generate_series(1, 47) n`,
      [KEY(1)],
    );
    return { deps, auditor };
  }, ({ deps }) => deps.federation.stop(), 60_000);

  type Alarms = Awaited<ReturnType<typeof s.auditor.devices.alarms>>;
  const walk = (list: (cursor?: string) => Promise<Alarms>) => walkPages(list, (a) => a, 20);

  it('walks every alarm once, newest first, filtered by state and cloud, with the total on every page', async () => {
    const all = await walk((c) => s.auditor.devices.alarms({ limit: 20, ...at(c) }));
    expect(all.pages).toBe(3);
    const ids = all.seen.map((a) => a.id);
    expect(new Set(ids).size).toBe(47);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const open = await walk((c) => s.auditor.devices.alarms({ open: true, limit: 9, ...at(c) }));
    expect([open.seen.length, open.pages, open.seen.every((a) => a.resolvedAt === null)]).toEqual([37, 5, true]);
    const resolved = await walk((c) => s.auditor.devices.alarms({ open: false, limit: 4, ...at(c) }));
    expect([resolved.seen.length, resolved.seen.every((a) => a.resolvedBy === 'root')]).toEqual([10, true]);
    const openOfCloud = await walk((c) => s.auditor.devices.alarms({ open: true, cloudId: 'sw-a', limit: 6, ...at(c) }));
    expect([openOfCloud.seen.length, openOfCloud.seen.every((a) => a.cloudId === 'sw-a')]).toEqual([20, true]);
    expect(new Set([...open.seen, ...resolved.seen].map((a) => a.id))).toEqual(new Set(ids));

    const first = await s.auditor.devices.alarms({ open: true, limit: 9 });
    expect([first.items.length, first.total, typeof first.nextCursor]).toEqual([9, 37, 'string']);
    const next = await s.auditor.devices.alarms({ open: true, limit: 9, cursor: first.nextCursor! });
    expect(next.total).toBe(37);
    expect((await s.auditor.devices.alarms()).total).toBe(47);
    expect((await s.auditor.devices.alarms({ cloudId: 'sw-b' }))).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('an alarm raised between pages is not shown twice, and none is lost', async () => {
    const first = await s.auditor.devices.alarms({ open: true, limit: 10 });
    await s.deps.store.query(`INSERT INTO ssh_host_key_alarms (host, port, expected_fingerprint, presented_fingerprint) VALUES ('10.9.9.9', 22, $1, $2)`, [KEY(1), KEY(2)]);
    const rest = await walk((c) => s.auditor.devices.alarms({ open: true, limit: 10, cursor: c ?? first.nextCursor! }));
    const ids = [...first.items, ...rest.seen].map((a) => a.id);
    expect([ids.length, new Set(ids).size]).toEqual([37, 37]);
  });

  it('is refused to department roles, bounds the page size and refuses a forged cursor', async () => {
    const dept = await seedDepartment(s.deps, '赣州市数据局');
    const user = await callerAs(s.deps, (await seedUser(s.deps, 'dept', ['department-admin'], dept.id)).id);
    expect((await errorOf(() => user.devices.alarms())).code).toBe('FORBIDDEN');
    expect((await errorOf(() => s.auditor.devices.alarms({ limit: 201 }))).reason.path).toEqual(['limit']);
    expect((await errorOf(() => s.auditor.devices.alarms({ cursor: 'x' }))).reason.path).toEqual(['cursor']);
    for (const forged of ['["1e9"]', '["99999999999"]']) {
      expect((await errorOf(() => s.auditor.devices.alarms({ cursor: Buffer.from(forged).toString('base64url') }))).reason.path).withContext(forged).toEqual(['cursor']);
    }
  });
});
