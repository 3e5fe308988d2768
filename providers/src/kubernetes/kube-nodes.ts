import type { V1Deployment, V1Node } from '@kubernetes/client-node';
import type { CpuPlatform, CpuVendor, Quota } from '../spi.ts';
import { archFromKube, quantity } from './kube-objects.ts';

/** Nodes and workloads as the provider reports them: platform, zone, capacity, readiness. */

export interface NodeInfo extends CpuPlatform {
  readonly name: string;
  readonly zone: string;
  readonly ready: boolean;
  readonly capacity: Quota;
  readonly allocatable: Quota;
}

export interface WorkloadReadiness {
  readonly desired: number;
  readonly ready: number;
  readonly available: number;
  readonly updated: number;
  /** All desired replicas ready on the current generation. */
  readonly isReady: boolean;
}

const DEFAULT_VENDOR: Readonly<Record<string, CpuVendor>> = { x86_64: 'intel', arm64: 'kunpeng', loongarch64: 'loongson' };

/** Ready when every desired replica is ready on the current generation. */
export function readiness(d: V1Deployment): WorkloadReadiness {
  const desired = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const current = (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1);
  return { desired, ready, available: d.status?.availableReplicas ?? 0, updated: d.status?.updatedReplicas ?? 0, isReady: current && ready >= desired };
}

export function platformOf(n: V1Node): CpuPlatform {
  const arch = archFromKube(n.metadata?.labels?.['kubernetes.io/arch'] ?? n.status?.nodeInfo?.architecture) ?? 'x86_64';
  const vendor = n.metadata?.labels?.['ganyun.gov.cn/cpu-vendor'] as CpuVendor | undefined;
  return { arch, vendor: vendor ?? DEFAULT_VENDOR[arch] };
}

export const zoneOf = (n: V1Node): string => n.metadata?.labels?.['topology.kubernetes.io/zone'] ?? 'default';

export function nodeQuota(r: Record<string, string> | undefined): Quota {
  const x = r ?? {};
  return { vcpu: quantity(x['cpu']), memoryGiB: quantity(x['memory']) / 2 ** 30, storageGiB: quantity(x['ephemeral-storage']) / 2 ** 30, gpu: quantity(x['nvidia.com/gpu']) };
}
