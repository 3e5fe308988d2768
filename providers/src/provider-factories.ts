/**
 * The registry with the provider kinds this package ships, and the step from a federation
 * file to live providers. The control plane calls `providersFromConfig` at start-up.
 */
import type { CloudEntry, FederationConfig } from './federation-config.ts';
import { ProviderRegistry } from './registry.ts';
import { RemoteProvider } from './remote/remote-provider.ts';
import { simulatedProviderFor, type SimulatedFederationOptions } from './simulated/federation.ts';
import type { Provider } from './spi.ts';

export interface DefaultRegistryOptions extends SimulatedFederationOptions {
  /** Where `tokenEnv` names are looked up; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function createDefaultRegistry(opts: DefaultRegistryOptions = {}): ProviderRegistry<CloudEntry> {
  const env = opts.env ?? process.env;
  return new ProviderRegistry<CloudEntry>()
    .register('simulated', (entry) => simulatedProviderFor(entry, opts))
    .register('remote', (entry) => {
      if (entry.endpoint === undefined) throw new Error(`cloud "${entry.id}" is remote but has no endpoint`);
      const token = entry.tokenEnv === undefined ? undefined : env[entry.tokenEnv];
      if (entry.tokenEnv !== undefined && token === undefined) {
        throw new Error(`cloud "${entry.id}": environment variable ${entry.tokenEnv} (its token) is not set`);
      }
      return new RemoteProvider({ cloudId: entry.id, endpoint: entry.endpoint, ...(token !== undefined ? { token } : {}) });
    });
}

/** One provider per cloud of the config, keyed by cloud id, in file order. */
export function providersFromConfig(config: FederationConfig, registry: ProviderRegistry<CloudEntry>): Map<string, Provider> {
  return new Map(config.clouds.map((c) => [c.id, registry.create(c.provider, c)]));
}
