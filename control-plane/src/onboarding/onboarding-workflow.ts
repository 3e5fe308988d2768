import type { StepSpec } from '../engine/dag.ts';
import type { ResourceClass } from '../quotas/contract.ts';
import type { OnboardingParams, QuotaParams } from './onboarding-actions.ts';
import { tenantNameOf } from './onboarding-actions.ts';

/** Classes the provider's tenant space carries a quota for. */
const SPACE_CLASSES = ['vcpu', 'memoryGiB', 'storageGiB', 'gpu'] as const;

/**
 * The onboarding plan, one step after another: policies again (at run time) → record the placement →
 * tenant space through the provider → the system's quota → extranet addresses (hook) → done.
 * Each step that changes something has its undo; a failure part-way unwinds in reverse order.
 */
export function onboardingSteps(p: OnboardingParams & { systemName: string; limits: QuotaParams['limits'] }): StepSpec[] {
  const base: OnboardingParams = { systemId: p.systemId, departmentId: p.departmentId, cloudId: p.cloudId };
  const quota = Object.fromEntries(SPACE_CLASSES.map((c) => [c, p.limits.find((l) => l.resourceClass === c)?.limit ?? 0])) as Record<(typeof SPACE_CLASSES)[number], number>;
  return [
    { key: 'admit', action: 'onboarding.admit', dependsOn: [], params: base },
    { key: 'place', action: 'onboarding.place', dependsOn: ['admit'], params: base },
    {
      key: 'tenant-space', action: 'cloud.createTenantSpace', dependsOn: ['place'],
      params: { cloudId: p.cloudId, spec: { name: tenantNameOf(p.systemId), displayName: p.systemName, quota, labels: { 'ganyun.system': p.systemId, 'ganyun.department': p.departmentId } } },
    },
    { key: 'quota', action: 'onboarding.setQuota', dependsOn: ['tenant-space'], params: { ...base, limits: p.limits } satisfies QuotaParams },
    { key: 'extranet', action: 'onboarding.extranetAddresses', dependsOn: ['quota'], params: base },
    { key: 'done', action: 'onboarding.finish', dependsOn: ['extranet'], params: base },
  ];
}

export type { ResourceClass };
