import { createHash } from 'node:crypto';
import type { Caller } from '../context.ts';
import type { WorkflowEngine } from '../engine/engine.ts';
import { ConflictError, ForbiddenError, InputError } from '../errors.ts';
import { newId } from '../ids.ts';
import { QuotaExceededError, type QuotaService } from '../quotas/contract.ts';
import type { Queryable } from '../store/store.ts';
import type { SystemRow } from '../systems/systems-repo.ts';
import type { Catalogue } from '../resources/cloud-catalogue.ts';
import { changeSteps } from '../resources/change-actions.ts';
import { checkPlanStillHolds, planResources } from '../resources/item-checks.ts';
import { resourceSteps } from '../resources/provision-actions.ts';
import { quotaItemsOf, type ResourceItem } from '../resources/resource-items.ts';
import { resolveChain } from './chains.ts';
import { provisioningSteps } from './provisioning.ts';
import { releaseHold } from './release-hold.ts';
import { assessRequest, refusalOf } from './request-assessment.ts';
import { requestsRepo, type RequestItem, type RequestRow } from './requests-repo.ts';
import { requestStepsRepo, type Decision, type StepRow } from './request-steps-repo.ts';

/** A reservation outlives the approval: held for 30 days, released at once on reject, cancel or failure. */
export const RESERVATION_TTL_SECONDS = 30 * 24 * 3600;

export interface Services {
  quotas: QuotaService;
  engine: WorkflowEngine;
}

const reservationKey = (requestId: string) => `request:${requestId}`;

/** What a request asks for: resources (hosts, volumes, workloads, segments) and/or plain quota items. */
export interface RequestAsk {
  items?: RequestItem[];
  resources?: ResourceItem[];
  cloudId?: string;
}

/** The quota a request moves: derived from its resources, plus its quota-only items. */
export function quotaOfAsk(ask: RequestAsk): RequestItem[] {
  const items = quotaItemsOf(ask.resources ?? [], ask.items ?? []);
  if (!items.length) throw new InputError('name at least one resource or quota item', 'items');
  return items;
}

/** JSON with object keys sorted at every level: the same ask always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What makes two submits the same request: the system, the cloud as named (or none), the quota items in any
 * order, the resources, the title and the reason. A second submit of the same ask while the first is open is a
 * duplicate (a double click, a retried form, a second tab), not a second request.
 */
export function askHash(systemId: string, input: RequestAsk & { title: string; reason: string }): string {
  const items = [...(input.items ?? [])].sort((a, b) => (a.resourceClass < b.resourceClass ? -1 : a.resourceClass > b.resourceClass ? 1 : 0));
  const ask = { systemId, cloudId: input.cloudId ?? null, items, resources: input.resources ?? [], title: input.title.trim(), reason: input.reason.trim() };
  return createHash('sha256').update(canonical(ask)).digest('base64url');
}

/**
 * Submits a request: refused as a duplicate (409 request.duplicate, naming the open request) when the department
 * already has an open request asking for exactly this; assessed, refused if a policy denies, its resources checked against the system's rules
 * and the cloud's catalogue (fetched by the caller before the transaction, for the cloud it assessed),
 * quota held (unless it needs an increase), chain resolved.
 */
