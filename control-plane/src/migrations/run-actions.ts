import { isProviderError, type MigrationOperation, type MigrationRequests, type MigrationResult, type ResilientProvider } from '@ganyun/providers';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActionRegistry, StepContext } from '../engine/actions.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import type { FederationService } from '../federation/contract.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';
import type { QuotaService } from '../quotas/contract.ts';
import { releaseHold } from '../requests/release-hold.ts';
import type { Store } from '../store/store.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { candidatesRepo, type CandidateRow } from './candidates-repo.ts';
import { stepKey, type SystemStep } from './run-steps.ts';

/**
 * The workflow actions of a wave's run, one per step of run-steps.ts, each calling the provider of the
 * cloud it acts on (the target for the tenant space, copy and cut-over; the source for freeze and thaw)
 * through the resilient wrapper, under the step's idempotency key (`stepKey`: the same wave, system and
 * step always send the same key, whichever runner does it). After a lost answer or a takeover the step
 * first asks the provider what became of its key (observe by key) and only calls again if nothing was
 * applied, so each key has one effect. The undos run in reverse when the wave fails or is rolled back.
 *
 * An on-premises room has no API here: freezing and thawing it is the operators' manual step, recorded
 * as such in the step's output (the copy and the cut-over still go through the target cloud).
 */

export interface StepParams { waveId: string; candidateId: string; step: SystemStep; soakSeconds: number; reservationId: string }

interface Deps { store: Store; federation: FederationService; quotas: () => QuotaService; audit: AuditLog }

const NO_SCOPE = { departmentIds: null };
/** Key of the target quota hold a wave's prechecks make (one per precheck run). */
export const quotaKey = (waveId: string, candidateId: string, run: string) => `mig:${waveId}:${candidateId}:quota:${run}`;
/** The zone a copy lands in on the target: the target's first production zone. */
async function targetZone(p: ResilientProvider): Promise<string> {
  const info = await p.connect();
  return info.capabilities.zones[0] ?? 'default';
}

/** Calls a migration operation once per key: on a retry or takeover, what the provider already applied counts. */
async function runOnce<O extends MigrationOperation>(p: ResilientProvider, op: O, req: MigrationRequests[O], key: string, attempt: number, signal: AbortSignal): Promise<MigrationResult & { observed?: boolean }> {
  const migration = p.migration;
  if (!migration) throw Object.assign(new Error(`cloud ${p.cloudId} offers no migration operations`), { retryable: false });
  if (attempt > 1) {
    const seen = await migration.observeByKey({ idempotencyKey: key, op }, { signal });
    if (seen.status === 'applied') return { ...seen.result, observed: true };
    if (seen.status === 'cannot-tell') throw Object.assign(new Error(`cannot tell whether ${op} (${key}) was applied: ${seen.reason}`), { retryable: true });
  }
  return migration.run(op, req, { idempotencyKey: key, signal });
}

async function load(store: Store, candidateId: string): Promise<CandidateRow> {
  const c = await candidatesRepo.byId(store, NO_SCOPE, candidateId);
  if (!c) throw new Error(`migration candidate ${candidateId} is gone`);
  return c;
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  const onAbort = () => { clearTimeout(t); reject(signal.reason as Error); };
  const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
  signal.addEventListener('abort', onAbort, { once: true });
});

async function unwinding(store: Store, workflowId: string): Promise<boolean> {
  const w = await workflowsRepo.byId(store, workflowId);
  return w?.status === 'cancelling' || w?.status === 'compensating';
}

