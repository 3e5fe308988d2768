import type { CapacityReport, CloudDefinition } from '@ganyun/providers';
import type { CapacityLine, CloudRecord } from './clouds-repo.ts';

/** Translations between the clouds registry and the provider package: a row as an entry, a report as lines. */

/** What of a registry row a provider is built from (credentials travel separately). */
export type CloudSettings = Pick<CloudRecord, 'id' | 'name' | 'nameEn' | 'providerKind' | 'endpoint' | 'region' | 'kind' | 'siteRoles' | 'certifications' | 'dualActive' | 'config'>;

/**
 * A registry row as the provider package's one cloud description: the federation-file entry it came from (or
 * what the row keeps of one), with the SSH or Kubernetes connection settings of the kinds that have them.
 */
export function definitionOf(record: CloudSettings): CloudDefinition {
  return {
    id: record.id, name: record.name, nameEn: record.nameEn, provider: record.providerKind, region: record.region,
    level: record.config.level ?? 'city', kind: record.kind, siteRoles: record.siteRoles as CloudDefinition['siteRoles'],
    zones: record.config.zones ?? [{ id: `${record.id}-main`, name: '主中心', nameEn: 'Production centre', role: 'production' }],
    certifications: { mlps: record.certifications }, dualActive: record.dualActive,
    ...(record.config.sim ? { sim: record.config.sim } : {}),
    ...(record.endpoint ? { endpoint: record.endpoint } : {}),
    ...(record.config.ssh ? { ssh: record.config.ssh } : {}),
    ...(record.config.kubernetes ? { kubernetes: record.config.kubernetes } : {}),
  };
}


export function capacityLines(report: CapacityReport): CapacityLine[] {
  const lines = new Map<string, CapacityLine>();
  for (const pool of report.pools) {
    for (const [resourceClass, c] of Object.entries(pool.classes)) {
      const key = `${pool.arch}/${pool.vendor}/${resourceClass}`;
      const line = lines.get(key) ?? { arch: pool.arch, vendor: pool.vendor, resourceClass, total: 0, used: 0, overcommit: c.overcommitRatio };
      line.total += c.allocatable;
      line.used += c.allocated;
      lines.set(key, line);
    }
  }
  return [...lines.values()];
}