export async function submitRequest(
  db: Queryable, s: Services, caller: Caller, system: SystemRow,
  input: RequestAsk & { title: string; reason: string; catalogue?: { cloudId: string; catalogue: Catalogue }; departmentIds: string[] | null },
): Promise<string> {
  if (system.status === 'retired') throw new ConflictError('the system is retired', 'systemId');
  // The caller holds the system row (FOR UPDATE): a racing twin waits here and then sees this one's request.
  const hash = askHash(system.id, input);
  const open = await requestsRepo.openByAskHash(db, system.departmentId, hash);
  if (open) {
    throw new ConflictError(`an identical request (${open.id}) is already ${open.status}: it was not submitted again`, undefined, {
      code: 'request.duplicate', params: { requestId: open.id, status: open.status },
    });
  }
  await s.quotas.ensureSystemNode(db, { systemId: system.id, departmentId: system.departmentId, actor: caller.username });
  const items = quotaOfAsk(input);
  const a = await assessRequest(db, s.quotas, system, items, input.cloudId);
  const refusal = refusalOf(a, Boolean(input.cloudId));
  if (refusal) throw refusal;
  let plan: Awaited<ReturnType<typeof planResources>> = [];
  if (input.resources?.length) {
    if (!input.catalogue || input.catalogue.cloudId !== a.cloudId) throw new ConflictError(`placement moved to cloud ${a.cloudId} meanwhile: submit again`, 'cloudId');
    plan = await planResources(db, { system, cloudId: a.cloudId!, resources: input.resources, catalogue: input.catalogue.catalogue, departmentIds: input.departmentIds });
  }
  if (a.quota && !a.quota.fits && !a.quotaIncrease) throw new QuotaExceededError(a.quota.shortfalls);
  const id = newId();
  const now = new Date();
  const steps = await resolveChain(db, a.chain.steps, system.departmentId, caller.userId);
  const reservation = a.quotaIncrease ? null : await s.quotas.reserve(db, {
    systemId: system.id, items: items.map((i) => ({ ...i, cloudId: a.cloudId! })), idempotencyKey: reservationKey(id),
    ttlSeconds: RESERVATION_TTL_SECONDS, ref: `request:${id}`, actor: caller.username,
  });
  await requestsRepo.insert(db, {
    id, departmentId: system.departmentId, systemId: system.id, requesterId: caller.userId, title: input.title, reason: input.reason,
    placementMode: input.cloudId ? 'named' : 'auto', cloudId: a.cloudId!, items, resources: plan, units: a.units, status: 'pending',
    quotaIncrease: a.quotaIncrease, policyResults: a.results, placement: { chosen: a.cloudId, candidates: a.placement.candidates },
    quotaCheck: a.quota, chainId: a.chain.id, reservationId: reservation?.id ?? null, submittedAt: now, askHash: hash,
  }, {
    // Its steps and its submitted event by the same statement.
    steps, now,
    event: { kind: 'submitted', actor: caller.username, data: { cloudId: a.cloudId, units: a.units, quotaIncrease: a.quotaIncrease, reservationId: reservation?.id ?? null, chain: a.chain.name } },
  });
  return id;
}

/**
 * One approver's decision on the current step. Nobody decides their own request; nobody decides a step
 * twice; only the step's approvers decide it. A rejection ends the request (its hold is released); the
 * last approval starts provisioning. `read`: the request's steps and decisions, read with it after its row was locked.
 */
