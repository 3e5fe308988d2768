import { workflowsRepo } from '../engine/workflows-repo.ts';
import type { Queryable } from '../store/store.ts';
import { centresRepo } from './centres-repo.ts';
import { runRepo, type RunRow } from './run-repo.ts';

/**
 * A DR run as its page shows it: the run, its workflow and steps (progress), per-system evidence, confirmations
 * and cleanup ledger, with names for people (issue 18.2): the two centres (their ids stay in sourceCentre and
 * targetCentre) and each step's system, read from the step's own parameters.
 */
export async function runView(db: Queryable, run: RunRow) {
  const workflow = run.workflowId ? await workflowsRepo.byId(db, run.workflowId) : null;
  const steps = run.workflowId ? await workflowsRepo.steps(db, run.workflowId) : [];
  const stepSystems = run.workflowId ? await runRepo.stepSystems(db, run.workflowId) : new Map<string, { systemId: string; systemName: string }>();
  const centres = await centresRepo.byIds(db, [run.sourceCentre, run.targetCentre]);
  const centre = (id: string) => {
    const c = centres.get(id);
    return c ? { id: c.id, cloudId: c.cloudId, zone: c.zone, name: c.name, nameEn: c.nameEn } : null;
  };
  return {
    ...run, workflow, source: centre(run.sourceCentre), target: centre(run.targetCentre),
    steps: steps.map((s) => ({ ...s, systemId: stepSystems.get(s.key)?.systemId ?? null, systemName: stepSystems.get(s.key)?.systemName ?? null })),
    systems: await runRepo.systems(db, run.id), confirmations: await runRepo.confirmations(db, run.id), ledger: await runRepo.ledger(db, run.id),
  };
}
