import { z } from 'zod';
import { auditActorOf } from '../audit/actor.ts';
import { ANY_ROLE } from '../auth/roles.ts';
import { assertInScope, type Scope } from '../auth/scope.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { changeRequests } from '../quotas/change-requests.ts';
import { setLimitsOn, setOvercommit } from '../quotas/limits.ts';
import { ensureNodeFor } from '../quotas/nodes.ts';
import { quotaRepo, type NodeRow } from '../quotas/quota-repo.ts';
import {
  checkInputSchema, classSchema, cloudIdSchema, limitSchema, nodeAddressSchema, reasonSchema, reserveInputSchema,
} from '../quotas/quota-schemas.ts';
import { driftRepo } from '../quotas/drift-repo.ts';
import { quotaViews } from '../quotas/views.ts';
import type { Queryable } from '../store/store.ts';
import { loadSystem } from '../systems/system-service.ts';
import { authedProcedure, byIdProcedure, router } from '../trpc.ts';
import { idSchema, pageFields } from '../schemas.ts';

const OPERATORS = ['admin', 'cloud-operator'] as const;
const CHANGE_REQUESTERS = ['admin', 'cloud-operator', 'department-admin'] as const;


/** Province and city nodes are operators' business; department and system nodes follow department scope. */
function assertNodeInScope(scope: Scope, node: NodeRow): void {
  if (scope.departmentIds === null) return;
  if (!node.departmentId) throw new ForbiddenError('province and city quotas are visible to operators only');
  assertInScope(scope, node.departmentId, 'this quota');
}

async function loadNode(db: Queryable, scope: Scope, id: string): Promise<NodeRow> {
  const node = await quotaRepo.nodeById(db, id);
  if (!node) throw new NotFoundError(`no quota node ${id}`);
  assertNodeInScope(scope, node);
  return node;
}

async function systemInScope(db: Queryable, scope: Scope, systemId: string): Promise<void> {
  const node = await quotaRepo.nodeByRef(db, 'system', systemId);
  if (!node) throw new NotFoundError(`system ${systemId} has no quota yet`);
  assertNodeInScope(scope, node);
}