export async function decide(
  db: Queryable, s: Services, caller: Caller, request: RequestRow, decision: 'approve' | 'reject', reason: string,
  read?: { steps: StepRow[]; decisions: Decision[] },
): Promise<void> {
  if (request.requesterId === caller.userId) throw new ForbiddenError('nobody approves or rejects their own request', { code: 'auth.ownRequest' });
  // The steps and decisions as read with the request (requestsRepo.withSteps, under its row lock), or read here.
  const all = read?.decisions ?? await requestStepsRepo.decisions(db, request.id);
  const mine = all.find((d) => d.approverId === caller.userId);
  const steps = read?.steps ?? await requestStepsRepo.steps(db, request.id);
  // An approver of a step that is already behind the request (或签: another approver decided it first) is late,
  // not unauthorised: a conflict (issue 17.4), like deciding twice.
  const lateFor = steps.find((x) => x.idx < request.currentStep && x.approverIds.includes(caller.userId));
  // Deciding again is a conflict (not a permission problem): whatever the request's state, one decision per person per step.
  if (request.status !== 'pending') {
    if (mine) throw new ConflictError(`you have already decided this request; it is now ${request.status}`, undefined, { code: 'approval.alreadyDecided', params: { status: request.status } });
    throw new ConflictError(`the request is ${request.status}; only a pending request can be decided`, undefined, { code: 'request.notPending', params: { status: request.status } });
  }
  const step = steps[request.currentStep]!;
  const decisions = all.filter((d) => d.stepIdx === step.idx);
  if (decisions.some((d) => d.approverId === caller.userId)) {
    throw new ConflictError(`you have already decided the step “${step.name}”`, undefined, { code: 'approval.alreadyDecided', params: { step: step.name } });
  }
  if (!step.approverIds.includes(caller.userId)) {
    if (mine) throw new ConflictError(`you have already decided an earlier step of this request; “${step.name}” waits for others`, undefined, { code: 'approval.alreadyDecided', params: { step: step.name } });
    if (lateFor) throw new ConflictError(`the step “${lateFor.name}” was already decided by another approver; “${step.name}” waits for others`, undefined, { code: 'approval.alreadyDecided', params: { step: lateFor.name } });
    throw new ForbiddenError(`you are not an approver of the step “${step.name}”`, { code: 'approval.notApprover', params: { step: step.name } });
  }
  const now = new Date();
  await requestStepsRepo.decideWithEvent(db, { requestId: request.id, stepIdx: step.idx, approverId: caller.userId, decision, reason, at: now },
    { kind: decision === 'approve' ? 'step.approved-by' : 'step.rejected-by', actor: caller.username, data: { step: step.name, reason } });

  if (decision === 'reject') {
    await requestStepsRepo.setStep(db, request.id, step.idx, 'rejected', now);
    await requestStepsRepo.skipRemaining(db, request.id);
    await endRequest(db, s, request, 'rejected', caller.username, reason);
    return;
  }
  const approvals = decisions.filter((d) => d.decision === 'approve').length + 1;
  const stepDone = step.mode !== 'countersign' || approvals >= step.approverIds.length;
  if (!stepDone) return;
  const next = steps[step.idx + 1];
  if (next) {
    // The step approved, the next one started and the request moved on to it, with its event: one statement.
    await requestStepsRepo.advanceStep(db, request.id, step.idx, next, now, { kind: 'step.started', actor: null, data: { step: next.name } });
    return;
  }
  await approveAndProvision(db, s, request, caller, { idx: step.idx, decidedAt: now });
}

/**
 * The chain is through: raise the quota if that was asked for, hold it, and start provisioning. `step`: the last
 * step, recorded approved with the request's new state (one statement at the end, in the decision's transaction).
 */
async function approveAndProvision(db: Queryable, s: Services, request: RequestRow, caller: Caller, step: { idx: number; decidedAt: Date }): Promise<void> {
  const now = new Date();
  let reservationId = request.reservationId;
  const items = request.items.map((i) => ({ ...i, cloudId: request.cloudId }));
  if (request.quotaIncrease) {
    const check = await s.quotas.check(db, { systemId: request.systemId, items });
    const above = check.shortfalls.filter((x) => x.kind === 'hard' && x.level !== 'system');
    if (above.length) {
      const a = above[0]!;
      throw new ConflictError(`approving raises the system's quota, but the ${a.level} quota (${a.ref}) is also exceeded for ${a.resourceClass} on ${a.cloudId}: ask the operators to raise it first`);
    }
    const raise = check.shortfalls.filter((x) => x.kind === 'hard' && x.level === 'system');
    if (raise.length) {
      await s.quotas.setSystemLimits(db, {
        systemId: request.systemId, actor: caller.username, reason: `quota increase approved with request ${request.id}`,
        limits: raise.map((x) => ({ cloudId: x.cloudId, resourceClass: x.resourceClass, limit: x.used + x.requested })),
      });
      await requestStepsRepo.addEvent(db, request.id, 'quota.raised', caller.username, { limits: raise.map((x) => ({ resourceClass: x.resourceClass, from: x.limit, to: x.used + x.requested })) });
    }
    const r = await s.quotas.reserve(db, { systemId: request.systemId, items, idempotencyKey: reservationKey(request.id), ttlSeconds: RESERVATION_TTL_SECONDS, ref: `request:${request.id}`, actor: caller.username });
    reservationId = r.id;
  }
  else if (reservationId) reservationId = await renewIfLapsed(db, s, request, items, caller);
  await checkPlanStillHolds(db, request.resources);
  // A change (resize or release of a live resource) runs its own steps; a new request creates its resources.
  const workflowId = await s.engine.start(db, request.change ? {
    kind: 'resource-change', title: request.title, input: { requestId: request.id },
    departmentId: request.departmentId, createdBy: caller.username, steps: changeSteps(request.id, request.change),
  } : {
    kind: 'request-provisioning', title: `provision ${request.title}`, input: { requestId: request.id },
    departmentId: request.departmentId, createdBy: caller.username, steps: provisioningSteps(request.id, request.resources.length ? (after) => resourceSteps(request.id, request.resources, after) : undefined, reservationId),
  });
  await requestStepsRepo.startProvisioning(db, request.id, { stepIdx: step.idx, stepDecidedAt: step.decidedAt, reservationId, workflowId, decidedAt: now },
    { kind: 'approved', actor: caller.username, data: { reservationId, workflowId } });
}

