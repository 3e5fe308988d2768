import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { requestsRepo, type RequestRow } from '../requests/requests-repo.ts';
import { changeSchema } from '../resources/change-items.ts';
import { loadResource, submitChange } from '../resources/change-service.ts';
import { driftOf } from '../resources/drift.ts';
import { idleCandidates, pageIdle } from '../resources/idle.ts';
import { noticesRepo } from '../resources/notices-repo.ts';
import { RESOURCE_STATES, resourcesRepo, type ResourceRow } from '../resources/resources-repo.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { authedProcedure, byIdProcedure, router } from '../trpc.ts';
import { PAGE_DEFAULT, idSchema, pageFields } from '../schemas.ts';
import { requestStepsRepo } from '../requests/request-steps-repo.ts';

const REQUESTERS = ['admin', 'department-admin', 'department-user'] as const;
const KINDS = ['host', 'volume', 'workload', 'segment'] as const;
const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id such as nanchang');
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const view = (r: ResourceRow) => ({ ...r, expiresAt: iso(r.expiresAt), expiryNoticedAt: iso(r.expiryNoticedAt), createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)!, releasedAt: iso(r.releasedAt) });

const requestView = (r: RequestRow) => ({
  id: r.id, kind: r.kind, title: r.title, status: r.status, requesterName: r.requesterName, action: r.change?.action ?? 'create',
  items: r.items, error: r.error, workflowId: r.workflowId, submittedAt: iso(r.submittedAt)!, finishedAt: iso(r.finishedAt),
  after: r.change?.after?.spec ?? null,
});

