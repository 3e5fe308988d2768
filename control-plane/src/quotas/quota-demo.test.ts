import { freshDeps } from '../testing/harness.ts';
import { quotaSnapshot, quotaViolations, seedCloudRow, seedQuotaDepartment, seedSystem } from '../testing/quota-fixtures.ts';
import { seedQuotaDemo } from './quota-demo.ts';

describe('demo quotas (npm start on an empty database)', () => {
  it('caps the province and the cities, gives the demo systems limits and usage the ledger explains, and runs once', async () => {
    const deps = await freshDeps();
    await seedCloudRow(deps.store, 'jx-province', '3601');
    await seedCloudRow(deps.store, 'ganzhou', '3607');
    const dept = await seedQuotaDepartment(deps.store, '演示局（演示）', '36');
    const other = await seedQuotaDepartment(deps.store, '真实局', '36');
    const demoSystem = await seedSystem(deps.store, dept, '演示系统');
    const realSystem = await seedSystem(deps.store, other, '真实系统');
    await deps.store.query(`UPDATE business_systems SET cloud_id = 'jx-province'`);

    const seeded = await seedQuotaDemo(deps.store, deps.quotas);
    expect(seeded).toEqual({ limits: jasmine.any(Number), reservations: 2 });
    expect(await quotaViolations(deps.store)).toEqual([]);

    const usage = (level: string, ref: string) => deps.store.query<{ cloud: string; limit: number | null; reserved: number; committed: number }>(
      `SELECT u.cloud_id AS cloud, u.limit_amount AS "limit", u.reserved, u.committed FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id
        WHERE n.level = $1 AND n.ref = $2 AND u.resource_class = 'vcpu' ORDER BY u.cloud_id`, [level, ref]);
    expect(await usage('system', demoSystem)).toEqual([{ cloud: 'jx-province', limit: 256, reserved: 32, committed: 64 }]);
    expect(await usage('province', '36')).toEqual([
      { cloud: 'ganzhou', limit: 20_000, reserved: 0, committed: 0 },
      { cloud: 'jx-province', limit: 20_000, reserved: 32, committed: 64 },
    ]);
    expect(await usage('city', '3607')).toEqual([{ cloud: 'ganzhou', limit: 4_000, reserved: 0, committed: 0 }]);
    expect(await usage('system', realSystem)).withContext('only the demo departments get demo usage').toEqual([]);

    const before = await quotaSnapshot(deps.store);
    expect(await seedQuotaDemo(deps.store, deps.quotas)).toBeNull();
    expect(await quotaSnapshot(deps.store)).toEqual(before);
  });
});
