/**
 * Centres and replication links from the federation: centres from the cloud registry's zones (a zone with
 * a site role is a centre), links from each provider's `replicationLinks`, refreshed with every inventory
 * sync and kept as history (the lag over time is the RPO a failover would have had).
 */
import type { Provider, ReplicationLink } from '@ganyun/providers';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import type { Queryable, Store } from '../store/store.ts';
import { centresRepo, type LinkReading } from './centres-repo.ts';
import { centresOf, type Centre, type CloudZones } from './domain/centres.ts';

/** Rebuilds the centres of every registered cloud from its zones. */
export async function refreshCentres(db: Queryable): Promise<Centre[]> {
  const clouds = await cloudsRepo.list(db);
  const zones: CloudZones[] = clouds.map((c) => ({ id: c.id, name: c.name, nameEn: c.nameEn, region: c.region, zones: c.config.zones ?? [] }));
  const centres = centresOf(zones);
  await centresRepo.replaceForClouds(db, clouds.map((c) => c.id), centres);
  return centres;
}

/**
 * The centres at the ends of a provider's link, which names clouds only: it leaves the source cloud's
 * production centre and arrives at the target cloud's DR centre — its same-city zone when the link stays
 * inside one cloud, else its remote centre (or its same-city one when it has no remote centre).
 */
export function linkEnds(link: Pick<ReplicationLink, 'sourceCloud' | 'targetCloud'>, centres: readonly Centre[]): { from: string | null; to: string | null } {
  const of = (cloud: string) => centres.filter((c) => c.cloudId === cloud);
  const from = of(link.sourceCloud).find((c) => c.role === 'production')?.id ?? null;
  const targets = of(link.targetCloud);
  const to = link.sourceCloud === link.targetCloud
    ? targets.find((c) => c.role === 'same-city-dr')?.id
    : (targets.find((c) => c.role === 'remote-dr') ?? targets.find((c) => c.role === 'same-city-dr') ?? targets.find((c) => c.role === 'production'))?.id;
  return { from, to: to ?? null };
}

/** Reads one cloud's links and records them (latest and history). A failure is the caller's to log: links are best effort. */
export async function refreshLinks(store: Store, provider: Pick<Provider, 'cloudId' | 'replicationLinks'>, signal?: AbortSignal): Promise<LinkReading[]> {
  const links = await provider.replicationLinks(signal ? { signal } : {});
  const centres = await centresRepo.list(store);
  const readings: LinkReading[] = links.map((l) => ({ id: l.id, sourceCloud: l.sourceCloud, targetCloud: l.targetCloud, ...linkEnds(l, centres), mode: l.mode, state: l.state, lagSeconds: l.lagSeconds, measuredAt: l.measuredAt }));
  await store.transaction((tx) => centresRepo.recordLinks(tx, provider.cloudId, readings));
  return readings;
}
