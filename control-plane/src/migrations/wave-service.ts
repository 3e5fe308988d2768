import type { Scope } from '../auth/scope.ts';
import type { StepSpec } from '../engine/dag.ts';
import type { WorkflowEngine } from '../engine/engine.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { checkFromInventory } from '../extranet/access-check.ts';
import { planesRepo } from '../extranet/inventory-repo.ts';
import { unitsRepo } from '../extranet/units-repo.ts';
import type { FederationService } from '../federation/contract.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { QuotaExceededError, type QuotaService } from '../quotas/contract.ts';
import { releaseHold } from '../requests/release-hold.ts';
import type { Queryable, Store } from '../store/store.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { addDays, departmentWindows, formatLocal } from './calendar.ts';
import { calendarRepo } from './calendar-repo.ts';
import { loadCandidate } from './candidate-service.ts';
import { candidatesRepo, type CandidateRow } from './candidates-repo.ts';
import { allPassed, runPrechecks, type PrecheckFacts, type PrecheckVerdict } from './prechecks.ts';
import { plansRepo, type WaveRow } from './plans-repo.ts';
import { quotaKey, type StepParams } from './run-actions.ts';
import { STEP_INFO, SYSTEM_STEPS, systemSteps, type SystemStep } from './run-steps.ts';

/**
 * A wave's life: planned → prechecked (every check of every system passed, the target quota held) →
 * running (a durable workflow: each system's steps in order, a dependant's cut-over after what it needs
 * is verified) → verified, or rolled back (a failure or the operator's rollback unwinds the steps done, in
 * reverse). The move from prechecked to running is one guarded UPDATE: of two control planes asked to
 * start the same wave, one starts it and the other is refused.
 */

const NO_SCOPE = { departmentIds: null };
export const DEFAULT_SOAK_SECONDS = 600;

export async function loadWave(db: Queryable, scope: Scope, id: string, opts: { forUpdate?: boolean } = {}): Promise<WaveRow> {
  const w = await plansRepo.wave(db, id, opts);
  if (!w) throw new NotFoundError(`no migration wave ${id}`);
  if (scope.departmentIds !== null && !(await plansRepo.waveSystems(db, scope, [id])).length) throw new NotFoundError(`no migration wave ${id}`);
  return w;
}

export interface SystemPrechecks {
  candidateId: string;
  systemName: string;
  verdicts: PrecheckVerdict[];
  /** The target quota held for the move (the run's prepare-target step takes it over; null when none is held). */
  reservationId: string | null;
}

/**
 * Gathers the facts for every system of the wave (the quota hold through the quota service, the target's
 * platforms and images from its provider, the extranet path from the department's access units to the target
 * on each plane and family, the target's same-city DR site, the department's slot that week) and judges them.
 * Network calls happen here, outside any transaction; holds that end up not needed are released.
 */
export async function gatherPrechecks(deps: { store: Store; federation: FederationService; quotas: QuotaService }, wave: WaveRow, now: Date): Promise<SystemPrechecks[]> {
  const { store } = deps;
  const rows = await plansRepo.waveSystems(store, NO_SCOPE, [wave.id]);
  const candidates = await candidatesRepo.list(store, NO_SCOPE, { ids: rows.map((r) => r.candidateId) });
  const capabilities = new Map<string, Awaited<ReturnType<ReturnType<FederationService['provider']>['connect']>>['capabilities'] | null>();
  for (const cloudId of new Set(candidates.map((c) => c.targetCloudId))) {
    capabilities.set(cloudId, await deps.federation.provider(cloudId).connect().then((i) => i.capabilities, () => null));
  }
  const planes = (await planesRepo.list(store)).map((p) => p.id);
  // A precheck run again replaces the holds of the last one (one hold per system and wave at a time).
  await releaseHolds(deps, (wave.prechecks as SystemPrechecks[] | null) ?? [], 'prechecks run again');
  const run = newId();
  const out: SystemPrechecks[] = [];
  for (const c of candidates) {
    const caps = capabilities.get(c.targetCloudId) ?? null;
    const cloud = (await cloudsRepo.byId(store, c.targetCloudId))!;
    const quota = await holdQuota(deps, wave, c, run);
    const facts: PrecheckFacts = {
      system: { name: c.systemName, drLevel: c.drLevel },
      quota,
      target: {
        cloudName: c.targetCloudName, arch: c.targetArch, image: c.targetImage,
        offersArch: !!caps?.platforms.some((p) => p.arch === c.targetArch),
        offersImage: !!caps?.images.some((i) => i.id === c.targetImage && i.arches.includes(c.targetArch as never) && !i.legacy),
        sameCityDr: cloud.siteRoles.includes('same-city-dr'),
      },
      extranet: await extranetFacts(store, c, cloud.name, planes),
      window: await windowFacts(store, wave, c, now),
    };
    out.push({ candidateId: c.id, systemName: c.systemName, verdicts: runPrechecks(facts), reservationId: quota.held ? quota.reservationId : null });
  }
  if (!out.every((s) => allPassed(s.verdicts))) {
    // Not starting: hand back what was held for it.
    await releaseHolds(deps, out, 'wave prechecks failed');
    return out.map((s) => ({ ...s, reservationId: null }));
  }
  return out;
}

