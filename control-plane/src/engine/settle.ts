import type { Queryable } from '../store/store.ts';
import { workflowsRepo } from './workflows-repo.ts';

// How a workflow ends: the unwind a failed step starts, and the final status once nothing is left to run or undo.
// Called by the runner in the transaction that records a step's result, and by the engine (cancel, resume).

/**
 * A failed step: skip what has not started and undo what has succeeded or may have (unknown outcome).
 * An undo that cannot be completed does not stop the others: its step waits as needs-attention and the
 * workflow ends so once the rest is undone (settle).
 */
export async function startUnwinding(tx: Queryable, workflowId: string, error: string) {
  await workflowsRepo.skipPending(tx, workflowId);
  // Steps to undo are claimable from the commit on, by any replica.
  await workflowsRepo.notifyWork(tx);
  if (await workflowsRepo.setStatus(tx, workflowId, 'compensating', { from: ['running', 'paused'], error })) {
    await workflowsRepo.addEvent(tx, { workflowId, kind: 'workflow.compensating', data: { error } });
  }
}

/** Moves a workflow to its final status once nothing is left to run or to undo. Serialised by the row lock. */
export async function settle(tx: Queryable, workflowId: string, lockedStatus?: string): Promise<void> {
  // NO KEY UPDATE, not UPDATE: event inserts hold KEY SHARE on this row (their foreign key), and FOR UPDATE
  // would deadlock two finishers that each inserted an event. Taken (or already held) after the caller's own
  // step is written; the statements after it see every step committed before the lock,
  // so of two steps finishing together the second always sees the first and closes the workflow.
  // A caller that took the lock in this transaction, and changed nothing of the workflow since, passes the status it read.
  const status = lockedStatus ?? await workflowsRepo.lockForSettle(tx, workflowId);
  if (!status) return;
  if (status === 'running' || status === 'paused') {
    await workflowsRepo.succeedIfDone(tx, workflowId);
    return;
  }
  if (status !== 'compensating' && status !== 'cancelling') return;
  if (!(await workflowsRepo.hasUndoLeft(tx, workflowId))) {
    const attention = await workflowsRepo.needingAttention(tx, workflowId);
    if (attention.length > 0) {
      const error = `needs attention: ${attention.map((a) => `${a.attention ?? a.key} (${a.error ?? 'outcome unknown'})`).join('; ')}`.slice(0, 2000);
      await workflowsRepo.setStatus(tx, workflowId, 'needs-attention', { error });
      await workflowsRepo.addEvent(tx, { workflowId, kind: 'workflow.needs-attention', data: { objects: attention.map((a) => a.attention ?? a.key) } });
      return;
    }
    const final = status === 'cancelling' ? 'cancelled' : 'failed';
    await workflowsRepo.setStatus(tx, workflowId, final);
    await workflowsRepo.addEvent(tx, { workflowId, kind: `workflow.${final}` });
  }
}