/**
 * A hold taken at submit may have lapsed while the request waited (the reaper expires holds past their
 * TTL). Asking `reserve` with the same key returns that hold as it is now; a lapsed one is replaced by a
 * fresh hold, which must fit again.
 */
async function renewIfLapsed(db: Queryable, s: Services, request: RequestRow, items: { cloudId: string; resourceClass: RequestItem['resourceClass']; amount: number }[], caller: Caller): Promise<string> {
  const input = { systemId: request.systemId, items, ttlSeconds: RESERVATION_TTL_SECONDS, ref: `request:${request.id}`, actor: caller.username };
  // Still held, as it mostly is: read by its key alone (heldReplay); anything else asks reserve, as before.
  const current = await s.quotas.heldReplay(db, { ...input, idempotencyKey: reservationKey(request.id) }) ?? await s.quotas.reserve(db, { ...input, idempotencyKey: reservationKey(request.id) });
  if (current.state === 'held') return current.id;
  const renewed = await s.quotas.reserve(db, { ...input, idempotencyKey: `${reservationKey(request.id)}:renewed:${newId()}` });
  await requestStepsRepo.addEvent(db, request.id, 'quota.renewed', caller.username, { lapsed: current.id, lapsedState: current.state, renewed: renewed.id });
  return renewed.id;
}

/** Rejected or cancelled before provisioning: the hold is released in the same transaction. */
export async function endRequest(db: Queryable, s: Services, request: RequestRow, status: 'rejected' | 'cancelled', actor: string, reason: string): Promise<void> {
  if (request.reservationId) await releaseHold(db, s.quotas, { reservationId: request.reservationId, actor, reason: `request ${status}: ${reason}` });
  await requestsRepo.update(db, request.id, { status, decidedAt: new Date(), finishedAt: new Date() });
  await requestStepsRepo.addEvent(db, request.id, status, actor, { reason, released: request.reservationId });
}

/** The requester (or an admin) cancels: pending → released at once; provisioning → the workflow unwinds and releases. */
export async function cancelRequest(db: Queryable, s: Services, caller: Caller, request: RequestRow, reason: string): Promise<void> {
  if (request.requesterId !== caller.userId && !caller.roles.includes('admin')) throw new ForbiddenError('only the requester or an admin can cancel a request');
  if (request.status === 'pending') {
    await requestStepsRepo.skipRemaining(db, request.id);
    await endRequest(db, s, request, 'cancelled', caller.username, reason);
    return;
  }
  if (request.status === 'provisioning' && request.workflowId) {
    await s.engine.cancel(db, request.workflowId);
    await requestStepsRepo.addEvent(db, request.id, 'cancel-requested', caller.username, { reason });
    return;
  }
  throw new ConflictError(`the request is ${request.status}; it can no longer be cancelled`);
}

export function isOverdue(step: { status: string; dueAt: Date | null }, now = new Date()): boolean {
  return step.status === 'active' && step.dueAt !== null && new Date(step.dueAt).getTime() < now.getTime();
}

