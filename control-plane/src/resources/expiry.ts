import type { AuditLog, AuditRecord } from '../audit/audit-log.ts';
import type { WorkflowEngine } from '../engine/engine.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { requestsRepo } from '../requests/requests-repo.ts';
import type { Queryable, Store } from '../store/store.ts';
import { changeSteps } from './change-actions.ts';
import { resolveChange } from './change-items.ts';
import { noticesRepo } from './notices-repo.ts';
import { resourcesRepo } from './resources-repo.ts';
import { requestStepsRepo } from '../requests/request-steps-repo.ts';

export interface ExpiryOptions {
  /** How long before its end date a resource's department is given notice. */
  noticeMs: number;
  /** The least time between the notice and the release: an end date set (or noticed) late still gets this much. */
  minNoticeMs: number;
  /** Resources per round (each round is one transaction). */
  batch: number;
}
export const DEFAULT_EXPIRY: ExpiryOptions = { noticeMs: 7 * 24 * 3600_000, minNoticeMs: 24 * 3600_000, batch: 50 };

interface Deps { store: Store; engine: WorkflowEngine; audit: AuditLog }

/**
 * One pass of the end-date sweep (到期回收): gives notice for resources whose end date is near (recorded on the
 * row and in the audit trail, and as a notice to the resource's requester and the system's owner, notices-repo.ts), then starts the release of those past their end date whose notice is at least
 * `minNoticeMs` old. A release is a change request (kind `change`, action release) on behalf of the requester who
 * asked for the resource, approved by the end date itself, run by the same workflow as any release.
 *
 * Resumable and safe on several replicas: each round claims its rows with SKIP LOCKED and does its work in the
 * same transaction (a crash leaves the round undone, and the next pass does it); a resource with an open change
 * (the unique index of migration 0081) or with live dependents is left for a later pass.
 */
export async function sweepExpiry(deps: Deps, now = new Date(), opts: ExpiryOptions = DEFAULT_EXPIRY): Promise<{ noticed: string[]; reclaimed: string[] }> {
  const noticed: string[] = [];
  const reclaimed: string[] = [];
  for (;;) {
    const { ids, record } = await deps.store.transaction(async (tx) => {
      const rows = await resourcesRepo.noticeExpiring(tx, now, opts.noticeMs, opts.batch);
      const record = rows.length ? await deps.audit.append(tx, {
        actorId: null, actor: 'system:resource-expiry', role: null, procedure: 'resources.expiryNotice', target: `resources:${rows.length}`, outcome: 'ok',
        before: null, after: { noticed: rows.map((r) => ({ id: r.id, name: r.name, departmentId: r.departmentId, expiresAt: new Date(r.expiresAt).toISOString() })) },
        requestId: `expiry-${now.toISOString()}`, error: null,
      }) : null;
      // The reminder reaches the people who own each resource, in the same transaction as the notice itself.
      await noticesRepo.addExpiry(tx, rows.map((r) => r.id));
      return { ids: rows.map((r) => r.id), record };
    });
    if (record) deps.audit.published([record]);
    noticed.push(...ids);
    if (ids.length < opts.batch) break;
  }
  for (;;) {
    const { ids, records } = await deps.store.transaction(async (tx) => {
      const due = await resourcesRepo.lockDueForReclaim(tx, now, opts.minNoticeMs, opts.batch);
      const out: string[] = [];
      const records: AuditRecord[] = [];
      for (const { id } of due) {
        const requestId = await startReclaim(tx, deps, id, now);
        out.push(id);
        records.push(await deps.audit.append(tx, {
          actorId: null, actor: 'system:resource-expiry', role: null, procedure: 'resources.reclaimExpired', target: `resource:${id}`, outcome: 'ok',
          before: { state: 'active' }, after: { requestId }, requestId: `expiry-${now.toISOString()}`, error: null,
        }));
      }
      return { ids: out, records };
    });
    if (records.length) deps.audit.published(records);
    reclaimed.push(...ids);
    if (ids.length < opts.batch) break;
  }
  return { noticed, reclaimed };
}

/** The release of one expired resource: a change request already approved by its end date, and its workflow. */
async function startReclaim(tx: Queryable, deps: Deps, resourceId: string, now: Date): Promise<string> {
  const r = (await resourcesRepo.byId(tx, resourceId))!;
  const requesterId = await requestsRepo.requesterOf(tx, r.requestId);
  const id = newId();
  const change = resolveChange(r.id, r.spec, r.quota, { action: 'release' });
  await requestsRepo.insert(tx, {
    id, departmentId: r.departmentId, systemId: r.systemId, requesterId: requesterId!, title: `到期回收 ${r.kind} ${r.name}`,
    reason: `end date ${new Date(r.expiresAt!).toISOString()} passed (notice given ${new Date(r.expiryNoticedAt!).toISOString()})`,
    placementMode: 'named', cloudId: r.cloudId, items: [], resources: [], change, units: 0, status: 'provisioning', quotaIncrease: false,
    policyResults: [], placement: null, quotaCheck: null, chainId: null, reservationId: null, submittedAt: now,
  });
  const workflowId = await deps.engine.start(tx, {
    kind: 'resource-change', title: `到期回收 ${r.kind} ${r.name}`, input: { requestId: id }, departmentId: r.departmentId, createdBy: 'system:resource-expiry',
    steps: changeSteps(id, change),
  });
  await requestsRepo.update(tx, id, { workflowId, decidedAt: now });
  await requestStepsRepo.addEvent(tx, id, 'expired', 'system:resource-expiry', { resourceId: r.id, expiresAt: r.expiresAt, noticedAt: r.expiryNoticedAt, workflowId });
  return id;
}

/** Runs the sweep every `intervalMs` on each replica (SKIP LOCKED splits the work); `stop` waits for a pass in flight. */
export class ExpirySweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: Deps & { log: Logger }, private readonly intervalMs = 60_000, private readonly opts: ExpiryOptions = DEFAULT_EXPIRY) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  tick(now?: Date): Promise<unknown> {
    this.running ??= sweepExpiry(this.deps, now, this.opts)
      .then((r) => { if (r.noticed.length || r.reclaimed.length) this.deps.log.info({ noticed: r.noticed.length, reclaimed: r.reclaimed.length }, 'resource end dates swept'); })
      .catch((err: unknown) => this.deps.log.error({ err }, 'resource expiry sweep failed'))
      .finally(() => (this.running = null));
    return this.running;
  }
}
