import type { Store } from '../store/store.ts';
import type { QuotaService, ResourceClass } from './contract.ts';
import { setLimitsOn, type LimitInput } from './limits.ts';
import { PROVINCE_CODE, ensureNodeFor } from './nodes.ts';
import { quotaDemoRepo } from './quota-demo-repo.ts';

/**
 * Demo quotas for `npm start` on an empty database, so the quota tree, the ledger and the charts show something
 * true: a province cap per cloud, each city's cap on its own city cloud, and for the demo departments (seeded
 * with the extranet demo, names ending in （演示）) department and system limits with some usage committed and
 * one hold pending. Every figure goes through the quota service, so the ledger explains it line by line.
 * Does nothing once any limit exists.
 */
const ACTOR = 'demo';

const PROVINCE_CAP: Record<ResourceClass, number> = { vcpu: 20_000, memoryGiB: 80_000, storageGiB: 2_000_000, gpu: 64, ipv4Addresses: 50_000, ipv6Prefixes64: 100_000 };
const CITY_CAP: Partial<Record<ResourceClass, number>> = { vcpu: 4_000, memoryGiB: 16_000, storageGiB: 400_000, ipv4Addresses: 8_000, ipv6Prefixes64: 16_000 };
const DEPARTMENT_CAP: Partial<Record<ResourceClass, number>> = { vcpu: 800, memoryGiB: 3_200, storageGiB: 80_000, ipv4Addresses: 2_000, ipv6Prefixes64: 256 };
const SYSTEM_CAP: Partial<Record<ResourceClass, number>> = { vcpu: 256, memoryGiB: 1_024, storageGiB: 20_000, ipv4Addresses: 256, ipv6Prefixes64: 16 };

const limitsOf = (cloudId: string, caps: Partial<Record<ResourceClass, number>>, soft = false): Array<LimitInput & { limit: number }> =>
  Object.entries(caps).map(([resourceClass, limit]) => ({
    cloudId, resourceClass: resourceClass as ResourceClass, limit: limit!, ...(soft ? { softLimit: Math.round(limit! * 0.8) } : {}),
  }));

export async function seedQuotaDemo(store: Store, quotas: QuotaService): Promise<{ limits: number; reservations: number } | null> {
  return store.transaction(async (tx) => {
    if ((await quotaDemoRepo.limitedRowCount(tx)) > 0) return null;
    const clouds = await quotaDemoRepo.enabledClouds(tx);
    let limits = 0;
    const province = await ensureNodeFor(tx, 'province', PROVINCE_CODE);
    for (const c of clouds) limits += (await setLimitsOn(tx, province, limitsOf(c.id, PROVINCE_CAP, true), ACTOR, 'demo: provincial allocation')).length;
    for (const c of clouds.filter((c) => /^36(0[1-9]|1[01])$/.test(c.region) && c.id !== 'jx-province')) {
      const city = await ensureNodeFor(tx, 'city', c.region);
      limits += (await setLimitsOn(tx, city, limitsOf(c.id, CITY_CAP), ACTOR, 'demo: city allocation')).length;
    }
    const systems = await quotaDemoRepo.demoSystems(tx);
    let reservations = 0;
    for (const [i, s] of systems.entries()) {
      const department = await ensureNodeFor(tx, 'department', s.departmentId);
      limits += (await setLimitsOn(tx, department, limitsOf(s.cloudId, DEPARTMENT_CAP, true), ACTOR, 'demo: department allocation')).length;
      await quotas.ensureSystemNode(tx, { systemId: s.id, departmentId: s.departmentId, actor: ACTOR });
      await quotas.setSystemLimits(tx, { systemId: s.id, limits: limitsOf(s.cloudId, SYSTEM_CAP), actor: ACTOR, reason: 'demo: onboarding' });
      limits += Object.keys(SYSTEM_CAP).length;
      // What the system runs today (committed), and for one of them a request still waiting for approval (held).
      const used = await quotas.reserve(tx, {
        systemId: s.id, idempotencyKey: `demo:${s.id}:in-use`, ttlSeconds: 3600, ref: 'demo: running workloads', actor: ACTOR,
        items: [
          { cloudId: s.cloudId, resourceClass: 'vcpu', amount: 64 + 32 * i },
          { cloudId: s.cloudId, resourceClass: 'memoryGiB', amount: 256 + 128 * i },
          { cloudId: s.cloudId, resourceClass: 'storageGiB', amount: 6_000 + 2_000 * i },
          { cloudId: s.cloudId, resourceClass: 'ipv4Addresses', amount: 40 + 10 * i },
          { cloudId: s.cloudId, resourceClass: 'ipv6Prefixes64', amount: 2 },
        ],
      });
      await quotas.commit(tx, { reservationId: used.id, actor: ACTOR });
      reservations++;
      if (i === 0) {
        await quotas.reserve(tx, {
          systemId: s.id, idempotencyKey: `demo:${s.id}:pending`, ttlSeconds: 7 * 24 * 3600, ref: 'demo: request awaiting approval', actor: ACTOR,
          items: [{ cloudId: s.cloudId, resourceClass: 'vcpu', amount: 32 }, { cloudId: s.cloudId, resourceClass: 'memoryGiB', amount: 128 }],
        });
        reservations++;
      }
    }
    return { limits, reservations };
  });
}
