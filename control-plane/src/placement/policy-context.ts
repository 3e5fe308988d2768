import { catalogue, type CloudFacts, type Policy, type SystemFacts } from '@ganyun/policies';
import type { CloudRecord } from '../federation/clouds-repo.ts';
import { policySettingsRepo } from './policy-settings-repo.ts';
import type { Queryable } from '../store/store.ts';
import type { SystemFields } from '../systems/systems-repo.ts';

/**
 * The bridge between the store and the pure policies: the catalogue at the enforcement levels in force,
 * and the plain facts the rules read, mapped from our rows.
 */
export async function policiesInForce(db: Queryable): Promise<Policy[]> {
  const rows = await policySettingsRepo.all(db);
  return catalogue(Object.fromEntries(rows.map((r) => [r.policyId, r.enforcement])));
}

export function systemFacts(s: SystemFields): SystemFacts {
  return {
    name: s.name, mlpsLevel: s.mlpsLevel, dataClassification: s.dataClassification, xinchuangRequired: s.xinchuangRequired,
    architectures: s.architectures, drLevel: s.drLevel, drEdition: s.drEdition,
  };
}

/**
 * CPU architectures a cloud offers: from its last capacity read (pools report arch); a cloud never read
 * yet falls back to the host pools of its settings (simulated clouds), else offers nothing known.
 */
export function cloudArchitectures(c: CloudRecord): string[] {
  const fromCapacity = (c.capacity ?? []).filter((l) => l.total > 0).map((l) => l.arch);
  const fromConfig = (c.config.sim?.hostPools ?? []).map((p) => p.arch as string);
  return [...new Set(fromCapacity.length ? fromCapacity : fromConfig)].sort();
}

export function cloudFacts(c: CloudRecord): CloudFacts {
  return {
    id: c.id, region: c.region, kind: c.kind, certifications: c.certifications, siteRoles: c.siteRoles,
    dualActive: c.dualActive, enabled: c.enabled, architectures: cloudArchitectures(c),
  };
}

/** Free vCPU across the cloud's pools at its last capacity read (allocatable minus allocated), or null if never read. */
export function freeVcpu(c: CloudRecord): number | null {
  const lines = (c.capacity ?? []).filter((l) => l.resourceClass === 'vcpu');
  if (!lines.length) return null;
  return lines.reduce((sum, l) => sum + l.total * l.overcommit - l.used, 0);
}
