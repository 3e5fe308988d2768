import type { CapacityReport, CloudEntry } from '@ganyun/providers';
import { InputError } from '../errors.ts';
import type { CapacityLine, CloudRecord } from './clouds-repo.ts';

/** Translations between the clouds registry and the provider package: a row as an entry, a report as lines. */

/** What of a registry row a provider is built from (credentials travel separately). */
export type CloudSettings = Pick<CloudRecord, 'id' | 'name' | 'nameEn' | 'providerKind' | 'endpoint' | 'region' | 'kind' | 'siteRoles' | 'certifications' | 'dualActive' | 'config'>;

/** A federation-file entry (or what the registry row keeps of one) as the provider package expects it. */
export function entryOf(record: CloudSettings): CloudEntry {
  if (record.providerKind === 'simulated' && !record.config.sim) throw new InputError('a simulated cloud needs sim settings', 'providerKind');
  return {
    id: record.id, name: record.name, nameEn: record.nameEn, provider: record.providerKind, region: record.region,
    level: record.config.level ?? 'city', kind: record.kind, siteRoles: record.siteRoles as CloudEntry['siteRoles'],
    zones: record.config.zones ?? [{ id: `${record.id}-main`, name: '主中心', nameEn: 'Production centre', role: 'production' }],
    certifications: { mlps: record.certifications }, dualActive: record.dualActive,
    ...(record.config.sim ? { sim: record.config.sim } : {}),
    ...(record.endpoint ? { endpoint: record.endpoint } : {}),
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
