import { evaluate, verdictOf, type PolicyResult } from '@ganyun/policies';
import { type DomainError, InputError, NotFoundError } from '../errors.ts';
import type { Placement } from '../placement/placement.ts';
import { placeSystem } from '../placement/placement-service.ts';
import { policiesInForce, systemFacts } from '../placement/policy-context.ts';
import { QuotaExceededError, type QuotaCheck, type QuotaService } from '../quotas/contract.ts';
import type { Queryable } from '../store/store.ts';
import type { SystemRow } from '../systems/systems-repo.ts';
import { DEFAULT_CHAIN, type ChainStep } from './chains.ts';
import { chainsRepo } from './chains-repo.ts';
import type { RequestItem } from './requests-repo.ts';
import { unitsOf } from './units.ts';

export interface Assessment {
  placement: Placement;
  cloudId: string | null;
  /** Admission, placement on the chosen cloud, and the quota rule. */
  results: PolicyResult[];
  quota: QuotaCheck | null;
  allowed: boolean;
  quotaIncrease: boolean;
  units: number;
  chain: { id: string | null; name: string; steps: ChainStep[] };
}

/**
 * What a request would meet: where it goes (the named cloud, or placement's choice), the policy results,
 * the quota check, and the approval chain that applies. Shared by the preview (a query: changes nothing)
 * and the submit (which acts on it).
 */
export async function assessRequest(db: Queryable, quotas: QuotaService, system: SystemRow, items: RequestItem[], cloudId?: string): Promise<Assessment> {
  const placement = await placeSystem(db, system, cloudId);
  const target = placement.chosen;
  const chosen = placement.candidates.find((c) => c.chosen);
  let quota: QuotaCheck | null = null;
  if (target) quota = await checkQuota(db, quotas, system.id, items, target);
  const quotaResults = quota ? evaluate(await policiesInForce(db), { system: systemFacts(system), cloud: null, clouds: [], quota }, ['quota']) : [];
  const results = [...placement.admission, ...(chosen?.results ?? []), ...quotaResults];
  const verdict = verdictOf(results);
  const units = unitsOf(items);
  const chain = await chainsRepo.applicable(db, system.departmentId, units);
  return {
    placement, cloudId: target, results, quota, units,
    allowed: placement.admitted && target !== null && verdict.allowed,
    quotaIncrease: verdict.quotaIncrease,
    chain: chain ? { id: chain.id, name: chain.name, steps: chain.steps } : { id: null, name: 'default', steps: DEFAULT_CHAIN },
  };
}

/** The quota check of items on a cloud; a system without a quota node has no quota anywhere: every item is beyond it. */
export async function checkQuota(db: Queryable, quotas: QuotaService, systemId: string, items: RequestItem[], cloudId: string): Promise<QuotaCheck> {
  return quotas.check(db, { systemId, items: items.map((i) => ({ ...i, cloudId })) }).catch((e: unknown) => {
    if (e instanceof NotFoundError) return { fits: false, needsApproval: false, shortfalls: [] } satisfies QuotaCheck;
    throw e;
  });
}

/** Why an assessment refuses a submit, as one clear message on the right field. */
export function refusalOf(a: Assessment, named: boolean): DomainError | null {
  if (a.allowed) return null;
  const denials = a.results.filter((r) => r.outcome === 'deny').map((r) => r.message.en);
  if (!a.placement.admitted) return new InputError(`refused by policy: ${denials.join('; ')}`, 'systemId', { code: 'policy.denied', params: { reasons: denials.join('; ') } });
  if (!a.cloudId) {
    const why = a.placement.candidates.map((c) => `${c.cloudId}: ${c.reasons.map((r) => r.en).join(', ')}`).join('; ');
    return new InputError(named ? `the named cloud cannot take this system: ${why}` : `no cloud can take this system: ${why}`, named ? 'cloudId' : 'systemId', { code: 'placement.noCloud', params: { reasons: why } });
  }
  // Beyond quota and the rule says no (not "ask for an increase"): the same answer as a hold refused by the quota
  // itself, so the same ask sent twice is refused the same way (issue 17.4).
  if (a.quota && !a.quota.fits) return new QuotaExceededError(a.quota.shortfalls.filter((s) => s.kind === 'hard').concat(a.quota.shortfalls.filter((s) => s.kind !== 'hard')), 'items');
  return new InputError(`refused by policy: ${denials.join('; ')}`, 'items', { code: 'policy.denied', params: { reasons: denials.join('; ') } });
}
