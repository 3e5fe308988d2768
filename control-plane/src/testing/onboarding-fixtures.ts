import { DEFAULT_RUNNER_OPTIONS, WorkflowRunner } from '../engine/runner.ts';
import { registerCloudActions } from '../federation/cloud-actions.ts';
import type { FederationOptions } from '../federation/federation.ts';
import { addSimClouds } from './cloud-fixtures.ts';
import { registerRequestActions } from '../requests/provisioning.ts';
import { registerChangeActions } from '../resources/change-actions.ts';
import { registerResourceActions } from '../resources/provision-actions.ts';
import { WORKFLOW_CHANNEL } from '../engine/workflows-repo.ts';
import { freshDeps, seedCallers, seedDepartment, snapshot, workflowSettled } from './harness.ts';
import { registerOnboardingActions } from '../onboarding/onboarding-actions.ts';
import { seedResourcePools } from './resource-pools.ts';

/**
 * Specs only: a small province with real simulated clouds (in-process), two departments (Nanchang and
 * Jiujiang), their people, an operator, and a workflow runner executing the onboarding and provisioning steps.
 */
export async function onboardingWorld(opts: {
  federation?: Partial<FederationOptions>;
  /**
   * 'spec' (default): a small runner that polls every 10 ms, so specs need no NOTIFY. 'product': the server's own
   * runner settings (DEFAULT_RUNNER_OPTIONS), woken by NOTIFY as app.ts wires it on PGlite: what benchmarks
   * measure. On PostgreSQL the server listens on a session of its own (lifecycle/db-session.ts), which the scratch
   * test store has not: there the product runner polls every 10 ms instead of sleeping until NOTIFY.
   */
  runner?: 'spec' | 'product';
} = {}) {
  const deps = await freshDeps({}, opts.federation);
  registerCloudActions(deps.actions, deps.federation, deps.store);
  registerOnboardingActions(deps.actions, { store: deps.store, quotas: () => deps.quotas, audit: deps.audit });
  registerRequestActions(deps.actions, { store: deps.store, federation: deps.federation, quotas: () => deps.quotas, audit: deps.audit });
  registerResourceActions(deps.actions, { store: deps.store, federation: deps.federation });
  registerChangeActions(deps.actions, { store: deps.store, federation: deps.federation, quotas: () => deps.quotas, audit: deps.audit });
  // nanchang: general, 3601, 等保 2-3, same-city DR, dual-active; jx-province: general, 等保 2-4, dual-active;
  // jingdezhen: general, 3602, production only; xc-kunpeng: Xinchuang, arm64 only, 等保 2-4.
  await addSimClouds(deps, ['nanchang', 'jx-province', 'jingdezhen', 'xc-kunpeng'], 3);
  const dept = await seedDepartment(deps, '南昌市数据局', { divisionCode: '3601' });
  const other = await seedDepartment(deps, '九江市数据局', { divisionCode: '3604' });
  const { ids, as } = await seedCallers(deps, {
    admin: ['root', ['admin']],
    operator: ['ops', ['cloud-operator']],
    deptAdmin: ['nc-admin', ['department-admin'], dept.id],
    deptAdmin2: ['nc-admin2', ['department-admin'], dept.id],
    user: ['nc-user', ['department-user'], dept.id],
    otherUser: ['jj-user', ['department-user'], other.id],
  });
  const product = opts.runner === 'product';
  const runner = new WorkflowRunner(deps, product
    ? { owner: 'bench-runner', ...DEFAULT_RUNNER_OPTIONS, ...(deps.store.listen ? {} : { pollMs: 10 }) }
    : { owner: 'spec-runner', concurrency: 4, leaseMs: 2000, pollMs: 10, retryBaseMs: 2 });
  const unlisten = product && deps.store.listen ? await deps.store.listen(WORKFLOW_CHANNEL, () => runner.wake()) : null;
  runner.start();
  return {
    deps, dept, other, ids, as, runner,
    async stop() {
      await runner.stop();
      await unlisten?.();
      await deps.quotaRuntime.reaper.stop();
      await deps.federation.stop();
    },
    /** Waits until the workflow leaves running/compensating/cancelling (needs-attention is an end too). */
    settled: (id: string, timeoutMs = 20_000) => workflowSettled(deps.store, id, { timeoutMs }),
  };
}

export type World = Awaited<ReturnType<typeof onboardingWorld>>;

/** A compliant system's fields: 等保 2, internal data, x86_64, DR level 2. Specs change one field per case. */
export const systemInput = (over: Record<string, unknown> = {}) => ({
  name: '社保查询系统', description: 'social security lookup', mlpsLevel: 2, dataClassification: 'internal' as const, xinchuangRequired: false,
  architectures: ['x86_64' as const], drLevel: 2, drEdition: '2025' as const, rpoSeconds: 3600, rtoSeconds: 14400, ...over,
});

