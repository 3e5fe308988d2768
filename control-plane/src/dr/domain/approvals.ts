/**
 * 双人复核 (two-person rule). A manual step of a real failover or switchover needs two confirmations by
 * different people; a drill's needs one. Starting a real failover needs an operator and a second approver
 * who is not the operator. The same person approving twice is refused, naming the rule.
 */
import { ConflictError } from '../../errors.ts';

export const OPERATION_KINDS = ['drill', 'switchover', 'failover', 'failback', 'reprotect'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** Operations that move real production traffic or data: they need the second person. */
export const REAL_OPERATIONS: ReadonlySet<OperationKind> = new Set(['switchover', 'failover', 'failback', 'reprotect']);

export function confirmationsRequired(kind: OperationKind): 1 | 2 {
  return REAL_OPERATIONS.has(kind) ? 2 : 1;
}

export interface Confirmation {
  readonly userId: string;
  readonly username: string;
  readonly at: string;
}

/**
 * Adds a confirmation; returns the new list and whether the step is now confirmed. A second confirmation
 * by someone who already confirmed is a conflict (nothing changes).
 */
export function addConfirmation(existing: readonly Confirmation[], c: Confirmation, required: 1 | 2): { confirmations: Confirmation[]; complete: boolean } {
  if (existing.length >= required) throw new ConflictError('this step is already confirmed');
  if (existing.some((e) => e.userId === c.userId)) {
    throw new ConflictError(`${c.username} has already confirmed this step: 双人复核 needs a second, different person`, 'approver');
  }
  const confirmations = [...existing, c];
  return { confirmations, complete: confirmations.length >= required };
}

/** A real operation is approved by a different person than the operator who requested it. */
export function checkSecondApprover(kind: OperationKind, operatorId: string, approverId: string | undefined): void {
  if (!REAL_OPERATIONS.has(kind)) return;
  if (approverId === undefined) throw new ConflictError(`a ${kind} needs a second approver (双人复核)`, 'approver');
  if (approverId === operatorId) throw new ConflictError(`the second approver of a ${kind} must be a different person from the operator (双人复核)`, 'approver');
}
