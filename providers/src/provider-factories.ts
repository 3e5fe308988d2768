/**
 * The one registry of provider kinds: `simulated`, `remote`, `kubernetes`, `ssh-host` and `network-device`, each
 * built from a cloud definition and its opened credential (cloud-definition.ts). The control plane builds its
 * registry here and supplies only what the providers cannot know (the store-backed known-hosts, the host-key
 * alarm hook, the logger); `providersFromConfig` builds the clouds of a federation file.
 */
import { CloudDefinitionError, type ProviderInput } from './cloud-definition.ts';
import type { FederationConfig } from './federation-config.ts';
import { clusterProviderFor } from './kubernetes/cluster-factory.ts';
import type { KubernetesLogger } from './kubernetes/kube-connection.ts';
import { ProviderRegistry } from './registry.ts';
import { RemoteProvider } from './remote/remote-provider.ts';
import { simulatedProviderFor, type SimulatedFederationOptions } from './simulated/federation.ts';
import type { Provider } from './spi.ts';
import { SSH_CLOUD_KINDS, sshCloudProviderFor, type SshCloudDeps } from './ssh/ssh-cloud-factory.ts';

export interface DefaultRegistryOptions extends SimulatedFederationOptions {
  /** Where a federation entry's `tokenEnv` is looked up when no credential is given; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Pinned host keys and the alarm hook: without them, SSH-managed clouds cannot be built. */
  readonly ssh?: SshCloudDeps;
  /** Warnings of the cluster provider (a cluster that skips TLS verification). */
  readonly logger?: KubernetesLogger;
}

export function createDefaultRegistry(opts: DefaultRegistryOptions = {}): ProviderRegistry<ProviderInput> {
  const env = opts.env ?? process.env;
  const registry = new ProviderRegistry<ProviderInput>()
    .register('simulated', ({ definition }) => {
      if (definition.sim === undefined) throw new CloudDefinitionError('a simulated cloud needs sim settings', 'providerKind');
      return simulatedProviderFor(definition, opts);
    })
    .register('remote', ({ definition, secret }) => {
      if (definition.endpoint === undefined) throw new CloudDefinitionError(`cloud "${definition.id}" is remote but has no endpoint`, 'endpoint');
      const token = secret || (definition.tokenEnv === undefined ? undefined : env[definition.tokenEnv]) || undefined;
      if (definition.tokenEnv !== undefined && token === undefined) {
        throw new CloudDefinitionError(`cloud "${definition.id}": environment variable ${definition.tokenEnv} (its token) is not set`, 'token');
      }
      return new RemoteProvider({ cloudId: definition.id, endpoint: definition.endpoint, ...(token !== undefined ? { token } : {}) });
    })
    .register('kubernetes', ({ definition, secret }) => clusterProviderFor(definition, secret, opts.logger));
  for (const kind of SSH_CLOUD_KINDS) {
    registry.register(kind, ({ definition, secret }) => {
      if (!opts.ssh) throw new CloudDefinitionError('SSH-managed clouds need the pinned host keys (the registry was built without them)', 'providerKind');
      return sshCloudProviderFor(definition, secret, opts.ssh);
    });
  }
  return registry;
}

/** One provider per cloud of the config, keyed by cloud id, in file order. */
export function providersFromConfig(config: FederationConfig, registry: ProviderRegistry<ProviderInput>): Map<string, Provider> {
  return new Map(config.clouds.map((c) => [c.id, registry.create(c.provider, { definition: c, secret: null })]));
}
