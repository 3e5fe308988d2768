import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { DrOperation } from '@ganyun/providers';
import type { Context } from '../context.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { calendarOf, cancelDrill, scheduleDrill } from '../dr/calendar-service.ts';
import { calendarRepo } from '../dr/calendar-repo.ts';
import { dsnSchema, probeConnectionIdSchema, probeConnectionsRepo } from '../dr/probe-connections-repo.ts';
import { assertInScope } from '../auth/scope.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { approveRun, confirmStep, RUN_KINDS, startRun } from '../dr/run-service.ts';
import { runRepo } from '../dr/run-repo.ts';
import { runView } from '../dr/run-view.ts';
import { reportDigest, reportOf } from '../dr/run-closer.ts';
import { renderReportPdf } from '../dr/report-pdf.ts';
import { renderReportHtml } from '../dr/report-html.ts';
import type { DrReport } from '../dr/domain/report.ts';
import { centresRepo } from '../dr/centres-repo.ts';
import { refreshCentres, refreshLinks } from '../dr/centre-service.ts';
import { centreIdSchema, planDraftSchema, protectionInputSchema } from '../dr/dr-schemas.ts';
import { DEFAULT_LEVEL_TARGETS, ELEMENTS, LEVEL_NAMES, STANDARDS } from '../dr/domain/gbt20988.ts';
import { planRepo } from '../dr/plan-repo.ts';
import { capabilitiesOf, checkDraft, edgesOf, estimateOf, savePlan } from '../dr/plan-service.ts';
import { protectionRepo } from '../dr/protection-repo.ts';
import { createProtection, deleteProtection, loadGroup, readinessOf } from '../dr/protection-service.ts';
import { authedProcedure, byIdProcedure, commitUnitOfWork, router } from '../trpc.ts';
import { PAGE_DEFAULT, idSchema, pageFields } from '../schemas.ts';

/** Departments read their own systems' DR; auditors read everything; cloud operators (and admins) manage. */
export const DR_READERS = ['admin', 'cloud-operator', 'auditor', 'department-admin', 'department-user'] as const;
export const DR_MANAGERS = ['admin', 'cloud-operator'] as const;

