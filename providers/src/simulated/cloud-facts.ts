/**
 * Read-only facts about a simulated cloud: capabilities, capacity, replication links
 * with their lag, network facts and health.
 */
import { DR_OPERATIONS } from '../dr.ts';
import { MIGRATION_OPERATIONS } from '../migration.ts';
import { RESOURCE_KINDS, type Capabilities, type CapacityReport, type CpuPlatform, type HealthReport, type HealthStatus, type NetworkFacts, type ReplicationLink } from '../spi.ts';
import type { CloudState, ReplicationLinkSpec } from './cloud-state.ts';
import { MAX_PAGE_SIZE } from './inventory-listing.ts';
import { hashSeed, Prng } from './prng.ts';

export function capabilities(state: CloudState, links: readonly ReplicationLinkSpec[], tenantSpaceKind: 'project' | 'namespace'): Capabilities {
  const platforms = new Map<string, CpuPlatform>();
  for (const p of state.pools.pools) platforms.set(`${p.spec.arch}/${p.spec.vendor}`, { arch: p.spec.arch, vendor: p.spec.vendor });
  return {
    resourceKinds: [...RESOURCE_KINDS],
    tenantSpaceKind,
    platforms: [...platforms.values()],
    zones: [...state.zones],
    images: [...state.imagesById.values()].map((i) => ({ id: i.id, name: i.name, arches: [...i.arches], legacy: i.legacy === true })),
    replication: { supported: links.length > 0, modes: [...new Set(links.map((l) => l.mode))] },
    networkFacts: true,
    incrementalInventory: true,
    maxPageSize: MAX_PAGE_SIZE,
    dr: { operations: [...DR_OPERATIONS] },
    migration: { operations: [...MIGRATION_OPERATIONS] },
  };
}

export function capacityReport(state: CloudState): CapacityReport {
  return { cloudId: state.cloudId, pools: state.pools.report() };
}

export function linkId(state: CloudState, l: ReplicationLinkSpec): string {
  return l.id ?? `${state.cloudId}--${l.target}`;
}

/**
 * Lag wanders around the link's base lag, re-drawn every 15 s of sim time from the seed,
 * with an occasional spike (backlog after a burst of writes) that shows as `lagging`.
 */
export function replicationLinks(state: CloudState, links: readonly ReplicationLinkSpec[]): ReplicationLink[] {
  const now = state.clock.now();
  const bucket = Math.floor(now / 15_000);
  return links.map((l) => {
    const id = linkId(state, l);
    const rng = new Prng(hashSeed(state.seed, `${id}@${bucket}`));
    const spike = rng.chance(0.05) ? 4 : 1;
    const base = l.mode === 'sync' ? Math.min(l.baseLagSeconds, 1) : l.baseLagSeconds;
    const drawn = Math.round(base * (0.5 + rng.next()) * spike * 10) / 10;
    const o = state.linkOverrides.get(id) ?? {};
    const lagSeconds = o.lagSeconds ?? drawn;
    const derived = lagSeconds > 3 * Math.max(base, 1) ? 'lagging' : 'healthy';
    return {
      id,
      sourceCloud: state.cloudId,
      targetCloud: l.target,
      mode: l.mode,
      state: o.state ?? derived,
      lagSeconds,
      measuredAt: new Date(now).toISOString(),
    };
  });
}

export function networkFacts(state: CloudState, configured: Partial<NetworkFacts> | undefined): NetworkFacts {
  // Default pools derive from the seed so that each cloud gets its own, stable prefixes.
  const n = hashSeed(state.seed, 'net') % 250;
  let segments = 0;
  for (const r of state.resources.values()) if (r.resource.spec.kind === 'network-segment') segments++;
  return {
    extranetPlanes: configured?.extranetPlanes ?? [1, 2],
    ipv4Pools: configured?.ipv4Pools ?? [`10.${n}.0.0/16`],
    ipv6Prefixes: configured?.ipv6Prefixes ?? [`240e:6b0:${n.toString(16)}::/48`],
    ipv6Ready: configured?.ipv6Ready ?? true,
    segments,
  };
}

export function health(state: CloudState): HealthReport {
  const zones = state.zones.map((zone) => ({ zone, status: state.zoneStatus.get(zone) ?? 'ok' }));
  const down = zones.filter((z) => z.status === 'down').length;
  const status: HealthStatus =
    down === zones.length ? 'down' : zones.some((z) => z.status !== 'ok') ? 'degraded' : 'ok';
  return { status, zones, checkedAt: state.clock.iso() };
}
