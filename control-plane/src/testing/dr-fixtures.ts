/**
 * Specs and benches only: a province with three centres on in-process simulated clouds — the provincial
 * cloud's production and same-city zones (a synchronous link inside the cloud) and the Ganzhou remote
 * centre (an asynchronous link) — two departments, their people, an operator, a second operator (双人复核),
 * an auditor, and protected-system candidates of DR levels 3 to 5.
 */
import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '@ganyun/providers';
import type { AppDeps } from '../context.ts';
import { registerFederationClouds } from '../federation/register-clouds.ts';
import { newId } from '../ids.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { Federation } from '../federation/federation.ts';
import { freshDeps, seedCallers, seedDepartment, TEST_FEDERATION_OPTIONS, workflowSettled } from './harness.ts';
import { WorkflowRunner } from '../engine/runner.ts';
import { startDr } from '../dr/dr-module.ts';
import { sweep } from '../dr/run-closer.ts';

export const PROD = 'jx-province/jxp-main';
export const SAME_CITY = 'jx-province/jxp-dr';
export const REMOTE = 'jx-dr-ganzhou/gzdr-main';
export const SYNC_LINK = 'jx-province--jx-province';
export const ASYNC_LINK = 'jx-province--jx-dr-ganzhou';

/** The three centres' clouds with small inventories and the two replication links. */
export async function addDrClouds(deps: AppDeps, opts: { initialResources?: number; timeScale?: number } = {}): Promise<void> {
  const config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
  const pick = (id: string) => {
    const c = config.clouds.find((x) => x.id === id);
    if (!c?.sim) throw new Error(`no simulated cloud ${id} in the default federation`);
    return c;
  };
  const province = pick('jx-province');
  const ganzhou = pick('jx-dr-ganzhou');
  const sim = (c: typeof province) => ({ ...c.sim!, initialResources: opts.initialResources ?? 5, ...(opts.timeScale !== undefined ? { timeScale: opts.timeScale } : {}) });
  await registerFederationClouds(deps, {
    version: 1,
    clouds: [
      { ...province, sim: { ...sim(province), replication: [{ target: 'jx-province', mode: 'sync', baseLagSeconds: 0 }, { target: 'jx-dr-ganzhou', mode: 'async', baseLagSeconds: 30 }] } },
      { ...ganzhou, sim: { ...sim(ganzhou), replication: [] } },
    ],
  });
  await deps.federation.load();
}

