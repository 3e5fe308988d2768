/**
 * The inventory a cloud already holds when Ganyun first connects: tenant spaces for
 * departments' business systems and the VMs, workloads, volumes and segments they are
 * made of, with realistic names, drawn deterministically from the cloud's seed.
 */
import { ProviderError } from '../errors.ts';
import type { CpuArch, CpuVendor, ResourceSpec, TenantSpaceSpec } from '../spi.ts';
import type { BusinessSystem, OsImage, ResourceRole } from './catalog.ts';
import { RESOURCE_ROLES } from './catalog.ts';
import type { CloudState } from './cloud-state.ts';
import { Prng } from './prng.ts';
import { createResource } from './resource-ops.ts';
import { createTenantSpace } from './tenant-ops.ts';

export interface SeedPlan {
  readonly count: number;
  readonly systems: readonly BusinessSystem[];
  /** Prepended to system names: '' for provincial systems, '南昌市' for a city's. */
  readonly namePrefix: string;
  /** Prepended to tenant slugs, e.g. 'nanchang'. */
  readonly slugPrefix: string;
}

/** Share of each role among seeded resources (app, web, db, api, data, net). */
const ROLE_WEIGHTS = [30, 15, 15, 15, 15, 10];
const PHASES = ['', '（二期）', '（三期）', '（四期）', '（五期）'];

export function seedInventory(state: CloudState, seed: number, plan: SeedPlan): number {
  if (plan.count <= 0 || plan.systems.length === 0) return 0;
  const rng = new Prng(seed);
  const tenants = makeTenants(state, plan);
  const platforms = state.pools.pools.map((p) => ({ arch: p.spec.arch, vendor: p.spec.vendor, weight: p.physical.vcpu }));
  const platformWeights = platforms.map((p) => p.weight);
  const images = [...state.imagesById.values()];
  const imagesByArch = new Map(platforms.map((p) => [p.arch, images.filter((i) => i.arches.includes(p.arch))]));
  const counters = new Map<string, number>();
  let created = 0;
  let segments = 0;
  state.instant = true;
  try {
    for (let i = 0; i < plan.count; i++) {
      const tenant = tenants[i % tenants.length];
      const role = weighted(rng, RESOURCE_ROLES, ROLE_WEIGHTS);
      const counterKey = `${tenant.name}/${role.suffix}`;
      const n = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, n);
      const platform = weighted(rng, platforms, platformWeights);
      const spec = resourceSpec(rng, imagesByArch.get(platform.arch) ?? [], tenant, role, n, platform, segments);
      if (spec.kind === 'network-segment') segments++;
      try {
        createResource(state, spec);
        created++;
      } catch (e) {
        // A full pool or quota ends that resource, not the seeding.
        if (!(e instanceof ProviderError && e.code === 'conflict')) throw e;
      }
    }
  } finally {
    state.instant = false;
  }
  return created;
}

function makeTenants(state: CloudState, plan: SeedPlan): TenantSpaceSpec[] {
  const wanted = Math.min(Math.max(1, Math.ceil(plan.count / 9)), plan.systems.length * PHASES.length);
  const perTenant = Math.ceil(plan.count / wanted);
  const out: TenantSpaceSpec[] = [];
  for (let i = 0; i < wanted; i++) {
    const system = plan.systems[i % plan.systems.length];
    const phase = Math.floor(i / plan.systems.length);
    const spec: TenantSpaceSpec = {
      name: `${plan.slugPrefix}-${system.slug}${phase > 0 ? `-${phase + 1}` : ''}`,
      displayName: `${plan.namePrefix}${system.name}${PHASES[phase]}`,
      // Room for the largest role in every slot, so seeding is limited by pools, never quota.
      quota: { vcpu: perTenant * 32, memoryGiB: perTenant * 128, storageGiB: perTenant * 2000, gpu: 8 },
      labels: { department: `${plan.namePrefix && !system.department.startsWith('江西') ? plan.namePrefix : ''}${system.department}` },
    };
    createTenantSpace(state, spec);
    out.push(spec);
  }
  return out;
}

function resourceSpec(
  rng: Prng,
  images: readonly OsImage[],
  tenant: TenantSpaceSpec,
  role: ResourceRole,
  n: number,
  platform: { arch: CpuArch; vendor: CpuVendor },
  segment: number,
): ResourceSpec {
  const nn = String(n).padStart(2, '0');
  const base = {
    tenant: tenant.name,
    name: `${role.suffix}-${nn}`,
    displayName: `${tenant.displayName ?? tenant.name} ${role.label} ${nn}`,
    labels: { role: role.suffix },
  };
  const vcpu = rng.pick(role.vcpu);
  switch (role.kind) {
    case 'vm': {
      const legacy = images.filter((i) => i.legacy);
      // A quarter of x86 VMs on non-Xinchuang hosts still run end-of-life images.
      const pickFrom = legacy.length > 0 && (platform.vendor === 'intel' || platform.vendor === 'amd') && rng.chance(0.25) ? legacy : images.filter((i) => !i.legacy);
      return {
        ...base,
        kind: 'vm',
        arch: platform.arch,
        image: rng.pick(pickFrom.length > 0 ? pickFrom : images).id,
        size: { vcpu, memoryGiB: vcpu * role.memoryPerVcpu, storageGiB: rng.pick(role.storageGiB) },
      };
    }
    case 'workload':
      return {
        ...base,
        kind: 'workload',
        arch: platform.arch,
        image: `harbor.zwy.jx.gov.cn/${tenant.name}/${role.suffix}:1.${rng.int(0, 9)}.${rng.int(0, 20)}`,
        size: { vcpu, memoryGiB: vcpu * role.memoryPerVcpu, replicas: rng.int(2, 4) },
      };
    case 'volume':
      return { ...base, kind: 'volume', size: { storageGiB: rng.pick(role.storageGiB) } };
    case 'network-segment':
      return { ...base, kind: 'network-segment', size: {}, cidr: `172.${16 + ((segment >> 8) % 16)}.${segment & 255}.0/24` };
  }
}

function weighted<T>(rng: Prng, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i];
    if (x < 0) return items[i];
  }
  return items[items.length - 1];
}
