/**
 * Closing DR runs and sweeping leaks. A run whose workflow has ended (succeeded, or failed / cancelled and
 * unwound) is closed here: sandboxes still in its ledger are removed, the clouds are asked which of the
 * run's sandboxes still exist (the zero-leak check, from the provider, not from our records), the report is
 * built, and its SM3 digest goes into the audit chain in the transaction that closes the run, so the report
 * cannot be swapped afterwards. The sweeper does the same for every run (also after a crash) and removes
 * any labelled sandbox whose run has ended or whose TTL has passed, reporting what it removed.
 */
import { createHash } from 'node:crypto';
import { SANDBOX_LABELS } from '@ganyun/providers';
import type { AuditLog } from '../audit/audit-log.ts';
import { canonicalJson } from '../audit/canonical-json.ts';
import type { FederationService } from '../federation/contract.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { centresRepo } from './centres-repo.ts';
import { isDrLevel, type DrLevel } from './domain/gbt20988.ts';
import type { PlanStep } from './domain/plan.ts';
import { buildReport, type DrReport, type ReportStep } from './domain/report.ts';
import { planRepo } from './plan-repo.ts';
import { protectionRepo } from './protection-repo.ts';
import type { StepOutput } from './run-actions.ts';
import { runRepo, type RunStatus } from './run-repo.ts';
import { stepName, stepNaming } from './run-view.ts';
import type { DrMetrics } from './dr-metrics.ts';
import type { QuotaService } from '../quotas/contract.ts';
import { renewStandbyHolds } from './protection-service.ts';
import { sweepCalendar } from './calendar-service.ts';
import type { WorkflowEngine } from '../engine/engine.ts';

export interface CloserDeps {
  readonly store: Store;
  readonly federation: Pick<FederationService, 'provider'>;
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly metrics?: DrMetrics;
  /** When given, each sweep also renews standby capacity holds that are about to run out. */
  readonly quotas?: QuotaService;
  /** When given (with `quotas`), each sweep also works the drill calendar: holds, starts, missed windows. */
  readonly engine?: WorkflowEngine;
}

export const reportDigest = (report: DrReport): string => createHash('sm3').update(canonicalJson(report)).digest('hex');

/**
 * Removes what the run's ledger still holds, then asks the clouds what of the run is left. Each attempt has a
 * key of its own: a provider replays a refusal under a used key (a centre that was down stays "down" for that
 * key), and deleting a sandbox is harmless to repeat (one that is gone answers `already`).
 */
