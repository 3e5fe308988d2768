import type { FederationService } from '../federation/contract.ts';
import type { ResourceRow } from './resources-repo.ts';

/** A host or workload that has been (nearly) idle over its cloud's window: a candidate for reclamation (回收). */
export interface IdleCandidate {
  resourceId: string;
  name: string;
  kind: ResourceRow['kind'];
  systemId: string;
  systemName: string;
  departmentId: string;
  cloudId: string;
  cpuPercent: number;
  memoryPercent: number;
  windowHours: number;
  /** What releasing it would give back to the quota. */
  quota: ResourceRow['quota'];
}

/** Per cloud: whether its utilisation was read, and why not. */
export interface UtilisationSource {
  cloudId: string;
  status: 'measured' | 'not-measured' | 'unavailable';
  reason?: string;
}

export interface IdleThresholds {
  maxCpuPercent: number;
  maxMemoryPercent: number;
}

/**
 * Idle resources from the providers' own utilisation (the optional `utilisation` feature, features.ts): each cloud
 * holding active hosts or workloads is asked once, through the resilient wrapper; a cloud that does not measure use
 * is reported as such rather than guessed at, and a cloud that fails to answer does not hide the others' candidates.
 * Quietest first.
 */
export async function idleCandidates(federation: FederationService, rows: readonly ResourceRow[], t: IdleThresholds, signal?: AbortSignal): Promise<{ items: IdleCandidate[]; sources: UtilisationSource[] }> {
  const byCloud = new Map<string, ResourceRow[]>();
  for (const r of rows) {
    if (r.state !== 'active' || (r.kind !== 'host' && r.kind !== 'workload')) continue;
    byCloud.set(r.cloudId, [...(byCloud.get(r.cloudId) ?? []), r]);
  }
  const items: IdleCandidate[] = [];
  const sources: UtilisationSource[] = [];
  for (const [cloudId, mine] of [...byCloud].sort(([a], [b]) => a.localeCompare(b))) {
    const feature = federation.connected(cloudId)?.features?.utilisation;
    if (!feature) {
      sources.push({ cloudId, status: 'not-measured', reason: 'the cloud does not report utilisation' });
      continue;
    }
    let use;
    try {
      use = await feature.utilisation(signal ? { signal } : {});
    } catch (e) {
      sources.push({ cloudId, status: 'unavailable', reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    sources.push({ cloudId, status: 'measured' });
    const seen = new Map(use.map((u) => [`${u.tenant}/${u.kind}/${u.name}`, u]));
    for (const r of mine) {
      const u = seen.get(`${r.tenant}/${r.kind === 'host' ? 'vm' : 'workload'}/${r.cloudName}`);
      if (!u || u.cpuPercent > t.maxCpuPercent || u.memoryPercent > t.maxMemoryPercent) continue;
      items.push({
        resourceId: r.id, name: r.name, kind: r.kind, systemId: r.systemId, systemName: r.systemName, departmentId: r.departmentId, cloudId,
        cpuPercent: u.cpuPercent, memoryPercent: u.memoryPercent, windowHours: u.windowHours, quota: r.quota,
      });
    }
  }
  items.sort((a, b) => a.cpuPercent - b.cpuPercent || a.name.localeCompare(b.name));
  return { items, sources };
}