async function holdQuota(deps: { store: Store; quotas: QuotaService }, wave: WaveRow, c: CandidateRow, run: string): Promise<PrecheckFacts['quota']> {
  try {
    // The system's quota node is committed first: reservations are batched on their own transaction.
    await deps.store.transaction((tx) => deps.quotas.ensureSystemNode(tx, { systemId: c.systemId, departmentId: c.departmentId, actor: 'migration' }));
    const r = await deps.quotas.reserve(deps.store, { systemId: c.systemId, items: [{ cloudId: c.targetCloudId, resourceClass: 'vcpu', amount: c.vcpu }], idempotencyKey: quotaKey(wave.id, c.id, run), ttlSeconds: 7 * 86_400, ref: `migration-wave:${wave.id}`, actor: 'migration' });
    if (r.state === 'released' || r.state === 'expired') {
      return { held: false, shortfall: `the hold for this wave was ${r.state}; re-plan the system into a new wave` };
    }
    return { held: true, reservationId: r.id };
  } catch (error) {
    if (error instanceof QuotaExceededError) return { held: false, shortfall: error.message };
    throw error;
  }
}

async function releaseHolds(deps: { store: Store; quotas: QuotaService }, systems: SystemPrechecks[], reason: string) {
  for (const s of systems) {
    const id = s.reservationId;
    if (id) await deps.store.transaction((tx) => releaseHold(tx, deps.quotas, { reservationId: id, actor: 'migration', reason }));
  }
}

/** The extranet path from each of the department's access units to the target cloud, per plane and family (the extranet's inventory check). */
async function extranetFacts(db: Queryable, c: CandidateRow, cloudName: string, planes: string[]): Promise<PrecheckFacts['extranet']> {
  const units = await unitsRepo.ofDepartment(db, c.departmentId);
  const out: PrecheckFacts['extranet'] = [];
  for (const [i, planeId] of planes.slice(0, 2).entries()) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      if (!units.length) { out.push({ plane: (i + 1) as 1 | 2, family, reachable: false, why: 'the department has no access unit on the extranet' }); continue; }
      const system = { id: c.systemId, name: c.systemName, departmentId: c.departmentId, cloudId: c.targetCloudId, cloudName };
      const checks = await Promise.all(units.map((u) => checkFromInventory(db, u, system, planeId, family)));
      const bad = checks.find((k) => !k.ok);
      out.push({ plane: (i + 1) as 1 | 2, family, reachable: !bad, ...(bad ? { why: `${bad.reason}: ${bad.path.find((h) => h.status === 'blocked')?.detail ?? ''}` } : {}) });
    }
  }
  return out;
}

