/**
 * Disaster-recovery operations: an optional capability a provider declares as data
 * (`capabilities.dr.operations`) and offers as `provider.dr`. A provider that cannot do an
 * operation does not list it, and refuses it with a typed `invalid / not-supported` error.
 *
 * Every operation is a mutation with an idempotency key (same key + same request → same answer,
 * no second effect). An operation that names a `sandbox` acts only inside that drill sandbox:
 * production workloads, replicas, traffic and replication links stay as they were. Operations
 * without a sandbox act on production (a real switchover, failover, failback or re-protect).
 */
import type { KeyObservationOf, Labels, OperationGroup } from './spi.ts';

export const DR_OPERATIONS = ['createSandbox', 'deleteSandbox', 'replicate', 'promoteReplica', 'scaleStandby', 'switchTraffic', 'stopSource', 'breakLink'] as const;
export type DrOperation = (typeof DR_OPERATIONS)[number];

/** What each operation takes. `zone` is where it acts (a centre is a cloud and one of its zones). */
export interface DrRequests {
  /** An isolated place for a drill: a tenant space / namespace that nothing outside can reach (default deny). */
  createSandbox: { readonly sandbox: string; readonly zone: string; readonly system: string; readonly labels?: Labels };
  /** Removes the sandbox and everything in it. Deleting one that is gone is not an error. */
  deleteSandbox: { readonly sandbox: string };
  /** Starts replicating `system` into `zone` from a source site (protect, reverse, re-seed). */
  replicate: { readonly system: string; readonly zone: string; readonly fromCloud: string; readonly fromZone: string; readonly mode: 'sync' | 'async' };
  /** With a sandbox: a writable clone of the replica inside it (replication goes on). Without: the replica becomes the primary. */
  promoteReplica: { readonly system: string; readonly zone: string; readonly sandbox?: string };
  /** Runs the system's standby workloads at `replicas` (0 stops them); in a sandbox, a copy of them there. */
  scaleStandby: { readonly system: string; readonly zone: string; readonly replicas: number; readonly sandbox?: string };
  /** Sends the system's traffic to `zone`; in a sandbox, only the sandbox's test entry point. */
  switchTraffic: { readonly system: string; readonly zone: string; readonly sandbox?: string };
  /** Stops the system at its (old) primary site: no more writes, no more traffic. */
  stopSource: { readonly system: string; readonly zone: string };
  /** Cuts the replication into `zone` (fencing after a loss, before a promotion). */
  breakLink: { readonly system: string; readonly zone: string };
}

export type DrRequest<O extends DrOperation = DrOperation> = DrRequests[O];

/** A kind of object a DR operation creates; cleanup and the sweeper find them by these. */
export interface DrObject {
  readonly kind: 'sandbox' | 'clone' | 'workload' | 'endpoint' | 'network-policy';
  readonly name: string;
  readonly sandbox?: string;
}

export interface DrResult {
  /** `done`: changed now; `already`: it was already so (a replay, or nothing to change). */
  readonly outcome: 'done' | 'already';
  /** Objects the call created (or found created by an earlier call under the same key). */
  readonly created: readonly DrObject[];
  /** promoteReplica: the replication lag at the cut (the RPO achieved), seconds. */
  readonly lagAtCutSeconds?: number;
}

/** What a provider says of a system at one of its sites. */
export interface DrSiteState {
  readonly system: string;
  readonly zone: string;
  readonly role: 'primary' | 'replica' | 'promoted' | 'stopped';
  readonly serving: boolean;
  readonly standbyReplicas: number;
  readonly replicatingFrom?: { readonly cloud: string; readonly zone: string; readonly mode: 'sync' | 'async'; readonly broken: boolean };
}

export interface DrSandbox {
  readonly sandbox: string;
  readonly zone: string;
  readonly system: string;
  readonly labels: Labels;
  readonly objects: readonly DrObject[];
  readonly createdAt: string;
}

export interface DrState {
  readonly sites: readonly DrSiteState[];
  readonly sandboxes: readonly DrSandbox[];
}

/** Observe-by-key for DR operations: what became of a call whose answer was lost. Never changes anything. */
export type DrKeyObservation = KeyObservationOf<DrOperation, DrResult>;

export type DrOperations = OperationGroup<DrOperation, DrRequests, DrResult, DrState>;

export function isDrOperation(s: unknown): s is DrOperation {
  return typeof s === 'string' && (DR_OPERATIONS as readonly string[]).includes(s);
}

/** Labels Ganyun puts on a sandbox so that a sweeper can find it again after a crash. */
export const SANDBOX_LABELS = { sandbox: 'ganyun.dr/sandbox', run: 'ganyun.dr/run', expires: 'ganyun.dr/expires' } as const;
