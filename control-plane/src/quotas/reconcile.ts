import { underSavepoint } from '../store/savepoint.ts';
import type { Queryable } from '../store/store.ts';
import { driftRepo } from './drift-repo.ts';

/**
 * Usage against what the cloud reports, after each inventory sync of that cloud (the comparison: drift-repo.ts).
 * Nothing is adjusted: usage moves only through the ledger, and an operator decides what a difference means.
 */
export async function reconcileCloud(db: Queryable, cloudId: string, now = new Date()): Promise<{ drifted: number }> {
  return { drifted: await driftRepo.replaceForCloud(db, cloudId, now) };
}

/** The sync's hook: reconciles inside the sync transaction under a savepoint, so a failure here never loses a sync. */
export async function reconcileAfterSync(tx: Queryable, cloudId: string, now: Date): Promise<{ drifted: number } | { error: string }> {
  const r = await underSavepoint(tx, 'quota_reconcile', () => reconcileCloud(tx, cloudId, now));
  return r.ok ? r.value : { error: (r.error as Error).message };
}
