import { ConflictError, InputError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';

/**
 * What the rest of the control plane may ask of quotas. Onboarding, requests and the quota-increase
 * policy code against this; `quota-service.ts` implements it. Every method takes the caller's
 * transaction (`db`) so a quota movement commits or rolls back with whatever else the caller does.
 */

export const RESOURCE_CLASSES = ['vcpu', 'memoryGiB', 'storageGiB', 'gpu', 'ipv4Addresses', 'ipv6Prefixes64'] as const;
export type ResourceClass = (typeof RESOURCE_CLASSES)[number];

export const QUOTA_LEVELS = ['province', 'city', 'department', 'system'] as const;
export type QuotaLevel = (typeof QUOTA_LEVELS)[number];

export interface QuotaItem {
  cloudId: string;
  resourceClass: ResourceClass;
  /** Positive whole units of the class. */
  amount: number;
}

/** One level at which a request does not fit: the hard limit, or the soft band (warn, route to approval). */
export interface QuotaShortfall {
  nodeId: string;
  level: QuotaLevel;
  /** What the node is for: division code, department id or system id. */
  ref: string;
  cloudId: string;
  resourceClass: ResourceClass;
  limit: number;
  softLimit: number | null;
  /** Reserved + committed before this request. */
  used: number;
  requested: number;
  kind: 'hard' | 'soft';
}

export interface QuotaCheck {
  /** False when any hard limit along the path would be exceeded. */
  fits: boolean;
  /** True when it fits but crosses a soft band somewhere: the request needs approval. */
  needsApproval: boolean;
  shortfalls: QuotaShortfall[];
}

export interface ReserveInput {
  systemId: string;
  items: QuotaItem[];
  /** The same key returns the same reservation, whatever its state (no second hold). */
  idempotencyKey: string;
  /** Held this long unless committed or released; expired holds are released by the reaper. */
  ttlSeconds: number;
  /** What the hold is for (request id, workflow id), shown in the ledger. */
  ref: string;
  actor: string;
}

export type ReservationState = 'held' | 'committed' | 'released' | 'expired';

export interface Reservation {
  id: string;
  systemId: string;
  items: QuotaItem[];
  state: ReservationState;
  idempotencyKey: string;
  ref: string;
  expiresAt: string;
  createdAt: string;
  /** Added: soft bands this reservation crossed (it was held; the caller may route it to approval). */
  warnings?: QuotaShortfall[];
}

export interface QuotaService {
  /** Creates (if missing) the system's node under its department, city and province nodes. Idempotent. */
  ensureSystemNode(db: Queryable, input: { systemId: string; departmentId: string; actor: string }): Promise<{ nodeId: string }>;
  /** Sets the system's limits per cloud and class (a decrease never below usage: QuotaError). */
  setSystemLimits(
    db: Queryable,
    input: { systemId: string; limits: Array<{ cloudId: string; resourceClass: ResourceClass; limit: number; softLimit?: number | null }>; actor: string; reason: string },
  ): Promise<void>;
  /** Dry run: would these items fit at every level from the system up to the province? Changes nothing. */
  check(db: Queryable, input: { systemId: string; items: QuotaItem[] }): Promise<QuotaCheck>;
  /** Holds the items at every level or at none; throws QuotaExceededError (with the shortfalls) when a hard limit is hit. */
  reserve(db: Queryable, input: ReserveInput): Promise<Reservation>;
  /**
   * What reserve answers for a key it has served, when that hold is still held (the same system and items): read by
   * the key alone, its row locked (the reaper locks a hold it expires), without reserve's lock of the usage rows, which
   * a replay does not move: one statement instead of three. Undefined otherwise (no such key, the hold ended, another
   * reservation under the key): reserve answers those as always.
   */
  heldReplay(db: Queryable, input: ReserveInput): Promise<Reservation | undefined>;
  /** Held → committed (usage). Committing a committed reservation is a no-op; a released one is a ConflictError. */
  commit(db: Queryable, input: { reservationId: string; actor: string }): Promise<Reservation>;
  /** Held → released. Releasing a released or expired one is a no-op (returned as it is); a committed one is a ConflictError. */
  release(db: Queryable, input: { reservationId: string; actor: string; reason: string }): Promise<Reservation>;
  /**
   * Gives back committed usage (a resource released or shrunk): `committed` goes down by the items at every level
   * of the system's path. The same key gives back once (a repeat returns false). Never below zero: a return of
   * more than is committed is a ConflictError and nothing moves.
   */
  returnCommitted(db: Queryable, input: { systemId: string; items: QuotaItem[]; idempotencyKey: string; actor: string; reason: string }): Promise<boolean>;
  /** Releases held reservations past their expiry (at most `limit`); safe on several replicas at once. Returns their ids. */
  reapExpired(db: Queryable, now?: Date, limit?: number): Promise<string[]>;
}

/**
 * A hard limit would be exceeded somewhere on the path; nothing was held. Code `quota.exceeded`, status 422
 * (errors.ts): the same answer however often the same ask is sent, whether the quota rule or the hold refused it.
 */
export class QuotaExceededError extends ConflictError {
  constructor(readonly shortfalls: QuotaShortfall[], field?: string) {
    const first = shortfalls[0];
    super(
      first
        ? `quota exceeded at ${first.level} ${first.ref}: ${first.resourceClass} on ${first.cloudId} has ${first.limit - first.used} left, ${first.requested} requested`
        : 'quota exceeded: the system has no quota on that cloud',
      field,
      {
        code: 'quota.exceeded',
        params: first
          ? { level: first.level, ref: first.ref, resourceClass: first.resourceClass, cloudId: first.cloudId, left: Math.max(0, first.limit - first.used), requested: first.requested }
          : {},
      },
    );
  }
}

/** Added: a limit change that the quota's state refuses (below usage, soft above hard); nothing was changed. Maps to BAD_REQUEST. */
export class QuotaError extends InputError {}
