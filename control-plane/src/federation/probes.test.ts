import type { DeviceEmulator } from '@ganyun/providers/ssh/device-emulator.ts';
import type { AppDeps } from '../context.ts';
import { InputError } from '../errors.ts';
import { errorOf, freshDeps } from '../testing/harness.ts';
import { deviceBasics, pinAndRegister, registerEmulatedDevice, testSshdForSuite } from '../testing/device-fixtures.ts';
import { runProbe } from './probes.ts';
import { probesRepo } from './probes-repo.ts';
import { walkPages } from '../testing/paging.ts';

describe('runProbe through a network device (device EMULATOR)', () => {
  let deps: AppDeps;
  let emulator: DeviceEmulator;
  beforeEach(async () => {
    deps = await freshDeps();
    emulator = await registerEmulatedDevice(deps, 'sw-vrp');
  });
  afterEach(async () => {
    await deps.federation.stop();
    await emulator.close();
  });

  it('pings in a VPN instance, parses the VRP summary and stores the result with its time', async () => {
    const before = Date.now();
    const r = await runProbe({ ...deps, requestedBy: 'extranet-access-check' }, { cloudId: 'sw-vrp', target: '10.1.1.1', vpnInstance: 'GOV-EXTRANET', count: 5 });
    expect(emulator.commands).toEqual(['ping -c 5 -vpn-instance GOV-EXTRANET 10.1.1.1']);
    // The emulator answers with the documented VRP sample: 5 sent, 4 back.
    expect([r.outcome, r.family, r.vpnInstance, r.transmitted, r.received, r.lossPercent, r.errorCode]).toEqual(['reachable', 4, 'GOV-EXTRANET', 5, 4, 20, null]);
    expect(r.rttMs?.avg).toBeGreaterThan(0);
    expect(Date.parse(r.finishedAt)).toBeGreaterThanOrEqual(before);
    const [stored] = (await probesRepo.history(deps.store, { cloudId: 'sw-vrp' }, { limit: 50 })).items;
    expect(stored).toEqual(r);
  });

  it('keeps the history newest first and pages it by cursor (probes finished the same millisecond included), per device or target', async () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 8, 0, 0, ms)).toISOString();
    const record = (i: number, target: string) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, cloudId: 'sw-vrp', target, family: 4 as const, vpnInstance: null, count: 1,
      outcome: 'reachable' as const, transmitted: 1, received: 1, lossPercent: 0, rttMs: null, errorCode: null, error: null, requestedBy: 'spec',
      startedAt: at(0), finishedAt: at(Math.floor(i / 2)),
    });
    for (let i = 1; i <= 9; i++) await probesRepo.insert(deps.store, record(i, i <= 7 ? '10.1.1.1' : '10.9.9.9'));
    const walk = (filter: { cloudId?: string; target?: string }) =>
      walkPages((cursor) => probesRepo.history(deps.store, filter, { limit: 3, ...(cursor ? { cursor } : {}) }), (p) => Number(p.id.slice(-12)));
    expect(await walk({ target: '10.1.1.1' })).toEqual({ seen: [7, 6, 5, 4, 3, 2, 1], pages: 3 });
    expect(await walk({ cloudId: 'sw-vrp' })).toEqual({ seen: [9, 8, 7, 6, 5, 4, 3, 2, 1], pages: 3 });
  });

  it('pings an IPv6 target with `ping ipv6`', async () => {
    const r = await runProbe(deps, { cloudId: 'sw-vrp', target: '2408:8000::1', count: 2 });
    expect(emulator.commands).toEqual(['ping ipv6 -c 2 2408:8000::1']);
    expect([r.family, r.outcome]).toEqual([6, 'reachable']);
  });

  it('a device that hangs is stored as an error probe (timeout), not a half result', async () => {
    emulator.mode = 'hang';
    const r = await runProbe(deps, { cloudId: 'sw-vrp', target: '10.1.1.1', count: 1 });
    expect([r.outcome, r.errorCode?.split('/')[0], r.transmitted, r.rttMs]).toEqual(['error', 'timeout', null, null]);
    expect((await probesRepo.history(deps.store, {}, { limit: 50 })).items.map((p) => p.outcome)).toEqual(['error']);
  }, 30_000);

  it('truncated output is stored as garbage, with no counts', async () => {
    emulator.mode = 'truncate';
    const r = await runProbe(deps, { cloudId: 'sw-vrp', target: '10.1.1.1', count: 1 });
    expect([r.outcome, r.errorCode, r.received]).toEqual(['error', 'garbage/truncated-output', null]);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['a host name (no resolver on the far side is trusted)', { cloudId: 'sw-vrp', target: 'gov.example' }, 'target'],
    ['a count of 11', { cloudId: 'sw-vrp', target: '10.1.1.1', count: 11 }, 'count'],
    ['a VPN name with a space (command injection)', { cloudId: 'sw-vrp', target: '10.1.1.1', vpnInstance: 'a b' }, 'vpnInstance'],
  ];
  for (const [why, req, field] of bad) {
    it(`refuses ${why} before connecting, storing nothing`, async () => {
      const e = await runProbe(deps, req as never).then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe(field);
      expect(emulator.commands).toEqual([]);
      expect((await probesRepo.history(deps.store, {}, { limit: 50 })).items).toEqual([]);
    });
  }

  it('refuses an unknown cloud as not found', async () => {
    const e = await errorOf(() => runProbe(deps, { cloudId: 'nowhere', target: '10.1.1.1' }));
    expect(e.message).toContain('no cloud nowhere');
  });
});

describe('runProbe through a Linux host (real OpenSSH server on loopback)', () => {
  let deps: AppDeps;
  const suite = testSshdForSuite();
  beforeEach(async () => {
    deps = await freshDeps();
    await pinAndRegister(deps, suite.sshd.fingerprint, {
      ...deviceBasics('host-lo'), providerKind: 'ssh-host',
      ssh: { host: '127.0.0.1', port: suite.sshd.port, username: 'root' },
      credential: { type: 'key', privateKey: suite.sshd.privateKey },
    });
  }, 30_000);
  afterEach(() => deps.federation.stop());

  for (const target of ['127.0.0.1', '::1']) {
    it(`runs real ping${target.includes(':') ? ' -6' : ''} to ${target} and stores it`, async () => {
      const r = await runProbe(deps, { cloudId: 'host-lo', target, count: 2 });
      expect([r.outcome, r.transmitted, r.received, r.lossPercent, r.family]).toEqual(['reachable', 2, 2, 0, target.includes(':') ? 6 : 4]);
      expect((await probesRepo.history(deps.store, { target }, { limit: 50 })).items.map((p) => p.id)).toEqual([r.id]);
    }, 20_000);
  }

  it('an unreachable target is a stored result with 100% loss, not an error', async () => {
    // 240.0.0.0/4 is reserved: nothing answers (sent to the gateway, or refused locally).
    const r = await runProbe(deps, { cloudId: 'host-lo', target: '240.0.0.1', count: 1 });
    expect([r.outcome, r.received, r.lossPercent, r.errorCode]).toEqual(['unreachable', 0, 100, null]);
  }, 20_000);

  it('refuses a VPN instance on a Linux host', async () => {
    const e = await errorOf(() => runProbe(deps, { cloudId: 'host-lo', target: '127.0.0.1', vpnInstance: 'GOV' }));
    expect(e.message).toContain('only on network devices');
  });
});