export const quotasRouter = router({
  /** Children of a node (or the roots: the province for operators, the caller's departments for department roles). */
  tree: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ parentId: idSchema.optional(), cloudId: cloudIdSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => {
      if (input.parentId) {
        await loadNode(ctx.db, ctx.scope, input.parentId);
        return { items: await quotaViews.children(ctx.db, input.parentId, input.cloudId) };
      }
      const ids = ctx.scope.departmentIds;
      return { items: ids === null ? await quotaViews.roots(ctx.db, input.cloudId) : await quotaViews.departmentNodes(ctx.db, ids, input.cloudId) };
    }),

  /** The caller's department nodes ("my quota"), for every role that belongs to a department. */
  mine: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ cloudId: cloudIdSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => ({ items: ctx.caller.departmentId ? await quotaViews.departmentNodes(ctx.db, [ctx.caller.departmentId], input.cloudId) : [] })),

  node: byIdProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => quotaViews.node(ctx.db, await loadNode(ctx.db, ctx.scope, input.id))),

  /** A business system's own quota node (its usage per cloud and class), or null while it has none (not onboarded). */
  systemNode: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ systemId: idSchema }))
    .query(async ({ ctx, input }) => {
      await loadSystem(ctx.db, ctx.scope, input.systemId);
      const node = await quotaRepo.nodeByRef(ctx.db, 'system', input.systemId);
      return node ? quotaViews.node(ctx.db, node) : null;
    }),

  ledger: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ nodeId: idSchema, cloudId: cloudIdSchema.optional(), resourceClass: classSchema.optional(), cursor: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => quotaViews.ledger(ctx.db, await loadNode(ctx.db, ctx.scope, input.nodeId), input)),

  /** A usage figure, line by line: counters, the ledger's sums, and the reservations that make them up. */
  explain: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ nodeId: idSchema, cloudId: cloudIdSchema, resourceClass: classSchema }))
    .query(async ({ ctx, input }) => quotaViews.explain(ctx.db, await loadNode(ctx.db, ctx.scope, input.nodeId), input.cloudId, input.resourceClass)),

  history: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ nodeId: idSchema, cloudId: cloudIdSchema.optional(), resourceClass: classSchema, days: z.number().int().min(1).max(366).default(30) }))
    .query(async ({ ctx, input }) => ({ days: await quotaViews.history(ctx.db, await loadNode(ctx.db, ctx.scope, input.nodeId), input) })),

  check: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(checkInputSchema)
    .query(async ({ ctx, input }) => {
      await systemInScope(ctx.db, ctx.scope, input.systemId);
      return ctx.deps.quotas.check(ctx.db, input);
    }),

  setLimits: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({
      node: nodeAddressSchema,
      limits: z.array(z.object({ cloudId: cloudIdSchema, resourceClass: classSchema, limit: limitSchema.nullable(), softLimit: limitSchema.nullable().optional() })).min(1, 'at least one limit').max(60),
      reason: reasonSchema,
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `quota:${input.node.level}:${input.node.ref}`;
      const node = await ensureNodeFor(ctx.db, input.node.level, input.node.ref);
      const changes = await setLimitsOn(ctx.db, node, input.limits.map((l) => ({ ...l, resourceClass: l.resourceClass })), ctx.caller.username, input.reason);
      Object.assign(ctx.audit, { before: changes.map((c) => ({ cloudId: c.cloudId, resourceClass: c.resourceClass, ...c.from })), after: { reason: input.reason, limits: changes.map((c) => ({ cloudId: c.cloudId, resourceClass: c.resourceClass, ...c.to })) } });
      return { nodeId: node.id, changes };
    }),

  overcommit: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({}).default({}))
    .query(async ({ ctx }) => ({ items: await quotaRepo.overcommitRatios(ctx.db) })),

  setOvercommit: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({ cloudId: cloudIdSchema, resourceClass: z.enum(['vcpu', 'memoryGiB'], { message: 'vcpu or memoryGiB' }), ratio: z.number().min(1, 'at least 1').max(16, 'at most 16').multipleOf(0.001, 'at most three decimals') }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.cloudId}:overcommit:${input.resourceClass}`;
      const r = await setOvercommit(ctx.db, input);
      Object.assign(ctx.audit, { before: { ratio: r.from }, after: { ratio: r.to } });
      return r;
    }),

  /**
   * Holds quota for operators and automation. Runs through the process's group-commit batcher (its own
   * transactions, one audit record per batch and requester listing every reservation; the ledger has a line per item).
   */
  reserve: authedProcedure
    .meta({ roles: OPERATORS, selfManaged: true })
    .input(reserveInputSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `system:${input.systemId}`;
      return ctx.deps.quotaRuntime.batcher.submit({ ...input, actor: ctx.caller.username }, auditActorOf(ctx));
    }),

  commit: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({ reservationId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `reservation:${input.reservationId}`;
      const r = await ctx.deps.quotas.commit(ctx.db, { reservationId: input.reservationId, actor: ctx.caller.username });
      ctx.audit.after = { state: r.state, items: r.items };
      return r;
    }),

  release: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({ reservationId: idSchema, reason: reasonSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `reservation:${input.reservationId}`;
      const r = await ctx.deps.quotas.release(ctx.db, { reservationId: input.reservationId, actor: ctx.caller.username, reason: input.reason });
      ctx.audit.after = { state: r.state, items: r.items, reason: input.reason };
      return r;
    }),

  reservations: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ nodeId: idSchema, state: z.enum(['held', 'committed', 'released', 'expired']).optional(), ...pageFields }))
    .query(async ({ ctx, input }) => {
      const node = await loadNode(ctx.db, ctx.scope, input.nodeId);
      return quotaRepo.reservationsUnder(ctx.db, node, input, input);
    }),

  /** Releases expired holds now (the reaper does it on its interval on every replica). */
  reapExpired: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({}).default({}))
    .mutation(async ({ ctx }) => {
      ctx.audit.target = 'quota:reservations';
      const expired = await ctx.deps.quotas.reapExpired(ctx.db, new Date(), 1000);
      ctx.audit.after = { expired };
      return { expired: expired.length };
    }),

  requestChange: authedProcedure
    .meta({ roles: CHANGE_REQUESTERS })
    .input(z.object({ nodeId: idSchema, cloudId: cloudIdSchema, resourceClass: classSchema, limit: limitSchema, softLimit: limitSchema.nullable().optional(), reason: reasonSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `quota-node:${input.nodeId}`;
      const node = await loadNode(ctx.db, ctx.scope, input.nodeId);
      const created = await changeRequests.create(ctx.db, node, input, { userId: ctx.caller.userId, username: ctx.caller.username });
      ctx.audit.after = created;
      return created;
    }),

  decideChange: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({ id: idSchema, decision: z.enum(['approve', 'reject']), reason: reasonSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `quota-change:${input.id}`;
      const { before, after } = await changeRequests.decide(ctx.db, input.id, input.decision, input.reason, { userId: ctx.caller.userId, username: ctx.caller.username });
      Object.assign(ctx.audit, { before: { status: before.status, limit: before.currentLimit }, after: { status: after.status, limit: after.requestedLimit, reason: input.reason } });
      return after;
    }),

  changes: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ status: z.enum(['pending', 'approved', 'rejected', 'applied']).optional(), nodeId: idSchema.optional(), ...pageFields }).prefault({}))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      return changeRequests.list(ctx.db, ctx.scope, filter, { cursor, limit });
    }),

  /** The drift lines in the caller's scope a page at a time by cursor, with their total (the console shows the count). */
  drift: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ cloudId: cloudIdSchema.optional(), ...pageFields }).prefault({}))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      const page = await driftRepo.page(ctx.db, ctx.scope, filter, { cursor, limit });
      return { ...page, total: await driftRepo.total(ctx.db, ctx.scope, filter) };
    }),
});
