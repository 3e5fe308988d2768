/**
 * The drill calendar (issue 11.7): an operator books a window for a drill of a protection group's plan; the
 * DR-site capacity the drill needs is held through the quota service for the window (when the window ends
 * within the quota service's longest hold, else as soon as it does); the sweeper starts the drill when the
 * window opens (as the operator who booked it), marks a window missed when it closes unstarted, and gives
 * the capacity back. Systems whose last passed drill is older than their DR level allows, and that have no
 * window booked, are flagged.
 */
import type { Scope } from '../auth/scope.ts';
import type { AuditLog, AuditRecord } from '../audit/audit-log.ts';
import type { WorkflowEngine } from '../engine/engine.ts';
import { ConflictError, DomainError, InputError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { QuotaService } from '../quotas/contract.ts';
import type { Queryable, Store } from '../store/store.ts';
import { calendarRepo, type DrillCapacity, type WindowRow } from './calendar-repo.ts';
import { centresRepo } from './centres-repo.ts';
import { checkTarget } from './domain/centres.ts';
import { planRepo } from './plan-repo.ts';
import { capacityItems, readinessOf, STANDBY_HOLD_SECONDS } from './protection-service.ts';
import { protectionRepo, type GroupRow } from './protection-repo.ts';
import { startRun } from './run-service.ts';

export const MIN_WINDOW_MS = 15 * 60_000;
export const MAX_WINDOW_MS = 7 * 86_400_000;
export const MAX_LEAD_MS = 366 * 86_400_000;

export interface ScheduleInput {
  readonly planId: string;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly target?: string;
  readonly note?: string;
  /** What the drill needs at the target centre; default: the group's standby line there. */
  readonly capacity?: DrillCapacity;
}

interface Caller {
  readonly userId: string;
  readonly username: string;
}

const windowKey = (id: string) => `dr-window:${id}`;

/** Books a window; refused (nothing stored, nothing held) for a past or overlapping window, a plan of another group, no capacity. */
export async function scheduleDrill(db: Queryable, quotas: QuotaService, caller: Caller, group: GroupRow, input: ScheduleInput, now = new Date()): Promise<WindowRow> {
  const plan = await planRepo.byId(db, input.planId);
  if (!plan || plan.groupId !== group.id) throw new InputError('the plan is not a plan of this protection group', 'planId');
  const start = input.windowStart.getTime();
  const end = input.windowEnd.getTime();
  if (start < now.getTime()) throw new InputError('the window starts in the past', 'windowStart');
  if (start - now.getTime() > MAX_LEAD_MS) throw new InputError('the window starts more than a year ahead', 'windowStart');
  if (end - start < MIN_WINDOW_MS) throw new InputError('a drill window lasts at least 15 minutes', 'windowEnd');
  if (end - start > MAX_WINDOW_MS) throw new InputError('a drill window lasts at most 7 days', 'windowEnd');
  const target = input.target ?? group.centres.sameCity ?? group.centres.remote;
  if (target === undefined) throw new InputError('the group has no DR centre to drill at', 'target');
  checkTarget(group.centres, target);
  const clash = (await calendarRepo.overlapping(db, group.id, input.windowStart, input.windowEnd))[0];
  if (clash) throw new ConflictError(`the window overlaps the drill booked by ${clash.owner} from ${clash.windowStart} to ${clash.windowEnd}: one drill per group at a time`, 'windowStart');
  const standby = group.standby.find((s) => s.centre === target);
  const capacity = input.capacity ?? (standby ? { vcpu: standby.vcpu, memoryGiB: standby.memoryGiB, storageGiB: standby.storageGiB } : undefined);
  if (!capacity || capacity.vcpu + capacity.memoryGiB + capacity.storageGiB === 0) {
    throw new InputError(`the group holds no standby capacity at ${target}: say what the drill needs there`, 'capacity');
  }
  const id = newId();
  const held = end - now.getTime() <= STANDBY_HOLD_SECONDS * 1000 ? await hold(db, quotas, group, { id, targetCentre: target, capacity, windowEnd: input.windowEnd }, caller.username, now) : null;
  await calendarRepo.insert(db, {
    id, groupId: group.id, departmentId: group.departmentId, planId: plan.id, targetCentre: target, windowStart: input.windowStart, windowEnd: input.windowEnd,
    ownerId: caller.userId, owner: caller.username, note: input.note ?? '', capacity, reservationId: held,
    reason: held ? '' : 'capacity is held once the window is within 30 days',
  });
  return (await calendarRepo.byId(db, id))!;
}

/** Holds the window's capacity at the target centre's cloud, until the window ends. Over quota: refused. */
async function hold(db: Queryable, quotas: QuotaService, group: GroupRow, w: { id: string; targetCentre: string; capacity: DrillCapacity; windowEnd: Date }, actor: string, now: Date): Promise<string | null> {
  const centre = (await centresRepo.byIds(db, [w.targetCentre])).get(w.targetCentre);
  if (!centre) throw new InputError(`unknown centre ${w.targetCentre}`, 'target');
  const items = capacityItems(centre.cloudId, w.capacity);
  const holder = group.systemIds[0]!;
  const ttlSeconds = Math.max(60, Math.ceil((w.windowEnd.getTime() - now.getTime()) / 1000));
  const r = await quotas.reserve(db, { systemId: holder, items, idempotencyKey: windowKey(w.id), ttlSeconds, ref: `dr-window:${w.id}`, actor });
  return r.id;
}

/** Cancels a window that has not started; its capacity is given back. */
export async function cancelDrill(db: Queryable, quotas: QuotaService, caller: Caller, w: WindowRow): Promise<WindowRow> {
  if (w.status !== 'scheduled') throw new ConflictError(`the window is ${w.status}: only a scheduled one can be cancelled`);
  if (w.reservationId) await quotas.release(db, { reservationId: w.reservationId, actor: caller.username, reason: 'drill window cancelled' });
  await calendarRepo.update(db, w.id, { status: 'cancelled', reason: `cancelled by ${caller.username}` });
  return (await calendarRepo.byId(db, w.id))!;
}

/** The calendar of the caller's scope in [from, to), and the systems overdue for a drill with nothing booked. */
export async function calendarOf(db: Queryable, scope: Scope, f: { from: Date; to: Date; groupId?: string; limit: number }, now = new Date()) {
  const items = await calendarRepo.list(db, scope, f);
  const booked = await calendarRepo.groupsWithUpcoming(db, scope, now);
  const overdue = (await readinessOf(db, scope, { now }))
    .filter((r) => r.groupId !== null && r.drillStale && !booked.has(r.groupId))
    .map((r) => ({ systemId: r.systemId, name: r.name, departmentName: r.departmentName, drLevel: r.drLevel, groupId: r.groupId, daysSinceDrill: r.daysSinceDrill }));
  return { items, overdue };
}

export interface CalendarDeps {
  readonly store: Store;
  readonly engine: WorkflowEngine;
  readonly quotas: QuotaService;
  readonly audit: AuditLog;
  readonly log: Logger;
}

/**
 * One pass of the sweeper over the calendar: holds capacity for windows now within 30 days, starts the drills
 * whose window opened (one transaction each, rows locked so replicas split the work), marks closed windows
 * missed and gives their capacity back. A drill that cannot start yet (another operation runs on the group)
 * keeps its window and says why; the next pass tries again until the window closes.
 */
export async function sweepCalendar(deps: CalendarDeps, now = new Date()): Promise<{ started: string[]; missed: string[]; held: string[] }> {
  const started: string[] = [];
  const missed: string[] = [];
  const held: string[] = [];
  const horizon = new Date(now.getTime() + STANDBY_HOLD_SECONDS * 1000);
  for (const id of await calendarRepo.unheld(deps.store, horizon)) {
    await attempt(deps, id, async (tx, w) => {
      if (w.reservationId || w.status !== 'scheduled') return null;
      const group = (await protectionRepo.byId(tx, { departmentIds: null }, w.groupId))!;
      const r = await hold(tx, deps.quotas, group, { ...w, windowEnd: new Date(w.windowEnd) }, 'dr', now);
      await calendarRepo.update(tx, w.id, { reservationId: r, reason: '' });
      held.push(w.id);
      return null;
    });
  }
  for (const id of await calendarRepo.due(deps.store, now)) {
    await attempt(deps, id, async (tx, w) => {
      if (w.status !== 'scheduled') return null;
      if (new Date(w.windowEnd).getTime() <= now.getTime()) {
        if (w.reservationId) await deps.quotas.release(tx, { reservationId: w.reservationId, actor: 'dr', reason: 'drill window missed' });
        await calendarRepo.update(tx, w.id, { status: 'missed', reason: w.reason || 'the window closed before the drill could start' });
        missed.push(w.id);
        return appendAudit(deps, tx, w, 'dr.calendar.missed', { status: 'missed', reason: w.reason });
      }
      const group = (await protectionRepo.byId(tx, { departmentIds: null }, w.groupId, { forUpdate: true }))!;
      const run = await startRun(tx, deps.engine, { userId: w.ownerId, username: w.owner }, group, { kind: 'drill', planId: w.planId, target: w.targetCentre, scenario: `scheduled drill ${w.windowStart} – ${w.windowEnd}${w.note ? `: ${w.note}` : ''}` });
      await calendarRepo.update(tx, w.id, { status: 'started', runId: run.id, reason: '' });
      started.push(w.id);
      return appendAudit(deps, tx, w, 'dr.calendar.start', { status: 'started', run: run.id });
    });
  }
  return { started, missed, held };
}

/** Runs one window's change in its own transaction; a refusal is kept as the window's reason, anything else logged. */
async function attempt(deps: CalendarDeps, id: string, change: (tx: Queryable, w: WindowRow) => Promise<AuditRecord | null>): Promise<void> {
  try {
    const record = await deps.store.transaction(async (tx) => {
      const w = await calendarRepo.lock(tx, id);
      return w ? change(tx, w) : null;
    });
    if (record) deps.audit.published([record]);
  } catch (error) {
    if (!(error instanceof DomainError)) {
      deps.log.warn({ err: error, window: id }, 'a drill window could not be handled; the next sweep retries');
      return;
    }
    await calendarRepo.noteReason(deps.store, id, error.message);
  }
}

/** What the sweeper did to a window, in the chain with the change (the actor is who booked it). */
function appendAudit(deps: CalendarDeps, tx: Queryable, w: WindowRow, procedure: string, after: unknown): Promise<AuditRecord> {
  return deps.audit.append(tx, {
    actorId: w.ownerId, actor: w.owner, role: null, procedure, target: `dr-window:${w.id}`, outcome: 'ok', before: { status: w.status }, after,
    requestId: `${procedure}-${w.id}`, error: null,
  });
}
