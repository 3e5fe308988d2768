import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '@ganyun/providers';
import type { AppDeps } from '../context.ts';
import { registerFederationClouds } from '../federation/register-clouds.ts';
import { callerAs, freshDeps, seedUser } from '../testing/harness.ts';
import { seedExtranetDemo } from './demo.ts';
import { extranetAddressHook } from './system-addresses.ts';
import { extranetDigest } from '../testing/extranet-fixtures.ts';

describe('the demo extranet of a first start', () => {
  let deps: AppDeps;
  beforeEach(async () => {
    deps = await freshDeps();
    await registerFederationClouds(deps, await loadFederationConfig(DEFAULT_FEDERATION_PATH));
  });
  afterEach(() => deps.federation.stop());

  it('builds a realistic inventory once: gaps, shared risk, addressing, systems and a department network to check against', async () => {
    const seeded = await seedExtranetDemo(deps.store, { villagesPerTownship: 1 });
    expect(seeded!['units']).toBe(1 + 11 + 100 + 1767 + 1767 + 1767 + 11 * 3 + 100 * 2);
    expect(await seedExtranetDemo(deps.store, { villagesPerTownship: 1 })).toBeNull();

    const eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    const report = await eng.extranet.report();
    const t = report.total;
    expect(t.dualPlane + t.singleHomed + t.none).toBe(t.units);
    for (const n of [t.dualPlane, t.singleHomed, t.none, t.ipv6Ready]) expect(n).toBeGreaterThan(0);
    expect(report.byCity.length).toBe(12); // 11 cities and the province level
    // Shangrao's plane 2 rides on its plane-1 PE: every dual-plane unit there shares the PE.
    const pe = await eng.extranet.sharedRisk({ kind: 'pe', cityCode: '3611', limit: 5 });
    expect(pe.items[0]!.risks).toContain({ kind: 'pe', value: 'PE-3611-SHARED' });
    expect((await eng.extranet.sharedRisk({ kind: 'carrier', limit: 5 })).items.length).toBeGreaterThan(0);
    expect((await eng.extranet.readinessHistory({ scope: '36', days: 40 })).items.map((h) => h.source)).toEqual([...Array(30).fill('demo'), 'daily']);

    const systems = (await eng.extranet.checkableSystems()).items;
    expect(systems.map((s) => s.name).sort()).toEqual(['就业创业服务平台', '社会保障卡服务系统', '警务综合平台']);
    const shebao = systems.find((s) => s.name === '社会保障卡服务系统')!;
    // A police site addressed in the department VRF cannot reach the social-security system in the extranet VRF …
    const blocked = await eng.extranet.accessCheck({ unitCode: 'S-3601-01', systemId: shebao.id, planeId: 'plane-1', family: 'ipv4' });
    expect(blocked.reasons).toContain('vrf-not-imported');
    // … while the province's own unit can.
    const ok = await eng.extranet.accessCheck({ unitCode: '36', systemId: shebao.id, planeId: 'plane-1', family: 'ipv4' });
    expect([ok.ok, ok.path.map((h) => h.kind)]).toEqual([true, ['unit', 'link', 'pe', 'address', 'vrf', 'cloud-pe', 'cloud', 'system']]);

    // Onboarding's extranet step finds IPAM prefixes behind every demo attachment: an address per plane and family.
    const assigned = await extranetAddressHook(deps.store).assign({ systemId: shebao.id, departmentId: '00000000-0000-4000-8000-000000000000', cloudId: shebao.cloudId!, idempotencyKey: 'demo-step' });
    expect(assigned.addresses.map((a) => a.plane)).toEqual(['plane-1', 'plane-1', 'plane-2', 'plane-2']);

    const dept = await eng.extranet.departmentNetworks();
    expect(dept.states.find((s) => s.state === 'in-progress')!.count).toBe(1);
    const ga = dept.networks[0]!;
    expect([ga.name, ga.prefixes, ga.nat.map((m) => `${m.inside}->${m.outside}`)]).toEqual(['DEPT-GA', ['10.0.0.0/16'], ['10.0.0.0/16->10.250.0.0/16']]);
    expect(ga.overlaps.map((o) => o.otherVrf)).toContain('extranet-plane-1');
  });

  it('exports every link and unit and imports them back unchanged (a spreadsheet round trip at scale)', async () => {
    await seedExtranetDemo(deps.store, { villagesPerTownship: 1 });
    const eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    const before = await extranetDigest(deps.store);
    const links = (await eng.extranet.exportLinks()).csv;
    const units = (await eng.extranet.exportUnits()).csv;
    const started = performance.now();
    const l = await eng.extranet.importLinks({ csv: links });
    const u = await eng.extranet.importUnits({ csv: units });
    expect([l.rows, l.written, u.rows, u.written]).toEqual([before['links'], before['links'], before['units'], before['units']] as number[]);
    expect(await extranetDigest(deps.store)).toEqual(before);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
