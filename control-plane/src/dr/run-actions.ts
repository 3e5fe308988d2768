/**
 * Workflow actions of DR operations. Every provider call goes through the federation's resilient provider
 * under the step's idempotency key; before a retry (or a takeover after kill -9) the provider is asked what
 * became of the earlier call under that key, so no DR action is done twice and nothing created goes
 * unaccounted. A drill acts only inside sandboxes: each is recorded in the cleanup ledger (with its TTL)
 * before the call that creates it, and removed by the drill's cleanup step or, after a failure, by the
 * sandbox step's compensation.
 */
import { SANDBOX_LABELS, type DrOperation, type DrRequests, type DrResult } from '@ganyun/providers';
import type { ActionRegistry, Observed, StepContext } from '../engine/actions.ts';
import { InputError } from '../errors.ts';
import type { FederationService } from '../federation/contract.ts';
import type { Store } from '../store/store.ts';
import { confirmationsRequired, type OperationKind } from './domain/approvals.ts';
import { PRODUCTION_ONLY, providerOperationOf, type PlanStep } from './domain/plan.ts';
import { scoreProbe, type CheckResult } from './domain/probe-score.ts';
import { runProbeCheck, type OpenProbeConnection } from './probes.ts';
import { protectionRepo } from './protection-repo.ts';
import { runRepo } from './run-repo.ts';

export interface Site {
  readonly cloudId: string;
  readonly zone: string;
}

export interface StepParams {
  readonly runId: string;
  readonly kind: OperationKind;
  readonly step: PlanStep;
  readonly source: Site;
  readonly target: Site;
  /** Drill only: the sandbox of the step's system at the target. */
  readonly sandbox?: string;
}

export interface SandboxParams {
  readonly runId: string;
  readonly systemId: string;
  readonly site: Site;
  readonly sandbox: string;
  readonly ttlSeconds: number;
}

export interface StepOutput {
  readonly kind: PlanStep['kind'];
  readonly title: string;
  readonly systemId: string | null;
  readonly operation: string | null;
  readonly actor: string;
  readonly result: unknown;
  readonly evidence: string;
}

export interface DrActionDeps {
  readonly store: Store;
  readonly federation: Pick<FederationService, 'provider'>;
  /** Manual steps and confirmations are polled this often. */
  readonly pollMs?: number;
  /** Scales wait steps (benches and specs run plans of minutes in milliseconds). */
  readonly waitScale?: number;
  /** Opens the DSN of a SQL probe's connection (sealed at rest). */
  readonly openProbeConnection?: OpenProbeConnection;
}

/** A DR call under the step's key; after a lost answer, the provider is asked before anything is done again. */
export async function drCall<O extends DrOperation>(deps: DrActionDeps, ctx: Pick<StepContext, 'idempotencyKey' | 'attempt' | 'signal'>, cloudId: string, op: O, req: DrRequests[O], keySuffix = ''): Promise<DrResult> {
  const dr = deps.federation.provider(cloudId).dr;
  if (!dr) throw new InputError(`cloud ${cloudId} offers no DR operations`, 'cloud');
  const idempotencyKey = `${ctx.idempotencyKey}${keySuffix}`;
  if (ctx.attempt > 1) {
    const seen = await dr.observeByKey({ idempotencyKey, op }, { signal: ctx.signal });
    if (seen.status === 'applied') return seen.result;
  }
  return dr.run(op, req, { idempotencyKey, signal: ctx.signal });
}

/** The engine's question after a lost answer, put to the provider under the call's key (never changes anything). */
async function observeDr(deps: DrActionDeps, ctx: Pick<StepContext, 'idempotencyKey' | 'signal'>, cloudId: string, op: DrOperation): Promise<Observed<DrResult>> {
  const dr = deps.federation.provider(cloudId).dr;
  if (!dr) return { done: 'unknown', reason: `cloud ${cloudId} offers no DR operations` };
  const seen = await dr.observeByKey({ idempotencyKey: ctx.idempotencyKey, op }, { signal: ctx.signal });
  if (seen.status === 'applied') return { done: true, output: seen.result };
  if (seen.status === 'not-applied') return { done: false };
  return { done: 'unknown', reason: seen.reason };
}

