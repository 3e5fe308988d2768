/**
 * Optional capabilities of a provider, declared as data (`provider.features`): what only some kinds of cloud
 * can do. The control plane asks `provider.features?.probe` and gets `undefined` when the cloud cannot; it
 * never tests a provider's class. `withResilience` wraps every call-shaped feature (device inventory, cluster
 * nodes, probes) in the cloud's policies like the rest of the contract; the switches that are not calls to the
 * cloud (dropping pooled sessions, fault switches of a simulator, the in-process simulator itself) pass through.
 */
import type { NodeInfo } from './kubernetes/kube-nodes.ts';
import type { SimulatedProvider } from './simulated/simulated-provider.ts';
import type { FaultSettings } from './simulated/faults.ts';
import type { CallOptions, ResourceKind } from './spi.ts';
import type { DeviceProbeRequest } from './ssh/network-device-provider.ts';
import type { SshInventory } from './ssh/ssh-cloud-provider.ts';
import type { ProbeResult } from './ssh/types.ts';

/** SSH-managed hosts and network devices: facts, or interfaces and VPN instances, read whole. */
export interface DeviceInventoryFeature {
  /** The address the inventory is read from (host objects are keyed by it). */
  readonly host: string;
  inventory(opts?: CallOptions): Promise<SshInventory>;
}

/** Kubernetes clusters: the nodes, read live. */
export interface ClusterNodesFeature {
  nodes(opts?: CallOptions): Promise<NodeInfo[]>;
}

/** Reachability probes (`ping`) run through a host or device; VPN instances only on network devices. */
export interface ProbeFeature {
  probe(req: DeviceProbeRequest, opts?: CallOptions): Promise<ProbeResult>;
}

/** Clouds reached over SSH with a pinned host key. */
export interface HostKeysFeature {
  readonly host: string;
  readonly port: number;
  /** Drops the pooled sessions (after a key is re-accepted, or the machine behind the address was replaced). */
  evict(): void;
}

/** Fault switches of a simulated cloud, in process or a sim server (tests, demos, the breaker bench). */
export interface FaultsFeature {
  /** Throws a plain Error naming what is wrong with the settings, or that the far side takes none. */
  set(faults: FaultSettings): Promise<FaultSettings>;
  /** The faults in force; null when the far side does not answer (a sim server gets 500 ms). */
  current(): Promise<FaultSettings | null>;
}

/** How busy one resource has been over the cloud's window (mean CPU and memory use, in percent of its size). */
export interface ResourceUtilisation {
  readonly tenant: string;
  readonly kind: ResourceKind;
  readonly name: string;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  /** The window the means are over. */
  readonly windowHours: number;
}

/** Clouds that measure their resources' use (the simulated clouds model it): hosts and workloads, read whole. */
export interface UtilisationFeature {
  utilisation(opts?: CallOptions): Promise<readonly ResourceUtilisation[]>;
}

export interface ProviderFeatures {
  /** Resource utilisation, where the cloud measures it: idle resources become reclamation candidates. */
  readonly utilisation?: UtilisationFeature;
  readonly deviceInventory?: DeviceInventoryFeature;
  readonly clusterNodes?: ClusterNodesFeature;
  readonly probe?: ProbeFeature;
  readonly hostKeys?: HostKeysFeature;
  readonly faults?: FaultsFeature;
  /** The in-process simulated cloud itself, to change it behind Ganyun's back (tests, demos). */
  readonly simulation?: SimulatedProvider;
}

/** Names of the call-shaped features' operations, for metrics labels, errors and breaker classes. */
export type FeatureOp = 'inventory' | 'nodes' | 'probe' | 'utilisation';
