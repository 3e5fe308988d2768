import type { ResourceClass } from '../quotas/contract.ts';

/**
 * The size of a request in standard units, which approval chains are keyed on ("from 64 units up, the
 * bureau signs too"): 1 vCPU = 1, 4 GiB memory = 1, 100 GiB storage = 1, 1 GPU = 8, addresses free.
 */
const WEIGHTS: Record<ResourceClass, number> = { vcpu: 1, memoryGiB: 0.25, storageGiB: 0.01, gpu: 8, ipv4Addresses: 0, ipv6Prefixes64: 0 };

export function unitsOf(items: readonly { resourceClass: ResourceClass; amount: number }[]): number {
  return Math.round(items.reduce((sum, i) => sum + WEIGHTS[i.resourceClass] * i.amount, 0) * 100) / 100;
}