/** The provider operation and site a plan step's action calls, or null for steps that call none (or not in a drill). */
function callOf(p: StepParams): { op: DrOperation; site: Site } | null {
  if (p.step.kind !== 'action' || (p.kind === 'drill' && PRODUCTION_ONLY.has(p.step.operation))) return null;
  return { op: providerOperationOf(p.step.operation), site: p.step.at === 'source' ? p.source : p.target };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }, { once: true });
  });
}

async function runStep(deps: DrActionDeps, ctx: StepContext<StepParams>): Promise<StepOutput> {
  const { runId, kind, step, source, target, sandbox } = ctx.params;
  const drill = kind === 'drill';
  const systems = step.systemId ? [step.systemId] : [];
  const base = { kind: step.kind, title: step.title, systemId: step.systemId ?? null, actor: 'ganyun' };
  if (systems.length) await deps.store.transaction((tx) => runRepo.mark(tx, runId, systems, 'execute', 'start'));
  switch (step.kind) {
    case 'action': {
      const op = step.operation;
      if (drill && PRODUCTION_ONLY.has(op)) {
        return { ...base, operation: op, result: { skipped: true }, evidence: `${op} is not run in a drill (it acts on production or replication)` };
      }
      const at = step.at === 'source' ? source : target;
      const sys = step.systemId;
      const inSandbox = drill && sandbox !== undefined ? { sandbox } : {};
      let result: DrResult;
      switch (op) {
        case 'promoteReplica':
          result = await drCall(deps, ctx, at.cloudId, 'promoteReplica', { system: sys, zone: at.zone, ...inSandbox });
          if (result.lagAtCutSeconds !== undefined) await runRepo.setLag(deps.store, runId, sys, result.lagAtCutSeconds);
          break;
        case 'scaleStandby':
          result = await drCall(deps, ctx, at.cloudId, 'scaleStandby', { system: sys, zone: at.zone, replicas: step.replicas ?? 1, ...inSandbox });
          break;
        case 'switchTraffic':
          result = await drCall(deps, ctx, at.cloudId, 'switchTraffic', { system: sys, zone: at.zone, ...inSandbox });
          await deps.store.transaction((tx) => runRepo.mark(tx, runId, [sys], 'cutover', 'start'));
          break;
        case 'stopSource':
          result = await drCall(deps, ctx, at.cloudId, 'stopSource', { system: sys, zone: at.zone });
          break;
        case 'breakLink':
          result = await drCall(deps, ctx, at.cloudId, 'breakLink', { system: sys, zone: at.zone });
          break;
        case 'reverseReplication': {
          // Replicate back into the other end of the run: the old primary becomes the replica.
          const from = step.at === 'source' ? target : source;
          result = await drCall(deps, ctx, at.cloudId, 'replicate', { system: sys, zone: at.zone, fromCloud: from.cloudId, fromZone: from.zone, mode: from.cloudId === at.cloudId ? 'sync' : 'async' });
          break;
        }
      }
      return { ...base, operation: providerOperationOf(op), result, evidence: `${providerOperationOf(op)} at ${at.cloudId}/${at.zone}${drill ? ` in sandbox ${sandbox}` : ''}: ${result.outcome}${result.lagAtCutSeconds !== undefined ? `, lag at cut ${result.lagAtCutSeconds} s` : ''}` };
    }
    case 'probe': {
      if (systems.length) await deps.store.transaction((tx) => runRepo.mark(tx, runId, systems, 'validate', 'start'));
      const deadline = AbortSignal.any([ctx.signal, AbortSignal.timeout(step.timeoutSeconds * 1000)]);
      const results: CheckResult[] = await Promise.all(step.checks.map((c) => runProbeCheck(c, deadline, deps.openProbeConnection)));
      const verdict = scoreProbe(results, step.passScore);
      if (systems.length) {
        await deps.store.transaction(async (tx) => {
          await runRepo.setVerified(tx, runId, systems[0]!, verdict.passed);
          if (verdict.passed) await runRepo.mark(tx, runId, systems, 'validate', 'end');
        });
      }
      const evidence = `score ${verdict.score.toFixed(2)} / pass ${verdict.passScore}: ${results.map((r) => `${r.id} ${r.passed ? 'ok' : 'failed'} (${r.detail})`).join('; ')}`;
      if (!verdict.passed) throw new Error(`probe ${step.id} failed: ${evidence}`);
      return { ...base, operation: null, result: verdict, evidence };
    }
    case 'manual': {
      const required = confirmationsRequired(kind);
      for (;;) {
        const got = await runRepo.confirmations(deps.store, runId, ctx.stepKey);
        if (got.length >= required) return { ...base, operation: null, actor: got.map((c) => c.username).join(' + '), result: { confirmations: got }, evidence: `confirmed by ${got.map((c) => c.username).join(' and ')}` };
        await sleep(deps.pollMs ?? 200, ctx.signal);
      }
    }
    case 'wait':
      await sleep(step.seconds * 1000 * (deps.waitScale ?? 1), ctx.signal);
      return { ...base, operation: null, result: { waitedSeconds: step.seconds }, evidence: `waited ${step.seconds} s: ${step.reason}` };
  }
}