/** The department's slot in the wave's week, judged now against today's calendar (a blackout added since closes it). */
async function windowFacts(db: Queryable, wave: WaveRow, c: CandidateRow, now: Date): Promise<PrecheckFacts['window']> {
  const slots = await calendarRepo.slots(db, NO_SCOPE, [c.departmentId]);
  const blackouts = await calendarRepo.blackouts(db, NO_SCOPE, { from: wave.weekStart, to: addDays(wave.weekStart, 6) });
  const dw = departmentWindows({
    windows: [{ id: `W${wave.windowIndex + 1}`, weekStart: wave.weekStart }],
    departments: [{ departmentId: c.departmentId, name: c.departmentName, slots: slots.map((s) => ({ weekday: s.weekday, start: s.start, hours: s.hours })) }],
    blackouts: blackouts.map((b) => ({ from: b.from, to: b.to, reason: b.reason, departmentIds: b.departmentIds })),
    notBefore: now.toISOString(),
  }).get(c.departmentId)![0]!;
  const closed = dw.closed[0];
  return {
    id: `W${wave.windowIndex + 1}`,
    slotStart: dw.slot ? formatLocal(dw.slot.start) : null,
    slotEnd: dw.slot ? formatLocal(dw.slot.end) : null,
    closedBecause: dw.open ? null : !closed || closed.kind === 'no-slot' ? 'no maintenance slot this week' : closed.kind === 'past' ? 'the slot is over' : `blackout: ${closed.blackout.reason}`,
  };
}

/** Records the verdicts; the wave is prechecked only when all passed. */
export async function recordPrechecks(db: Queryable, wave: WaveRow, results: SystemPrechecks[]): Promise<{ passed: boolean }> {
  const passed = results.every((s) => allPassed(s.verdicts));
  const moved = await plansRepo.setWaveStatus(db, wave.id, passed ? 'prechecked' : 'planned', ['planned', 'prechecked'], { prechecks: results });
  if (!moved) throw new ConflictError(`the wave is ${wave.status}: prechecks run before it starts`);
  return { passed };
}

/** The run's steps: each system's chain; a dependant's cut-over waits for what it needs (in the same wave) to be verified. */
export async function waveSteps(db: Queryable, wave: WaveRow, soakSeconds: number): Promise<StepSpec[]> {
  const rows = await plansRepo.waveSystems(db, NO_SCOPE, [wave.id]);
  const candidates = await candidatesRepo.list(db, NO_SCOPE, { ids: rows.map((r) => r.candidateId) });
  const bySystem = new Map(candidates.map((c) => [c.systemId, c]));
  const edges = (await systemsRepo.allEdges(db)).filter((e) => bySystem.has(e.systemId) && bySystem.has(e.dependsOnId));
  const holds = new Map(((wave.prechecks as SystemPrechecks[] | null) ?? []).map((p) => [p.candidateId, p.reservationId]));
  const steps: StepSpec[] = [];
  for (const c of candidates) {
    const reservationId = holds.get(c.id);
    if (!reservationId) throw new ConflictError(`${c.systemName} holds no target quota: run the wave's prechecks again`);
    let previous: string | null = null;
    for (const step of systemSteps(c.drLevel)) {
      const key = `${c.id}:${step}`;
      const dependsOn = previous ? [previous] : [];
      if (step === 'cut-over') for (const e of edges.filter((x) => x.systemId === c.systemId)) dependsOn.push(`${bySystem.get(e.dependsOnId)!.id}:verify`);
      const params: StepParams = { waveId: wave.id, candidateId: c.id, step, soakSeconds, reservationId };
      steps.push({ key, action: `migrations.${step}`, dependsOn, params, maxAttempts: step === 'copy' ? 8 : 5 });
      previous = key;
    }
  }
  return steps;
}

export async function startWave(db: Queryable, engine: WorkflowEngine, wave: WaveRow, opts: { soakSeconds: number; createdBy: string | null; planName: string }) {
  // The guarded move: a second control plane (or a second click) finds the wave no longer prechecked.
  if (!(await plansRepo.setWaveStatus(db, wave.id, 'running', ['prechecked']))) {
    throw new ConflictError(wave.status === 'running' ? 'the wave is already running' : `the wave is ${wave.status}: run its prechecks first`);
  }
  const steps = await waveSteps(db, wave, opts.soakSeconds);
  const workflowId = await engine.start(db, {
    kind: 'migration.wave', title: `${opts.planName} W${wave.windowIndex + 1} (${wave.weekStart})`, input: { waveId: wave.id }, departmentId: null, createdBy: opts.createdBy, steps,
  });
  await plansRepo.setWaveStatus(db, wave.id, 'running', ['running'], { workflowId });
  const ids = [...new Set(steps.map((s) => (s.params as StepParams).candidateId))];
  await candidatesRepo.setState(db, ids, 'migrating', ['scheduled', 'candidate']);
  return { workflowId, steps: steps.length };
}