export function registerRunActions(actions: ActionRegistry, deps: Deps): void {
  const { store, federation } = deps;
  const key = (ctx: StepContext<StepParams>, undo = false) => stepKey(ctx.params.waveId, ctx.params.candidateId, ctx.params.step, undo);

  actions.register('migrations.prepare-target', {
    async run(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      // The target quota was held by the wave's prechecks (through the quota service); this step owns it from here:
      // its undo releases it, the release of the source commits it.
      const space = await federation.provider(c.targetCloudId).createTenantSpace(
        { name: tenantNameOf(c.systemId), displayName: c.systemName, quota: { vcpu: c.vcpu, memoryGiB: c.vcpu * 4, storageGiB: Math.ceil(c.dataGiB), gpu: 0 }, labels: { 'ganyun/migration': ctx.params.waveId } },
        { idempotencyKey: key(ctx), signal: ctx.signal },
      );
      return { reservationId: ctx.params.reservationId, space: space.outcome };
    },
    async compensate(ctx: StepContext<StepParams>, output: { reservationId: string }) {
      const c = await load(store, ctx.params.candidateId);
      await federation.provider(c.targetCloudId).deleteTenantSpace(tenantNameOf(c.systemId), { idempotencyKey: key(ctx, true), signal: ctx.signal });
      await store.transaction(async (tx) => {
        await releaseHold(tx, deps.quotas(), { reservationId: output.reservationId, actor: 'migration', reason: 'migration rolled back' });
        // Back to a candidate: a re-plan places it again.
        await candidatesRepo.setState(tx, [c.id], 'candidate', ['migrating', 'scheduled']);
      });
    },
  });

  actions.register('migrations.protect-target', {
    /** DR level ≥ 4: the target's same-city DR site must be there before the cut-over (checked again: the precheck may be old). */
    async run(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      const cloud = await cloudsRepo.byId(store, c.targetCloudId);
      if (!cloud?.siteRoles.includes('same-city-dr')) throw new Error(`${c.targetCloudName} has no same-city DR site: ${c.systemName} (DR level ${c.drLevel}) would lose same-city protection`);
      return { sameCityDr: c.targetCloudId };
    },
    async compensate() {
      // Nothing was created at the DR site by this step: the check holds nothing to undo.
    },
  });

  actions.register('migrations.copy', {
    async run(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      const target = federation.provider(c.targetCloudId);
      const zone = await targetZone(target);
      const [link] = await candidatesRepo.links(store, [c.linkId]);
      const request = { system: c.systemId, fromCloud: c.sourceCloudId ?? `room:${c.sourceRoomId}`, zone, dataGiB: c.dataGiB, gbps: link!.gbps };
      await runOnce(target, 'startCopy', request, key(ctx), ctx.attempt, ctx.signal);
      // The copy takes the time its size and the link give: wait for it here (the lease is renewed meanwhile),
      // stopping early when the wave is rolled back so the undo does not wait for a copy nobody wants.
      for (;;) {
        const state = (await target.migration!.state({ signal: ctx.signal })).find((s) => s.system === c.systemId);
        if (state?.copy?.done) return { zone, copiedGiB: state.copy.copiedGiB };
        if (await unwinding(store, ctx.workflowId)) {
          await runOnce(target, 'cancelCopy', { system: c.systemId, zone }, key(ctx, true), 1, ctx.signal);
          throw Object.assign(new Error('the wave is being rolled back: the copy was cancelled'), { retryable: false });
        }
        await sleep(Math.min(2000, Math.max(20, (state?.copy?.etaSeconds ?? 1) * 250)), ctx.signal);
      }
    },
    async compensate(ctx: StepContext<StepParams>, output: { zone: string }) {
      const c = await load(store, ctx.params.candidateId);
      await runOnce(federation.provider(c.targetCloudId), 'cancelCopy', { system: c.systemId, zone: output.zone }, key(ctx, true), ctx.attempt, ctx.signal);
    },
  });

  actions.register('migrations.freeze-source', {
    async run(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      if (!c.sourceCloudId) return { manual: `on-premises room ${c.sourceName}: writes are stopped by the operators (no API)` };
      const r = await runOnce(federation.provider(c.sourceCloudId), 'freezeSource', { system: c.systemId }, key(ctx), ctx.attempt, ctx.signal);
      return { outcome: r.outcome };
    },
    async compensate(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      if (!c.sourceCloudId) return;
      await runOnce(federation.provider(c.sourceCloudId), 'thawSource', { system: c.systemId }, key(ctx, true), ctx.attempt, ctx.signal);
    },
  });

  actions.register('migrations.cut-over', {
    async run(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      const target = federation.provider(c.targetCloudId);
      const zone = await targetZone(target);
      const entries = [{ kind: 'dns' as const, name: `${tenantNameOf(c.systemId)}.gov.jx`, value: `${c.targetCloudId}/${zone}` }];
      const r = await runOnce(target, 'cutOver', { system: c.systemId, zone, entries }, key(ctx), ctx.attempt, ctx.signal);
      return { zone, outcome: r.outcome };
    },
    async compensate(ctx: StepContext<StepParams>, output: { zone: string }) {
      const c = await load(store, ctx.params.candidateId);
      await runOnce(federation.provider(c.targetCloudId), 'revertCutOver', { system: c.systemId, zone: output.zone }, key(ctx, true), ctx.attempt, ctx.signal);
    },
  });

  actions.register('migrations.verify', {
    /** The target must serve the system from the zone it was cut over to, with the copy complete. */
    async run(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      const state = (await federation.provider(c.targetCloudId).migration!.state({ signal: ctx.signal })).find((s) => s.system === c.systemId);
      if (!state?.servingHere || !state.copy?.done) throw Object.assign(new Error(`${c.systemName} is not served by ${c.targetCloudName} after the cut-over`), { retryable: true });
      return { servingHere: true, entries: state.entries.length };
    },
  });

  actions.register('migrations.soak', {
    async run(ctx: StepContext<StepParams>) {
      await sleep(ctx.params.soakSeconds * 1000, ctx.signal);
      return { soakedSeconds: ctx.params.soakSeconds };
    },
  });

  actions.register('migrations.release-source', {
    /** The point of no return: the target quota becomes usage, the system lives on the target, the source's space goes. */
    async run(ctx: StepContext<StepParams>) {
      const c = await load(store, ctx.params.candidateId);
      if (c.sourceCloudId) {
        try {
          await federation.provider(c.sourceCloudId).deleteTenantSpace(tenantNameOf(c.systemId), { idempotencyKey: key(ctx), signal: ctx.signal });
        } catch (error) {
          if (!(isProviderError(error) && error.code === 'not-found')) throw error;
        }
      }
      await store.transaction(async (tx) => {
        await deps.quotas().commit(tx, { reservationId: ctx.params.reservationId, actor: 'migration' });
        await systemsRepo.setCloud(tx, c.systemId, c.targetCloudId);
        await systemsRepo.setStatus(tx, c.systemId, 'on-cloud');
        await candidatesRepo.setState(tx, [c.id], 'migrated', ['migrating']);
      });
      return { released: c.sourceCloudId ?? c.sourceName };
    },
  });
}
