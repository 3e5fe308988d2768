import { limit, seedQuotaDepartment, seedSystem } from '../../control-plane/src/testing/quota-fixtures.ts';
import { QuotaServiceImpl } from '../../control-plane/src/quotas/quota-service.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { startCluster, type Cluster } from '../support/cluster.ts';

export { trpcMutation } from '../support/cluster.ts';

/** The quota specs and `npm run bench -- quota` reserve on this cloud, as a cloud operator. */
export const CLOUD = 'jx-province';

export type QuotaCluster = Cluster;

export function startQuotaCluster(opts: { pgAdminUrl: string; processes: number; clients: number; env?: Record<string, string> }): Promise<QuotaCluster> {
  return startCluster({ ...opts, cloudId: CLOUD, user: { username: 'quota-operator', role: 'cloud-operator' } });
}

/**
 * One hot system whose parents are nearly as tight: the system may use `room`, and because of what others
 * already hold, its department, city and province have only `room + slack` left each (a negative slack makes the
 * parents the binding limit).
 */
export async function seedHotQuota(store: Store, room: number, slack: number, prefix = ''): Promise<{ hot: string; departmentId: string }> {
  const departmentId = await seedQuotaDepartment(store, `${prefix}热点局`, '360102');
  const neighbourDept = await seedQuotaDepartment(store, `${prefix}邻局`, '3601');
  const farDept = await seedQuotaDepartment(store, `${prefix}远局`, '3607');
  const sibling = await seedSystem(store, departmentId, '兄弟系统');
  const cousin = await seedSystem(store, neighbourDept, '邻居系统');
  const far = await seedSystem(store, farDept, '远方系统');
  const hot = await seedSystem(store, departmentId, '热点系统');
  const vcpu = (n: number) => [{ cloudId: CLOUD, resourceClass: 'vcpu' as const, limit: n }];
  for (const s of [sibling, cousin, far]) await limit(store, 'system', s, vcpu(1000));
  await limit(store, 'system', hot, vcpu(room));
  await limit(store, 'department', departmentId, vcpu(room + slack + 100));
  await limit(store, 'city', '3601', vcpu(room + slack + 300));
  await limit(store, 'province', '36', vcpu(room + slack + 600));
  // Parents' other usage: the sibling 100 (department), the cousin 200 more (city), far away 300 more (province).
  const quotas = new QuotaServiceImpl();
  for (const [s, n] of [[sibling, 100], [cousin, 200], [far, 300]] as const) {
    const r = await store.transaction((tx) => quotas.reserve(tx, { systemId: s, items: [{ cloudId: CLOUD, resourceClass: 'vcpu', amount: n }], idempotencyKey: `fill-${s}`, ttlSeconds: 86_400, ref: 'fill', actor: 'seed' }));
    await store.transaction((tx) => quotas.commit(tx, { reservationId: r.id, actor: 'seed' }));
  }
  return { hot, departmentId };
}

/** Rows over their cap at any level, and counters that disagree with the ledger: both must be empty. */
export { quotaViolations } from '../../control-plane/src/testing/quota-fixtures.ts';
