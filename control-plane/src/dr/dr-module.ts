/**
 * Wires DR into a running control plane: centres from the cloud registry at start, replication links
 * refreshed after every inventory sync of a cloud (kept as history).
 */
import type { AppDeps } from '../context.ts';
import { refreshCentres, refreshLinks } from './centre-service.ts';

export async function startDr(deps: Pick<AppDeps, 'store' | 'federation'>): Promise<void> {
  await deps.store.transaction((tx) => refreshCentres(tx));
  deps.federation.onSynced(async (provider) => {
    await refreshLinks(deps.store, provider);
  });
}
