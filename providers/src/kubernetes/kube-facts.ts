/**
 * What a cluster's nodes and managed Deployments say about it: capacity pools per zone and platform, health per
 * zone, the node list. Pure computations over what the API returned (and the paged node listing).
 */
import type { CoreV1Api, V1Deployment, V1Node } from '@kubernetes/client-node';
import { addQuota, ZERO_QUOTA } from '../spec-checks.ts';
import { RESOURCE_CLASSES, type CapacityPool, type Capabilities, type CpuPlatform, type HealthReport, type Quota } from '../spi.ts';
import { KUBERNETES_DR_OPERATIONS } from './kube-dr.ts';
import { nodeQuota, platformOf, zoneOf, type NodeInfo } from './kube-nodes.ts';
import { archFromKube, deploymentDemand } from './kube-objects.ts';

/** Every node, page by page. */
export async function allNodes(core: CoreV1Api): Promise<V1Node[]> {
  const out: V1Node[] = [];
  let cont: string | undefined;
  do {
    const page = await core.listNode({ limit: 500, ...(cont !== undefined ? { _continue: cont } : {}) });
    out.push(...page.items);
    cont = page.metadata?._continue || undefined;
  } while (cont !== undefined);
  return out;
}

/** Pools per zone and platform: the nodes' capacity, and what the managed Deployments placed there ask for. */
export function capacityPools(nodes: readonly V1Node[], deps: readonly V1Deployment[]): CapacityPool[] {
  const pools = new Map<string, { pool: CpuPlatform & { zone: string }; hosts: number; physical: Quota; allocatable: Quota; allocated: Quota }>();
  for (const n of nodes) {
    const p = { ...platformOf(n), zone: zoneOf(n) };
    const k = `${p.zone}/${p.arch}/${p.vendor}`;
    const cur = pools.get(k) ?? { pool: p, hosts: 0, physical: ZERO_QUOTA, allocatable: ZERO_QUOTA, allocated: ZERO_QUOTA };
    pools.set(k, { ...cur, hosts: cur.hosts + 1, physical: addQuota(cur.physical, nodeQuota(n.status?.capacity)), allocatable: addQuota(cur.allocatable, nodeQuota(n.status?.allocatable)) });
  }
  for (const d of deps) {
    const sel = d.spec?.template?.spec?.nodeSelector ?? {};
    const arch = archFromKube(sel['kubernetes.io/arch']) ?? 'x86_64';
    const zone = sel['topology.kubernetes.io/zone'];
    const target = [...pools.values()].find((x) => x.pool.arch === arch && (zone === undefined || x.pool.zone === zone));
    if (target) target.allocated = addQuota(target.allocated, deploymentDemand(d));
  }
  const out: CapacityPool[] = [...pools.values()].map((x) => ({
    ...x.pool,
    hosts: x.hosts,
    classes: Object.fromEntries(
      RESOURCE_CLASSES.map((c) => [c, { physical: x.physical[c], overcommitRatio: 1, allocatable: x.allocatable[c], allocated: x.allocated[c] }]),
    ) as CapacityPool['classes'],
  }));
  return out;
}

const isReady = (n: V1Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Per zone: ok when every node is ready, degraded when some are, down when none is. */
export function healthOf(nodes: readonly V1Node[]): HealthReport {
  const byZone = new Map<string, boolean[]>();
  for (const n of nodes) byZone.set(zoneOf(n), [...(byZone.get(zoneOf(n)) ?? []), isReady(n)]);
  const zones = [...byZone].map(([zone, ready]) => ({ zone, status: ready.every(Boolean) ? ('ok' as const) : ready.some(Boolean) ? ('degraded' as const) : ('down' as const) }));
  const status = zones.length > 0 && zones.every((z) => z.status === 'ok') ? 'ok' : zones.some((z) => z.status !== 'down') ? 'degraded' : 'down';
  return { status, zones, checkedAt: new Date().toISOString() };
}

/** The cluster's nodes: architecture (`kubernetes.io/arch`), zone, capacity and allocatable, readiness; by name. */
export function nodeInfos(nodes: readonly V1Node[]): NodeInfo[] {
  return nodes
    .map((n) => ({ name: n.metadata?.name ?? '', ...platformOf(n), zone: zoneOf(n), ready: isReady(n), capacity: nodeQuota(n.status?.capacity), allocatable: nodeQuota(n.status?.allocatable) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function uniq<T>(xs: T[], key: (x: T) => string): T[] {
  const m = new Map<string, T>();
  for (const x of xs) if (!m.has(key(x))) m.set(key(x), x);
  return [...m.values()];
}

/** What a cluster offers: workloads and volumes (hosts with KubeVirt) in namespaces on its nodes' platforms and zones, incremental inventory, standby DR. */
export function capabilitiesOf(platforms: CpuPlatform[], zones: string[], maxPageSize: number, kubevirt = false): Capabilities {
  return {
    resourceKinds: kubevirt ? ['workload', 'volume', 'vm'] : ['workload', 'volume'],
    tenantSpaceKind: 'namespace',
    platforms,
    zones,
    images: [],
    replication: { supported: false, modes: [] },
    networkFacts: true,
    incrementalInventory: true,
    maxPageSize,
    dr: { operations: [...KUBERNETES_DR_OPERATIONS] },
  };
}
