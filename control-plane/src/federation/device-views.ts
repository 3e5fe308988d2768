/**
 * What the API shows of an SSH-managed host / device or a cluster: its connection settings (never the
 * credential), the pinned host key and open alarms, and the typed inventory of the last sync.
 */
import { toProviderError, type DeviceInterface, type LinuxFacts, type NodeInfo, type VpnInstance } from '@ganyun/providers';
import type { Queryable } from '../store/store.ts';
import type { CloudRecord } from './clouds-repo.ts';
import type { FederationService } from './contract.ts';
import { knownHostsRepo } from './known-hosts-repo.ts';
import { inventoryRepo } from './inventory-repo.ts';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * A cluster's nodes, read live (they change with autoscaling; the inventory keeps namespaces and workloads), through
 * the cloud's resilient provider (`clusterNodes` feature); nothing for clouds without nodes or not connected.
 */
export async function clusterNodes(federation: FederationService, cloudId: string): Promise<{ items: NodeInfo[]; error: string | null }> {
  const nodes = federation.connected(cloudId)?.features?.clusterNodes;
  if (!nodes) return { items: [], error: null };
  try {
    return { items: await nodes.nodes({ signal: AbortSignal.timeout(federation.options.fanOutDeadlineMs) }), error: null };
  } catch (e) {
    const err = toProviderError(e, cloudId, 'nodes');
    return { items: [], error: `${err.code}: ${err.message}`.slice(0, 300) };
  }
}

export async function deviceFacts(db: Queryable, cloud: CloudRecord, nodes: { items: NodeInfo[]; error: string | null } = { items: [], error: null }) {
  const ssh = cloud.config.ssh ?? null;
  const k8s = cloud.config.kubernetes ?? null;
  const rows = await inventoryRepo.liveOfKinds(db, cloud.id, ['host', 'interface', 'vpn-instance']);
  const counts = await inventoryRepo.liveCountsByKind(db, cloud.id);
  const pinned = ssh ? await knownHostsRepo.get(db, ssh.host, ssh.port) : undefined;
  // By address: an alarm first seen by another registration attempt at the same host:port concerns this cloud too.
  const alarms = ssh ? await knownHostsRepo.alarms(db, { open: true, host: ssh.host, port: ssh.port }) : [];
  const host = rows.find((r) => r.kind === 'host');
  return {
    id: cloud.id,
    providerKind: cloud.providerKind,
    ssh,
    kubernetes: k8s ? { server: k8s.server ?? null, context: k8s.context ?? null, insecureSkipTlsVerify: k8s.insecureSkipTlsVerify === true } : null,
    pinnedKey: pinned ? { fingerprint: pinned.fingerprint, acceptedBy: pinned.acceptedBy, acceptedAt: iso(pinned.acceptedAt)! } : null,
    openAlarms: alarms.map((a) => ({ id: a.id, expectedFingerprint: a.expectedFingerprint, presentedFingerprint: a.presentedFingerprint, occurrences: a.occurrences, lastSeenAt: iso(a.lastSeenAt)! })),
    host: host ? { facts: host.spec as LinuxFacts, readAt: iso(host.lastSeenAt)! } : null,
    interfaces: rows.filter((r) => r.kind === 'interface').map((r) => r.spec as DeviceInterface & { ipv6: string[] }),
    vpnInstances: rows.filter((r) => r.kind === 'vpn-instance').map((r) => r.spec as VpnInstance),
    /** Objects by kind (namespaces are `tenant-space`, deployments `workload`). */
    counts: Object.fromEntries(counts.map((c) => [c.kind, c.n])) as Record<string, number>,
    /** Cluster capacity by architecture (from the last capacity read). */
    capacity: cloud.capacity ?? [],
    /** Cluster nodes, live: architecture, zone, readiness, capacity; `nodesError` when the cluster did not answer. */
    nodes: nodes.items,
    nodesError: nodes.error,
  };
}
