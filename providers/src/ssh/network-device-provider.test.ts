import { createServer, type Server as NetServer, type AddressInfo } from 'node:net';
import { caughtProviderError } from '../testing/counting.ts';
import { DeviceEmulator, emulatorHostKey } from './device-emulator.ts';
import { InMemoryKnownHosts, type HostKeyChangedAlarm } from './host-keys.ts';
import { NetworkDeviceProvider } from './network-device-provider.ts';
import { HostKeyError } from './ssh-errors.ts';
import { SshSessionPool, type SshSessionPoolOptions } from './ssh-session-pool.ts';
import type { DeviceTarget, DeviceVendor } from './types.ts';

const USER = 'ganyun';
const PASSWORD = 'emulated-secret';

describe('network devices over SSH (device emulator on ssh2 Server)', () => {
  let emulator: DeviceEmulator;
  let port: number;
  let knownHosts: InMemoryKnownHosts;
  let pools: SshSessionPool[];
  let alarms: HostKeyChangedAlarm[];

  async function startEmulator(vendor: DeviceVendor, hostKey = emulatorHostKey(), responseDelayMs = 0): Promise<void> {
    emulator = new DeviceEmulator({ vendor, hostKey, username: USER, password: PASSWORD, responseDelayMs });
    port = await emulator.listen();
  }

  function device(vendor: DeviceVendor, opts: Partial<SshSessionPoolOptions> = {}, password = PASSWORD): NetworkDeviceProvider {
    const pool = new SshSessionPool({ provider: 'jx-province', knownHosts, onHostKeyChanged: (a) => alarms.push(a), connectTimeoutMs: 3000, commandTimeoutMs: 3000, ...opts });
    pools.push(pool);
    const target: DeviceTarget = { id: `sw-${vendor}`, host: '127.0.0.1', port, username: USER, credential: { type: 'password', password }, vendor };
    return new NetworkDeviceProvider(pool, target);
  }

  /** First contact: refused with the fingerprint, which the admin then accepts. */
  async function acceptHostKey(d: NetworkDeviceProvider): Promise<string> {
    const e = await caughtProviderError(d.interfaces());
    if (!(e instanceof HostKeyError)) throw new Error(`expected a host-key refusal, got ${e.message}`);
    knownHosts.accept('127.0.0.1', port, e.presentedFingerprint);
    return e.presentedFingerprint;
  }

  /** An emulated device whose host key the admin has already accepted: the start of the specs about commands. */
  async function trustedDevice(vendor: DeviceVendor, opts: Partial<SshSessionPoolOptions> = {}, responseDelayMs = 0): Promise<NetworkDeviceProvider> {
    await startEmulator(vendor, emulatorHostKey(), responseDelayMs);
    const d = device(vendor, opts);
    await acceptHostKey(d);
    return d;
  }

  beforeEach(() => {
    knownHosts = new InMemoryKnownHosts();
    pools = [];
    alarms = [];
  });

  afterEach(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await emulator?.close();
  });

  it('refuses an unknown host key with its SHA256 fingerprint, then works once an admin accepts it', async () => {
    await startEmulator('huawei-vrp');
    const d = device('huawei-vrp');
    const e = await caughtProviderError(d.interfaces());
    expect(e).toBeInstanceOf(HostKeyError);
    expect(e.code).toBe('auth');
    expect(e.reason).toBe('host-key-unknown');
    expect((e as HostKeyError).presentedFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(emulator.commands).toEqual([]); // nothing ran before the key was accepted

    knownHosts.accept('127.0.0.1', port, (e as HostKeyError).presentedFingerprint);
    const rows = await d.interfaces();
    expect(rows.find((r) => r.name === 'LoopBack0')?.spoofing).toBe(true);
  });

  it('refuses a changed host key and raises the alarm', async () => {
    await startEmulator('huawei-vrp');
    const pinned = await acceptHostKey(device('huawei-vrp'));
    await emulator.close();
    await startEmulator('huawei-vrp'); // a new key on the same address
    knownHosts.accept('127.0.0.1', port, pinned);
    const e = await caughtProviderError(device('huawei-vrp').vpnInstances());
    expect(e.code).toBe('auth');
    expect(e.reason).toBe('host-key-changed');
    expect(alarms.length).toBe(1);
    expect(alarms[0]).toEqual(jasmine.objectContaining({ expectedFingerprint: pinned, host: '127.0.0.1', port }));
    expect(alarms[0]?.presentedFingerprint).not.toBe(pinned);
    expect(emulator.commands).toEqual([]);
  });

  it('a wrong password is auth / auth-failed, not retryable, and the password is not in the message', async () => {
    await startEmulator('h3c-comware');
    await acceptHostKey(device('h3c-comware'));
    const e = await caughtProviderError(device('h3c-comware', {}, 'not-the-password').interfaces());
    expect([e.code, e.reason, e.retryable]).toEqual(['auth', 'auth-failed', false]);
    expect(e.message).not.toContain('not-the-password');
  });

  it('reject-auth mode: the device refuses every password', async () => {
    await startEmulator('h3c-comware');
    await acceptHostKey(device('h3c-comware'));
    emulator.mode = 'reject-auth';
    expect((await caughtProviderError(device('h3c-comware').interfaces())).code).toBe('auth');
  });

  it('a device that hangs on a command ends in timeout (retryable)', async () => {
    const d = await trustedDevice('huawei-vrp', { commandTimeoutMs: 300 });
    emulator.mode = 'hang';
    const e = await caughtProviderError(d.vpnInstances());
    expect([e.code, e.reason, e.retryable]).toEqual(['timeout', 'command-timeout', true]);
  });

  it('an abort signal ends a hung command as timeout / aborted', async () => {
    const d = await trustedDevice('huawei-vrp');
    emulator.mode = 'hang';
    const e = await caughtProviderError(d.interfaces({ signal: AbortSignal.timeout(200) }));
    expect([e.code, e.reason]).toEqual(['timeout', 'aborted']);
  });

  it('a server that never speaks SSH ends in timeout at connect', async () => {
    emulator = undefined as unknown as DeviceEmulator;
    const silent: NetServer = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    port = (silent.address() as AddressInfo).port;
    try {
      const e = await caughtProviderError(device('huawei-vrp', { connectTimeoutMs: 300 }).interfaces());
      expect([e.code, e.reason, e.retryable]).toEqual(['timeout', 'connect-timeout', true]);
    } finally {
      silent.close();
    }
  });

  it('a refused connection is unavailable (retryable)', async () => {
    emulator = undefined as unknown as DeviceEmulator;
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const e = await caughtProviderError(device('huawei-vrp').interfaces());
    expect([e.code, e.reason, e.retryable]).toEqual(['unavailable', 'connection-refused', true]);
  });

  it('truncated output (channel cut without exit status) is garbage, and nothing is returned', async () => {
    const d = await trustedDevice('h3c-comware');
    emulator.mode = 'truncate';
    const e = await caughtProviderError(d.interfaces());
    expect([e.code, e.reason]).toEqual(['garbage', 'truncated-output']);
    emulator.mode = 'normal';
    expect((await d.interfaces()).length).toBe(9); // the pooled session still works
  });

  it('respects the per-device concurrency limit, over one pooled connection', async () => {
    const d = await trustedDevice('huawei-vrp', { maxConcurrentPerTarget: 2 }, 60);
    emulator.resetCounters();
    const results = await Promise.all(Array.from({ length: 6 }, () => d.vpnInstances()));
    expect(results.every((r) => r.length === 3)).toBe(true);
    expect(emulator.commands.length).toBe(6);
    expect(emulator.maxConcurrentExec).toBe(2);
    expect(pools[0]?.openConnections).toBe(1);
  });

  for (const vendor of ['huawei-vrp', 'h3c-comware'] as const) {
    it(`${vendor}: interfaces, IPv6 interfaces, VPN instances and probes, with the exact commands sent`, async () => {
      const d = await trustedDevice(vendor);
      expect((await d.ipv6Interfaces()).some((i) => i.addresses.length > 0)).toBe(true);
      expect((await d.vpnInstances()).map((v) => v.name)).toContain('zwww');
      const v4 = await d.probe({ target: '10.36.1.2', count: 5, vpnInstance: 'zwww' });
      expect(v4).toEqual(jasmine.objectContaining({ family: 4, vpnInstance: 'zwww', reachable: true }));
      const v6 = await d.probe({ target: '2001:db8:a::1', count: 3 });
      expect(v6.family).toBe(6);
      expect(emulator.commands).toEqual(['display ipv6 interface brief', 'display ip vpn-instance', 'ping -c 5 -vpn-instance zwww 10.36.1.2', 'ping ipv6 -c 3 2001:db8:a::1']);
    });
  }

  it('refuses probe arguments that are not an IP literal or a valid VPN name, before connecting', async () => {
    await startEmulator('huawei-vrp');
    const d = device('huawei-vrp');
    for (const req of [{ target: '10.0.0.1; reboot' }, { target: 'example.gov.cn' }, { target: '10.0.0.1', vpnInstance: 'a b' }, { target: '10.0.0.1', count: 1000 }]) {
      const e = await caughtProviderError(d.probe(req));
      expect([e.code, e.reason]).withContext(JSON.stringify(req)).toEqual(['invalid', 'invalid-argument']);
    }
    expect(emulator.commands).toEqual([]);
  });
});
