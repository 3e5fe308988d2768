import type { AppDeps } from '../context.ts';
import { freshDeps } from '../testing/harness.ts';
import { coverageReport, treeChildren } from './coverage.ts';
import { attachmentsRepo } from './inventory-repo.ts';
import { snapshotHistory, startDailySnapshots, sweepReachability, takeSnapshot } from './reachability.ts';
import { sharedRisk, singleHomed, whatIf } from './risk.ts';
import { buildAddressing, buildExtranet, insertCloud, type LinkSpec } from '../testing/extranet-fixtures.ts';

const V1 = '360102001201';
const V2 = '360102001202';
const V3 = '360102002201';
const V4 = '360202001201';

describe('extranet analyses (table-driven fixtures)', () => {
  let deps: AppDeps;
  beforeEach(async () => {
    deps = await freshDeps();
  });

  const coverageCases: [string, LinkSpec[], { dual: number; single: number; none: number }][] = [
    ['no links: every unit counts as none', [], { dual: 0, single: 0, none: 13 }],
    ['one unit on both planes', [{ unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2' }], { dual: 1, single: 0, none: 12 }],
    ['a down link does not count: the unit is single-homed', [{ unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2', state: 'down' }], { dual: 0, single: 1, none: 12 }],
    ['two links on one plane are still one plane', [{ unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-1', pe: 'PE-X' }], { dual: 0, single: 1, none: 12 }],
    ['a planned link does not count either', [{ unit: V2, plane: 'plane-2', state: 'planned' }], { dual: 0, single: 0, none: 13 }],
  ];
  for (const [why, links, want] of coverageCases) {
    it(`coverage: ${why}`, async () => {
      await buildExtranet(deps.store, links);
      const r = await coverageReport(deps.store);
      expect([r.total.units, r.total.dualPlane, r.total.singleHomed, r.total.none]).toEqual([13, want.dual, want.single, want.none]);
      expect(r.byLevel.reduce((s, l) => s + l.units, 0)).toBe(13);
      expect(r.byCity.reduce((s, c) => s + c.dualPlane + c.singleHomed, 0)).toBe(want.dual + want.single);
    });
  }

  it('coverage by level and by city puts each unit in its own level and city ("36" = the province itself)', async () => {
    await buildExtranet(deps.store, [
      { unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2' }, { unit: V4, plane: 'plane-1' }, { unit: '36', plane: 'plane-1', agg: null }, { unit: '36', plane: 'plane-2', agg: null },
    ]);
    const r = await coverageReport(deps.store);
    expect(r.byLevel.map((l) => `${l.level}:${l.units}/${l.dualPlane}/${l.singleHomed}`)).toEqual(['province:1/1/0', 'city:2/0/0', 'county:2/0/0', 'township:3/0/0', 'village:4/1/1', 'site:1/0/0']);
    expect(r.byCity.map((c) => `${c.code}:${c.units}/${c.dualPlane}/${c.singleHomed}`)).toEqual(['36:1/1/0', '3601:8/1/0', '3602:4/0/1']);
  });

  it('the unit tree rolls each subtree up into its child, sites included', async () => {
    await buildExtranet(deps.store, [{ unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2' }, { unit: V3, plane: 'plane-1' }, { unit: 'S-360102-01', plane: 'plane-2' }]);
    const root = await treeChildren(deps.store, null);
    expect(root.map((n) => `${n.code}:${n.units}/${n.dualPlane}/${n.singleHomed}:${n.hasChildren}`)).toEqual(['36:13/1/2:true']);
    const cities = await treeChildren(deps.store, { code: '36', level: 'province' });
    expect(cities.map((n) => `${n.code}:${n.units}/${n.dualPlane}/${n.singleHomed}`)).toEqual(['3601:8/1/2', '3602:4/0/0']);
    const county = await treeChildren(deps.store, { code: '360102', level: 'county' });
    expect(county.map((n) => `${n.code}:${n.level}:${n.units}/${n.dualPlane}/${n.singleHomed}`)).toEqual([
      '360102001:township:3/1/0', '360102002:township:2/0/1', 'S-360102-01:site:1/0/1',
    ]);
    expect(await treeChildren(deps.store, { code: V1, level: 'village' })).toEqual([]);
  });

  it('lists single-homed units with their plane, paged by code', async () => {
    await buildExtranet(deps.store, [{ unit: V1, plane: 'plane-1' }, { unit: V2, plane: 'plane-2' }, { unit: V3, plane: 'plane-1' }, { unit: V3, plane: 'plane-2' }, { unit: V4, plane: 'plane-1' }]);
    const first = await singleHomed(deps.store, { limit: 2 });
    expect(first.items.map((u) => `${u.code}:${u.planeId}`)).toEqual([`${V1}:plane-1`, `${V2}:plane-2`]);
    const second = await singleHomed(deps.store, { limit: 2, after: first.nextCursor! });
    expect([second.items.map((u) => u.code), second.nextCursor]).toEqual([[V4], null]);
    expect((await singleHomed(deps.store, { limit: 10, cityCode: '3602' })).items.map((u) => u.cityName)).toEqual(['单位3602']);
  });

  const riskCases: [string, LinkSpec[], string[]][] = [
    ['both links on one PE serving both planes', [{ unit: V1, plane: 'plane-1', pe: 'PE-X' }, { unit: V1, plane: 'plane-2', pe: 'PE-X' }], ['pe:PE-X']],
    ['both links through one aggregation switch', [{ unit: V1, plane: 'plane-1', agg: 'AGG-X' }, { unit: V1, plane: 'plane-2', agg: 'AGG-X' }], ['aggregation:AGG-X']],
    ['one carrier for both planes', [{ unit: V1, plane: 'plane-1', carrier: '中国电信' }, { unit: V1, plane: 'plane-2', carrier: '中国电信' }], ['carrier:中国电信']],
    ['a common duct', [{ unit: V1, plane: 'plane-1', ducts: ['D-9', 'D-1'] }, { unit: V1, plane: 'plane-2', ducts: ['D-9', 'D-2'] }], ['duct:D-9']],
    ['several at once', [{ unit: V1, plane: 'plane-1', pe: 'PE-X', ducts: ['D-9'] }, { unit: V1, plane: 'plane-2', pe: 'PE-X', ducts: ['D-9'], carrier: '中国电信' }], ['pe:PE-X', 'carrier:中国电信', 'duct:D-9']],
    ['nothing shared: really redundant', [{ unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2' }], []],
    ['a third link avoiding the shared duct clears it', [
      { unit: V1, plane: 'plane-1', ducts: ['D-9'] }, { unit: V1, plane: 'plane-2', ducts: ['D-9'] }, { unit: V1, plane: 'plane-2', pe: 'PE-X', ducts: ['D-7'] }], []],
    ['a shared PE on one plane only is not a dual-plane risk', [{ unit: V1, plane: 'plane-1', pe: 'PE-X' }], []],
    ['a down link is not counted as a path', [{ unit: V1, plane: 'plane-1', pe: 'PE-X' }, { unit: V1, plane: 'plane-2', pe: 'PE-X', state: 'down' }], []],
  ];
  for (const [why, links, want] of riskCases) {
    it(`shared risk: ${why}`, async () => {
      await buildExtranet(deps.store, links);
      const r = await sharedRisk(deps.store, { limit: 10 });
      expect(r.items.flatMap((i) => i.risks.map((x) => `${x.kind}:${x.value}`))).toEqual(want);
      if (want.length) expect(r.items.map((i) => i.code)).toEqual([V1]);
    });
  }

  it('shared risk filters by kind', async () => {
    await buildExtranet(deps.store, [
      { unit: V1, plane: 'plane-1', carrier: 'X' }, { unit: V1, plane: 'plane-2', carrier: 'X' },
      { unit: V2, plane: 'plane-1', pe: 'PE-X' }, { unit: V2, plane: 'plane-2', pe: 'PE-X' },
    ]);
    expect((await sharedRisk(deps.store, { limit: 10, kind: 'carrier' })).items.map((i) => i.code)).toEqual([V1]);
    expect((await sharedRisk(deps.store, { limit: 10, kind: 'pe' })).items.map((i) => i.code)).toEqual([V2]);
    expect((await sharedRisk(deps.store, { limit: 10, kind: 'duct' })).items).toEqual([]);
  });

  it('what-if: a PE, a carrier or a duct fails', async () => {
    const ids = await buildExtranet(deps.store, [
      { unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2' }, // dual, independent
      { unit: V2, plane: 'plane-1' }, // single on plane 1
      { unit: V3, plane: 'plane-1', carrier: 'C', ducts: ['D-S'] }, { unit: V3, plane: 'plane-2', carrier: 'C', ducts: ['D-S'] }, // shared carrier and duct
      { unit: V4, plane: 'plane-1', families: ['ipv4', 'ipv6'] }, { unit: V4, plane: 'plane-2', families: ['ipv4'] }, // IPv6 only on plane 1
    ]);
    const pe1 = await whatIf(deps.store, { deviceIds: [ids.get('PE-1')!], carriers: [], ducts: [], limit: 50 });
    expect(pe1.affected.map((a) => `${a.code}:${a.impact}:${a.planesBefore}->${a.planesAfter}`)).toEqual([
      `${V2}:lost-all:1->0`, `${V4}:lost-ipv6:2->1`, `${V1}:lost-redundancy:2->1`, `${V3}:lost-redundancy:2->1`,
    ]);
    expect([pe1.failedLinks, pe1.lostAll, pe1.lostBothPlanes, pe1.lostIpv6, pe1.lostRedundancy]).toEqual([4, 1, 0, 1, 2]);
    const carrier = await whatIf(deps.store, { deviceIds: [], carriers: ['C'], ducts: [], limit: 50 });
    expect([carrier.lostAll, carrier.lostBothPlanes, carrier.affected.map((a) => a.code)]).toEqual([1, 1, [V3]]);
    const duct = await whatIf(deps.store, { deviceIds: [], carriers: [], ducts: ['D-S', 'D-none'], limit: 50 });
    expect([duct.failedLinks, duct.lostBothPlanes]).toEqual([2, 1]);
  });

  it('readiness: the plane × family matrix counts link, address and reachability, and a unit is IPv6-ready only when both planes are', async () => {
    await buildExtranet(deps.store, [
      { unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2' },
      { unit: V2, plane: 'plane-1' }, { unit: V2, plane: 'plane-2', families: ['ipv4'] },
      { unit: V4, plane: 'plane-1' }, { unit: V4, plane: 'plane-2' },
    ]);
    const ipam = await buildAddressing(deps.store);
    for (const p of ['plane-1', 'plane-2']) for (const f of ['ipv4', 'ipv6'] as const) {
      await ipam.allocate(V1, p, f);
      await ipam.allocate(V2, p, f);
    }
    await ipam.allocate(V4, 'plane-1', 'ipv6'); // V4: address on plane 1 only
    await insertCloud(deps.store, 'gov-cloud');
    const [pe1] = await deps.store.query<{ id: string }>(`SELECT id FROM extranet_devices WHERE name = 'PE-1'`);
    const [pe2] = await deps.store.query<{ id: string }>(`SELECT id FROM extranet_devices WHERE name = 'PE-2'`);
    for (const [planeId, pe] of [['plane-1', pe1!.id], ['plane-2', pe2!.id]] as const) {
      await attachmentsRepo.upsert(deps.store, { cloudId: 'gov-cloud', planeId, peDeviceId: pe, vrfId: ipam.vrfs.get(planeId)!.vrf, prefixV4: '172.16.0.0/24', prefixV6: '240e:6c0:1::/48', probeV4: null, probeV6: null, state: 'up' });
    }
    await sweepReachability(deps.store);
    const r = await coverageReport(deps.store);
    const cell = (p: string, f: string) => r.cells.find((c) => c.planeId === p && c.family === f)!;
    expect(cell('plane-1', 'ipv6')).toEqual({ planeId: 'plane-1', family: 'ipv6', link: 3, addr: 3, reach: 3, ready: 3 });
    expect(cell('plane-2', 'ipv6')).toEqual({ planeId: 'plane-2', family: 'ipv6', link: 2, addr: 2, reach: 1, ready: 1 });
    expect(cell('plane-2', 'ipv4')).toEqual({ planeId: 'plane-2', family: 'ipv4', link: 3, addr: 2, reach: 2, ready: 2 });
    expect(r.total.ipv6Ready).toBe(1); // V1 only: V2 lacks IPv6 on plane 2's link, V4 lacks the address
    expect(r.cellsByCity.filter((c) => c.code === '3602' && c.family === 'ipv6').map((c) => c.ready)).toEqual([1, 0]);

    // Snapshots keep the figures per day (province and each city) for the "over time" chart.
    await takeSnapshot(deps.store, { day: '2026-01-01', source: 'manual' });
    await takeSnapshot(deps.store, { source: 'daily' });
    const history = await snapshotHistory(deps.store, '36', 4000);
    expect(history.map((h) => [h.source, h.ipv6Ready, h.dualPlane])).toEqual([['manual', 1, 3], ['daily', 1, 3]]);
  });

  it('the daily job sweeps reachability and takes one snapshot a day, however often it runs', async () => {
    await buildExtranet(deps.store, [{ unit: V1, plane: 'plane-1' }, { unit: V1, plane: 'plane-2' }]);
    const job = startDailySnapshots(deps.store, deps.log, 60_000);
    await job.tick();
    job.stop();
    const rows = await deps.store.query<{ scope_code: string; dual_plane: number; source: string }>(`SELECT scope_code, dual_plane, source FROM extranet_snapshots WHERE day = current_date ORDER BY scope_code`);
    expect(rows).toEqual([{ scope_code: '36', dual_plane: 1, source: 'daily' }, { scope_code: '3601', dual_plane: 1, source: 'daily' }, { scope_code: '3602', dual_plane: 0, source: 'daily' }]);
    const [reach] = await deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM extranet_reachability WHERE unit_code = $1 AND source = 'inventory'`, [V1]);
    expect(reach!.n).toBe(4); // both planes × both families, written (not reachable: no addresses) by the sweep
  });
});