async function cleanupAndCount(deps: CloserDeps, runId: string): Promise<{ recorded: number; removed: number; leaked: string[] }> {
  const ledger = await runRepo.ledger(deps.store, runId);
  for (const l of ledger.filter((x) => x.removedAt === null)) {
    try {
      await deps.federation.provider(l.cloudId).dr?.run('deleteSandbox', { sandbox: l.sandbox }, { idempotencyKey: `dr-close/${runId}/${l.sandbox}/${Date.now()}` });
      await runRepo.markRemoved(deps.store, l.cloudId, l.sandbox, 'close');
    } catch (error) {
      deps.log.warn({ err: error, runId, sandbox: l.sandbox }, 'a drill sandbox could not be removed at close; the sweeper retries');
    }
  }
  const leaked: string[] = [];
  for (const cloudId of new Set(ledger.map((l) => l.cloudId))) {
    try {
      const state = await deps.federation.provider(cloudId).dr!.state();
      for (const b of state.sandboxes) if (b.labels[SANDBOX_LABELS.run] === runId) leaked.push(`${cloudId}:${b.sandbox}`);
    } catch (error) {
      leaked.push(`${cloudId}: cannot tell (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const after = await runRepo.ledger(deps.store, runId);
  return { recorded: after.length, removed: after.filter((l) => l.removedAt !== null).length, leaked };
}

/** Builds the report of a run from its records (also used to preview a running one). */
export async function reportOf(deps: Pick<CloserDeps, 'store'>, runId: string, status: string, cleanup: DrReport['cleanup']): Promise<DrReport> {
  const db = deps.store;
  const run = (await runRepo.byId(db, runId))!;
  const group = (await protectionRepo.byId(db, { departmentIds: null }, run.groupId))!;
  const systems = await systemsRepo.list(db, { departmentIds: null, ids: group.systemIds });
  const evidence = await runRepo.systems(db, runId);
  const centres = await centresRepo.byIds(db, [run.sourceCentre, run.targetCentre]);
  const version = run.planId ? await planRepo.version(db, run.planId, run.planVersion ?? undefined) : undefined;
  const wfSteps = run.workflowId ? await workflowsRepo.steps(db, run.workflowId) : [];
  const planSteps = new Map<string, PlanStep>((version?.content.steps ?? []).map((s) => [`step:${s.id}`, s]));
  const confirmations = await runRepo.confirmations(db, runId);
  // Steps named as the run page names them (one naming, run-view.ts); the key stays beside the name.
  const naming = await stepNaming(db, run);
  const steps: ReportStep[] = wfSteps.map((s) => {
    const out = (s.output ?? null) as StepOutput | null;
    const planned: PlanStep | undefined = planSteps.get(s.key);
    const durationMs = s.startedAt && s.finishedAt ? new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime() : null;
    const name = stepName(s.key, naming);
    return {
      key: s.key,
      ...(name ? { name } : {}),
      title: out?.title ?? planned?.title ?? s.key,
      kind: out?.kind ?? planned?.kind ?? 'system',
      ...(out?.systemId ?? planned?.systemId ? { systemId: (out?.systemId ?? planned?.systemId)! } : {}),
      ...(out?.operation ?? (planned?.kind === 'action' ? planned.operation : undefined) ? { operation: (out?.operation ?? (planned as { operation: string }).operation) } : {}),
      actor: out?.actor ?? 'ganyun',
      status: s.status,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      durationMs,
      inputs: planned ?? null,
      output: out?.result ?? null,
      evidence: out?.evidence ?? s.error ?? '',
    };
  });
  const links = (await centresRepo.links(db)).filter((l) => l.to === run.targetCentre || l.from === run.targetCentre);
  const name = (id: string) => centres.get(id)?.name ?? id;
  return buildReport({
    runId, kind: run.kind, drillType: run.kind === 'drill' ? 'system-test' : 'real-switchover', announced: true, status,
    plan: { name: version?.content.name ?? '—', version: run.planVersion ?? 0, digest: run.planDigest ?? '' },
    source: { id: run.sourceCentre, name: name(run.sourceCentre) }, target: { id: run.targetCentre, name: name(run.targetCentre) },
    scenario: run.scenario, startedAt: run.startedAt, finishedAt: run.finishedAt ?? new Date().toISOString(),
    systems: systems.map((s) => {
      const e = evidence.find((x) => x.systemId === s.id);
      return {
        id: s.id, name: s.name, department: s.departmentName, drLevel: (isDrLevel(s.drLevel) ? s.drLevel : 1) as DrLevel, edition: s.drEdition,
        rtoTargetSeconds: group.rtoSeconds, rpoTargetSeconds: group.rpoSeconds,
        timeline: e?.timeline ?? { phases: {}, last: 0, clockAdjusted: false }, lagAtCutSeconds: e?.lagAtCut ?? null,
        businessVerified: e?.businessVerified ?? null, consistency: 'not-checked' as const,
      };
    }),
    steps,
    participants: [
      { name: run.operator, role: 'operator', group: 'command group / 指挥组' },
      ...(run.approver ? [{ name: run.approver, role: 'second approver / 复核人', group: 'command group / 指挥组' }] : []),
      ...[...new Set(confirmations.map((c) => c.username))].filter((n) => n !== run.operator && n !== run.approver).map((n) => ({ name: n, role: 'confirmer', group: 'technical group / 技术组' })),
    ],
    approvals: [
      ...(run.approver ? [{ what: `approve ${run.kind}`, username: run.approver, at: run.startedAt }] : []),
      ...confirmations.map((c) => ({ what: `confirm ${c.stepKey}`, username: c.username, at: c.at })),
    ],
    links: links.map((l) => ({ id: l.id, mode: l.mode, lagSeconds: l.lagSeconds })),
    cleanup, problems: [], planChanges: [], signOff: [], generatedAt: new Date().toISOString(),
  });
}

/** Closes one run whose workflow has ended (or that is cancelled before it started). Idempotent. */
export async function closeRun(deps: CloserDeps, runId: string, status: RunStatus): Promise<DrReport | null> {
  const run = await runRepo.byId(deps.store, runId);
  if (!run || run.finishedAt) return null;
  const cleanup = run.kind === 'drill' ? await cleanupAndCount(deps, runId) : null;
  const report = await reportOf(deps, runId, status, cleanup);
  const digest = reportDigest(report);
  const record = await deps.store.transaction(async (tx) => {
    if (!(await runRepo.finish(tx, runId, status, report, digest))) return null;
    return deps.audit.append(tx, {
      actorId: null, actor: 'ganyun', role: null, procedure: 'dr.report', target: `dr-run:${runId}`, outcome: 'ok', before: null,
      after: { kind: run.kind, status, passed: report.passed, digest, leaked: cleanup?.leaked.length ?? 0 }, requestId: runId, error: null,
    });
  });
  if (record) {
    deps.audit.published([record]);
    for (const r of report.results) if (r.rto.achievedSeconds !== null) deps.metrics?.achievedRto.observe({ kind: run.kind }, r.rto.achievedSeconds);
    deps.metrics?.leaked.inc(cleanup?.leaked.length ?? 0);
  }
  return record ? report : null;
}

/**
 * One sweep: closes the runs whose workflow ended, then removes sandboxes left on the clouds by ended or
 * expired runs (a crash between the ledger and the call, a cleanup that could not reach a lost centre).
 */
export async function sweep(deps: CloserDeps): Promise<{ closed: string[]; removed: string[] }> {
  const closed: string[] = [];
  for (const r of await runRepo.endedUnclosed(deps.store)) {
    const status: RunStatus = r.workflowStatus === 'succeeded' || r.workflowStatus === 'cancelled' || r.workflowStatus === 'needs-attention' ? r.workflowStatus : 'failed';
    if (await closeRun(deps, r.id, status)) closed.push(r.id);
  }
  const removed: string[] = [];
  for (const l of await runRepo.sweepable(deps.store)) {
    try {
      await deps.federation.provider(l.cloudId).dr?.run('deleteSandbox', { sandbox: l.sandbox }, { idempotencyKey: `dr-sweep/${l.runId}/${l.sandbox}/${Date.now()}` });
      await runRepo.markRemoved(deps.store, l.cloudId, l.sandbox, 'sweeper');
      removed.push(`${l.cloudId}:${l.sandbox}`);
    } catch (error) {
      deps.log.warn({ err: error, sandbox: l.sandbox }, 'the DR sweeper could not remove a sandbox; it retries on the next sweep');
    }
  }
  if (removed.length) {
    deps.metrics?.swept.inc(removed.length);
    const record = await deps.store.transaction((tx) => deps.audit.append(tx, {
      actorId: null, actor: 'ganyun', role: null, procedure: 'dr.sweep', target: 'dr-ledger', outcome: 'ok', before: null, after: { removed }, requestId: `dr-sweep-${Date.now()}`, error: null,
    }));
    deps.audit.published([record]);
    deps.log.info({ removed }, 'the DR sweeper removed leaked drill sandboxes');
  }
  if (deps.quotas) {
    const quotas = deps.quotas;
    const renewed = await deps.store.transaction((tx) => renewStandbyHolds(tx, quotas)).catch((error: unknown) => {
      deps.log.warn({ err: error }, 'renewing DR standby holds failed; the next sweep retries');
      return [] as string[];
    });
    if (renewed.length) deps.log.info({ renewed }, 'renewed DR standby capacity holds');
    if (deps.engine) {
      const calendar = await sweepCalendar({ ...deps, quotas, engine: deps.engine });
      if (calendar.started.length + calendar.missed.length) deps.log.info(calendar, 'drill calendar: windows started or missed');
    }
  }
  return { closed, removed };
}

/** Sweeps on an interval (every replica: closing and removing are idempotent). */
export function startSweeper(deps: CloserDeps, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => sweep(deps)).catch((error: unknown) => deps.log.error({ err: error }, 'DR sweep failed'));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
