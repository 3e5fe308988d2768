import type { Capabilities } from '@ganyun/providers';
import { InputError } from '../errors.ts';
import type { FederationService } from '../federation/contract.ts';

/** What a request form and the item checks need from a cloud: its images, CPU platforms, zones and resource kinds. */
export type Catalogue = Pick<Capabilities, 'images' | 'platforms' | 'zones' | 'resourceKinds'>;

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; catalogue: Catalogue }>();

/**
 * The cloud's catalogue as its provider declares it on connect (through the resilient wrapper), kept a minute:
 * catalogues change when an operator adds an image, not per request. Callers fetch it before opening a
 * transaction (it is network I/O for a remote cloud).
 */
export async function cloudCatalogue(federation: FederationService, cloudId: string, signal?: AbortSignal): Promise<Catalogue> {
  const hit = cache.get(cloudId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.catalogue;
  let info;
  try {
    info = await federation.provider(cloudId).connect(signal ? { signal } : {});
  } catch (e) {
    throw new InputError(`cannot read the catalogue of cloud ${cloudId}: ${e instanceof Error ? e.message : String(e)}`, 'cloudId', { cause: e });
  }
  const { images, platforms, zones, resourceKinds } = info.capabilities;
  const catalogue = { images, platforms, zones, resourceKinds };
  cache.set(cloudId, { at: Date.now(), catalogue });
  return catalogue;
}

/** Forgets a cloud's catalogue (after its registration changed). */
export function forgetCatalogue(cloudId?: string): void {
  if (cloudId) cache.delete(cloudId);
  else cache.clear();
}
