import type { DeviceEmulator } from '@ganyun/providers/ssh/device-emulator.ts';
import type { AppDeps } from '../context.ts';
import { registerEmulatedDevice } from '../testing/device-fixtures.ts';
import { probesRepo } from '../federation/probes-repo.ts';
import { auditTrail, callerAs, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { buildAddressing, buildExtranet, insertCloud } from '../testing/extranet-fixtures.ts';
import { seedSystems } from '../testing/system-fixtures.ts';

const V1 = '360102001201';

describe('access check with a live probe from the PE (device EMULATOR over SSH)', () => {
  let deps: AppDeps;
  let emulator: DeviceEmulator;
  let eng: Awaited<ReturnType<typeof callerAs>>;
  let systemId: string;
  beforeEach(async () => {
    deps = await freshDeps();
    emulator = await registerEmulatedDevice(deps, 'pe-vrp');
    eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    const ids = await buildExtranet(deps.store, []);
    // The unit's plane-1 PE is the SSH-managed device.
    const pe = await eng.extranet.createDevice({ name: 'PE-LIVE', role: 'pe', planeId: 'plane-1', vendor: 'Huawei', model: 'NE40E-X8A', mgmtAddress: '127.0.0.1', cloudId: 'pe-vrp' });
    await eng.extranet.createLink({ circuitId: 'P1-LIVE', unitCode: V1, planeId: 'plane-1', peDeviceId: pe.id, aggDeviceId: ids.get('AGG-1')!, bandwidthMbps: 100, carrier: '中国电信', families: ['ipv4', 'ipv6'] });
    const ipam = await buildAddressing(deps.store);
    await ipam.allocate(V1, 'plane-1', 'ipv6');
    await insertCloud(deps.store, 'gov-cloud');
    await eng.extranet.saveAttachment({
      cloudId: 'gov-cloud', planeId: 'plane-1', peDeviceId: ids.get('PE-1')!, vrfId: ipam.vrfs.get('plane-1')!.vrf,
      prefixV4: '172.16.0.0/24', prefixV6: '240e:6c0:1::/48', probeV4: '172.16.0.1', probeV6: '240e:6c0:1::1',
    });
    const dept = await seedDepartment(deps, '江西省人社厅');
    [systemId] = (await seedSystems(deps.store, dept.id, ['社保卡系统'], { cloudId: 'gov-cloud' })) as [string];
  });
  afterEach(async () => {
    await deps.federation.stop();
    await emulator.close();
  });

  it('pings the cloud\'s IPv6 probe address in the unit\'s VPN instance, and stores both answers with their time', async () => {
    const before = Date.now();
    const r = await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv6', live: true });
    expect([r.ok, r.reason]).toEqual([true, null]);
    expect(emulator.commands).toEqual(['ping ipv6 -c 3 -vpn-instance EXT-plane-1 240e:6c0:1::1']);
    if (r.live?.status !== 'ran') throw new Error(`expected a live probe, got ${JSON.stringify(r.live)}`);
    expect([r.live.probe.outcome, r.live.probe.cloudId, r.live.probe.requestedBy]).toEqual(['reachable', 'pe-vrp', 'neteng']);
    const history = await eng.extranet.checkHistory({ unitCode: V1, systemId, limit: 10 });
    expect(history.items.map((c) => [c.source, c.ok, c.target]).sort()).toEqual([['inventory', true, '240e:6c0:1::1'], ['live', true, '240e:6c0:1::1']]);
    expect(history.items.every((c) => Date.parse(c.at) >= before - 1000)).toBeTrue();
    const unit = await eng.extranet.unit({ code: V1 });
    expect(unit.matrix.find((m) => m.planeId === 'plane-1' && m.family === 'ipv6')).toEqual(jasmine.objectContaining({ link: true, addr: true, reach: true, reachSource: 'live' }));
    // The probe is in the devices' probe history too, and the check has its audit record.
    expect((await probesRepo.history(deps.store, { cloudId: 'pe-vrp' }, { limit: 50 })).items.map((p) => p.id)).toEqual([r.live.probe.id]);
    const trail = await auditTrail(deps);
    expect(trail.at(-1)).toEqual(jasmine.objectContaining({ procedure: 'extranet.accessCheck', outcome: 'ok', target: `unit:${V1}` }));
    expect(trail.at(-1)!.after).toEqual(jasmine.objectContaining({ ok: true, live: 'reachable' }));
  });

  it('a device that cannot answer is stored as a live error, and does not mark the unit unreachable', async () => {
    emulator.mode = 'truncate';
    const r = await eng.extranet.accessCheck({ unitCode: V1, systemId, planeId: 'plane-1', family: 'ipv6', live: true });
    if (r.live?.status !== 'ran') throw new Error('expected a live probe');
    expect([r.live.probe.outcome, r.live.probe.errorCode]).toEqual(['error', 'garbage/truncated-output']);
    const history = await eng.extranet.checkHistory({ unitCode: V1, limit: 10 });
    expect(history.items.find((c) => c.source === 'live')).toEqual(jasmine.objectContaining({ ok: false, reason: 'probe-error: garbage/truncated-output' }));
    const [reach] = await deps.store.query<{ ok: boolean; source: string }>(`SELECT ok, source FROM extranet_reachability WHERE unit_code = $1 AND family = 'ipv6'`, [V1]);
    expect(reach).toEqual({ ok: true, source: 'inventory' });
  });
});
