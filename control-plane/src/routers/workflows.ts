import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { assertInScope } from '../auth/scope.ts';
import { NotFoundError } from '../errors.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { authedProcedure, byIdProcedure, router } from '../trpc.ts';
import { idSchema, pageFields } from '../schemas.ts';

const READERS = ['admin', 'cloud-operator', 'network-engineer', 'auditor', 'department-admin', 'department-user'] as const;
const STEERERS = ['admin', 'cloud-operator'] as const;
const STATUSES = ['running', 'paused', 'succeeded', 'failed', 'compensating', 'cancelling', 'cancelled', 'needs-attention'] as const;
/** How often a progress subscription looks for new events: the store is the bus, so replicas need no broker. */
const PROGRESS_POLL_MS = 300;

export const workflowsRouter = router({
  list: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({
      status: z.enum(STATUSES).optional(), kind: z.string().max(64).optional(), limit: z.number().int().min(1).max(500).default(100),
      /** `nextCursor` of the previous page. */
      cursor: pageFields.cursor,
    }).default({ limit: 100 }))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      return workflowsRepo.list(ctx.db, { departmentIds: ctx.scope.departmentIds, ...filter }, { cursor, limit });
    }),

  get: byIdProcedure(READERS)
    .query(async ({ ctx, input }) => {
      const workflow = await workflowsRepo.byId(ctx.db, input.id);
      if (!workflow) throw new NotFoundError('workflow not found');
      if (ctx.scope.departmentIds !== null) assertInScope(ctx.scope, workflow.departmentId, 'that workflow');
      return { ...workflow, steps: await workflowsRepo.steps(ctx.db, input.id) };
    }),

  pause: steer('pause'),
  resume: steer('resume'),
  cancel: steer('cancel'),

  /** Progress events from `afterSeq` on (replayed from the store, then live), ending with the workflow. */
  onProgress: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ id: idSchema, afterSeq: z.number().int().min(0).default(0) }))
    .subscription(async function* ({ ctx, input, signal }) {
      const workflow = await workflowsRepo.byId(ctx.deps.store, input.id);
      if (!workflow) throw new NotFoundError('workflow not found');
      if (ctx.scope.departmentIds !== null) assertInScope(ctx.scope, workflow.departmentId, 'that workflow');
      let seq = input.afterSeq;
      while (!signal?.aborted) {
        const events = await workflowsRepo.eventsAfter(ctx.deps.store, input.id, seq);
        const now = events.length ? await workflowsRepo.byId(ctx.deps.store, input.id) : undefined;
        for (const event of events) {
          seq = event.seq;
          yield { ...event, status: now!.status, stepsDone: now!.stepsDone, stepsTotal: now!.stepsTotal };
          if (/^workflow\.(succeeded|failed|cancelled)$/.test(event.kind)) return;
        }
        if (events.length === 0) await sleep(PROGRESS_POLL_MS, undefined, { signal }).catch(() => undefined);
      }
    }),
});

function steer(op: 'pause' | 'resume' | 'cancel') {
  return byIdProcedure(STEERERS)
    .mutation(async ({ ctx, input }) => {
      const before = await workflowsRepo.byId(ctx.db, input.id);
      await ctx.deps.engine[op](ctx.db, input.id);
      const after = await workflowsRepo.byId(ctx.db, input.id);
      Object.assign(ctx.audit, { target: `workflow:${input.id}`, before: { status: before?.status }, after: { status: after?.status } });
      return after!;
    });
}
