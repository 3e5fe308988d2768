import type { Enforcement, PolicyId } from '@ganyun/policies';
import type { Queryable } from '../store/store.ts';

/** SQL of the administrator's enforcement choices per policy (policy_settings); the catalogue supplies the rest. */
export const policySettingsRepo = {
  async all(db: Queryable): Promise<{ policyId: PolicyId; enforcement: Enforcement }[]> {
    return db.query<{ policyId: PolicyId; enforcement: Enforcement }>('SELECT policy_id AS "policyId", enforcement FROM policy_settings');
  },
  async setEnforcement(db: Queryable, policyId: PolicyId, enforcement: Enforcement): Promise<void> {
    await db.query(
      `INSERT INTO policy_settings (policy_id, enforcement) VALUES ($1, $2)
       ON CONFLICT (policy_id) DO UPDATE SET enforcement = EXCLUDED.enforcement, updated_at = now()`,
      [policyId, enforcement],
    );
  },
};
