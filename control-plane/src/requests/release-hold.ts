import { ConflictError } from '../errors.ts';
import type { QuotaService } from '../quotas/contract.ts';
import type { Queryable } from '../store/store.ts';

/**
 * Releases a request's hold. A hold the quota reaper already expired holds nothing either, so it counts
 * as released (the quota service refuses to release it with a ConflictError); a committed one does not.
 * The state is read from the quota's reservations table because the contract has no getter.
 */
export async function releaseHold(db: Queryable, quotas: QuotaService, input: { reservationId: string; actor: string; reason: string }): Promise<'released' | 'expired'> {
  try {
    await quotas.release(db, input);
    return 'released';
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const [row] = await db.query<{ state: string }>('SELECT state FROM quota_reservations WHERE id = $1', [input.reservationId]);
    if (row?.state === 'expired') return 'expired';
    throw error;
  }
}