export const reservationState = async (w: World, id: string | null) =>
  id ? (await w.deps.store.query<{ state: string }>('SELECT state FROM quota_reservations WHERE id = $1', [id]))[0]?.state : undefined;

/** Everything a refused decision or submit must leave untouched (with the harness snapshot of users and departments). */
export const requestState = async (w: World) => ({ ...(await snapshot(w.deps)), ...(await w.deps.store.query<Record<string, unknown>>(
  `SELECT (SELECT count(*)::int FROM resource_requests) AS requests, (SELECT count(*)::int FROM request_decisions) AS decisions,
          (SELECT count(*)::int FROM quota_reservations) AS reservations, (SELECT count(*)::int FROM workflows) AS workflows,
          (SELECT string_agg(status || current_step, ',' ORDER BY id) FROM resource_requests) AS statuses,
          (SELECT string_agg(status, ',' ORDER BY request_id, idx) FROM request_approval_steps) AS steps,
          (SELECT coalesce(sum(reserved + committed), 0)::int FROM quota_usage) AS usage, (SELECT count(*)::int FROM quota_ledger) AS ledger,
          (SELECT count(*)::int FROM approval_chains) AS chains, (SELECT count(*)::int FROM request_events) AS events,
          (SELECT md5(coalesce(string_agg(node_id::text || cloud_id || resource_class || coalesce(limit_amount, -1), '|' ORDER BY node_id, cloud_id, resource_class), '')) FROM quota_usage) AS limits`))[0] });

/** A request through the default chain: the department admin, then a cloud operator; its provisioning settled. */
export async function approveThroughChain(w: World, id: string) {
  await w.as.deptAdmin.requests.approve({ id, reason: '同意' });
  const approved = await w.as.operator.requests.approve({ id, reason: '同意' });
  return w.settled(approved.workflowId!, 60_000);
}

/** Everything IPAM holds for resources under the spec pools: assigned prefixes and addresses. */
export const ipamHoldings = async (w: World) => (await w.deps.store.query<{ n: number }>(
  `SELECT ((SELECT count(*) FROM ipam_addresses) + (SELECT count(*) FROM ipam_prefixes WHERE kind = 'assigned'))::int AS n`))[0]!.n;

/**
 * A system's quota limits on onboarding, in the order the specs give them: 64 vCPU, 256 GiB memory, 4000 GiB
 * storage, 256 IPv4 addresses and 4 IPv6 /64s, unless `over` names another limit for a class.
 */
export const onboardingLimits = (over: Partial<Record<LimitedClass, number>> = {}): Limit[] =>
  Object.entries({ vcpu: 64, memoryGiB: 256, storageGiB: 4000, ipv4Addresses: 256, ipv6Prefixes64: 4, ...over })
    .map(([resourceClass, limit]) => ({ resourceClass: resourceClass as LimitedClass, limit }));
type LimitedClass = 'vcpu' | 'memoryGiB' | 'storageGiB' | 'ipv4Addresses' | 'ipv6Prefixes64';
type Limit = { resourceClass: LimitedClass; limit: number };

/** The request items the resource specs ask for: a dual-stack extranet /26, two c4m8 hosts, a 500 GiB volume on the first. */
export const segment = { kind: 'segment' as const, name: 'app', network: 'extranet' as const, ipv4Length: 26, dualStack: true };
export const hosts = { kind: 'host' as const, name: 'web', count: 2, flavour: 'c4m8' as const, systemDiskGiB: 50, arch: 'x86_64' as const, image: 'kylin-v10-sp3' };
export const volume = { kind: 'volume' as const, name: 'data', sizeGiB: 500, host: 'web-1' };

/** Registers a system (systemInput with `input`) and onboards it with `limits`; the onboarding must succeed. Its id. */
export async function onboardedSystem(
  w: World,
  { limits, cloudId, input = {} }: { limits: Limit[]; cloudId?: string; input?: Record<string, unknown> },
): Promise<string> {
  const systemId = (await w.as.user.systems.create(systemInput(input))).id;
  const { workflowId } = await w.as.user.onboarding.start({ systemId, limits, ...(cloudId ? { cloudId } : {}) });
  const { status } = await w.settled(workflowId);
  if (status !== 'succeeded') throw new Error(`the onboarding of system ${systemId} ended ${status}`);
  return systemId;
}

/** An onboarding world with the spec address pools on `pools` (testing/resource-pools.ts) and one system onboarded as onboardedSystem does. */
export async function worldWithSystem({ pools, world, ...system }: { pools: readonly string[]; world?: Parameters<typeof onboardingWorld>[0] } & Parameters<typeof onboardedSystem>[1]) {
  const w = await onboardingWorld(world);
  await seedResourcePools(w.deps.store, pools);
  return { w, systemId: await onboardedSystem(w, system) };
}
