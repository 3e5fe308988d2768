import type { QuotaService } from '../quotas/contract.ts';
import type { Queryable } from '../store/store.ts';

/**
 * Releases a request's hold. A hold the quota reaper already expired holds nothing either: the quota service
 * returns it as it is, and it counts as released. A committed one is a ConflictError.
 */
export async function releaseHold(db: Queryable, quotas: QuotaService, input: { reservationId: string; actor: string; reason: string }): Promise<'released' | 'expired'> {
  const r = await quotas.release(db, input);
  return r.state === 'expired' ? 'expired' : 'released';
}
