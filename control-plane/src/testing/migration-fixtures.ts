import { WorkflowRunner } from '../engine/runner.ts';
import { registerCloudActions } from '../federation/cloud-actions.ts';
import { addSimClouds } from './cloud-fixtures.ts';
import { newId } from '../ids.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { freshDeps, seedCallers, seedDepartment, TEST_FEDERATION_OPTIONS, workflowSettled } from './harness.ts';
import { Federation } from '../federation/federation.ts';
import { addDays } from '../migrations/calendar.ts';
import { registerMigrationActions } from '../migrations/migration-actions.ts';

/**
 * Specs only: a province with real simulated clouds (in-process): the provincial cloud (with a same-city DR
 * site), the Kunpeng and Hygon Xinchuang clouds; two departments with their people, an operator, an auditor,
 * and a workflow runner executing the migrations' steps.
 */
export async function migrationWorld() {
  const deps = await freshDeps();
  // Copies take their modelled time a thousand times faster (100 GiB over 1 Gbit/s: under a second).
  await deps.federation.stop();
  deps.federation = new Federation(deps, { ...TEST_FEDERATION_OPTIONS, simulated: { timeScale: 0.001 } });
  registerCloudActions(deps.actions, deps.federation, deps.store);
  registerMigrationActions(deps.actions, { store: deps.store, federation: deps.federation, quotas: () => deps.quotas, audit: deps.audit, log: deps.log });
  await addSimClouds(deps, ['jx-province', 'xc-kunpeng', 'xc-hygon'], 3);
  const tax = await seedDepartment(deps, '江西省税务局', { divisionCode: '36' });
  const health = await seedDepartment(deps, '九江市卫健委', { divisionCode: '3604' });
  const { ids, as } = await seedCallers(deps, {
    operator: ['ops', ['cloud-operator']],
    auditor: ['audit', ['auditor']],
    taxAdmin: ['tax-admin', ['department-admin'], tax.id],
    taxUser: ['tax-user', ['department-user'], tax.id],
    healthAdmin: ['health-admin', ['department-admin'], health.id],
  });
  let runner = newRunner('spec-runner');
  runner.start();
  function newRunner(owner: string) {
    return new WorkflowRunner(deps, { owner, concurrency: 4, leaseMs: 1000, pollMs: 10, retryBaseMs: 2 });
  }
  return {
    deps, tax, health, ids, as,
    get runner() { return runner; },
    /** Replaces the runner (after a spec abandoned the old one, as a killed process would). */
    restartRunner(owner: string) {
      runner = newRunner(owner);
      runner.start();
      return runner;
    },
    async stop() {
      await runner.stop();
      await deps.quotaRuntime.reaper.stop();
      await deps.federation.stop();
    },
    /** Waits until the workflow succeeded, failed or was cancelled (a wave that needs attention is still waited on). */
    settled: (id: string, timeoutMs = 30_000) => workflowSettled(deps.store, id, { ends: ['succeeded', 'failed', 'cancelled'], timeoutMs }),
    /** A business system of `departmentId` (x86_64, 等保 `mlps`, DR level `dr`), registered straight in the store. */
    async system(name: string, departmentId: string, over: { mlps?: number; dr?: number; xinchuang?: boolean; cloudId?: string } = {}) {
      const id = newId();
      await systemsRepo.insert(deps.store, id, departmentId, {
        name, ownerUserId: null, description: '', mlpsLevel: over.mlps ?? 2, dataClassification: 'internal', xinchuangRequired: over.xinchuang ?? false,
        architectures: ['x86_64'], drLevel: over.dr ?? 2, drEdition: '2025', rpoSeconds: 3600, rtoSeconds: 14400,
      });
      if (over.cloudId) {
        await systemsRepo.setCloud(deps.store, id, over.cloudId);
        await systemsRepo.setStatus(deps.store, id, 'on-cloud');
      }
      return id;
    },
  };
}

export type MigrationWorld = Awaited<ReturnType<typeof migrationWorld>>;

/** The Monday of the week after `now` (China time), so a plan's first window is never in the past. */
export function nextMonday(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const weekday = new Date(`${local}T00:00:00Z`).getUTCDay() || 7;
  return addDays(local, 8 - weekday);
}

/** An old machine room the operator registers (division 36) and a 1 Gbit/s link from it to the Kunpeng cloud, 10 hours a window. */
export async function roomWithKunpengLink(w: MigrationWorld, room: { name: string; departmentId: string | null }, label: string) {
  const roomId = (await w.as.operator.migrations.candidates.addRoom({ ...room, divisionCode: '36' })).id;
  const linkId = (await w.as.operator.migrations.candidates.addLink({ label, source: { kind: 'room', roomId }, targetCloudId: 'xc-kunpeng', gbps: 1, hoursPerWindow: 10 })).id;
  return { roomId, linkId };
}

/** A candidate's fields: `systemId` (x86_64, Intel, CentOS 7.9, 8 vCPU, 100 GiB) out of the room over its link to the Kunpeng cloud; `over` changes fields. */
export const roomCandidate = ({ roomId, linkId }: { roomId: string; linkId: string }, systemId: string, over: Record<string, unknown> = {}) => ({
  systemId, source: { kind: 'room' as const, roomId }, sourceArch: 'x86_64' as const, sourceVendor: 'intel' as const, sourceImage: 'centos-7.9',
  targetCloudId: 'xc-kunpeng', vcpu: 8, dataGiB: 100, linkId, group: null, ...over,
});
