import { DEFAULT_FEDERATION_PATH, loadFederationConfig, type CloudEntry } from '@ganyun/providers';
import type { AppDeps } from '../context.ts';
import { registerFederationClouds } from '../federation/register-clouds.ts';

/** Clouds of the default federation file with small inventories, registered and connected (specs only). */
export async function addSimClouds(deps: AppDeps, ids: string[], initialResources = 60): Promise<CloudEntry[]> {
  const config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
  const clouds = ids.map((id) => {
    const entry = config.clouds.find((c) => c.id === id);
    if (!entry?.sim) throw new Error(`no simulated cloud ${id} in the default federation`);
    return { ...entry, sim: { ...entry.sim, initialResources, replication: [] } };
  });
  await registerFederationClouds(deps, { version: 1, clouds });
  await deps.federation.load();
  return clouds;
}
