import { evaluate, verdictOf, type PolicyResult } from '@ganyun/policies';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { cloudFacts, policiesInForce, systemFacts } from './policy-context.ts';
import type { Queryable } from '../store/store.ts';
import { systemsRepo, type ListedSystem, type SystemFields, type SystemListRow } from '../systems/systems-repo.ts';

export interface Compliance {
  /** Null while the system is on no cloud. */
  compliant: boolean | null;
  denials: PolicyResult[];
}

/**
 * Whether each placed system still meets the rules on the cloud it runs on: a system raised to 等保 4, or
 * a cloud that lost a certification, shows up here instead of waiting for the next onboarding.
 */
export async function complianceOf(db: Queryable, systems: readonly (SystemFields & { id: string; cloudId: string | null })[]): Promise<Map<string, Compliance>> {
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

/**
 * The list rows with their `compliant` flag current: read as stored (migration 0050) and recomputed only for
 * systems whose stored verdict is no longer current: their own facts or cloud changed (the row trigger cleared the
 * stamp), or the policy settings or any cloud's facts changed (the epoch moved). The stamps come with the page's
 * rows (systemsRepo.page), so a page whose verdicts are current costs that one statement. A stale row is judged on
 * the facts of that same read, and its verdict is written back only onto that row version (`rev`): a change since
 * then keeps its cleared stamp. Recomputed verdicts are stored for the next caller.
 */
export async function currentCompliance(db: Queryable, listed: readonly ListedSystem[]): Promise<SystemListRow[]> {
  const stale = listed.filter((x) => !x.current);
  if (stale.length) {
    const verdicts = await complianceOf(db, stale.map((x) => x.row));
    for (const x of stale) x.row.compliant = verdicts.get(x.row.id)!.compliant;
    await systemsRepo.storeCompliance(db, stale[0]!.epoch, stale.map((x) => ({ id: x.row.id, rev: x.rev, compliant: x.row.compliant })));
  }
  return listed.map((x) => x.row);
}
