/** The catalogue: every rule, with the enforcement level it ships with. Lists only; the rules live in their files. */
import { refuseClassifiedSystems } from './admission/refuse-classified-systems.ts';
import { requireCompatibleArchitecture } from './placement/require-compatible-architecture.ts';
import { requireDualActivePair } from './placement/require-dual-active-pair.ts';
import { requireMlpsCertification } from './placement/require-mlps-certification.ts';
import { requireSameCityDr } from './placement/require-same-city-dr.ts';
import { requireXinchuangCloud } from './placement/require-xinchuang-cloud.ts';
import { routeOverQuotaToApproval } from './quota/route-over-quota.ts';
import type { Enforcement, Policy } from './types.ts';

export const POLICY_FACTORIES = {
  'refuse-classified-systems': refuseClassifiedSystems,
  'require-xinchuang-cloud': requireXinchuangCloud,
  'require-mlps-certification': requireMlpsCertification,
  'require-same-city-dr': requireSameCityDr,
  'require-dual-active-pair': requireDualActivePair,
  'require-compatible-architecture': requireCompatibleArchitecture,
  'route-over-quota-to-approval': routeOverQuotaToApproval,
} as const satisfies Record<string, (enforcement?: Enforcement) => Policy>;

export type PolicyId = keyof typeof POLICY_FACTORIES;

/** The catalogue at each rule's default level, or with some levels overridden (by id). */
export function catalogue(overrides: Partial<Record<PolicyId, Enforcement>> = {}): Policy[] {
  return (Object.keys(POLICY_FACTORIES) as PolicyId[]).map((id) => POLICY_FACTORIES[id](overrides[id]));
}

export { evaluate, verdictOf } from './evaluate.ts';
export * from './types.ts';
