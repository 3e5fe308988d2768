/**
 * Builds in-process simulated clouds from the federation file (federation-config.ts):
 * the default way to run Ganyun on a laptop, and the fixture for federation-wide tests.
 */
import type { CloudEntry, FederationConfig } from '../federation-config.ts';
import { CITY_SYSTEMS, PROVINCIAL_SYSTEMS } from './catalog.ts';
import type { SimClock } from './clock.ts';
import { SimulatedCloud, type SimulatedCloudOptions } from './simulated-cloud.ts';
import { SimulatedProvider } from './simulated-provider.ts';

export interface SimulatedFederationOptions {
  /** One clock for all clouds, so a test can advance the whole federation at once. */
  readonly clock?: SimClock;
  /** Overrides every cloud's timeScale. */
  readonly timeScale?: number;
  /** Overrides every cloud's initial resource count (e.g. 10_000 for scale runs). */
  readonly initialResources?: number;
  /** Build only these cloud ids. */
  readonly only?: readonly string[];
}

export function simulatedCloudOptions(entry: CloudEntry, opts: SimulatedFederationOptions = {}): SimulatedCloudOptions {
  const sim = entry.sim;
  if (sim === undefined) throw new Error(`cloud "${entry.id}" has no sim settings to simulate it from`);
  return {
    cloudId: entry.id,
    region: entry.region,
    seed: sim.seed,
    zones: entry.zones.map((z) => z.id),
    hostPools: sim.hostPools,
    overcommit: { gpu: 1, ...sim.overcommit },
    initialResources: opts.initialResources ?? sim.initialResources,
    systems: sim.systems === 'city' ? CITY_SYSTEMS : PROVINCIAL_SYSTEMS,
    namePrefix: sim.namePrefix,
    slugPrefix: entry.id,
    ...(sim.tenantSpaceKind !== undefined ? { tenantSpaceKind: sim.tenantSpaceKind } : {}),
    ...(sim.replication !== undefined ? { replication: sim.replication } : {}),
    ...(opts.timeScale !== undefined || sim.timeScale !== undefined ? { timeScale: opts.timeScale ?? sim.timeScale } : {}),
    ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
  };
}

export function simulatedProviderFor(entry: CloudEntry, opts: SimulatedFederationOptions = {}): SimulatedProvider {
  return new SimulatedProvider(new SimulatedCloud(simulatedCloudOptions(entry, opts)));
}

/** Every cloud of the config that has sim settings, as an in-process simulated provider. */
export function buildSimulatedFederation(config: FederationConfig, opts: SimulatedFederationOptions = {}): Map<string, SimulatedProvider> {
  const out = new Map<string, SimulatedProvider>();
  for (const entry of config.clouds) {
    if (entry.sim === undefined) continue;
    if (opts.only !== undefined && !opts.only.includes(entry.id)) continue;
    out.set(entry.id, simulatedProviderFor(entry, opts));
  }
  return out;
}
