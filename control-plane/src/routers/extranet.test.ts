import type { AppDeps } from '../context.ts';
import type { BlockReason } from '../extranet/access-check.ts';
import { buildAddressing, buildExtranet, extranetDigest, insertCloud } from '../testing/extranet-fixtures.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedDepartment, seedUser, snapshot } from '../testing/harness.ts';
import { seedSystems } from '../testing/system-fixtures.ts';

const V1 = '360102001201';
const V2 = '360102001202';

type Caller = Awaited<ReturnType<typeof callerAs>>;

describe('extranet router', () => {
  let deps: AppDeps;
  let eng: Caller;
  let ids: Map<string, string>;
  beforeEach(async () => {
    deps = await freshDeps();
    eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    ids = await buildExtranet(deps.store, [{ unit: V1, plane: 'plane-1' }]);
  });
  afterEach(() => deps.federation.stop());

  const linkInput = (over: Record<string, unknown> = {}) => ({
    circuitId: 'P2-V1', unitCode: V1, planeId: 'plane-2', peDeviceId: ids.get('PE-2')!, aggDeviceId: ids.get('AGG-2')!, interfaceName: 'GE0/0/7',
    bandwidthMbps: 100, carrier: '中国联通', ducts: ['D-B'], families: ['ipv4', 'ipv6'] as ('ipv4' | 'ipv6')[], ...over,
  });

  it('creates a link (with its interface), shows it on the unit, audits it, and the unit becomes dual-plane', async () => {
    const link = await eng.extranet.createLink(linkInput());
    expect([link.circuitId, link.peName, link.aggName, link.interfaceName, link.state]).toEqual(['P2-V1', 'PE-2', 'AGG-2', 'GE0/0/7', 'up']);
    const unit = await eng.extranet.unit({ code: V1 });
    expect(unit.links.map((l) => l.planeId)).toEqual(['plane-1', 'plane-2']);
    expect(unit.ancestry.map((a) => a.code)).toEqual(['36', '3601', '360102', '360102001', V1]);
    expect(unit.matrix.filter((m) => m.link).length).toBe(4);
    const report = await eng.extranet.report();
    expect(report.total.dualPlane).toBe(1);
    const trail = await auditTrail(deps);
    expect(trail.map((r) => `${r.procedure}:${r.target}:${r.outcome}`)).toEqual(['extranet.createLink:link:P2-V1:ok']);
  });

  const badLinks: [string, Record<string, unknown>, string, string][] = [
    ['an unknown unit code', { unitCode: '360199999999' }, 'BAD_REQUEST', 'unitCode'],
    ['a plane that does not exist', { planeId: 'plane-9' }, 'BAD_REQUEST', 'planeId'],
    ['a PE of the other plane', { peDeviceId: 'PE-1' }, 'BAD_REQUEST', 'peDeviceId'],
    ['an aggregation switch given as PE', { peDeviceId: 'AGG-2' }, 'BAD_REQUEST', 'peDeviceId'],
    ['a duplicate circuit id', { circuitId: `C-1-${V1}-plane-1` }, 'CONFLICT', 'circuitId'],
    ['zero bandwidth', { bandwidthMbps: 0 }, 'BAD_REQUEST', 'bandwidthMbps'],
    ['a family twice', { families: ['ipv4', 'ipv4'] }, 'BAD_REQUEST', 'families'],
    ['a malformed unit code', { unitCode: '36 01' }, 'BAD_REQUEST', 'unitCode'],
    ['a duct with a separator in it', { ducts: ['D;B'] }, 'BAD_REQUEST', 'ducts.0'],
  ];
  for (const [why, over, code, field] of badLinks) {
    it(`refuses a link with ${why}, changing nothing`, async () => {
      const resolved = Object.fromEntries(Object.entries(over).map(([k, v]) => [k, typeof v === 'string' && ids.has(v) ? ids.get(v) : v]));
      const [before, rows] = [await extranetDigest(deps.store), await snapshot(deps)];
      const error = await errorOf(() => eng.extranet.createLink(linkInput(resolved) as never));
      expect([error.code, Object.keys(error.fieldErrors ?? {})]).toEqual([code, [field]]);
      expect(await extranetDigest(deps.store)).toEqual(before);
      expect(await snapshot(deps)).toEqual(rows);
    });
  }

  it('refuses a unit under a parent of the wrong level or an unknown parent, and a plane beyond five', async () => {
    const before = await extranetDigest(deps.store);
    const e1 = await errorOf(() => eng.extranet.createUnit({ code: '360102001299', name: '新村', level: 'village', parentCode: '360102' }));
    expect([e1.code, e1.fieldErrors, e1.message]).toEqual(['BAD_REQUEST', { parentCode: [e1.message] }, 'a village hangs off a township, not a county']);
    const e2 = await errorOf(() => eng.extranet.createUnit({ code: '360102001299', name: '新村', level: 'village', parentCode: '3601029999' }));
    expect([e2.code, e2.message]).toEqual(['BAD_REQUEST', 'unknown unit code 3601029999']);
    for (const id of ['plane-3', 'plane-4', 'plane-5']) await eng.extranet.savePlane({ id, name: id, nameEn: id, technology: 'ip', addressFamilies: ['ipv4'] });
    const after3 = await extranetDigest(deps.store);
    expect((await errorOf(() => eng.extranet.savePlane({ id: 'plane-6', name: 'x', nameEn: 'x', technology: 'ip', addressFamilies: ['ipv4'] }))).code).toBe('BAD_REQUEST');
    expect(await extranetDigest(deps.store)).toEqual(after3);
    expect(after3['units']).toEqual(before['units']);
  });

  it('lets auditors and operators read, refuses them changes; department users see the figures but not the inventory', async () => {
    const auditor = await callerAs(deps, (await seedUser(deps, 'aud', ['auditor'])).id);
    const dept = await seedDepartment(deps, '江西省公安厅');
    const deptUser = await callerAs(deps, (await seedUser(deps, 'du', ['department-user'], dept.id)).id);
    expect((await auditor.extranet.tree()).items.map((n) => n.code)).toEqual(['36']);
    expect((await errorOf(() => auditor.extranet.createLink(linkInput()))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => auditor.extranet.takeSnapshot()))).toEqual(jasmine.objectContaining({ code: 'FORBIDDEN' }));
    expect((await deptUser.extranet.report()).total.units).toBe(13);
    expect((await deptUser.extranet.tree({ parentCode: '36' })).items.map((n) => n.code)).toEqual(['3601', '3602']);
    for (const attempt of [() => deptUser.extranet.unit({ code: V1 }), () => deptUser.extranet.sharedRisk({}), () => deptUser.extranet.devices(), () => deptUser.extranet.exportLinks()]) {
      expect((await errorOf(attempt)).code).toBe('FORBIDDEN');
    }
    expect((await errorOf(() => eng.extranet.unit({ code: '369999' }))).code).toBe('NOT_FOUND');
  });

  it('edits a unit\'s contacts (audited before/after), registers devices, and refuses devices with bad references, changing nothing', async () => {
    const updated = await eng.extranet.updateUnit({ code: V1, contactName: '王芳', contactPhone: '0791-86888888' });
    expect([updated.contactName, updated.contactPhone]).toEqual(['王芳', '0791-86888888']);
    const [record] = (await auditTrail(deps)).slice(-1);
    expect([record!.procedure, (record!.before as { contactName: string | null }).contactName, (record!.after as { contactName: string }).contactName]).toEqual(['extranet.updateUnit', null, '王芳']);
    const before = await extranetDigest(deps.store);
    const bad: [Record<string, unknown>, string][] = [
      [{ planeId: 'plane-9' }, 'planeId'], [{ cloudId: 'no-such-cloud' }, 'cloudId'], [{ unitCode: '369999' }, 'unitCode'],
      [{ name: 'PE-1' }, 'name'], [{ mgmtAddress: '10.0.0.256' }, 'mgmtAddress'], [{ role: 'router' }, 'role'],
    ];
    for (const [over, field] of bad) {
      const e = await errorOf(() => eng.extranet.createDevice({ name: 'PE-NEW', role: 'pe', planeId: 'plane-1', vendor: 'H3C', model: 'CR16010-F', mgmtAddress: '10.255.9.9', ...over } as never));
      expect(`${field}: ${Object.keys(e.fieldErrors ?? {}).join(',')}`).toBe(`${field}: ${field}`);
    }
    expect((await errorOf(() => eng.extranet.updateUnit({ code: V1, contactPhone: 'call me' }))).fieldErrors).toEqual({ contactPhone: ['a phone number: digits, dashes, optional leading +'] });
    expect(await extranetDigest(deps.store)).toEqual(before);
    const device = await eng.extranet.createDevice({ name: 'PE-NEW', role: 'pe', planeId: null, vendor: 'H3C', model: 'CR16010-F', mgmtAddress: '240e:6b0::9' });
    expect([device.planeId, device.mgmtAddress, device.state]).toEqual([null, '240e:6b0::9', 'up']);
  });

  it('a PE taken down blocks the access check at that hop; a deleted link leaves the unit with no link', async () => {
    const dept = await seedDepartment(deps, '江西省人社厅');
    await insertCloud(deps.store, 'gov-cloud');
    const systemId = await seedSystem(deps, dept.id, '社保卡系统', 'gov-cloud');
    await eng.extranet.setDeviceState({ id: ids.get('PE-1')!, state: 'down' });
    const down = await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv4' });
    expect(down.path.find((h) => h.kind === 'pe')).toEqual(jasmine.objectContaining({ status: 'blocked', reason: 'device-down' }));
    // The specifics come in both languages: the console shows the Chinese sentence to a Chinese reader.
    expect(down.path.find((h) => h.kind === 'pe')).toEqual(jasmine.objectContaining({ detail: 'PE-1 is down', detailZh: 'PE-1 已中断' }));
    const [link] = await deps.store.query<{ id: string }>('SELECT id FROM extranet_links WHERE unit_code = $1', [V1]);
    await eng.extranet.deleteLink({ id: link!.id });
    expect((await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv4' })).reason).toBe('no-link');
    expect((await errorOf(() => eng.extranet.deleteLink({ id: link!.id }))).code).toBe('NOT_FOUND');
  });

  describe('CSV import', () => {
    const unitsCsv = (rows: string[]) => ['code,name,level,parent_code,site_kind,contact_name,contact_phone', ...rows].join('\n');
    const linksCsv = (rows: string[]) => ['circuit_id,unit_code,plane,pe,interface,aggregation,ce,bandwidth_mbps,carrier,ducts,families,state', ...rows].join('\n');

    it('imports units and links, then exports them back', async () => {
      const r = await eng.extranet.importUnits({ csv: unitsCsv(['360102001203,新建村,village,360102001,,李伟,13800000001', 'S-360102001-C,服务中心,site,360102001,service-centre,,']) });
      expect([r.written, r.errors]).toEqual([2, []]);
      const l = await eng.extranet.importLinks({ csv: linksCsv(['P1-NEW,360102001203,plane-1,PE-1,GE0/0/9,AGG-1,,50,中国电信,D-1;D-2,ipv4;ipv6,up']) });
      expect(l.written).toBe(1);
      const unit = await eng.extranet.unit({ code: '360102001203' });
      expect([unit.unit.contactName, unit.links[0]!.ducts, unit.links[0]!.interfaceName]).toEqual(['李伟', ['D-1', 'D-2'], 'GE0/0/9']);
      const exported = await eng.extranet.exportLinks();
      expect(exported.csv).toContain('P1-NEW,360102001203,plane-1,PE-1,GE0/0/9,AGG-1,,50,中国电信,D-1;D-2,ipv4;ipv6,up');
      const units = await eng.extranet.exportUnits({ under: '360102001' });
      expect(units.csv.split('\n')[0]).toBe('code,name,level,parent_code,site_kind,contact_name,contact_phone');
      expect(units.csv).toContain('360102001203,新建村,village,360102001,,李伟,13800000001');
      expect(units.csv).not.toContain('3602');
    });

    it('reads what spreadsheets write: a BOM, CRLF line ends, quoted fields with commas, headers in any case and order', async () => {
      const csv = '\uFEFFName,Code,LEVEL,parent_code,contact_phone,contact_name,site_kind\r\n"东湖区政务服务中心,二楼",S-360102-09,site,360102,0791-86000000,"张三",service-centre\r\n';
      const r = await eng.extranet.importUnits({ csv });
      expect([r.written, r.errors]).toEqual([1, []]);
      const unit = await eng.extranet.unit({ code: 'S-360102-09' });
      expect([unit.unit.name, unit.unit.contactName, unit.unit.siteKind, unit.ancestry.map((a) => a.code)]).toEqual(['东湖区政务服务中心,二楼', '张三', 'service-centre', ['36', '3601', '360102', 'S-360102-09']]);
    });

    it('reports every bad row by row number and column, and imports nothing (all or nothing)', async () => {
      const csv = linksCsv([
        'OK-1,360102001202,plane-1,PE-1,,AGG-1,,100,中国电信,,ipv4,up',
        'BAD-1,360199999999,plane-1,PE-1,,AGG-1,,100,中国电信,,ipv4,up',
        'BAD-2,360102001202,plane-7,PE-1,,,,100,中国电信,,ipv4,up',
        'BAD-3,360102001202,plane-2,PE-1,,,,-5,,,ipv7,sideways',
        'OK-1,360102001202,plane-2,PE-2,,,,100,中国联通,,ipv4,up',
      ]);
      const before = await extranetDigest(deps.store);
      const check = await eng.extranet.importLinks({ csv, dryRun: true });
      expect(check.errors.map((e) => `${e.row}:${e.column}`)).toEqual([
        '3:unit_code', '4:plane', '5:pe', '5:bandwidth_mbps', '5:carrier', '5:families', '5:state', '6:circuit_id',
      ]);
      expect(check.errors[0]!.message).toBe('unknown unit code 360199999999');
      expect(check.errors[1]!.message).toContain('plane plane-7 does not exist');
      const error = await errorOf(() => eng.extranet.importLinks({ csv }));
      expect([error.code, Object.keys(error.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['csv']]);
      expect(error.message).toContain('8 problems in the file, nothing imported: row 3, unit_code: unknown unit code 360199999999');
      expect(await extranetDigest(deps.store)).toEqual(before);
      const trail = await auditTrail(deps);
      expect(trail.map((r) => `${r.procedure}:${r.outcome}`)).toEqual(['extranet.importLinks:ok', 'extranet.importLinks:error']);
    });

    const badUnitFiles: [string, string, string][] = [
      ['missing columns', 'code,name,level\n1,2,3', '1:parent_code,1:site_kind,1:contact_name,1:contact_phone'],
      ['an unknown column', 'code,name,level,parent_code,site_kind,contact_name,contact_phone,colour\n', '1:colour'],
      ['an unknown parent', unitsCsv(['360102001299,村,village,360102009,,,']), '2:parent_code'],
      ['a village under a county', unitsCsv(['360102001299,村,village,360102,,,']), '2:parent_code'],
      ['moving an existing unit', unitsCsv([`${V1},改名,village,360102002,,,`]), '2:parent_code'],
      ['a duplicate code', unitsCsv(['X-1,a,site,360102,,,', 'X-1,b,site,360102,,,']), '3:code'],
      ['a bad phone and a bad level', unitsCsv(['X-2,a,hamlet,360102,,,call me']), '2:level,2:contact_phone'],
      ['an unterminated quote', unitsCsv(['X-3,"a,site,360102,,,']), '2:'],
    ];
    for (const [why, csv, want] of badUnitFiles) {
      it(`refuses a units file with ${why}`, async () => {
        const before = await extranetDigest(deps.store);
        const check = await eng.extranet.importUnits({ csv, dryRun: true });
        expect(check.errors.map((e) => `${e.row}:${e.column}`).join(',')).toEqual(want);
        expect((await errorOf(() => eng.extranet.importUnits({ csv }))).code).toBe('BAD_REQUEST');
        expect(await extranetDigest(deps.store)).toEqual(before);
      });
    }
  });

  describe('access check', () => {
    let systemId: string;
    let deptUser: Caller;
    let otherSystem: string;
    beforeEach(async () => {
      const dept = await seedDepartment(deps, '江西省人社厅');
      const other = await seedDepartment(deps, '江西省公安厅');
      await insertCloud(deps.store, 'gov-cloud');
      systemId = await seedSystem(deps, dept.id, '社保卡系统', 'gov-cloud');
      otherSystem = await seedSystem(deps, other.id, '警务云', 'gov-cloud');
      deptUser = await callerAs(deps, (await seedUser(deps, 'rs', ['department-user'], dept.id)).id);
    });

    async function attach(planeId: string, vrfId: string | null) {
      await eng.extranet.saveAttachment({
        cloudId: 'gov-cloud', planeId, peDeviceId: ids.get(planeId === 'plane-1' ? 'PE-1' : 'PE-2')!, vrfId,
        prefixV4: '172.16.0.0/24', prefixV6: '240e:6c0:1::/48', probeV4: '172.16.0.1', probeV6: '240e:6c0:1::1',
      });
    }

    const cases: [string, (ipam: Awaited<ReturnType<typeof buildAddressing>>) => Promise<void>, { unit?: string; plane?: string; family?: 'ipv4' | 'ipv6' }, BlockReason | null, string[]][] = [
      ['everything in place', async (ipam) => { await ipam.allocate(V1, 'plane-1', 'ipv6'); await attach('plane-1', ipam.vrfs.get('plane-1')!.vrf); }, {}, null,
        ['unit:ok', 'link:ok', 'aggregation:ok', 'pe:ok', 'address:ok', 'vrf:ok', 'cloud-pe:ok', 'cloud:ok', 'system:ok']],
      ['no link on plane 2', async (ipam) => { await attach('plane-2', ipam.vrfs.get('plane-2')!.vrf); }, { plane: 'plane-2' }, 'no-link',
        ['unit:ok', 'link:blocked', 'address:blocked', 'vrf:unknown', 'cloud-pe:ok', 'cloud:ok', 'system:unknown']],
      ['no address', async (ipam) => { await attach('plane-1', ipam.vrfs.get('plane-1')!.vrf); }, {}, 'no-address',
        ['unit:ok', 'link:ok', 'aggregation:ok', 'pe:ok', 'address:blocked', 'vrf:unknown', 'cloud-pe:ok', 'cloud:ok', 'system:unknown']],
      ['the cloud is not attached to the plane', async (ipam) => { await ipam.allocate(V1, 'plane-1', 'ipv6'); }, {}, 'cloud-not-attached',
        ['unit:ok', 'link:ok', 'aggregation:ok', 'pe:ok', 'address:ok', 'cloud:blocked', 'system:unknown']],
      ['the unit sits in a department VRF the cloud does not import', async (ipam) => {
        const vrf = '7f3d2c1b-0000-4000-8000-000000000001';
        await deps.store.query(`INSERT INTO ipam_vrfs (id, name, rd, import_targets, export_targets, plane_id) VALUES ($1, 'DEPT-X', '65100:1', '{65100:1}', '{65100:1}', 'plane-1')`, [vrf]);
        await ipam.allocate(V1, 'plane-1', 'ipv6', vrf);
        await attach('plane-1', ipam.vrfs.get('plane-1')!.vrf);
      }, {}, 'vrf-not-imported', ['unit:ok', 'link:ok', 'aggregation:ok', 'pe:ok', 'address:ok', 'vrf:blocked', 'cloud-pe:ok', 'cloud:ok', 'system:unknown']],
    ];
    for (const [why, setup, over, reason, hops] of cases) {
      it(`answers from the inventory: ${why}`, async () => {
        const ipam = await buildAddressing(deps.store);
        await setup(ipam);
        const r = await eng.extranet.accessCheck({ unitCode: over.unit ?? V1, systemId, planeId: over.plane ?? 'plane-1', family: over.family ?? 'ipv6' });
        expect([r.ok, r.reason]).toEqual([reason === null, reason]);
        expect(r.path.map((h) => `${h.kind}:${h.status}`)).toEqual(hops);
        const history = await eng.extranet.checkHistory({ unitCode: over.unit ?? V1, limit: 5 });
        expect(history.items.map((c) => [c.source, c.ok, c.reason])).toEqual([['inventory', reason === null, reason]]);
      });
    }

    it('a link that is down and a link without IPv6 are named as the reason', async () => {
      const ipam = await buildAddressing(deps.store);
      await ipam.allocate(V1, 'plane-1', 'ipv4');
      await attach('plane-1', ipam.vrfs.get('plane-1')!.vrf);
      const [link] = await deps.store.query<{ id: string }>('SELECT id FROM extranet_links WHERE unit_code = $1', [V1]);
      await eng.extranet.setLinkState({ id: link!.id, state: 'down' });
      expect((await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv4' })).reason).toBe('link-down');
      await eng.extranet.setLinkState({ id: link!.id, state: 'up' });
      await deps.store.query(`UPDATE extranet_links SET families = '{ipv4}' WHERE id = $1`, [link!.id]);
      const v6 = await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv6' });
      expect(v6.reasons).toEqual(['family-not-on-link', 'no-address']);
      const unit = await eng.extranet.unit({ code: V1 });
      expect(unit.matrix.find((m) => m.planeId === 'plane-1' && m.family === 'ipv6')).toEqual(jasmine.objectContaining({ link: false, reach: false, reachSource: 'inventory' }));
    });

    it('live: says why no probe can run when the PE has no SSH-managed device', async () => {
      const ipam = await buildAddressing(deps.store);
      await ipam.allocate(V1, 'plane-1', 'ipv4');
      await attach('plane-1', null);
      const r = await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv4', live: true });
      expect(r.live).toEqual({ status: 'unavailable', message: 'PE-1 has no SSH-managed device behind it', messageZh: 'PE-1 背后没有经 SSH 管理的设备' });
      expect(r.reason).toBe('vrf-not-imported'); // the unit's address is in EXT-plane-1, the attachment in the global table
      expect(r.path.find((h) => h.kind === 'vrf')?.detailZh).toBe('一端在全局路由表、另一端在 VRF 中，未配置路由泄露');
    });

    it('keeps department users to their own systems, and refuses unknown ids and planes without storing a check', async () => {
      const before = await extranetDigest(deps.store);
      expect((await errorOf(() => deptUser.extranet.accessCheck({ unitCode: V1, systemId: otherSystem, planeId: 'plane-1', family: 'ipv4' }))).code).toBe('FORBIDDEN');
      expect((await errorOf(() => eng.extranet.accessCheck({ unitCode: '369999', systemId, planeId: 'plane-1', family: 'ipv4' }))).code).toBe('NOT_FOUND');
      const plane = await errorOf(() => eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-9', family: 'ipv4' }));
      expect([plane.code, Object.keys(plane.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['planeId']]);
      expect((await errorOf(() => eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv5' as never }))).code).toBe('BAD_REQUEST');
      expect(await extranetDigest(deps.store)).toEqual(before);
      const own = await deptUser.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv4' });
      expect(own.system.name).toBe('社保卡系统');
      expect((await deptUser.extranet.checkableSystems()).items.map((s) => s.name)).toEqual(['社保卡系统']);
    });

    it('shows a department user only the stored checks towards its own systems (issue 19.5)', async () => {
      await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv4' });
      await eng.extranet.accessCheck({ unitCode: V1, systemId: otherSystem, planeId: 'plane-1', family: 'ipv4' });
      await eng.extranet.accessCheck({ unitCode: V1, systemId: otherSystem, planeId: 'plane-2', family: 'ipv6' });
      const towards = async (c: Caller, systemFilter?: string) =>
        (await c.extranet.checkHistory({ unitCode: V1, limit: 10, ...(systemFilter ? { systemId: systemFilter } : {}) })).items.map((h) => h.systemId);
      expect(await towards(deptUser)).toEqual([systemId]);
      expect((await towards(eng)).sort()).toEqual([otherSystem, otherSystem, systemId].sort());
      expect((await errorOf(() => towards(deptUser, otherSystem))).code).toBe('FORBIDDEN');
    });
  });

  it('what-if refuses an unknown device and an empty scenario', async () => {
    expect((await errorOf(() => eng.extranet.whatIf({ deviceIds: ['7f3d2c1b-0000-4000-8000-00000000000f'] }))).fieldErrors).toEqual({ deviceIds: ['no device 7f3d2c1b-0000-4000-8000-00000000000f'] });
    expect((await errorOf(() => eng.extranet.whatIf({}))).code).toBe('BAD_REQUEST');
    const r = await eng.extranet.whatIf({ deviceIds: [ids.get('PE-1')!] });
    expect([r.lostAll, r.affected.map((a) => a.code)]).toEqual([1, [V1]]);
    expect(V2).not.toBe(V1);
  });
});

async function seedSystem(deps: AppDeps, departmentId: string, name: string, cloudId: string): Promise<string> {
  return (await seedSystems(deps.store, departmentId, [name], { cloudId }))[0]!;
}
