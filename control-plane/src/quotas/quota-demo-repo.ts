import type { Queryable } from '../store/store.ts';

/** SQL of the demo quotas (quota-demo.ts): whether any limit exists, and the clouds and demo systems to give them to. */
export const quotaDemoRepo = {
  async limitedRowCount(db: Queryable): Promise<number> {
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM quota_usage WHERE limit_amount IS NOT NULL')) as [{ n: number }];
    return n;
  },

  enabledClouds: (db: Queryable) => db.query<{ id: string; region: string }>('SELECT id, region FROM clouds WHERE enabled ORDER BY id'),

  /** Placed systems of the demo departments (names ending in （演示）), by name. */
  demoSystems: (db: Queryable) =>
    db.query<{ id: string; departmentId: string; cloudId: string }>(
      `SELECT s.id, s.department_id AS "departmentId", s.cloud_id AS "cloudId" FROM business_systems s JOIN departments d ON d.id = s.department_id
        WHERE d.name LIKE '%（演示）' AND s.cloud_id IS NOT NULL ORDER BY s.name`,
    ),
};
