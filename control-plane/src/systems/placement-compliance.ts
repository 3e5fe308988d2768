import { evaluate, verdictOf, type PolicyResult } from '@ganyun/policies';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { cloudFacts, policiesInForce, systemFacts } from '../onboarding/policy-context.ts';
import type { Queryable } from '../store/store.ts';
import type { SystemRow } from './systems-repo.ts';

export interface Compliance {
  /** Null while the system is on no cloud. */
  compliant: boolean | null;
  denials: PolicyResult[];
}

/**
 * Whether each placed system still meets the rules on the cloud it runs on: a system raised to 等保 4, or
 * a cloud that lost a certification, shows up here instead of waiting for the next onboarding.
 */
export async function complianceOf(db: Queryable, systems: SystemRow[]): Promise<Map<string, Compliance>> {
  const out = new Map<string, Compliance>();
  const placed = systems.filter((s) => s.cloudId);
  for (const s of systems) if (!s.cloudId) out.set(s.id, { compliant: null, denials: [] });
  if (!placed.length) return out;
  const [policies, clouds] = await Promise.all([policiesInForce(db), cloudsRepo.list(db)]);
  const facts = clouds.map(cloudFacts);
  for (const s of placed) {
    const cloud = facts.find((c) => c.id === s.cloudId) ?? null;
    const verdict = verdictOf(evaluate(policies, { system: systemFacts(s), cloud, clouds: facts }, ['system', 'placement']));
    out.set(s.id, { compliant: verdict.allowed, denials: verdict.denials });
  }
  return out;
}