/** A cloud's declared DR operations (connect is cheap on every provider and goes through the resilient wrapper). */
function drCapabilities(ctx: Context) {
  return async (cloudId: string): Promise<readonly DrOperation[] | undefined> => {
    try {
      const info = await ctx.deps.federation.provider(cloudId).connect({ signal: AbortSignal.timeout(ctx.deps.federation.options.fanOutDeadlineMs) });
      return info.capabilities.dr?.operations ?? [];
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
}

const protectionRouter = router({
  list: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ systemId: idSchema.optional(), ...pageFields }).prefault({}))
    .query(async ({ ctx, input }) => protectionRepo.page(ctx.db, ctx.scope, input.systemId ? { systemId: input.systemId } : {}, input)),

  get: byIdProcedure(DR_READERS)
    .query(async ({ ctx, input }) => {
      const group = await loadGroup(ctx.db, ctx.scope, input.id);
      return { ...group, readiness: await readinessOf(ctx.db, ctx.scope, { systemIds: group.systemIds }), plans: await planRepo.list(ctx.db, [group.id]) };
    }),

  /** Per system in the caller's scope: protected or not, against its DR level, links, capacity, mappings, drills. */
  readiness: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ systemIds: z.array(idSchema).max(500).optional() }).default({}))
    .query(async ({ ctx, input }) => ({ items: await readinessOf(ctx.db, ctx.scope, input.systemIds ? { systemIds: input.systemIds } : {}) })),

  create: authedProcedure
    .meta({ roles: DR_MANAGERS })
    .input(protectionInputSchema)
    .mutation(async ({ ctx, input }) => {
      const group = await createProtection(ctx.db, { quotas: ctx.deps.quotas }, ctx.caller, ctx.scope, input);
      Object.assign(ctx.audit, { target: `dr-protection:${group.id}`, after: group });
      return group;
    }),

  delete: byIdProcedure(DR_MANAGERS)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-protection:${input.id}`;
      const group = await loadGroup(ctx.db, ctx.scope, input.id, { forUpdate: true });
      await deleteProtection(ctx.db, { quotas: ctx.deps.quotas }, ctx.caller, group);
      ctx.audit.before = group;
      return { id: input.id };
    }),
});

const plansRouter = router({
  list: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ groupId: idSchema }))
    .query(async ({ ctx, input }) => {
      const group = await loadGroup(ctx.db, ctx.scope, input.groupId);
      return { items: await planRepo.list(ctx.db, [group.id]) };
    }),

  /** A version of a plan (the latest by default) with its critical-path RTO estimate. */
  get: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ id: idSchema, version: z.number().int().min(1).optional() }))
    .query(async ({ ctx, input }) => {
      const plan = await planRepo.byId(ctx.db, input.id);
      if (!plan) throw new NotFoundError('plan not found');
      await loadGroup(ctx.db, ctx.scope, plan.groupId);
      const version = await planRepo.version(ctx.db, plan.id, input.version);
      if (!version) throw new NotFoundError(`plan ${plan.name} has no version ${input.version}`);
      return { ...plan, ...version, edges: edgesOf(version.content), versions: await planRepo.versions(ctx.db, plan.id) };
    }),

  /**
   * Checks a draft as saving would and answers its graph and critical-path RTO estimate, writing nothing:
   * the plan editor's preview before a version is saved.
   */
  check: authedProcedure
    .meta({ roles: DR_MANAGERS })
    .input(z.object({ groupId: idSchema, draft: planDraftSchema }))
    .query(async ({ ctx, input }) => {
      const group = await loadGroup(ctx.db, ctx.scope, input.groupId);
      await checkDraft(ctx.db, group, await capabilitiesOf(ctx.db, group, drCapabilities(ctx)), input.draft);
      return { estimate: estimateOf('draft', input.draft), edges: edgesOf(input.draft) };
    }),

  /**
   * Saves a new plan or a new version of one. Checked first (ids, groups, known systems and steps, no cycle,
   * every action step's operation declared by the clouds of every direction); nothing is written on error.
   */
  save: authedProcedure
    .meta({ roles: DR_MANAGERS, selfManaged: true })
    .input(z.object({ groupId: idSchema, planId: idSchema.optional(), draft: planDraftSchema }))
    .mutation(async ({ ctx, input, path }) => {
      ctx.audit.target = `dr-protection:${input.groupId}`;
      const group = await loadGroup(ctx.db, ctx.scope, input.groupId);
      const caps = await capabilitiesOf(ctx.db, group, drCapabilities(ctx));
      return commitUnitOfWork(ctx, path, async (tx) => {
        const locked = await loadGroup(tx, ctx.scope, input.groupId, { forUpdate: true });
        const r = await savePlan(tx, locked, caps, ctx.caller, { ...(input.planId ? { planId: input.planId } : {}), draft: input.draft });
        Object.assign(ctx.audit, { target: `dr-plan:${r.plan.id}`, after: { plan: r.plan.name, version: r.version, created: r.created } });
        return { ...r, estimate: (await planRepo.version(tx, r.plan.id, r.version))!.estimate };
      });
    }),
});

/** How often a progress subscription looks for new events (the store is the bus, as for every workflow). */
const PROGRESS_POLL_MS = 300;

async function loadRun(ctx: Context & { scope: { departmentIds: string[] | null } }, id: string) {
  const run = await runRepo.byId(ctx.db, id);
  if (!run) throw new NotFoundError('DR run not found');
  assertInScope(ctx.scope, run.departmentId, 'that DR run');
  return run;
}

const runsRouter = router({
  list: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ groupId: idSchema.optional(), ...pageFields }).default({ limit: PAGE_DEFAULT }))
    .query(async ({ ctx, input }) => runRepo.page(ctx.db, ctx.scope, input.groupId ? { groupId: input.groupId } : {}, { cursor: input.cursor, limit: input.limit })),

  /** A run with its steps (progress), per-system evidence, confirmations and cleanup ledger. */
  get: byIdProcedure(DR_READERS)
    .query(async ({ ctx, input }) => runView(ctx.db, await loadRun(ctx, input.id))),

  /**
   * Starts a drill (at once) or requests a real operation (switchover, failover, failback), which waits for a
   * second operator's approval. One operation per protection group: a second is refused naming the first.
   */
  start: authedProcedure
    .meta({ roles: DR_MANAGERS })
    .input(z.object({
      groupId: idSchema, kind: z.enum(RUN_KINDS), planId: idSchema.optional(), target: centreIdSchema.optional(), lostCentres: z.array(centreIdSchema).max(3).optional(),
      scenario: z.string().trim().max(2000).optional(), sandboxTtlSeconds: z.number().int().min(60).max(7 * 86_400).optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-protection:${input.groupId}`;
      const group = await loadGroup(ctx.db, ctx.scope, input.groupId, { forUpdate: true });
      const { groupId: _g, ...rest } = input;
      const run = await startRun(ctx.db, ctx.deps.engine, ctx.caller, group, rest);
      Object.assign(ctx.audit, { target: `dr-run:${run.id}`, after: { kind: run.kind, group: group.name, source: run.sourceCentre, target: run.targetCentre, status: run.status, plan: `${run.planId}@${run.planVersion}` } });
      return run;
    }),

  /** 双人复核: a real operation starts only when a second, different operator approves it. */
  approve: byIdProcedure(DR_MANAGERS)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-run:${input.id}`;
      const run = await loadRun(ctx, input.id);
      const group = await loadGroup(ctx.db, ctx.scope, run.groupId, { forUpdate: true });
      const after = await approveRun(ctx.db, ctx.deps.engine, ctx.caller, run, group);
      Object.assign(ctx.audit, { before: { status: run.status }, after: { status: after.status, approver: after.approver } });
      return after;
    }),

  /** Confirms a manual step (a drill's needs one person, a real operation's two different people). */
  confirm: authedProcedure
    .meta({ roles: DR_MANAGERS })
    .input(z.object({ id: idSchema, stepKey: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-run:${input.id}`;
      const run = await loadRun(ctx, input.id);
      const r = await confirmStep(ctx.db, ctx.caller, run, input.stepKey);
      ctx.audit.after = { step: input.stepKey, ...r };
      return r;
    }),

  /** Cancels: a drill unwinds (its sandboxes are removed); a request awaiting approval is withdrawn. */
  cancel: byIdProcedure(DR_MANAGERS)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-run:${input.id}`;
      const run = await loadRun(ctx, input.id);
      if (run.status === 'awaiting-approval') await runRepo.finish(ctx.db, run.id, 'cancelled', null, null);
      else if (run.status === 'running' && run.workflowId) await ctx.deps.engine.cancel(ctx.db, run.workflowId);
      else throw new ConflictError(`the ${run.kind} is ${run.status}: it cannot be cancelled`);
      ctx.audit.before = { status: run.status };
      return { id: run.id };
    }),

  /**
   * The report (GB/T 20988 elements for the systems' editions): the closed run's recorded report with its SM3
   * digest checked against the one in the audit chain, or a preview while it runs. JSON or printable HTML.
   */
  report: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ id: idSchema, format: z.enum(['json', 'html', 'pdf']).default('json') }))
    .query(async ({ ctx, input }) => {
      const run = await loadRun(ctx, input.id);
      const stored = (await runRepo.report(ctx.db, run.id)) as DrReport | null;
      const report = stored ?? (await reportOf({ store: ctx.deps.store }, run.id, run.status, null));
      const digest = reportDigest(report);
      const verified = stored !== null && digest === run.reportDigest;
      return {
        final: stored !== null, digest, verified, report,
        ...(input.format === 'html' ? { html: renderReportHtml(report, digest) } : {}),
        // The PDF as base64 in the JSON answer: a report is tens of kilobytes, and one API path keeps one auth path.
        ...(input.format === 'pdf' ? { pdfBase64: (await renderReportPdf(report, digest)).toString('base64') } : {}),
      };
    }),

  /** Progress of a run's workflow (replayed from the store, then live), ending with it. */
  onProgress: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ id: idSchema, afterSeq: z.number().int().min(0).default(0) }))
    .subscription(async function* ({ ctx, input, signal }) {
      const run = await loadRun(ctx, input.id);
      let seq = input.afterSeq;
      let workflowId = run.workflowId;
      while (!signal?.aborted) {
        workflowId ??= (await runRepo.byId(ctx.deps.store, run.id))?.workflowId ?? null;
        const events = workflowId ? await workflowsRepo.eventsAfter(ctx.deps.store, workflowId, seq) : [];
        const now = events.length && workflowId ? await workflowsRepo.byId(ctx.deps.store, workflowId) : undefined;
        for (const event of events) {
          seq = event.seq;
          yield { ...event, status: now!.status, stepsDone: now!.stepsDone, stepsTotal: now!.stepsTotal };
          if (/^workflow\.(succeeded|failed|cancelled|needs-attention)$/.test(event.kind)) return;
        }
        if (events.length === 0) await sleep(PROGRESS_POLL_MS, undefined, { signal }).catch(() => undefined);
      }
    }),
});

/** Database connections of SQL probes: the DSN is write-only, sealed, never shown (issue 11.3). */
const probeConnectionsRouter = router({
  list: authedProcedure.meta({ roles: ['admin', 'cloud-operator', 'auditor'] }).query(async ({ ctx }) => ({ items: await probeConnectionsRepo.list(ctx.db) })),

  create: authedProcedure
    .meta({ roles: DR_MANAGERS })
    .input(z.object({ id: probeConnectionIdSchema, name: z.string().trim().min(2, 'at least 2 characters').max(100), dsn: dsnSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-probe-connection:${input.id}`;
      const c = await probeConnectionsRepo.create(ctx.db, ctx.deps.sealing, { ...input, createdBy: ctx.caller.userId });
      ctx.audit.after = c;
      return c;
    }),

  delete: authedProcedure
    .meta({ roles: DR_MANAGERS })
    .input(z.object({ id: probeConnectionIdSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-probe-connection:${input.id}`;
      await probeConnectionsRepo.delete(ctx.db, input.id);
      return { id: input.id };
    }),
});

/** Drill calendar (issue 11.7): windows booked by operators; the sweeper starts each drill when its window opens. */
const calendarRouter = router({
  /** Windows overlapping [from, to) (default: from 30 days back to 90 ahead), and the systems overdue for a drill with none booked. */
  list: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({
      from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(), groupId: idSchema.optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }).default({ limit: 200 }))
    .query(async ({ ctx, input }) => {
      const now = Date.now();
      const from = input.from ? new Date(input.from) : new Date(now - 30 * 86_400_000);
      const to = input.to ? new Date(input.to) : new Date(now + 90 * 86_400_000);
      if (to <= from) throw new InputError('the end of the range is not after its start', 'to');
      return calendarOf(ctx.db, ctx.scope, { from, to, limit: input.limit, ...(input.groupId ? { groupId: input.groupId } : {}) });
    }),

  /** Books a drill window; the DR-site capacity it needs is held through the quota service for the window. */
  schedule: authedProcedure
    .meta({ roles: DR_MANAGERS })
    .input(z.object({
      groupId: idSchema, planId: idSchema, windowStart: z.iso.datetime({ offset: true }), windowEnd: z.iso.datetime({ offset: true }),
      target: centreIdSchema.optional(), note: z.string().trim().max(1000).optional(),
      capacity: z.object({ vcpu: z.number().int().min(0).max(100_000), memoryGiB: z.number().int().min(0).max(1_000_000), storageGiB: z.number().int().min(0).max(10_000_000) }).optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-protection:${input.groupId}`;
      const group = await loadGroup(ctx.db, ctx.scope, input.groupId, { forUpdate: true });
      const w = await scheduleDrill(ctx.db, ctx.deps.quotas, ctx.caller, group, {
        planId: input.planId, windowStart: new Date(input.windowStart), windowEnd: new Date(input.windowEnd),
        ...(input.target ? { target: input.target } : {}), ...(input.note ? { note: input.note } : {}), ...(input.capacity ? { capacity: input.capacity } : {}),
      });
      Object.assign(ctx.audit, { target: `dr-window:${w.id}`, after: { group: group.name, plan: w.planName, target: w.targetCentre, windowStart: w.windowStart, windowEnd: w.windowEnd, capacity: w.capacity, held: w.reservationId !== null } });
      return w;
    }),

  cancel: byIdProcedure(DR_MANAGERS)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `dr-window:${input.id}`;
      const w = await calendarRepo.byId(ctx.db, input.id, { forUpdate: true });
      if (!w) throw new NotFoundError('drill window not found');
      assertInScope(ctx.scope, w.departmentId, 'that drill window');
      const after = await cancelDrill(ctx.db, ctx.deps.quotas, ctx.caller, w);
      Object.assign(ctx.audit, { before: { status: w.status }, after: { status: after.status } });
      return after;
    }),
});

