import type { AppDeps } from '../context.ts';
import { seedPlanesAndUnits } from '../testing/ipam-fixtures.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedDepartment, seedUser, snapshot } from '../testing/harness.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

/** Everything IPAM stores, as counts and a digest: a refused call must leave it exactly as it was. */
const ipamState = (deps: AppDeps) =>
  deps.store.query<Record<string, unknown>>(
    `SELECT (SELECT count(*)::int FROM ipam_vrfs) AS vrfs, (SELECT count(*)::int FROM ipam_prefixes) AS prefixes,
            (SELECT count(*)::int FROM ipam_addresses) AS addresses, (SELECT count(*)::int FROM ipam_templates) AS templates,
            (SELECT md5(string_agg(vrf_id::text || cidr::text || kind || status || coalesce(unit_code, '') || coalesce(plane_id, ''), '|' ORDER BY vrf_id, cidr)) FROM ipam_prefixes) AS digest,
            (SELECT md5(string_agg(address::text, '|' ORDER BY address)) FROM ipam_addresses) AS "addressDigest"`,
  ).then(async (r) => ({ ...r[0], ...(await snapshot(deps)) }));

describe('ipam router', () => {
  let deps: AppDeps;
  let eng: Caller;
  let vrfId: string;
  let v6: { id: string };
  let v4: { id: string };

  beforeEach(async () => {
    deps = await freshDeps();
    await seedPlanesAndUnits(deps.store);
    eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    vrfId = (await eng.ipam.createVrf({ name: 'EGOV-P1', rd: '65001:1', importTargets: ['65001:1'], exportTargets: ['65001:1'], planeId: 'plane-1' })).id;
    v6 = await eng.ipam.createPrefix({ vrfId, cidr: '2001:db8::/32', kind: 'aggregate' });
    v4 = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.0.0/16', kind: 'aggregate' });
  });

  it('allocates the next free /64 and the next address, and audits each with its own record', async () => {
    const a = await eng.ipam.allocatePrefix({ parentId: v6.id, length: 64 });
    const b = await eng.ipam.allocatePrefix({ parentId: v6.id, length: 64, unitCode: '360102001', planeId: 'plane-1' });
    expect([a.cidr, b.cidr, b.unitCode, b.depth]).toEqual(['2001:db8::/64', '2001:db8:0:1::/64', '360102001', 1]);
    // The parent's fill hint moved to the last block of the filled run, so the next first-fit reads after it.
    const [hint] = await deps.store.query<{ fill: string }>('SELECT fill_cidr::text AS fill FROM ipam_prefixes WHERE id = $1', [v6.id]);
    expect(hint!.fill).toBe('2001:db8:0:1::/64');
    const lan = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.1.0/29', kind: 'assigned' });
    const addrs = [];
    for (let i = 0; i < 6; i++) addrs.push((await eng.ipam.allocateAddress({ prefixId: lan.id })).address);
    expect(addrs).toEqual(['10.36.1.1', '10.36.1.2', '10.36.1.3', '10.36.1.4', '10.36.1.5', '10.36.1.6']);
    const full = await errorOf(() => eng.ipam.allocateAddress({ prefixId: lan.id }));
    expect([full.code, full.message]).toEqual(['CONFLICT', 'no free address left in 10.36.1.0/29']);
    const trail = (await auditTrail(deps)).map((r) => `${r.procedure}:${r.outcome}`);
    expect(trail.filter((t) => t === 'ipam.allocatePrefix:ok').length).toBe(2);
    expect(trail.filter((t) => t === 'ipam.allocateAddress:ok').length).toBe(6);
    expect(trail[trail.length - 1]).toBe('ipam.allocateAddress:error');
    const tree = await eng.ipam.prefixes({ vrfId });
    const agg = tree.items.find((p) => p.cidr === '2001:db8::/32')!;
    expect([agg.children, agg.utilisation.used, agg.utilisation.size]).toEqual([2, String(2n ** 65n), String(2n ** 96n)]);
  });

  it('returns the same prefix for a repeated idempotency key and refuses the key for another request', async () => {
    const first = await eng.ipam.allocatePrefix({ parentId: v6.id, length: 56, idempotencyKey: 'order-17' });
    const again = await eng.ipam.allocatePrefix({ parentId: v6.id, length: 56, idempotencyKey: 'order-17' });
    expect([again.id, again.cidr, again.replayed, first.replayed]).toEqual([first.id, first.cidr, true, false]);
    const before = await ipamState(deps);
    const other = await errorOf(() => eng.ipam.allocatePrefix({ parentId: v6.id, length: 48, idempotencyKey: 'order-17' }));
    expect([other.code, Object.keys(other.fieldErrors ?? {})]).toEqual(['CONFLICT', ['idempotencyKey']]);
    expect(await ipamState(deps)).toEqual(before);
  });

  it('never lets two concurrent allocations in one parent overlap or repeat', async () => {
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => eng.ipam.allocatePrefix({ parentId: v6.id, length: 64, idempotencyKey: i % 10 === 0 ? `dup-${i % 20}` : null })));
    const distinct = new Set(results.map((r) => r.cidr));
    const [bad] = await deps.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ipam_prefixes a JOIN ipam_prefixes b ON a.vrf_id = b.vrf_id AND a.id < b.id AND a.depth = b.depth AND a.cidr && b.cidr`,
    );
    const [rows] = await deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ipam_prefixes WHERE parent_id = $1`, [v6.id]);
    expect(bad!.n).toBe(0);
    expect(distinct.size).toBe(rows!.n);
    expect(rows!.n).toBe(150 - 15 + 2);
  });

  const bad: [string, (c: Caller, ids: { vrfId: string; v4: string; v6: string }) => Promise<unknown>, string, string, RegExp][] = [
    ['an upper-case IPv6 prefix', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '2001:DB8:1::/48' }), 'BAD_REQUEST', 'cidr', /write 2001:db8:1::\/48/],
    ['an uncompressed IPv6 prefix', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '2001:db8:0:0::/64' }), 'BAD_REQUEST', 'cidr', /write 2001:db8::\/64/],
    ['host bits set', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '10.36.1.1/24' }), 'BAD_REQUEST', 'cidr', /the network is 10\.36\.1\.0\/24/],
    ['a malformed prefix', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '10.36.300.0/24' }), 'BAD_REQUEST', 'cidr', /not a valid IPv4 prefix/],
    ['a prefix without a length', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '10.36.1.0' }), 'BAD_REQUEST', 'cidr', /no prefix length/],
    ['a prefix outside its parent', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '10.37.0.0/24', parentId: x.v4 }), 'BAD_REQUEST', 'cidr', /outside its parent 10\.36\.0\.0\/16/],
    ['the same prefix twice', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '10.36.0.0/16' }), 'CONFLICT', 'cidr', /already exists/],
    ['an assigned prefix over existing ones', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '10.0.0.0/8', kind: 'assigned' }), 'CONFLICT', 'kind', /would contain 10\.36\.0\.0\/16: make it a container/],
    ['an unknown unit code', (c, x) => c.ipam.allocatePrefix({ parentId: x.v6, length: 64, unitCode: '369999' }), 'BAD_REQUEST', 'unitCode', /unknown unit code 369999/],
    ['an unknown plane', (c, x) => c.ipam.createPrefix({ vrfId: x.vrfId, cidr: '10.36.2.0/24', planeId: 'plane-9' }), 'BAD_REQUEST', 'planeId', /unknown plane plane-9/],
    ['a child length not longer than its parent', (c, x) => c.ipam.allocatePrefix({ parentId: x.v6, length: 32 }), 'BAD_REQUEST', 'length', /from 33 to 128/],
    ['nibble alignment for IPv4', (c, x) => c.ipam.allocatePrefix({ parentId: x.v4, length: 24, strategy: 'nibble' }), 'BAD_REQUEST', 'strategy', /IPv6/],
    ['an IPv4 network address', (c, x) => c.ipam.createAddress({ vrfId: x.vrfId, address: '10.36.0.0' }), 'BAD_REQUEST', 'address', /never handed out/],
    ['an IPv4 broadcast address', (c, x) => c.ipam.createAddress({ vrfId: x.vrfId, address: '10.36.255.255' }), 'BAD_REQUEST', 'address', /never handed out/],
    ['the IPv6 subnet-router anycast address', (c, x) => c.ipam.createAddress({ vrfId: x.vrfId, address: '2001:db8::' }), 'BAD_REQUEST', 'address', /anycast/],
    ['a VRF with a route distinguisher in use', (c) => c.ipam.createVrf({ name: 'OTHER', rd: '65001:1' }), 'CONFLICT', 'rd', /EGOV-P1/],
    ['a malformed route target', (c) => c.ipam.createVrf({ name: 'OTHER', rd: '65001', importTargets: [] }), 'BAD_REQUEST', 'rd', /route target/],
  ];
  for (const [why, call, code, field, message] of bad) {
    it(`refuses ${why} with a clear error and changes nothing`, async () => {
      const before = await ipamState(deps);
      const error = await errorOf(() => call(eng, { vrfId, v4: v4.id, v6: v6.id }));
      expect([error.code, Object.keys(error.fieldErrors ?? {})]).toEqual([code, [field]]);
      expect(error.message + JSON.stringify(error.fieldErrors)).toMatch(message);
      expect(await ipamState(deps)).toEqual(before);
    });
  }

  it('lets migrated department networks overlap other VRFs, never inside one VRF (the database refuses too)', async () => {
    const dept = await seedDepartment(deps, '江西省公安厅');
    const police = await eng.ipam.createVrf({ name: 'DEPT-POLICE', kind: 'department', departmentId: dept.id, rd: '65001:900', migrationState: 'in-progress' });
    const theirs = await eng.ipam.createPrefix({ vrfId: police.id, cidr: '10.36.0.0/16', kind: 'aggregate' });
    expect(theirs.cidr).toBe('10.36.0.0/16');
    // Straight into the table, past every check of the service: the exclusion constraint still refuses.
    const raw = await errorOf(() => deps.store.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind) VALUES (gen_random_uuid(), $1, '10.36.128.0/17', 'ipv4', 0, 'container')`, [vrfId]));
    expect(raw.message).toContain('ipam_prefixes_no_overlap');
    const outside = await errorOf(() => deps.store.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, parent_id, parent_depth, parent_cidr) VALUES (gen_random_uuid(), $1, '10.99.0.0/24', 'ipv4', 1, 'container', $2, 0, '10.36.0.0/16')`, [vrfId, v4.id]));
    expect(outside.message).toContain('ipam_prefixes_tree_ck');
  });

  it('maps a migrated department network 1:1 onto extranet space, refusing size mismatches and overlaps', async () => {
    const dept = await seedDepartment(deps, '江西省公安厅');
    const police = await eng.ipam.createVrf({ name: 'DEPT-POLICE', kind: 'department', departmentId: dept.id, migrationState: 'in-progress' });
    const m = await eng.ipam.createNatMapping({ insideVrfId: police.id, insideCidr: '10.36.0.0/24', outsideVrfId: vrfId, outsideCidr: '100.64.3.0/24' });
    expect((await eng.ipam.natMappings()).items.map((x) => `${x.insideCidr}>${x.outsideCidr}`)).toEqual(['10.36.0.0/24>100.64.3.0/24']);
    const size = await errorOf(() => eng.ipam.createNatMapping({ insideVrfId: police.id, insideCidr: '10.36.1.0/24', outsideVrfId: vrfId, outsideCidr: '100.64.4.0/25' }));
    expect([size.code, Object.keys(size.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['outsideCidr']]);
    const clash = await errorOf(() => eng.ipam.createNatMapping({ insideVrfId: police.id, insideCidr: '10.36.0.128/25', outsideVrfId: vrfId, outsideCidr: '100.64.5.0/25' }));
    expect([clash.code, clash.message]).toEqual(['CONFLICT', '10.36.0.128/25 overlaps the mapping of 10.36.0.0/24 on the inside']);
    await eng.ipam.deleteNatMapping({ id: m.id });
    expect((await eng.ipam.natMappings()).items).toEqual([]);
  });

  it('creates a container over existing prefixes: they, their subtrees and the addresses it covers move one level down', async () => {
    const lan = await eng.ipam.allocatePrefix({ parentId: v4.id, length: 24, kind: 'container' });
    const leaf = await eng.ipam.allocatePrefix({ parentId: lan.id, length: 29 });
    const other = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.200.0/24', kind: 'container' });
    const loose = await eng.ipam.createAddress({ vrfId, address: '10.36.1.9' });
    const mid = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.0.0/20', kind: 'container' });
    const top = await eng.ipam.createPrefix({ vrfId, cidr: '10.0.0.0/8', kind: 'aggregate' });
    const rows = await deps.store.query<{ id: string; depth: number; parent: string | null }>(
      'SELECT id, depth, parent_id AS parent FROM ipam_prefixes WHERE family = $1', ['ipv4']);
    const at = (id: string) => rows.find((r) => r.id === id)!;
    expect([at(top.id).depth, at(v4.id).depth, at(mid.id).depth, at(lan.id).depth, at(leaf.id).depth, at(other.id).depth]).toEqual([0, 1, 2, 3, 4, 2]);
    expect([at(v4.id).parent, at(mid.id).parent, at(lan.id).parent, at(other.id).parent]).toEqual([top.id, v4.id, mid.id, v4.id]);
    const [addr] = await deps.store.query<{ prefixId: string }>('SELECT prefix_id AS "prefixId" FROM ipam_addresses WHERE id = $1', [loose.id]);
    expect(addr!.prefixId).toBe(mid.id);
    const [bad] = await deps.store.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ipam_prefixes a JOIN ipam_prefixes b ON a.vrf_id = b.vrf_id AND a.depth = b.depth AND a.id < b.id AND a.cidr && b.cidr');
    expect(bad!.n).toBe(0);
    // The moved tree still allocates where it should (10.36.1.0/24 holds the moved address).
    expect((await eng.ipam.allocatePrefix({ parentId: mid.id, length: 24 })).cidr).toBe('10.36.2.0/24');
    await eng.ipam.createAddress({ vrfId, address: '10.36.3.0' });
    const before = await ipamState(deps);
    const refused = await errorOf(() => eng.ipam.createPrefix({ vrfId, cidr: '10.36.3.0/24', kind: 'container' }));
    expect([refused.code, refused.message]).toEqual(['CONFLICT', '10.36.3.0/24 would make the recorded address 10.36.3.0 its network, broadcast or anycast address']);
    expect(await ipamState(deps)).toEqual(before);
  });

  it('places prefixes by strategy: first-fit, best-fit, sparse and nibble', async () => {
    const p = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.8.0/24' });
    const alloc = (length: number, strategy: 'first-fit' | 'best-fit' | 'sparse' | 'nibble', parentId = p.id) => eng.ipam.allocatePrefix({ parentId, length, strategy }).then((r) => r.cidr);
    expect(await alloc(26, 'sparse')).toBe('10.36.8.128/26');
    expect(await alloc(26, 'sparse')).toBe('10.36.8.64/26');
    expect(await alloc(28, 'first-fit')).toBe('10.36.8.0/28');
    // Free now: .16/28 .32/27 (lower quarter) and .192/26; best-fit takes the smallest block that fits a /28.
    expect(await alloc(28, 'best-fit')).toBe('10.36.8.16/28');
    expect(await alloc(27, 'best-fit')).toBe('10.36.8.32/27');
    const n = await eng.ipam.createPrefix({ vrfId, cidr: '2001:db8:100::/48' });
    expect(await alloc(62, 'nibble', n.id)).toBe('2001:db8:100::/62');
    expect(await alloc(62, 'nibble', n.id)).toBe('2001:db8:100:10::/62');
    expect(await alloc(64, 'nibble', n.id)).toBe('2001:db8:100:4::/64');
  });

  it('allocates a paired IPv4 + IPv6 prefix per unit and plane from the level template, once', async () => {
    await eng.ipam.setTemplate({ unitLevel: 'township', planeId: 'plane-1', ipv4ParentId: v4.id, ipv4Length: 30, ipv6ParentId: v6.id, ipv6Length: 64 });
    const pair = await eng.ipam.allocatePair({ unitCode: '360102001', planeId: 'plane-1' });
    expect([pair.ipv4.cidr, pair.ipv6.cidr, pair.replayed]).toEqual(['10.36.0.0/30', '2001:db8::/64', false]);
    const again = await eng.ipam.allocatePair({ unitCode: '360102001', planeId: 'plane-1' });
    expect([again.ipv4.id, again.ipv6.id, again.replayed]).toEqual([pair.ipv4.id, pair.ipv6.id, true]);
    const before = await ipamState(deps);
    for (const [input, code] of [[{ unitCode: '369999', planeId: 'plane-1' }, 'BAD_REQUEST'], [{ unitCode: '360102002', planeId: 'plane-2' }, 'NOT_FOUND'], [{ unitCode: '3601', planeId: 'plane-1' }, 'NOT_FOUND']] as const) {
      expect((await errorOf(() => eng.ipam.allocatePair(input))).code).toBe(code);
    }
    expect(await ipamState(deps)).toEqual(before);
  });

  it('allocates both halves of a pair or neither', async () => {
    const tiny = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.9.0/30' });
    await eng.ipam.allocatePrefix({ parentId: tiny.id, length: 30 + 1 });
    await eng.ipam.allocatePrefix({ parentId: tiny.id, length: 31 });
    await eng.ipam.setTemplate({ unitLevel: 'township', planeId: 'plane-2', ipv4ParentId: tiny.id, ipv4Length: 31, ipv6ParentId: v6.id, ipv6Length: 64 });
    const before = await ipamState(deps);
    const error = await errorOf(() => eng.ipam.allocatePair({ unitCode: '360102002', planeId: 'plane-2' }));
    expect(error.code).toBe('CONFLICT');
    expect(await ipamState(deps)).toEqual(before);
  });

  it('handles IPv6 and IPv4 edge cases: a /0 parent, /127, /128, /31, /32 and no 2^32 cap', async () => {
    const all = await eng.ipam.createVrf({ name: 'LAB' });
    const zero = await eng.ipam.createPrefix({ vrfId: all.id, cidr: '::/0', kind: 'aggregate' });
    expect((await eng.ipam.allocatePrefix({ parentId: zero.id, length: 1, kind: 'container' })).cidr).toBe('::/1');
    // 2^127 addresses past the start: far beyond any 32-bit counter.
    expect((await eng.ipam.allocatePrefix({ parentId: zero.id, length: 128 })).cidr).toBe('8000::/128');
    const top = await eng.ipam.createPrefix({ vrfId: all.id, cidr: 'ffff:ffff:ffff:ffff::/64', kind: 'container' });
    const last = await eng.ipam.createPrefix({ vrfId: all.id, cidr: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127', kind: 'assigned' });
    const p2p = [(await eng.ipam.allocateAddress({ prefixId: last.id })).address, (await eng.ipam.allocateAddress({ prefixId: last.id })).address];
    expect(p2p).toEqual(['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect((await errorOf(() => eng.ipam.allocateAddress({ prefixId: last.id }))).code).toBe('CONFLICT');
    expect((await eng.ipam.allocatePrefix({ parentId: top.id, length: 65 })).cidr).toBe('ffff:ffff:ffff:ffff::/65');
    const host = await eng.ipam.createPrefix({ vrfId: all.id, cidr: '2001:db8::1/128', kind: 'assigned' });
    expect((await eng.ipam.allocateAddress({ prefixId: host.id })).address).toBe('2001:db8::1');
    const anycastOnly = await eng.ipam.createPrefix({ vrfId: all.id, cidr: '2001:db8::2/127', kind: 'assigned' });
    expect((await eng.ipam.allocateAddress({ prefixId: anycastOnly.id })).address).toBe('2001:db8::2');
    // ::/127 starts with the unspecified address: only ::1 is handed out.
    const unspecified = await eng.ipam.createPrefix({ vrfId: all.id, cidr: '::/127', kind: 'assigned' });
    expect((await eng.ipam.allocateAddress({ prefixId: unspecified.id })).address).toBe('::1');
    expect((await errorOf(() => eng.ipam.allocateAddress({ prefixId: unspecified.id }))).code).toBe('CONFLICT');
    expect((await errorOf(() => eng.ipam.createAddress({ vrfId: all.id, address: '::' }))).code).toBe('BAD_REQUEST');
    const v4lab = await eng.ipam.createPrefix({ vrfId: all.id, cidr: '192.0.2.0/31', kind: 'assigned' });
    expect([(await eng.ipam.allocateAddress({ prefixId: v4lab.id })).address, (await eng.ipam.allocateAddress({ prefixId: v4lab.id })).address]).toEqual(['192.0.2.0', '192.0.2.1']);
    const one = await eng.ipam.createPrefix({ vrfId: all.id, cidr: '192.0.2.9/32', kind: 'assigned' });
    expect((await eng.ipam.allocateAddress({ prefixId: one.id })).address).toBe('192.0.2.9');
  });

  it('lets department roles read shared space and their own department network, and write nothing', async () => {
    const mine = await seedDepartment(deps, '江西省公安厅');
    const other = await seedDepartment(deps, '江西省税务局');
    const theirs = await eng.ipam.createVrf({ name: 'DEPT-TAX', kind: 'department', departmentId: other.id });
    const own = await eng.ipam.createVrf({ name: 'DEPT-POLICE', kind: 'department', departmentId: mine.id });
    const user = await callerAs(deps, (await seedUser(deps, 'police-user', ['department-user'], mine.id)).id);
    expect((await user.ipam.vrfs()).items.map((v) => v.name)).toEqual(['DEPT-POLICE', 'EGOV-P1']);
    expect((await errorOf(() => user.ipam.prefixes({ vrfId: theirs.id }))).code).toBe('FORBIDDEN');
    expect((await user.ipam.prefixes({ vrfId: own.id })).items).toEqual([]);
    expect((await errorOf(() => user.ipam.allocatePrefix({ parentId: v6.id, length: 64 }))).code).toBe('FORBIDDEN');
  });
});