/** Rolls a running wave back (the engine undoes the steps done, last first); refused once any source is released. */
export async function rollbackWave(db: Queryable, engine: WorkflowEngine, wave: WaveRow) {
  if (wave.status !== 'running' || !wave.workflowId) throw new ConflictError(`the wave is ${wave.status}: only a running wave can be rolled back`);
  const steps = await workflowsRepo.steps(db, wave.workflowId);
  const released = steps.filter((s) => s.key.endsWith(':release-source') && (s.status === 'succeeded' || s.status === 'running'));
  if (released.length) {
    const names = (await candidatesRepo.list(db, NO_SCOPE, { ids: released.map((s) => s.key.split(':')[0]!) })).map((c) => c.systemName);
    throw new ConflictError(`the source of ${names.join(', ')} has been released: there is nothing to roll back to`);
  }
  await engine.cancel(db, wave.workflowId);
  return { workflowId: wave.workflowId };
}

/** A running wave whose workflow has ended takes its final status (verified, or rolled back after a failure or a rollback). */
export async function syncWave(store: Store, wave: WaveRow): Promise<WaveRow> {
  if (wave.status !== 'running' || !wave.workflowId) return wave;
  const w = await workflowsRepo.byId(store, wave.workflowId);
  if (!w || !['succeeded', 'failed', 'cancelled'].includes(w.status)) return wave;
  const to = w.status === 'succeeded' ? 'verified' : 'rolled-back';
  await plansRepo.setWaveStatus(store, wave.id, to, ['running']);
  return { ...wave, status: to };
}

export interface SystemProgress {
  candidateId: string;
  steps: { step: SystemStep; status: string; attempts: number; error: string | null; zh: string; en: string }[];
  done: number;
  total: number;
}

/** Per system: each step's status from the workflow (the console's live board). */
export async function waveProgress(db: Queryable, wave: WaveRow, visible: Set<string>) {
  if (!wave.workflowId) return { workflow: null, systems: [] as SystemProgress[] };
  const [workflow, steps] = await Promise.all([workflowsRepo.byId(db, wave.workflowId), workflowsRepo.steps(db, wave.workflowId)]);
  const systems = new Map<string, SystemProgress>();
  for (const s of steps) {
    const [candidateId, step] = s.key.split(':') as [string, SystemStep];
    if (!visible.has(candidateId)) continue;
    const p = systems.get(candidateId) ?? { candidateId, steps: [], done: 0, total: 0 };
    p.steps.push({ step, status: s.status, attempts: s.attempts, error: s.error, zh: STEP_INFO[step].zh, en: STEP_INFO[step].en });
    p.total++;
    if (s.status === 'succeeded') p.done++;
    systems.set(candidateId, p);
  }
  const order = (step: SystemStep) => SYSTEM_STEPS.indexOf(step);
  for (const p of systems.values()) p.steps.sort((a, b) => order(a.step) - order(b.step));
  return { workflow: workflow && { id: workflow.id, status: workflow.status, error: workflow.error, stepsDone: workflow.stepsDone, stepsTotal: workflow.stepsTotal }, systems: [...systems.values()] };
}

/**
 * A candidate's migration history: each wave that held it (plan, version, week, status, the department's
 * answer) with the candidate's own steps in that wave's run. Scoped like the candidate itself.
 */
export async function candidateHistory(store: Store, db: Queryable, scope: Scope, id: string) {
  const candidate = await loadCandidate(db, scope, id);
  const waves = await plansRepo.candidateWaves(db, id);
  const items = [];
  for (const row of waves) {
    // A run that ended since anyone last looked takes its final status first, as waves.get does.
    const wave = await syncWave(store, row);
    const progress = await waveProgress(db, wave, new Set([id]));
    items.push({
      waveId: wave.id, planId: wave.planId, planName: row.planName, version: row.version, windowIndex: wave.windowIndex, weekStart: wave.weekStart,
      status: wave.status, confirmation: row.confirmation, note: row.note, workflowId: wave.workflowId, updatedAt: wave.updatedAt,
      steps: progress.systems[0]?.steps ?? [],
    });
  }
  return { candidateId: candidate.id, systemName: candidate.systemName, state: candidate.state, items };
}
