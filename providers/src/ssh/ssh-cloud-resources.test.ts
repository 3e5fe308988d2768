import { caughtProviderError } from '../testing/counting.ts';
import { withResilience } from '../resilience.ts';
import type { Provider, ResourceSpec } from '../spi.ts';
import { DeviceEmulator, emulatorHostKey } from './device-emulator.ts';
import { HostKeyError } from './ssh-errors.ts';
import { InMemoryKnownHosts } from './host-keys.ts';
import { SshCloudProvider } from './ssh-cloud-provider.ts';

/** Issue 16.5: a network device (or SSH host) hosts no resources, says so as data and with a typed refusal. */
describe('SSH-managed clouds host no resources (device emulator on ssh2 Server)', () => {
  const USER = 'ganyun';
  const PASSWORD = 'emulated-secret';
  let emulator: DeviceEmulator;
  let provider: SshCloudProvider;
  let knownHosts: InMemoryKnownHosts;

  beforeEach(async () => {
    emulator = new DeviceEmulator({ vendor: 'huawei-vrp', hostKey: emulatorHostKey(), username: USER, password: PASSWORD });
    const port = await emulator.listen();
    knownHosts = new InMemoryKnownHosts();
    provider = new SshCloudProvider({
      cloudId: 'core-switch', kind: 'network-device', knownHosts,
      target: { id: 'core-switch', host: '127.0.0.1', port, username: USER, credential: { type: 'password', password: PASSWORD }, vendor: 'huawei-vrp' },
      pool: { connectTimeoutMs: 3000, commandTimeoutMs: 3000 },
    });
  });

  afterEach(async () => {
    await provider.close();
    await emulator.close();
  });

  const vm: ResourceSpec = { tenant: 'sys-a', kind: 'vm', name: 'web-1', arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu: 2, memoryGiB: 4, storageGiB: 40 } };

  it('declares no resource kinds on connect, so nothing is planned onto it', async () => {
    // First contact is refused with the fingerprint; the admin accepts it, as for any device.
    const first = await caughtProviderError(provider.connect());
    expect(first).toBeInstanceOf(HostKeyError);
    knownHosts.accept('127.0.0.1', (provider.target.port ?? 22), (first as HostKeyError).presentedFingerprint);
    const info = await provider.connect();
    expect(info.capabilities.resourceKinds).toEqual([]);
    expect(info.capabilities.images).toEqual([]);
  });

  it('refuses every resource and tenant-space call as invalid / unsupported-kind without opening a session, also through the resilient wrapper', async () => {
    const key = { idempotencyKey: 'k-1' };
    // Called as the control plane calls any cloud: through the contract.
    const cloud: Provider = provider;
    const calls: [string, () => Promise<unknown>][] = [
      ['createResource', () => cloud.createResource(vm, key)],
      ['updateResource', () => cloud.updateResource(vm, key)],
      ['deleteResource', () => cloud.deleteResource(vm, key)],
      ['observeResource', () => cloud.observeResource(vm)],
      ['createTenantSpace', () => cloud.createTenantSpace({ name: 'sys-a', quota: { vcpu: 1, memoryGiB: 1, storageGiB: 1, gpu: 0 } }, key)],
    ];
    for (const [op, call] of calls) {
      const e = await caughtProviderError(call());
      expect([e.code, e.reason, e.op, e.retryable]).withContext(op).toEqual(['invalid', 'unsupported-kind', op, false]);
      expect(e.message).withContext(op).toMatch(/holds no tenant spaces or resources/);
    }
    const wrapped = withResilience(provider);
    const viaWrapper = await caughtProviderError(wrapped.createResource(vm, key));
    expect([viaWrapper.code, viaWrapper.reason]).toEqual(['invalid', 'unsupported-kind']);
    // Nothing was applied under a key, and no SSH session was opened to say so.
    expect(await provider.observeByKey()).toEqual(jasmine.objectContaining({ status: 'not-applied' }));
    expect(emulator.commands).toEqual([]);
  });
});
