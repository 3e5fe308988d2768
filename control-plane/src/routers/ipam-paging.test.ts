import type { AppDeps } from '../context.ts';
import { callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { at, walkPages } from '../testing/paging.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

/**
 * The prefix tree's children and a prefix's addresses page by cursor in address order (issue 15.3 / 18.7): a
 * /16 with hundreds of /26 children and an assigned /22 with a thousand addresses are walked a bounded page at
 * a time, every row once; department scope still refuses another department's VRF.
 */
describe('ipam paging', () => {
  let deps: AppDeps;
  let eng: Caller;
  let vrfId: string;
  let parentId: string;
  let lanId: string;

  beforeEach(async () => {
    deps = await freshDeps();
    eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    vrfId = (await eng.ipam.createVrf({ name: 'EGOV-P1' })).id;
    parentId = (await eng.ipam.createPrefix({ vrfId, cidr: '10.36.0.0/16', kind: 'container' })).id;
    // 300 /26 children, inserted out of address order; among them an assigned /22's worth is left out for the LAN.
    await deps.store.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, depth, kind)
       SELECT gen_random_uuid(), $1, ('10.36.' || (g / 4) || '.' || (g % 4) * 64 || '/26')::cidr, 'ipv4', $2, 0, '10.36.0.0/16'::cidr, 1, 'assigned'
         FROM generate_series(299, 0, -1) g`,
      [vrfId, parentId],
    );
    lanId = (await eng.ipam.createPrefix({ vrfId, cidr: '10.36.200.0/22', parentId, kind: 'assigned' })).id;
    await deps.store.query(
      `INSERT INTO ipam_addresses (id, vrf_id, prefix_id, prefix_cidr, address, family)
       SELECT gen_random_uuid(), $1, $2, '10.36.200.0/22'::cidr, ('10.36.200.0'::inet + g), 'ipv4' FROM generate_series(1000, 1, -1) g`,
      [vrfId, lanId],
    );
  });

  const walk = walkPages;

  it('walks the children of a prefix once each in address order, a bounded page at a time', async () => {
    const expected = (await deps.store.query<{ id: string }>('SELECT id FROM ipam_prefixes WHERE parent_id = $1 ORDER BY cidr', [parentId])).map((r) => r.id);
    expect(expected.length).toBe(301);
    const { seen, pages } = await walk((c) => eng.ipam.prefixes({ vrfId, parentId, limit: 7, ...at(c) }));
    expect([seen.map((p) => p.id), pages]).toEqual([expected, 43]);
    const first = await eng.ipam.prefixes({ vrfId, parentId });
    expect([first.items.length, first.items[0]!.cidr, first.items[1]!.cidr]).toEqual([50, '10.36.0.0/26', '10.36.0.64/26']);
    const roots = await eng.ipam.prefixes({ vrfId });
    expect([roots.items.map((p) => [p.cidr, p.children]), roots.nextCursor]).toEqual([[['10.36.0.0/16', 301]], null]);
  });

  it('walks a prefix\'s addresses once each in address order', async () => {
    const { seen, pages } = await walk((c) => eng.ipam.addresses({ prefixId: lanId, limit: 200, ...at(c) }));
    expect([seen.length, new Set(seen.map((a) => a.id)).size, pages]).toEqual([1000, 1000, 5]);
    expect(seen.slice(0, 2).map((a) => a.address)).toEqual(['10.36.200.1', '10.36.200.2']);
    expect(seen.at(-1)!.address).toBe('10.36.203.232');
    expect((await eng.ipam.addresses({ prefixId: lanId })).items.length).toBe(50);
  });

  it('walks NAT mappings once each by inside VRF and CIDR', async () => {
    const outside = (await eng.ipam.createVrf({ name: 'EGOV-NAT' })).id;
    await deps.store.query(
      `INSERT INTO ipam_nat_mappings (id, inside_vrf_id, inside_cidr, outside_vrf_id, outside_cidr, description)
       SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN $1::uuid ELSE $2::uuid END, ('10.50.' || g || '.0/24')::cidr, CASE WHEN g % 2 = 0 THEN $2::uuid ELSE $1::uuid END,
              ('100.64.' || g || '.0/24')::cidr, '' FROM generate_series(40, 1, -1) g`,
      [vrfId, outside],
    );
    const expected = (await deps.store.query<{ id: string }>('SELECT id FROM ipam_nat_mappings ORDER BY inside_vrf_id, inside_cidr')).map((r) => r.id);
    const { seen, pages } = await walk((c) => eng.ipam.natMappings({ limit: 6, ...at(c) }));
    expect([seen.map((m) => m.id), pages]).toEqual([expected, 7]);
  });

  it('bounds the page size and refuses a forged cursor', async () => {
    for (const limit of [0, 201]) {
      expect((await errorOf(() => eng.ipam.addresses({ prefixId: lanId, limit }))).reason.path).toEqual(['limit']);
      expect((await errorOf(() => eng.ipam.prefixes({ vrfId, parentId, limit }))).reason.path).toEqual(['limit']);
    }
    const forged = Buffer.from(JSON.stringify(['not an address'])).toString('base64url');
    expect((await errorOf(() => eng.ipam.addresses({ prefixId: lanId, cursor: forged }))).reason.path).toEqual(['cursor']);
  });

  it('still refuses another department\'s VRF and its prefixes to a department user', async () => {
    const mine = await seedDepartment(deps, '江西省公安厅');
    const other = await seedDepartment(deps, '江西省税务局');
    const theirs = (await eng.ipam.createVrf({ name: 'DEPT-TAX', kind: 'department', departmentId: other.id })).id;
    const theirPrefix = (await eng.ipam.createPrefix({ vrfId: theirs, cidr: '172.16.0.0/24', kind: 'assigned' })).id;
    const user = await callerAs(deps, (await seedUser(deps, 'police-user', ['department-user'], mine.id)).id);
    expect((await errorOf(() => user.ipam.prefixes({ vrfId: theirs }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => user.ipam.addresses({ prefixId: theirPrefix }))).code).toBe('FORBIDDEN');
    expect((await walk((c) => user.ipam.addresses({ prefixId: lanId, limit: 200, ...at(c) }))).seen.length).toBe(1000);
  });
});
