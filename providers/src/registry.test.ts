import { parseFederationConfig, type CloudEntry } from './federation-config.ts';
import { CloudDefinitionError, type CloudDefinition } from './cloud-definition.ts';
import { clusterProviderFor } from './kubernetes/cluster-factory.ts';
import { createDefaultRegistry, providersFromConfig } from './provider-factories.ts';
import { InMemoryKnownHosts } from './ssh/host-keys.ts';
import { openSshCredential } from './ssh/ssh-cloud-factory.ts';
import { SshCloudProvider } from './ssh/ssh-cloud-provider.ts';
import { ProviderRegistry, ProviderRegistryError } from './registry.ts';
import { RemoteProvider } from './remote/remote-provider.ts';
import { SimulatedProvider } from './simulated/simulated-provider.ts';
import { smallProvider } from './testing/small-clouds.ts';
import { expectCredentialRefused, UNREADABLE_CREDENTIALS } from './testing/unreadable-credentials.ts';

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
  const entry = (over: Partial<CloudDefinition>): CloudDefinition => ({
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
    expect(() => r.create('remote', { definition: entry({ provider: 'remote', endpoint: 'http://127.0.0.1:9', tokenEnv: 'NOPE_TOKEN' }), secret: null })).toThrowError(/NOPE_TOKEN/);
  });

  it('creates every kind, SSH-managed ones with the pinned keys it is given, and names the field a definition lacks', async () => {
    const r = createDefaultRegistry({ env: {}, ssh: { knownHosts: new InMemoryKnownHosts() } });
    expect(r.kinds()).toEqual(['kubernetes', 'network-device', 'remote', 'simulated', 'ssh-host']);
    const ssh = { host: '127.0.0.1', port: 22, username: 'ganyun' };
    const host = r.create('ssh-host', { definition: entry({ id: 'host-1', provider: 'ssh-host', ssh }), secret: '{"type":"password","password":"pw-1"}' });
    expect(host).toBeInstanceOf(SshCloudProvider);
    expect([host.features?.hostKeys?.host, host.features?.probe !== undefined]).toEqual(['127.0.0.1', true]);
    await host.close();
    const fieldOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof CloudDefinitionError ? e.field : `not a CloudDefinitionError: ${String(e)}`;
      }
      return undefined;
    };
    expect(fieldOf(() => r.create('network-device', { definition: entry({ provider: 'network-device', ssh }), secret: '{"type":"password","password":"pw-1"}' }))).toBe('vendor');
    expect(fieldOf(() => r.create('ssh-host', { definition: entry({ provider: 'ssh-host' }), secret: null }))).toBe('host');
    expect(fieldOf(() => r.create('kubernetes', { definition: entry({ provider: 'kubernetes', kubernetes: {} }), secret: '{"type":"token","token":"abcdefgh"}' }))).toBe('server');
    const { sim: _sim, ...noSim } = entry({});
    expect(fieldOf(() => r.create('simulated', { definition: noSim, secret: null }))).toBe('providerKind');
    expect(fieldOf(() => createDefaultRegistry({ env: {} }).create('ssh-host', { definition: entry({ provider: 'ssh-host', ssh }), secret: null }))).toBe('providerKind');
  });
});

describe('sealed device and cluster credentials, opened', () => {
  for (const [why, secret] of UNREADABLE_CREDENTIALS) {
    it(`${why}: a CloudDefinitionError on the credential that never quotes the secret`, () => {
      const cluster = { id: 'c', name: 'c', nameEn: 'c', provider: 'kubernetes', region: '3601', level: 'city', kind: 'general', siteRoles: ['production'], zones: [], certifications: { mlps: [3] }, dualActive: false } as unknown as CloudEntry;
      for (const open of [() => openSshCredential(secret), () => clusterProviderFor(cluster, secret)]) expectCredentialRefused(open, CloudDefinitionError);
    });
  }

  it('a password credential opens as given', () => {
    expect(openSshCredential('{"type":"password","password":"pw-1"}')).toEqual({ type: 'password', password: 'pw-1' });
  });
});