/** Resources delivered by requests (issue 16): the department's own, or all of them for province-wide roles. */
export const resourcesRouter = router({
  list: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({
      systemId: idSchema.optional(), cloudId: cloudIdSchema.optional(), kind: z.enum(KINDS).optional(),
      /** Without a state: every resource that is not released. */
      state: z.enum(RESOURCE_STATES).optional(),
      limit: z.number().int().min(1).max(500).default(50),
      /** `nextCursor` of the previous page. */
      cursor: pageFields.cursor,
    }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filters } = input;
      const page = await resourcesRepo.page(ctx.db, { departmentIds: ctx.scope.departmentIds, ...filters }, { cursor, limit });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    }),

  /** One resource with its history: the request that created it and every change, each with its workflow's steps. */
  get: byIdProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => {
      const r = await loadResource(ctx.db, ctx.scope, input.id);
      const history = [];
      for (const req of await requestsRepo.ofResource(ctx.db, r.id)) {
        const workflow = req.workflowId ? await workflowsRepo.byId(ctx.db, req.workflowId) : undefined;
        // The creating request's workflow makes all its resources: only this one's step and the shared ones.
        const steps = workflow ? (await workflowsRepo.steps(ctx.db, workflow.id)).filter((s) => req.kind === 'change' || !s.key.includes(':') || s.key === `${r.kind}:${r.name}`) : [];
        history.push({
          request: requestView(req),
          events: (await requestStepsRepo.events(ctx.db, req.id)).map((e) => ({ ...e, at: iso(e.at)! })),
          workflow: workflow ? { id: workflow.id, status: workflow.status, stepsDone: workflow.stepsDone, stepsTotal: workflow.stepsTotal, steps } : null,
        });
      }
      return { ...view(r), history, dependents: await resourcesRepo.dependents(ctx.db, r.id) };
    }),

  /**
   * Drift per resource: what its cloud shows compared with what was delivered (a lost object, a size changed
   * outside Ganyun). Asks the clouds; at most 100 resources a call (a page of the list, or one system's).
   */
  drift: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ ids: z.array(idSchema).min(1).max(100).optional(), systemId: idSchema.optional() })
      .refine((i) => i.ids !== undefined || i.systemId !== undefined, { message: 'name resources (ids) or a system (systemId)', path: ['ids'] }))
    .query(async ({ ctx, input }) => {
      const rows = await resourcesRepo.list(ctx.db, { departmentIds: ctx.scope.departmentIds, ...(input.ids ? { ids: input.ids } : {}), ...(input.systemId ? { systemId: input.systemId } : {}) });
      // Only what is meant to exist on the cloud now: a resource being created, changed or released is in motion.
      return { items: await driftOf(ctx.deps.federation, rows.filter((x) => x.state === 'active').slice(0, 100)) };
    }),

  /**
   * Idle hosts and workloads, as candidates for reclamation: operators (and admins) see every department's, from the
   * utilisation their clouds report (`features.utilisation`); a cloud that does not measure use is named, not guessed.
   */
  idle: authedProcedure
    .meta({ roles: ['admin', 'cloud-operator'] })
    .input(z.object({
      cloudId: cloudIdSchema.optional(),
      /** At or below this mean CPU use over the cloud's window a resource counts as idle. */
      maxCpuPercent: z.number().min(0, 'at least 0').max(100, 'at most 100').default(5),
      maxMemoryPercent: z.number().min(0, 'at least 0').max(100, 'at most 100').default(100),
      ...pageFields,
    }).default({ maxCpuPercent: 5, maxMemoryPercent: 100, limit: PAGE_DEFAULT }))
    .query(async ({ ctx, input }) => {
      // Computed per call (the clouds are asked each time), then paged in memory by cursor: see pageIdle.
      const { cursor, limit, cloudId, ...thresholds } = input;
      const rows = await resourcesRepo.activeCompute(ctx.db, { departmentIds: ctx.scope.departmentIds, cloudId });
      const { items, sources } = await idleCandidates(ctx.deps.federation, rows, thresholds);
      return { ...pageIdle(items, { cursor, limit }), sources };
    }),

  /** The caller's own notices about resources (the reminder before an end date), newest first. */
  notices: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ unreadOnly: z.boolean().default(false), ...pageFields }).default({ unreadOnly: false, limit: PAGE_DEFAULT }))
    .query(async ({ ctx, input }) => {
      const page = await noticesRepo.ofUser(ctx.db, ctx.caller.userId, { unreadOnly: input.unreadOnly }, { cursor: input.cursor, limit: input.limit });
      return { items: page.items.map((n) => ({ ...n, dueAt: iso(n.dueAt)!, createdAt: iso(n.createdAt)!, readAt: iso(n.readAt) })), nextCursor: page.nextCursor };
    }),

  /** Marks one of the caller's own notices read. */
  markNoticeRead: byIdProcedure(ANY_ROLE)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `resource-notice:${input.id}`;
      if (!(await noticesRepo.markRead(ctx.db, ctx.caller.userId, input.id, new Date()))) throw new NotFoundError(`no notice ${input.id} of yours`);
      return { id: input.id };
    }),

  /**
   * Sets (or clears) a resource's end date (到期); moving it renews the resource: a notice given for the old date no
   * longer counts. The department's requesters and admins; the date lies ahead.
   */
  setEndDate: authedProcedure
    .meta({ roles: REQUESTERS })
    .input(z.object({ id: idSchema, endDate: z.iso.datetime({ offset: true, message: 'an ISO date-time such as 2027-01-31T00:00:00+08:00' }).nullable() }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `resource:${input.id}`;
      const before = await loadResource(ctx.db, ctx.scope, input.id, { forUpdate: true });
      if (before.state !== 'active') throw new ConflictError(`resource ${before.name} is ${before.state}: only an active resource gets an end date`, 'id');
      const endDate = input.endDate === null ? null : new Date(input.endDate);
      if (endDate && endDate.getTime() <= Date.now()) throw new InputError('the end date must lie ahead', 'endDate');
      await resourcesRepo.setEndDate(ctx.db, before.id, endDate);
      const after = (await resourcesRepo.byId(ctx.db, before.id))!;
      Object.assign(ctx.audit, { before: { expiresAt: iso(before.expiresAt) }, after: { expiresAt: iso(after.expiresAt) } });
      return view(after);
    }),

  /** A resize or a release, as a request through the approval chain (see resources/change-service.ts). */
  submitChange: authedProcedure
    .meta({ roles: REQUESTERS })
    .input(z.object({
      resourceId: idSchema, change: changeSchema,
      title: z.string().trim().min(2, 'at least 2 characters').max(200, 'at most 200 characters').optional(),
      reason: z.string().trim().min(2, 'give a reason (at least 2 characters)').max(2000, 'at most 2000 characters'),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `resource:${input.resourceId}`;
      const id = await submitChange(ctx.db, { quotas: ctx.deps.quotas }, ctx.caller, ctx.scope, input);
      const row = (await requestsRepo.byId(ctx.db, id))!;
      Object.assign(ctx.audit, { after: { requestId: id, change: row.change?.action, resourceId: input.resourceId, items: row.items, reservationId: row.reservationId } });
      return { ...requestView(row), reservationId: row.reservationId };
    }),
});
