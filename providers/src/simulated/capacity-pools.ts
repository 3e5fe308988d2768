/**
 * Host pools of a simulated cloud: hosts grouped by zone and CPU platform, their physical
 * capacity, the overcommit ratios the operator allows, and what is allocated. Placement
 * picks the matching pool with the most free vCPU (ties by pool order), which spreads
 * load the way a simple cloud scheduler does.
 */
import { addQuota } from '../spec-checks.ts';
import { RESOURCE_CLASSES, type CapacityPool, type CpuArch, type CpuVendor, type Quota, type ResourceClass } from '../spi.ts';

export interface HostPoolSpec {
  readonly zone: string;
  readonly arch: CpuArch;
  readonly vendor: CpuVendor;
  readonly hosts: number;
  readonly coresPerHost: number;
  readonly memoryGiBPerHost: number;
  readonly storageGiBPerHost: number;
  readonly gpusPerHost?: number;
}

export type OvercommitRatios = Readonly<Record<ResourceClass, number>>;

export interface Pool {
  readonly key: string;
  readonly spec: HostPoolSpec;
  readonly physical: Quota;
  allocated: Quota;
}

export interface PlacementRequest {
  readonly zone?: string;
  readonly arch?: CpuArch;
  readonly vendor?: CpuVendor;
}

export class CapacityPools {
  readonly pools: readonly Pool[];
  private readonly byKey = new Map<string, Pool>();

  constructor(
    specs: readonly HostPoolSpec[],
    private readonly overcommit: OvercommitRatios,
  ) {
    this.pools = specs.map((s) => ({
      key: `${s.zone}/${s.arch}/${s.vendor}`,
      spec: s,
      physical: {
        vcpu: s.hosts * s.coresPerHost,
        memoryGiB: s.hosts * s.memoryGiBPerHost,
        storageGiB: s.hosts * s.storageGiBPerHost,
        gpu: s.hosts * (s.gpusPerHost ?? 0),
      },
      allocated: { vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 },
    }));
    for (const p of this.pools) this.byKey.set(p.key, p);
  }

  get(key: string): Pool | undefined {
    return this.byKey.get(key);
  }

  allocatable(pool: Pool, c: ResourceClass): number {
    return Math.floor(pool.physical[c] * this.overcommit[c]);
  }

  fits(pool: Pool, demand: Quota): boolean {
    return RESOURCE_CLASSES.every((c) => pool.allocated[c] + demand[c] <= this.allocatable(pool, c));
  }

  /** Pools that could host the request at all, whatever is allocated. */
  candidates(req: PlacementRequest): Pool[] {
    return this.pools.filter(
      (p) =>
        (req.zone === undefined || p.spec.zone === req.zone) &&
        (req.arch === undefined || p.spec.arch === req.arch) &&
        (req.vendor === undefined || p.spec.vendor === req.vendor),
    );
  }

  /** The candidate with the most free vCPU that fits `demand`, or undefined. */
  place(req: PlacementRequest, demand: Quota): Pool | undefined {
    let best: Pool | undefined;
    let bestFree = -Infinity;
    for (const p of this.candidates(req)) {
      if (!this.fits(p, demand)) continue;
      const free = (this.allocatable(p, 'vcpu') - p.allocated.vcpu) / Math.max(1, this.allocatable(p, 'vcpu'));
      const freeStorage = this.allocatable(p, 'storageGiB') - p.allocated.storageGiB;
      // Storage-only demands (volumes) go where storage is freest.
      const score = demand.vcpu === 0 && demand.memoryGiB === 0 ? freeStorage : free;
      if (score > bestFree) {
        best = p;
        bestFree = score;
      }
    }
    return best;
  }

  allocate(pool: Pool, demand: Quota, sign: 1 | -1 = 1): void {
    pool.allocated = addQuota(pool.allocated, demand, sign);
  }

  report(): CapacityPool[] {
    return this.pools.map((p) => ({
      zone: p.spec.zone,
      arch: p.spec.arch,
      vendor: p.spec.vendor,
      hosts: p.spec.hosts,
      classes: Object.fromEntries(
        RESOURCE_CLASSES.map((c) => [
          c,
          {
            physical: p.physical[c],
            overcommitRatio: this.overcommit[c],
            allocatable: this.allocatable(p, c),
            allocated: p.allocated[c],
          },
        ]),
      ) as CapacityPool['classes'],
    }));
  }
}
