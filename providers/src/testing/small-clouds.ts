/**
 * Small simulated clouds for specs (here and in the control plane): a frozen clock that
 * only moves when told, two zones, x86_64 and arm64 pools, one replication link.
 */
import { SimClock } from '../simulated/clock.ts';
import type { FaultSettings } from '../simulated/faults.ts';
import { SimulatedCloud, type SimulatedCloudOptions } from '../simulated/simulated-cloud.ts';
import { SimulatedProvider } from '../simulated/simulated-provider.ts';

/** 2025-01-01T00:00:00Z: frozen clocks start here so timestamps read like real ones. */
export const TEST_EPOCH_MS = Date.UTC(2025, 0, 1);
/** Long enough for every lifecycle step at timeScale 1 to complete. */
export const SETTLE_MS = 3_600_000;

export function smallCloudOptions(overrides: Partial<SimulatedCloudOptions> = {}): SimulatedCloudOptions {
  return {
    cloudId: 'test-cloud',
    seed: 1,
    zones: ['az1', 'az2'],
    hostPools: [
      { zone: 'az1', arch: 'x86_64', vendor: 'intel', hosts: 4, coresPerHost: 32, memoryGiBPerHost: 256, storageGiBPerHost: 4000 },
      { zone: 'az2', arch: 'arm64', vendor: 'kunpeng', hosts: 4, coresPerHost: 64, memoryGiBPerHost: 256, storageGiBPerHost: 4000 },
    ],
    overcommit: { vcpu: 2, memoryGiB: 1, storageGiB: 1, gpu: 1 },
    clock: new SimClock({ frozenAt: TEST_EPOCH_MS }),
    replication: [{ target: 'test-dr', mode: 'async', baseLagSeconds: 30 }],
    ...overrides,
  };
}

export function smallCloud(overrides: Partial<SimulatedCloudOptions> = {}): SimulatedCloud {
  return new SimulatedCloud(smallCloudOptions(overrides));
}

export function smallProvider(overrides: Partial<SimulatedCloudOptions> = {}): SimulatedProvider {
  return new SimulatedProvider(smallCloud(overrides));
}

/** The sim fault settings behind each conformance fault. */
export const CONFORMANCE_FAULTS: Readonly<Record<'none' | 'down' | 'throttled' | 'garbage' | 'failing-page', FaultSettings>> = {
  none: {},
  down: { down: true },
  throttled: { throttleRate: 1, retryAfterMs: 1500 },
  garbage: { garbageRate: 1 },
  'failing-page': { failPage: { page: 2, times: 1 } },
};
