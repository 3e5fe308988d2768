import fc from 'fast-check';
import { freshDeps } from '../testing/harness.ts';
import { coverageReport, treeChildren } from './coverage.ts';
import { recordReachability } from './reachability.ts';
import { TREE, buildAddressing, buildExtranet, type LinkSpec } from '../testing/extranet-fixtures.ts';

const units = TREE.map(([code]) => code);
// Facts concentrate on a few units (two villages in different cities, a site, the province) so that units with
// every fact on both planes — the interesting ones — turn up often.
const busy = ['360102001201', '360202001201', 'S-360102-01', '36'];
const unitArb = fc.oneof({ arbitrary: fc.constantFrom(...busy), weight: 4 }, { arbitrary: fc.constantFrom(...units), weight: 1 });
const linkArb = fc.record({
  unit: unitArb,
  plane: fc.constantFrom('plane-1' as const, 'plane-2' as const),
  state: fc.constantFrom('up' as const, 'up' as const, 'down' as const, 'planned' as const),
  families: fc.constantFrom<('ipv4' | 'ipv6')[]>(['ipv4'], ['ipv6'], ['ipv4', 'ipv6']),
});
const factArb = fc.record({ unit: unitArb, plane: fc.constantFrom('plane-1', 'plane-2'), family: fc.constantFrom('ipv4' as const, 'ipv6' as const), ok: fc.boolean() });

/**
 * Two code paths must agree on any inventory: the province report (grouped by level and by city) and the unit
 * tree (grouped by subtree), and both must match a plain count done here unit by unit.
 */
describe('coverage and readiness (property: report, tree and a naive count agree)', () => {
  it('holds for random links, addresses and reachability', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(linkArb, { minLength: 6, maxLength: 25 }), fc.array(factArb, { minLength: 8, maxLength: 24 }), fc.array(factArb, { minLength: 4, maxLength: 24 }), async (links, addrs, reach) => {
        const deps = await freshDeps();
        await buildExtranet(deps.store, links as LinkSpec[]);
        const ipam = await buildAddressing(deps.store);
        for (const a of addrs) await ipam.allocate(a.unit, a.plane, a.family);
        for (const r of reach) await recordReachability(deps.store, { unitCode: r.unit, planeId: r.plane, family: r.family, ok: r.ok, source: 'live', at: new Date() });

        // The naive count, unit by unit.
        const lastReach = new Map(reach.map((r) => [`${r.unit}|${r.plane}|${r.family}`, r.ok]));
        const hasAddr = new Set(addrs.map((a) => `${a.unit}|${a.plane}|${a.family}`));
        const upLink = (u: string, p: string, f?: string) => links.some((l) => l.unit === u && l.plane === p && l.state === 'up' && (!f || l.families.includes(f as 'ipv4')));
        const ready = (u: string, p: string, f: string) => upLink(u, p, f) && hasAddr.has(`${u}|${p}|${f}`) && lastReach.get(`${u}|${p}|${f}`) === true;
        const naive = { units: units.length, dualPlane: 0, singleHomed: 0, none: 0, ipv6Ready: 0 };
        for (const u of units) {
          const planes = ['plane-1', 'plane-2'].filter((p) => upLink(u, p)).length;
          if (planes >= 2) naive.dualPlane++;
          else if (planes === 1) naive.singleHomed++;
          else naive.none++;
          if (ready(u, 'plane-1', 'ipv6') && ready(u, 'plane-2', 'ipv6')) naive.ipv6Ready++;
        }

        const report = await coverageReport(deps.store);
        expect(report.total).toEqual(naive);
        const readyCount = (p: string, f: string) => units.filter((u) => ready(u, p, f)).length;
        expect(report.cells.map((c) => c.ready)).toEqual([readyCount('plane-1', 'ipv4'), readyCount('plane-1', 'ipv6'), readyCount('plane-2', 'ipv4'), readyCount('plane-2', 'ipv6')]);
        const [root] = await treeChildren(deps.store, null);
        expect({ units: root!.units, dualPlane: root!.dualPlane, singleHomed: root!.singleHomed, none: root!.none, ipv6Ready: root!.ipv6Ready }).toEqual(naive);
        const cities = await treeChildren(deps.store, { code: '36', level: 'province' });
        for (const c of cities) {
          const r = report.byCity.find((x) => x.code === c.code)!;
          expect([c.units, c.dualPlane, c.singleHomed, c.none, c.ipv6Ready]).toEqual([r.units, r.dualPlane, r.singleHomed, r.none, r.ipv6Ready]);
          expect(c.cells).toEqual(report.cellsByCity.filter((x) => x.code === c.code).map(({ code: _c, ...cell }) => cell));
        }
        await deps.federation.stop();
      }),
      { numRuns: 20 },
    );
  });
});
