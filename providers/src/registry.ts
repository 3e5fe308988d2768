/**
 * Keyed factory of provider kinds (`simulated`, `remote`, later `kubernetes`, …).
 * A cloud's configuration names its kind; the registry builds the provider. Unknown and
 * duplicate kinds fail loudly, naming the key, because a typo here would otherwise
 * surface as a silently missing cloud.
 */
import type { Provider } from './spi.ts';

export type ProviderFactory<C> = (config: C) => Provider;

export class ProviderRegistryError extends Error {
  override readonly name = 'ProviderRegistryError';

  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
  }
}

export class ProviderRegistry<C> {
  private readonly factories = new Map<string, ProviderFactory<C>>();

  register(kind: string, factory: ProviderFactory<C>): this {
    if (kind.trim() === '') throw new ProviderRegistryError('provider kind must not be empty', kind);
    if (this.factories.has(kind)) {
      throw new ProviderRegistryError(`provider kind "${kind}" is already registered`, kind);
    }
    this.factories.set(kind, factory);
    return this;
  }

  has(kind: string): boolean {
    return this.factories.has(kind);
  }

  kinds(): string[] {
    return [...this.factories.keys()].sort();
  }

  create(kind: string, config: C): Provider {
    const factory = this.factories.get(kind);
    if (factory === undefined) {
      const known = this.kinds();
      throw new ProviderRegistryError(
        `unknown provider kind "${kind}" (registered: ${known.length > 0 ? known.join(', ') : 'none'})`,
        kind,
      );
    }
    return factory(config);
  }
}
