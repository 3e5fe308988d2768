import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import type { ResourceClass } from './contract.ts';
import { setLimitsOn } from './limits.ts';
import { changeRequestsRepo, type ChangeRequest } from './change-requests-repo.ts';
import { quotaRepo, type NodeRow } from './quota-repo.ts';

interface Person {
  userId: string;
  username: string;
}

async function byId(db: Queryable, id: string, lock = false): Promise<ChangeRequest> {
  const row = await changeRequestsRepo.byId(db, id, lock);
  if (!row) throw new NotFoundError(`no quota change request ${id}`);
  return row;
}

/**
 * Quota-change requests. A decrease (or a first cap where there was none) applies at once — never below
 * usage — and is recorded as applied; an increase waits for an admin or cloud operator who is not the requester.
 */
export const changeRequests = {
  byId,

  async create(db: Queryable, node: NodeRow, input: { cloudId: string; resourceClass: ResourceClass; limit: number; softLimit?: number | null; reason: string }, by: Person): Promise<ChangeRequest> {
    const [row] = await quotaRepo.readRows(db, [{ nodeId: node.id, cloudId: input.cloudId, resourceClass: input.resourceClass }]);
    const current = row?.limit ?? null;
    const increase = current !== null && input.limit > current;
    const id = newId();
    if (!increase) {
      await setLimitsOn(db, node, [{ cloudId: input.cloudId, resourceClass: input.resourceClass, limit: input.limit, ...(input.softLimit !== undefined ? { softLimit: input.softLimit } : {}) }], by.username, `change request ${id}: ${input.reason}`);
    }
    await changeRequestsRepo.insert(db, {
      id, nodeId: node.id, cloudId: input.cloudId, resourceClass: input.resourceClass, currentLimit: current, requestedLimit: input.limit, requestedSoft: input.softLimit ?? null,
      reason: input.reason, status: increase ? 'pending' : 'applied', requestedBy: by.userId, requestedByName: by.username, decidedAt: increase ? null : new Date(),
    });
    return byId(db, id);
  },

  async decide(db: Queryable, id: string, decision: 'approve' | 'reject', reason: string, by: Person): Promise<{ before: ChangeRequest; after: ChangeRequest }> {
    const before = await byId(db, id, true);
    if (before.status !== 'pending') throw new ConflictError(`quota change request ${id} is already ${before.status}`);
    if (before.requestedBy === by.userId) throw new ForbiddenError('nobody approves or rejects their own quota change request');
    if (decision === 'approve') {
      const node = (await quotaRepo.nodeById(db, before.nodeId))!;
      await setLimitsOn(db, node, [{ cloudId: before.cloudId, resourceClass: before.resourceClass, limit: before.requestedLimit, ...(before.requestedSoft !== null ? { softLimit: before.requestedSoft } : {}) }], by.username, `change request ${id} approved: ${reason}`);
    }
    await changeRequestsRepo.setDecision(db, id, { status: decision === 'approve' ? 'approved' : 'rejected', byId: by.userId, byName: by.username, reason });
    return { before, after: await byId(db, id) };
  },

  list: changeRequestsRepo.list,
};
