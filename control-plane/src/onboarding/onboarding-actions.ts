import { evaluate, verdictOf } from '@ganyun/policies';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActionRegistry, StepContext } from '../engine/actions.ts';
import type { Queryable } from '../store/store.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import type { QuotaService, ResourceClass } from '../quotas/contract.ts';
import type { Store } from '../store/store.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { noExtranetAddresses, type ExtranetAddressHook, type ExtranetAssignment } from './extranet-hook.ts';
import { cloudFacts, policiesInForce, systemFacts } from '../placement/policy-context.ts';

export interface OnboardingParams {
  systemId: string;
  departmentId: string;
  cloudId: string;
}

export interface QuotaParams extends OnboardingParams {
  limits: { resourceClass: ResourceClass; limit: number }[];
}

/** A failure that no retry can fix (a policy now denies): the workflow unwinds at once. */
class PolicyDenied extends Error {
  readonly retryable = false;
}

/** The tenant space a system gets on each cloud it is placed on. */
export const tenantNameOf = (systemId: string) => `sys-${systemId}`;

/**
 * The onboarding steps (see onboarding-workflow.ts for their order). Each step is idempotent: a step
 * redone after a crash finds its work done and does nothing more; each compensation undoes only its step.
 */
export function registerOnboardingActions(
  actions: ActionRegistry,
  deps: { store: Store; quotas: () => QuotaService; audit?: AuditLog },
  hooks: { extranet?: ExtranetAddressHook } = {},
): void {
  const extranet = hooks.extranet ?? noExtranetAddresses;
  const { store } = deps;
  /** The end of onboarding (on cloud, or unwound) is audited by the workflow, in the transaction that records it. */
  async function audited(ctx: StepContext<OnboardingParams>, outcome: 'ok' | 'error', change: (tx: Queryable) => Promise<boolean>, after: unknown, error: string | null = null) {
    const record = await store.transaction(async (tx) => {
      if (!(await change(tx)) || !deps.audit) return null;
      return deps.audit.append(tx, {
        actorId: null, actor: 'workflow', role: null, procedure: 'onboarding.complete', target: `system:${ctx.params.systemId}`,
        outcome, before: { status: 'onboarding' }, after, requestId: ctx.workflowId, error,
      });
    });
    if (record) deps.audit?.published([record]);
  }

  actions.register('onboarding.admit', {
    /** The rules are evaluated again when the step runs: the cloud or the settings may have changed since the preview. */
    async run(ctx: StepContext<OnboardingParams>) {
      const system = await systemsRepo.byId(store, ctx.params.systemId);
      const cloud = await cloudsRepo.byId(store, ctx.params.cloudId);
      if (!system || !cloud) throw new PolicyDenied('the system or the cloud no longer exists');
      const clouds = await cloudsRepo.list(store);
      const results = evaluate(await policiesInForce(store), { system: systemFacts(system), cloud: cloudFacts(cloud), clouds: clouds.map(cloudFacts) }, ['system', 'placement']);
      const verdict = verdictOf(results);
      if (!verdict.allowed) {
        // Nothing was done yet: the system is back to registered, then the workflow fails.
        await systemsRepo.setStatus(store, ctx.params.systemId, 'registered', { from: ['onboarding'] });
        throw new PolicyDenied(`refused by policy: ${verdict.denials.map((d) => d.message.en).join('; ')}`);
      }
      return { results: results.map((r) => ({ policyId: r.policyId, outcome: r.outcome, message: r.message })) };
    },
    async compensate(ctx: StepContext<OnboardingParams>) {
      const w = await workflowsRepo.byId(store, ctx.workflowId);
      await audited(ctx, 'error', (tx) => systemsRepo.setStatus(tx, ctx.params.systemId, 'registered', { from: ['onboarding'] }),
        { status: 'registered', cloudId: null }, `onboarding unwound: ${w?.error ?? w?.status ?? 'unknown'}`.slice(0, 500));
    },
  });

  actions.register('onboarding.place', {
    async run(ctx: StepContext<OnboardingParams>) {
      await systemsRepo.setCloud(store, ctx.params.systemId, ctx.params.cloudId);
      return { cloudId: ctx.params.cloudId };
    },
    async compensate(ctx: StepContext<OnboardingParams>) {
      await systemsRepo.setCloud(store, ctx.params.systemId, null);
    },
  });

  actions.register('onboarding.setQuota', {
    async run(ctx: StepContext<QuotaParams>) {
      const { systemId, departmentId, cloudId, limits } = ctx.params;
      await store.transaction(async (tx) => {
        await deps.quotas().ensureSystemNode(tx, { systemId, departmentId, actor: 'onboarding' });
        await deps.quotas().setSystemLimits(tx, { systemId, actor: 'onboarding', reason: `onboarding workflow ${ctx.workflowId}`, limits: limits.map((l) => ({ cloudId, ...l })) });
      });
      return { limits };
    },
    /** Back to zero: nothing was provisioned under these limits yet (a request needs the system on the cloud). */
    async compensate(ctx: StepContext<QuotaParams>) {
      const { systemId, cloudId, limits } = ctx.params;
      await store.transaction((tx) => deps.quotas().setSystemLimits(tx, {
        systemId, actor: 'onboarding', reason: `onboarding workflow ${ctx.workflowId} unwound`, limits: limits.map((l) => ({ cloudId, resourceClass: l.resourceClass, limit: 0 })),
      }));
    },
  });

  actions.register('onboarding.extranetAddresses', {
    async run(ctx: StepContext<OnboardingParams>) {
      return extranet.assign({ ...ctx.params, idempotencyKey: ctx.idempotencyKey });
    },
    async compensate(ctx: StepContext<OnboardingParams>, output: ExtranetAssignment) {
      await extranet.release({ ...ctx.params, idempotencyKey: ctx.idempotencyKey }, output);
    },
  });

  actions.register('onboarding.finish', {
    async run(ctx: StepContext<OnboardingParams>) {
      await audited(ctx, 'ok', (tx) => systemsRepo.setStatus(tx, ctx.params.systemId, 'on-cloud', { from: ['onboarding'] }), { status: 'on-cloud', cloudId: ctx.params.cloudId });
      return { status: 'on-cloud' };
    },
  });
}
