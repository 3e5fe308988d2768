import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { assertInScope, inScope } from '../auth/scope.ts';
import type { Context } from '../context.ts';
import { ForbiddenError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { RESOURCE_CLASSES } from '../quotas/contract.ts';
import { chainStepsSchema } from '../requests/chains.ts';
import { chainsRepo } from '../requests/chains-repo.ts';
import { assessRequest } from '../requests/request-assessment.ts';
import { cancelRequest, decide, isOverdue, quotaOfAsk, submitRequest, type Services } from '../requests/request-service.ts';
import { cloudCatalogue, type Catalogue } from '../resources/cloud-catalogue.ts';
import { planResources } from '../resources/item-checks.ts';
import { requestCatalogue } from '../resources/request-catalogue.ts';
import { resourceItemsSchema } from '../resources/resource-items.ts';
import { REQUEST_STATUSES, requestsRepo, type RequestRow } from '../requests/requests-repo.ts';
import type { Queryable } from '../store/store.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { loadSystem } from '../systems/system-service.ts';
import { authedProcedure, byIdProcedure, commitUnitOfWork, pageProcedure, router } from '../trpc.ts';
import { idSchema, PAGE_MAX, pageFields } from '../schemas.ts';
import { requestStepsRepo, type StepRow } from '../requests/request-steps-repo.ts';

const REQUESTERS = ['admin', 'department-admin', 'department-user'] as const;
const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id such as nanchang');
const itemsSchema = z.array(z.object({
  resourceClass: z.enum(RESOURCE_CLASSES, `one of ${RESOURCE_CLASSES.join(', ')}`),
  amount: z.number().int('a whole number').min(1, 'at least 1').max(100_000, 'at most 100,000 per item'),
})).max(RESOURCE_CLASSES.length).refine((l) => new Set(l.map((i) => i.resourceClass)).size === l.length, 'each resource class once');
const reasonSchema = z.string().trim().min(2, 'give a reason (at least 2 characters)').max(1000, 'at most 1000 characters');
/** Resources (hosts, volumes, workloads, segments) and/or quota-only items; the quota is derived from both. */
const askSchema = z.object({ systemId: idSchema, cloudId: cloudIdSchema.optional(), items: itemsSchema.default([]), resources: resourceItemsSchema.default([]) })
  .refine((a) => a.items.length + a.resources.length > 0, { message: 'name at least one resource or quota item', path: ['items'] });

const services = (ctx: Context): Services => ({ quotas: ctx.deps.quotas, engine: ctx.deps.engine });
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A request the caller may see: in their department scope, or one they are an approver of. */
async function loadRequest(db: Queryable, ctx: { scope: { departmentIds: string[] | null }; caller: { userId: string } }, id: string, forUpdate = false): Promise<RequestRow> {
  const r = await requestsRepo.byId(db, id, { forUpdate });
  if (!r) throw new NotFoundError(`no request ${id}`);
  if (!inScope(ctx.scope, r.departmentId)) {
    const steps = await requestStepsRepo.steps(db, id);
    if (!steps.some((s) => s.approverIds.includes(ctx.caller.userId))) throw new ForbiddenError('that request belongs to another department');
  }
  return r;
}

/**
 * loadRequest for a decision: the row locked, then the request with its steps and decisions in one statement (the
 * department scope checked as loadRequest does, on the steps read with it).
 */
async function loadForDecision(db: Queryable, ctx: { scope: { departmentIds: string[] | null }; caller: { userId: string } }, id: string) {
  const read = (await requestsRepo.lock(db, id)) ? await requestsRepo.withSteps(db, id, { decisions: true }) : undefined;
  if (!read) throw new NotFoundError(`no request ${id}`);
  if (!inScope(ctx.scope, read.request.departmentId) && !read.steps.some((s) => s.approverIds.includes(ctx.caller.userId))) {
    throw new ForbiddenError('that request belongs to another department');
  }
  return read;
}

async function summary(db: Queryable, r: RequestRow, now = new Date()) {
  return summaryOf(r, await requestStepsRepo.steps(db, r.id), now);
}

/** A request as the mutations and `get` answer it (and as the lists did before `requestsRepo.listPage`: the spec compares them). */
export function summaryOf(r: RequestRow, steps: StepRow[], now: Date) {
  const active = steps.find((s) => s.status === 'active');
  return {
    ...r, submittedAt: iso(r.submittedAt)!, decidedAt: iso(r.decidedAt), finishedAt: iso(r.finishedAt), updatedAt: iso(r.updatedAt)!,
    activeStep: active ? { name: active.name, mode: active.mode, dueAt: iso(active.dueAt) } : null,
    overdue: steps.some((s) => isOverdue(s, now)),
  };
}

const image = (r: RequestRow) => ({ id: r.id, status: r.status, systemId: r.systemId, cloudId: r.cloudId, items: r.items,
  resources: r.resources.map((p) => ({ id: p.id, kind: p.kind, name: p.name })), units: r.units, quotaIncrease: r.quotaIncrease, reservationId: r.reservationId, currentStep: r.currentStep, workflowId: r.workflowId });

export const requestsRouter = router({
  /** What a request would meet: placement, policy results, quota check, approval chain. Changes nothing. */
  /** What a request would meet (and, for resources, whether they pass the checks: a refusal names the field). */
  preview: authedProcedure
    .meta({ roles: REQUESTERS })
    .input(askSchema)
    .query(async ({ ctx, input }) => {
      const system = await loadSystem(ctx.db, ctx.scope, input.systemId);
      const items = quotaOfAsk(input);
      const a = await assessRequest(ctx.db, ctx.deps.quotas, system, items, input.cloudId);
      let resources: { kind: string; name: string }[] = [];
      if (input.resources.length && a.cloudId) {
        const catalogue = await cloudCatalogue(ctx.deps.federation, a.cloudId);
        resources = (await planResources(ctx.db, { system, cloudId: a.cloudId, resources: input.resources, catalogue, departmentIds: ctx.scope.departmentIds }))
          .map((p) => ({ kind: p.kind, name: p.name }));
      }
      return { ...a, items, resources };
    }),

  /**
   * What the request form offers for a system (the department's own, or any for province-wide roles): the clouds
   * placement allows and, for the named or chosen one, flavours, images and platforms allowed by the system's
   * 信创 and architecture needs, networks with address pools, and its live segments and hosts. Reads the cloud's
   * catalogue through the federation; changes nothing.
   */
  catalogue: authedProcedure
    .meta({ roles: REQUESTERS })
    .input(z.object({ systemId: idSchema, cloudId: cloudIdSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const system = await loadSystem(ctx.db, ctx.scope, input.systemId);
      return requestCatalogue(ctx.db, ctx.deps.federation, system, input.cloudId);
    }),

  /**
   * Self-managed: the cloud's catalogue is read (network I/O for a remote cloud) before the transaction opens;
   * the submit then checks the resources against it and commits with its audit record.
   */
  submit: authedProcedure
    .meta({ roles: REQUESTERS, selfManaged: true })
    .input(askSchema.safeExtend({ title: z.string().trim().min(2, 'at least 2 characters').max(200, 'at most 200 characters'), reason: z.string().trim().max(2000).default('') }))
    .mutation(async ({ ctx, input }) => {
      let catalogue: { cloudId: string; catalogue: Catalogue } | undefined;
      if (input.resources.length) {
        const system = await loadSystem(ctx.db, ctx.scope, input.systemId);
        const cloudId = input.cloudId ?? (await assessRequest(ctx.db, ctx.deps.quotas, system, quotaOfAsk(input))).cloudId;
        if (cloudId) catalogue = { cloudId, catalogue: await cloudCatalogue(ctx.deps.federation, cloudId) };
      }
      const after = await commitUnitOfWork(ctx, 'requests.submit', async (tx) => {
        const system = await loadSystem(tx, ctx.scope, input.systemId, { forUpdate: true });
        const id = await submitRequest(tx, services(ctx), ctx.caller, system, { ...input, ...(catalogue ? { catalogue } : {}), departmentIds: ctx.scope.departmentIds });
        // The new request and its steps in one statement (the answer's active step), within the transaction.
        const row = (await requestsRepo.withSteps(tx, id))!;
        Object.assign(ctx.audit, { target: `request:${id}`, after: image(row.request) });
        return row;
      });
      return summaryOf(after.request, after.steps, new Date());
    }),

  approve: decision('approve'),
  reject: decision('reject'),

  cancel: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ id: idSchema, reason: reasonSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `request:${input.id}`;
      const before = await loadRequest(ctx.db, ctx, input.id, true);
      await cancelRequest(ctx.db, services(ctx), ctx.caller, before, input.reason);
      const after = (await requestsRepo.byId(ctx.db, input.id))!;
      Object.assign(ctx.audit, { before: image(before), after: image(after) });
      return summary(ctx.db, after);
    }),

  list: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({
      mine: z.boolean().optional(), status: z.enum(REQUEST_STATUSES).optional(), systemId: idSchema.optional(), limit: z.number().int().min(1).max(500).default(200),
      /** `nextCursor` of the previous page. */
      cursor: pageFields.cursor,
    }).default({ limit: 200 }))
    .query(async ({ ctx, input }) => {
      // List rows (requestsRepo.listPage): one statement with the active step folded in, no detail-only JSON.
      return requestsRepo.listPage(ctx.db, {
        departmentIds: ctx.scope.departmentIds, requesterId: input.mine ? ctx.caller.userId : undefined, status: input.status, systemId: input.systemId,
      }, input, new Date());
    }),

  /** What waits on the caller: requests whose current step names them and that they have not decided. */
  /**
   * Paged newest first like requests.list, with `total` (the count the console shows beside the queue). The
   * page size defaults to the largest page, so a console reading one page sees the queue as it did unpaged.
   */
  queue: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ ...pageFields, limit: pageFields.limit.removeDefault().default(PAGE_MAX) }).prefault({}))
    .query(async ({ ctx, input }) => {
      const page = await requestsRepo.listPage(ctx.db, { departmentIds: null, approverId: ctx.caller.userId }, input, new Date());
      return { ...page, total: await requestsRepo.queueTotal(ctx.db, ctx.caller.userId) };
    }),

  get: byIdProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => {
      const r = await loadRequest(ctx.db, ctx, input.id);
      const now = new Date();
      const decisions = await requestStepsRepo.decisions(ctx.db, r.id);
      const workflow = r.workflowId ? await workflowsRepo.byId(ctx.db, r.workflowId) : undefined;
      return {
        ...(await summary(ctx.db, r, now)),
        steps: (await requestStepsRepo.steps(ctx.db, r.id)).map((s) => ({
          ...s, startedAt: iso(s.startedAt), dueAt: iso(s.dueAt), decidedAt: iso(s.decidedAt), overdue: isOverdue(s, now),
          decisions: decisions.filter((d) => d.stepIdx === s.idx).map((d) => ({ ...d, at: iso(d.at)! })),
        })),
        events: (await requestStepsRepo.events(ctx.db, r.id)).map((e) => ({ ...e, at: iso(e.at)! })),
        workflow: workflow ? { id: workflow.id, status: workflow.status, stepsDone: workflow.stepsDone, stepsTotal: workflow.stepsTotal } : null,
        canDecide: r.status === 'pending' && r.requesterId !== ctx.caller.userId
          && (await requestsRepo.list(ctx.db, { departmentIds: null, approverId: ctx.caller.userId, ids: [r.id] })).length === 1,
      };
    }),

  chains: pageProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => chainsRepo.page(ctx.db, ctx.scope, input)),

  /** Admins configure any chain (null department = the general one); department admins their own department's. */
  saveChain: authedProcedure
    .meta({ roles: ['admin', 'department-admin'] })
    .input(z.object({
      id: idSchema.optional(), departmentId: idSchema.nullable(), name: z.string().trim().min(1, 'required').max(100),
      minUnits: z.number().min(0, 'not negative').max(1_000_000), steps: chainStepsSchema,
    }))
    .mutation(async ({ ctx, input }) => {
      if (input.departmentId === null && ctx.scope.departmentIds !== null) throw new ForbiddenError('only an admin sets the general chain');
      if (input.departmentId) assertInScope(ctx.scope, input.departmentId, 'that department');
      const before = input.id ? await chainsRepo.byId(ctx.db, input.id) : undefined;
      if (input.id && !before) throw new NotFoundError('no such chain');
      if (before && before.departmentId !== input.departmentId) throw new InputError('a chain cannot move to another department', 'departmentId');
      for (const s of input.steps) {
        if (!('users' in s.approvers)) continue;
        if ((await chainsRepo.knownUsers(ctx.db, s.approvers.users)).length !== s.approvers.users.length) throw new InputError(`step “${s.name}” names an unknown user`, 'steps');
      }
      const id = input.id ?? newId();
      if (await chainsRepo.thresholdTaken(ctx.db, { id, departmentId: input.departmentId, minUnits: input.minUnits })) throw new InputError('another chain of this department starts at the same size', 'minUnits');
      await chainsRepo.upsert(ctx.db, { id, departmentId: input.departmentId, name: input.name, minUnits: input.minUnits, steps: input.steps });
      const after = (await chainsRepo.byId(ctx.db, id))!;
      Object.assign(ctx.audit, { target: `approval-chain:${id}`, before: before ?? null, after });
      return after;
    }),
});

function decision(kind: 'approve' | 'reject') {
  return authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ id: idSchema, reason: reasonSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `request:${input.id}`;
      const { request: before, steps, decisions } = await loadForDecision(ctx.db, ctx, input.id);
      await decide(ctx.db, services(ctx), ctx.caller, before, kind, input.reason, { steps, decisions });
      // The request and its steps as the decision left them, in one statement.
      const after = (await requestsRepo.withSteps(ctx.db, input.id))!;
      Object.assign(ctx.audit, { before: image(before), after: { ...image(after.request), decision: kind, reason: input.reason } });
      return summaryOf(after.request, after.steps, new Date());
    });
}
