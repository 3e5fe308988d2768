import type { AuditEntry, AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../logger.ts';
import { byCaller, GroupCommit, type GroupCommitOptions, type Outcome, type Submitted } from '../store/group-commit.ts';
import type { Store } from '../store/store.ts';
import type { Reservation, ReserveInput } from './contract.ts';
import type { QuotaServiceImpl } from './quota-service.ts';

type Reserved = { reservation: Reservation; replayed: boolean };

/**
 * Group commit for reservations (store/group-commit.ts). Every reservation locks the counter rows of its whole
 * path, and every path ends at the same province row per cloud and class, so reservations queue on that row
 * whatever we do; a batch locks each path row once, applies the requests in order (only those that do not fit
 * fail), writes the ledger (a line per item), and the primitive appends one audit record per requester listing
 * their reservations.
 */
export class ReserveBatcher {
  private readonly commit: GroupCommit<ReserveInput, Reserved>;

  constructor(
    deps: { store: Store; audit: AuditLog; log: Logger },
    quotas: QuotaServiceImpl,
    options: GroupCommitOptions = { lingerMs: 1, maxBatch: 256 },
  ) {
    this.commit = new GroupCommit(deps, {
      apply: async (tx, batch) => (await quotas.reserveMany(tx, batch.map((b) => b.item), new Date(), { oneTrip: true }))
        .map((o): Outcome<Reserved> => (o.ok ? { ok: true, value: { reservation: o.reservation, replayed: o.replayed } } : o)),
      auditEntries,
    }, options);
  }

  get stats() {
    return this.commit.stats;
  }

  async submit(input: ReserveInput, who: Parameters<GroupCommit<ReserveInput, Reserved>['submit']>[1]): Promise<Reservation> {
    return (await this.commit.submit(input, who)).reservation;
  }
}

/** One audit record per requester in the batch, listing every reservation they were given (replays flagged). */
function auditEntries(batch: readonly Submitted<ReserveInput>[], outcomes: readonly Outcome<Reserved>[]): AuditEntry[] {
  return byCaller(batch, outcomes).map(({ who, items }) => {
    const listed = items.map(({ value: { reservation: r, replayed }, requestId }) => ({
      id: r.id, systemId: r.systemId, idempotencyKey: r.idempotencyKey, items: r.items, ref: r.ref, replayed, requestId,
    }));
    return {
      actorId: who.actorId, actor: who.actor, role: who.role, procedure: who.procedure,
      target: listed.length === 1 ? `reservation:${listed[0]!.id}` : `reservations:${listed.length}`,
      outcome: 'ok', before: null, after: { reservations: listed }, requestId: who.requestId, error: null,
    };
  });
}
