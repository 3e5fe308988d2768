import { parseFederationConfig, type CloudEntry } from './federation-config.ts';
import { createDefaultRegistry, providersFromConfig } from './provider-factories.ts';
import { ProviderRegistry, ProviderRegistryError } from './registry.ts';
import { RemoteProvider } from './remote/remote-provider.ts';
import { SimulatedProvider } from './simulated/simulated-provider.ts';
import { smallProvider } from './simulated/test-clouds.ts';

describe('ProviderRegistry', () => {
  it('builds providers by kind', () => {
    const r = new ProviderRegistry<{ id: string }>().register('simulated', (c) => smallProvider({ cloudId: c.id }));
    expect(r.create('simulated', { id: 'x' }).cloudId).toBe('x');
    expect(r.kinds()).toEqual(['simulated']);
  });

  it('fails loudly on an unknown kind, naming it and the known ones', () => {
    const r = new ProviderRegistry<unknown>().register('simulated', () => smallProvider());
    expect(() => r.create('openstack', {})).toThrowMatching(
      (e) => e instanceof ProviderRegistryError && e.kind === 'openstack' && e.message === 'unknown provider kind "openstack" (registered: simulated)',
    );
  });

  it('fails loudly on a duplicate kind, naming it', () => {
    const r = new ProviderRegistry<unknown>().register('simulated', () => smallProvider());
    expect(() => r.register('simulated', () => smallProvider())).toThrowError(ProviderRegistryError, 'provider kind "simulated" is already registered');
  });
});

describe('createDefaultRegistry', () => {
  const entry = (over: Partial<CloudEntry>): CloudEntry => ({
    id: 'xinyu',
    name: '新余市政务云',
    nameEn: 'Xinyu Municipal Government Cloud',
    provider: 'simulated',
    region: '3605',
    level: 'city',
    kind: 'general',
    siteRoles: ['production'],
    zones: [{ id: 'xinyu-main', name: '主中心', nameEn: 'Production centre', role: 'production' }],
    certifications: { mlps: [2, 3] },
    dualActive: false,
    sim: {
      seed: 3605,
      hostPools: [{ zone: 'xinyu-main', arch: 'x86_64', vendor: 'intel', hosts: 2, coresPerHost: 32, memoryGiBPerHost: 128, storageGiBPerHost: 1000 }],
      overcommit: { vcpu: 2, memoryGiB: 1, storageGiB: 1 },
      initialResources: 5,
      systems: 'city',
      namePrefix: '新余市',
    },
    ...over,
  });

  it('builds simulated and remote providers from federation entries', () => {
    const config = parseFederationConfig({
      version: 1,
      clouds: [entry({}), entry({ id: 'xinyu-remote', provider: 'remote', endpoint: 'http://127.0.0.1:9', tokenEnv: 'XINYU_TOKEN' })],
    });
    if (!config.ok) fail(config.errors.join('\n'));
    else {
      const providers = providersFromConfig(config.config, createDefaultRegistry({ env: { XINYU_TOKEN: 't' } }));
      expect(providers.get('xinyu')).toBeInstanceOf(SimulatedProvider);
      expect(providers.get('xinyu-remote')).toBeInstanceOf(RemoteProvider);
    }
  });

  it('refuses a remote cloud whose token variable is unset', () => {
    const r = createDefaultRegistry({ env: {} });
    expect(() => r.create('remote', entry({ provider: 'remote', endpoint: 'http://127.0.0.1:9', tokenEnv: 'NOPE_TOKEN' }))).toThrowError(/NOPE_TOKEN/);
  });
});