export async function drWorld(opts: { initialResources?: number } = {}) {
  const deps = await freshDeps();
  // A lost centre opens the cloud's breaker; it half-opens quickly here so a spec can bring the centre back.
  deps.federation = new Federation(deps, { ...TEST_FEDERATION_OPTIONS, resilience: { ...TEST_FEDERATION_OPTIONS.resilience, halfOpenAfterMs: 200 } });
  await addDrClouds(deps, opts);
  const dr = await startDr(deps, { sweepIntervalMs: 0, actions: { pollMs: 20, waitScale: 0.001 } });
  for (const id of ['jx-province', 'jx-dr-ganzhou']) {
    const r = await deps.federation.sync(id, 'full');
    if (r instanceof Error) throw r;
  }
  const dept = await seedDepartment(deps, '江西省人力资源和社会保障厅', { divisionCode: '36' });
  const other = await seedDepartment(deps, '江西省交通运输厅', { divisionCode: '36' });
  const { ids, as } = await seedCallers(deps, {
    admin: ['root', ['admin']],
    operator: ['ops', ['cloud-operator']],
    operator2: ['ops2', ['cloud-operator']],
    auditor: ['audit', ['auditor']],
    user: ['hr-user', ['department-user'], dept.id],
    otherUser: ['jt-user', ['department-user'], other.id],
  });
  const runners: WorkflowRunner[] = [];
  const newRunner = (owner = `spec-runner-${runners.length}`, concurrency = 8) => {
    const r = new WorkflowRunner(deps, { owner, concurrency, leaseMs: 1500, pollMs: 10, retryBaseMs: 2 });
    runners.push(r);
    r.start();
    return r;
  };
  return {
    deps, dept, other, ids, as, newRunner,
    /** Waits until the workflow has ended, then closes the run (report, zero-leak check) as the sweeper would. */
    async settled(workflowId: string, timeoutMs = 60_000) {
      const wf = await workflowSettled(deps.store, workflowId, { timeoutMs, intervalMs: 20 });
      await sweep({ store: deps.store, federation: deps.federation, audit: deps.audit, log: deps.log });
      return wf;
    },
    /** The system runs at production and replicates to both DR centres (as it did before Ganyun protected it). */
    async seedSites(systemId: string) {
      deps.federation.simulated('jx-province')!.cloud.seedDrPrimary(systemId, 'jxp-main');
      await deps.federation.provider('jx-province').dr!.run('replicate', { system: systemId, zone: 'jxp-dr', fromCloud: 'jx-province', fromZone: 'jxp-main', mode: 'sync' }, { idempotencyKey: `seed-${systemId}-sc` });
      await deps.federation.provider('jx-dr-ganzhou').dr!.run('replicate', { system: systemId, zone: 'gzdr-main', fromCloud: 'jx-province', fromZone: 'jxp-main', mode: 'async' }, { idempotencyKey: `seed-${systemId}-rm` });
    },
    /** A business system of the department at a DR level, with targets its level allows. */
    async system(name: string, drLevel: 3 | 4 | 5, departmentId = dept.id, opts: { vcpuLimit?: number } = {}): Promise<string> {
      const id = newId();
      const targets = { 3: { rto: 43_200, rpo: 3600 }, 4: { rto: 7200, rpo: 3600 }, 5: { rto: 3600, rpo: 60 } }[drLevel];
      await systemsRepo.insert(deps.store, id, departmentId, {
        name, ownerUserId: null, description: '', mlpsLevel: 3, dataClassification: 'internal', xinchuangRequired: false, architectures: ['x86_64'],
        drLevel, drEdition: drLevel === 3 ? '2007' : '2025', rpoSeconds: targets.rpo, rtoSeconds: targets.rto,
      });
      await systemsRepo.setStatus(deps.store, id, 'on-cloud');
      await systemsRepo.setCloud(deps.store, id, 'jx-province');
      // Its quota on the clouds of the three centres (standby capacity is held against it).
      await deps.store.transaction(async (tx) => {
        await deps.quotas.ensureSystemNode(tx, { systemId: id, departmentId, actor: 'spec' });
        await deps.quotas.setSystemLimits(tx, {
          systemId: id, actor: 'spec', reason: 'spec',
          limits: ['jx-province', 'jx-dr-ganzhou'].flatMap((cloudId) => [
            { cloudId, resourceClass: 'vcpu' as const, limit: opts.vcpuLimit ?? 64 }, { cloudId, resourceClass: 'memoryGiB' as const, limit: 256 }, { cloudId, resourceClass: 'storageGiB' as const, limit: 4000 },
          ]),
        });
      });
      return id;
    },
    async stop() {
      for (const r of runners) await r.stop(0);
      await dr.stop();
      await deps.quotaRuntime.reaper.stop();
      await deps.federation.stop();
    },
  };
}

/** The DR specs' two systems of the department: 社保核心 (`sysA`, level 5) and 社保查询 (`sysB`, level 4), in a fresh DR world. */
export async function drWorldWithTwoSystems(): Promise<{ w: DrWorld; sysA: string; sysB: string }> {
  const w = await drWorld();
  const sysA = await w.system('社保核心', 5);
  return { w, sysA, sysB: await w.system('社保查询', 4) };
}

export type DrWorld = Awaited<ReturnType<typeof drWorld>>;

/** A protection of the three centres, active-standby, with 8 vCPU standby at the same-city centre. */
export const protectionInput = (systemIds: string[], over: Record<string, unknown> = {}) => ({
  name: '社保核心系统保护组', systemIds, mode: 'active-standby' as const,
  centres: { production: PROD, sameCity: SAME_CITY, remote: REMOTE },
  standby: [{ centre: SAME_CITY, vcpu: 8, memoryGiB: 16, storageGiB: 100 }],
  ...over,
});
