import { evaluate, verdictOf, type PolicyResult } from '@ganyun/policies';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { cloudFacts, policiesInForce, systemFacts } from './policy-context.ts';
import type { Queryable } from '../store/store.ts';
import { systemsRepo, type SystemRow } from '../systems/systems-repo.ts';

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

/**
 * The `compliant` flag a list shows, read as stored (migration 0050) and recomputed only for systems whose
 * stored verdict is no longer current: their own facts or cloud changed (the row trigger cleared the stamp),
 * or the policy settings or any cloud's facts changed (the epoch moved). Recomputed verdicts are stored for
 * the next caller, so a list costs one indexed read per page instead of a policy evaluation per system.
 */
export async function listedCompliance(db: Queryable, systems: SystemRow[]): Promise<Map<string, boolean | null>> {
  const out = new Map<string, boolean | null>();
  if (!systems.length) return out;
  const stamps = await systemsRepo.complianceStamps(db, systems.map((s) => s.id));
  const stale = stamps.filter((st) => st.computedAt !== st.epoch);
  for (const st of stamps) if (st.computedAt === st.epoch) out.set(st.id, st.compliant);
  if (!stale.length) return out;
  // The facts are read after the stamps: a change in between moves the row's xmin, and its write-back is skipped.
  const fresh = await systemsRepo.list(db, { departmentIds: null, ids: stale.map((st) => st.id) });
  const verdicts = await complianceOf(db, fresh);
  const revs = new Map(stale.map((st) => [st.id, st.rev]));
  const rows = fresh.map((s) => ({ id: s.id, rev: revs.get(s.id)!, compliant: verdicts.get(s.id)!.compliant }));
  for (const r of rows) out.set(r.id, r.compliant);
  await systemsRepo.storeCompliance(db, stale[0]!.epoch, rows);
  return out;
}
