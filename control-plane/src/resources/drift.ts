import type { FieldDiff } from '@ganyun/providers';
import type { FederationService } from '../federation/contract.ts';
import { cloudObjectsOf, providerSpecOf } from './provision-actions.ts';
import type { ResourceRow } from './resources-repo.ts';

export interface ResourceDrift {
  resourceId: string;
  name: string;
  kind: ResourceRow['kind'];
  cloudId: string;
  /** `in-sync`: the cloud shows what was delivered; `missing`: an object is gone; `differs`: its spec moved; `unknown`: the cloud did not answer. */
  status: 'in-sync' | 'missing' | 'differs' | 'unknown';
  objects: { kind: string; name: string; exists: boolean | null; diff: FieldDiff[] }[];
  reason?: string;
}

/** How many resources are compared at once: each asks its cloud, and a page should not open a hundred calls. */
const PARALLEL = 8;

/**
 * What each delivered resource looks like on its cloud, compared with what Ganyun delivered (the row's spec,
 * sizes, labels, addresses): asked of the provider object by object, so a host the cloud lost or one resized
 * outside Ganyun shows on that resource. Reads only; a cloud that cannot answer makes its resources `unknown`.
 */
export async function driftOf(federation: FederationService, rows: readonly ResourceRow[], signal?: AbortSignal): Promise<ResourceDrift[]> {
  const out: ResourceDrift[] = [];
  for (let i = 0; i < rows.length; i += PARALLEL) out.push(...(await Promise.all(rows.slice(i, i + PARALLEL).map((r) => one(federation, r, signal)))));
  return out;
}

async function one(federation: FederationService, row: ResourceRow, signal?: AbortSignal): Promise<ResourceDrift> {
  const base = { resourceId: row.id, name: row.name, kind: row.kind, cloudId: row.cloudId };
  try {
    const provider = federation.provider(row.cloudId);
    const objects: ResourceDrift['objects'] = [];
    for (const o of cloudObjectsOf(row)) {
      const seen = await provider.observeResource(providerSpecOf(row, o, row.kind === 'volume' ? row.zone ?? undefined : undefined), { ...(signal ? { signal } : {}) });
      // An object the cloud is deleting is as good as gone: nobody asked Ganyun for that.
      const exists = seen.exists && seen.observed?.state !== 'deleting';
      objects.push({ kind: o.kind, name: o.name, exists, diff: exists ? [...seen.diff] : [] });
    }
    const status = objects.some((o) => !o.exists) ? 'missing' : objects.some((o) => o.diff.length) ? 'differs' : 'in-sync';
    return { ...base, status, objects };
  } catch (e) {
    return { ...base, status: 'unknown', objects: [], reason: e instanceof Error ? e.message : String(e) };
  }
}