export function registerDrActions(actions: ActionRegistry, deps: DrActionDeps): void {
  actions.register<{ runId: string; systemIds: string[] }, { declared: string }>('dr.declare', {
    async run(ctx) {
      await deps.store.transaction((tx) => runRepo.mark(tx, ctx.params.runId, ctx.params.systemIds, 'declare', 'end'));
      return { declared: new Date().toISOString() };
    },
  });

  actions.register<SandboxParams, { sandbox: string; created: unknown }>('dr.sandbox', {
    async run(ctx) {
      const p = ctx.params;
      // Recorded before the call: if the process dies between the two, the sweeper still knows the object.
      await runRepo.recordObject(deps.store, { runId: p.runId, cloudId: p.site.cloudId, sandbox: p.sandbox, zone: p.site.zone, systemId: p.systemId, ttlSeconds: p.ttlSeconds });
      const expires = new Date(Date.now() + p.ttlSeconds * 1000).toISOString();
      const r = await drCall(deps, ctx, p.site.cloudId, 'createSandbox', {
        sandbox: p.sandbox, zone: p.site.zone, system: p.systemId,
        labels: { [SANDBOX_LABELS.run]: p.runId, [SANDBOX_LABELS.expires]: expires.replace(/[:.]/g, '-') },
      });
      return { sandbox: p.sandbox, created: r.created };
    },
    async compensate(ctx) {
      const p = ctx.params;
      await drCall(deps, ctx, p.site.cloudId, 'deleteSandbox', { sandbox: p.sandbox });
      await runRepo.markRemoved(deps.store, p.site.cloudId, p.sandbox, 'compensation');
    },
    async observe(ctx) {
      const seen = await observeDr(deps, ctx, ctx.params.site.cloudId, 'createSandbox');
      return seen.done === true ? { done: true, output: { sandbox: ctx.params.sandbox, created: seen.output.created } } : seen;
    },
    async observeUndo(ctx) {
      const seen = await observeDr(deps, ctx, ctx.params.site.cloudId, 'deleteSandbox');
      if (seen.done === true) await runRepo.markRemoved(deps.store, ctx.params.site.cloudId, ctx.params.sandbox, 'compensation');
      return seen.done === true ? { done: true, output: undefined } : seen;
    },
    // The ledger keeps the sandbox open: the sweeper removes it once its centre answers again.
    attention: async (ctx) => `${ctx.params.site.cloudId}:${ctx.params.sandbox}`,
  });

  actions.register<StepParams, StepOutput>('dr.step', {
    run: (ctx) => runStep(deps, ctx),
    async observe(ctx) {
      const call = callOf(ctx.params);
      if (!call) return { done: false };
      const seen = await observeDr(deps, ctx, call.site.cloudId, call.op);
      if (seen.done !== true) return seen;
      const step = ctx.params.step;
      return { done: true, output: { kind: step.kind, title: step.title, systemId: step.systemId ?? null, operation: call.op, actor: 'ganyun', result: seen.output, evidence: `${call.op} at ${call.site.cloudId}/${call.site.zone}: ${seen.output.outcome} (answer lost; settled by asking the provider under the step's key)` } };
    },
  });

  /** The system's recovery is checked at the DR site by the provider's own state, then execution ends. */
  actions.register<{ runId: string; systemId: string; site: Site; sandbox?: string; expect?: 'primary' | 'replica' }, StepOutput>('dr.verify', {
    async run(ctx) {
      const p = ctx.params;
      await deps.store.transaction((tx) => runRepo.mark(tx, p.runId, [p.systemId], 'execute', 'end'));
      const dr = deps.federation.provider(p.site.cloudId).dr;
      if (!dr) throw new InputError(`cloud ${p.site.cloudId} offers no DR operations`, 'cloud');
      const state = await dr.state({ signal: ctx.signal });
      let evidence: string;
      if (p.sandbox !== undefined) {
        const box = state.sandboxes.find((b) => b.sandbox === p.sandbox);
        if (!box) throw new Error(`sandbox ${p.sandbox} is not on ${p.site.cloudId}: the recovered copy cannot be verified`);
        evidence = `sandbox ${p.sandbox} holds ${box.objects.map((o) => `${o.kind} ${o.name}`).join(', ')}`;
      } else if (p.expect === 'replica') {
        // A re-protection: the system now replicates into this site.
        const site = state.sites.find((s) => s.system === p.systemId && s.zone === p.site.zone);
        if (!site || site.role !== 'replica') throw new Error(`${p.systemId} is not a replica at ${p.site.cloudId}/${p.site.zone} (${site?.role ?? 'absent'})`);
        evidence = `${p.systemId} replicates into ${p.site.cloudId}/${p.site.zone}`;
      } else {
        const site = state.sites.find((s) => s.system === p.systemId && s.zone === p.site.zone);
        if (!site || (site.role !== 'promoted' && site.role !== 'primary')) throw new Error(`${p.systemId} is not primary at ${p.site.cloudId}/${p.site.zone}`);
        evidence = `${p.systemId} is ${site.role}${site.serving ? ' and serving' : ''} at ${p.site.cloudId}/${p.site.zone}`;
      }
      await deps.store.transaction(async (tx) => {
        await runRepo.mark(tx, p.runId, [p.systemId], 'validate', 'start');
        await runRepo.mark(tx, p.runId, [p.systemId], 'validate', 'end');
      });
      return { kind: 'probe', title: 'verify recovery at the DR site', systemId: p.systemId, operation: null, actor: 'ganyun', result: null, evidence };
    },
  });

  actions.register<{ runId: string; systemId: string; site: Site; sandbox: string }, StepOutput>('dr.cleanup', {
    async run(ctx) {
      const p = ctx.params;
      await drCall(deps, ctx, p.site.cloudId, 'deleteSandbox', { sandbox: p.sandbox });
      await runRepo.markRemoved(deps.store, p.site.cloudId, p.sandbox, 'cleanup');
      return { kind: 'action', title: 'remove the drill sandbox', systemId: p.systemId, operation: 'deleteSandbox', actor: 'ganyun', result: null, evidence: `sandbox ${p.sandbox} removed` };
    },
  });

  /** A real operation's last step: the group now serves from the target centre. */
  actions.register<{ groupId: string; centre: string; previous: string }, { active: string }>('dr.activate', {
    async run(ctx) {
      await protectionRepo.setActiveCentre(deps.store, ctx.params.groupId, ctx.params.centre);
      return { active: ctx.params.centre };
    },
    async compensate(ctx) {
      await protectionRepo.setActiveCentre(deps.store, ctx.params.groupId, ctx.params.previous);
    },
  });
}