export const drRouter = router({
  /** GB/T 20988 reference: editions, level names, default targets, the seven elements. */
  standards: authedProcedure
    .meta({ roles: DR_READERS })
    .query(() => ({ standards: STANDARDS, levels: LEVEL_NAMES, defaultTargets: DEFAULT_LEVEL_TARGETS, elements: ELEMENTS })),

  /** Centres (by role) and the replication links between them with their current lag (= current RPO). */
  centres: authedProcedure
    .meta({ roles: DR_READERS })
    .query(async ({ ctx }) => ({ centres: await centresRepo.list(ctx.db), links: await centresRepo.links(ctx.db) })),

  linkHistory: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ linkId: z.string().min(1).max(200), since: z.iso.datetime().optional(), limit: z.number().int().min(1).max(5000).default(500) }))
    .query(async ({ ctx, input }) => ({ items: await centresRepo.history(ctx.db, input.linkId, { limit: input.limit, ...(input.since ? { since: input.since } : {}) }) })),

  /** Rebuilds the centres from the cloud registry, then reads every cloud's replication links now. */
  refresh: authedProcedure
    .meta({ roles: DR_MANAGERS, selfManaged: true })
    .mutation(async ({ ctx, path }) => {
      ctx.audit.target = 'dr-centres';
      const centres = await commitUnitOfWork(ctx, path, async (tx) => {
        const c = await refreshCentres(tx);
        ctx.audit.after = { centres: c.map((x) => x.id) };
        return c;
      });
      const clouds = [...new Set((await centresRepo.list(ctx.db)).map((c) => c.cloudId))];
      const errors: { cloudId: string; message: string }[] = [];
      for (const cloudId of clouds) {
        try {
          await refreshLinks(ctx.deps.store, ctx.deps.federation.provider(cloudId), AbortSignal.timeout(ctx.deps.federation.options.fanOutDeadlineMs));
        } catch (error) {
          errors.push({ cloudId, message: error instanceof Error ? error.message : String(error) });
        }
      }
      return { centres: centres.length, links: (await centresRepo.links(ctx.db)).length, errors };
    }),

  centre: authedProcedure
    .meta({ roles: DR_READERS })
    .input(z.object({ id: centreIdSchema }))
    .query(async ({ ctx, input }) => {
      const c = (await centresRepo.byIds(ctx.db, [input.id])).get(input.id);
      if (!c) throw new NotFoundError('centre not found');
      const groups = await protectionRepo.list(ctx.db, ctx.scope);
      return { ...c, groups: groups.filter((g) => [g.centres.production, g.centres.sameCity, g.centres.remote].includes(c.id)).map((g) => ({ id: g.id, name: g.name })) };
    }),

  protection: protectionRouter,
  plans: plansRouter,
  runs: runsRouter,
  calendar: calendarRouter,
  probeConnections: probeConnectionsRouter,
});
