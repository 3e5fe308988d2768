/**
 * Migration operations: an optional capability a provider declares as data
 * (`capabilities.migration.operations`) and offers as `provider.migration`. Moving a system between
 * clouds is: copy its data to the target (which takes the time its size and the link's bandwidth
 * give), freeze the source (writes stop, reads go on), cut over (the system's addresses, DNS records and
 * load-balancer members now point at the target), verify, and after a soak release the source. Every
 * step up to the release has its undo: cancel the copy, thaw the source, revert the cut-over.
 *
 * Each operation is a mutation with an idempotency key (same key + same request → same answer, no
 * second effect); `observeByKey` tells what became of a call whose answer was lost. Which cloud is
 * called: the target for copy and cut-over, the source for freeze and thaw.
 */
import type { KeyObservationOf, OperationGroup } from './spi.ts';

export const MIGRATION_OPERATIONS = ['startCopy', 'cancelCopy', 'freezeSource', 'thawSource', 'cutOver', 'revertCutOver'] as const;
export type MigrationOperation = (typeof MIGRATION_OPERATIONS)[number];

/** An entry that decides where a system is reached: an address, a DNS record, a load-balancer member. */
export interface CutOverEntry {
  readonly kind: 'address' | 'dns' | 'lb-member';
  readonly name: string;
  readonly value: string;
}

export interface MigrationRequests {
  /** Target: copy `dataGiB` of the system from `fromCloud` into `zone` over a `gbps` link. */
  startCopy: { readonly system: string; readonly fromCloud: string; readonly zone: string; readonly dataGiB: number; readonly gbps: number };
  /** Target: stop the copy and discard what was copied. Nothing to cancel is not an error. */
  cancelCopy: { readonly system: string; readonly zone: string };
  /** Source: the system stops taking writes (it keeps serving reads) so the copy ends consistent. */
  freezeSource: { readonly system: string };
  /** Source: the system takes writes again. */
  thawSource: { readonly system: string };
  /** Target: the entries now point here and the system serves from `zone`. Refused until the copy is complete. */
  cutOver: { readonly system: string; readonly zone: string; readonly entries: readonly CutOverEntry[] };
  /** Target: the entries are withdrawn; the system no longer serves from here. Nothing to revert is not an error. */
  revertCutOver: { readonly system: string; readonly zone: string };
}

export interface MigrationResult {
  /** `done`: changed now; `already`: it was already so (a replay, or nothing to change). */
  readonly outcome: 'done' | 'already';
}

export interface CopyProgress {
  readonly zone: string;
  readonly fromCloud: string;
  readonly totalGiB: number;
  readonly copiedGiB: number;
  readonly gbps: number;
  readonly startedAt: string;
  readonly done: boolean;
  /** Seconds until done at the link's rate (0 when done). */
  readonly etaSeconds: number;
}

/** A system as one cloud sees it, for migrations. */
export interface MigrationSystemState {
  readonly system: string;
  /** Target side: the copy into this cloud. */
  readonly copy?: CopyProgress;
  /** Source side: writes stopped. */
  readonly frozen: boolean;
  /** Target side: the entries point here and it serves from here. */
  readonly servingHere: boolean;
  readonly entries: readonly CutOverEntry[];
}

export type MigrationKeyObservation = KeyObservationOf<MigrationOperation, MigrationResult>;

/** Its `state` is the systems this cloud knows for migrations (copies into it, frozen sources, cut-overs). */
export type MigrationOperations = OperationGroup<MigrationOperation, MigrationRequests, MigrationResult, readonly MigrationSystemState[]>;

export function isMigrationOperation(s: unknown): s is MigrationOperation {
  return typeof s === 'string' && (MIGRATION_OPERATIONS as readonly string[]).includes(s);
}

/** GiB a link of `gbps` moves in `seconds` (Gbit/s × s ÷ 8 bits ÷ 2^30 bytes). */
export function gibTransferred(gbps: number, seconds: number): number {
  return (gbps * 1e9 * seconds) / 8 / 2 ** 30;
}
