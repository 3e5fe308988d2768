/** SQL of DR plans and their immutable versions. */
import type { Queryable } from '../store/store.ts';
import type { PlanDraft } from './domain/plan.ts';

export interface PlanEstimate {
  /** Critical-path length with the steps' estimates (seconds): the RTO estimate before anything runs. */
  readonly criticalPathSeconds: number;
  readonly criticalPath: readonly string[];
  /** Estimated RTO per system (seconds). */
  readonly bySystem: Readonly<Record<string, number>>;
}

export interface PlanRow {
  readonly id: string;
  readonly groupId: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PlanVersionRow {
  readonly planId: string;
  readonly version: number;
  readonly digest: string;
  readonly content: PlanDraft;
  readonly estimate: PlanEstimate;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export const planRepo = {
  async list(db: Queryable, groupIds: readonly string[]): Promise<PlanRow[]> {
    const rows = await db.query<PlanRow & { createdAt: Date; updatedAt: Date }>(
      `SELECT id, group_id AS "groupId", name, latest_version AS "latestVersion", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM dr_plans WHERE group_id = ANY($1::uuid[]) ORDER BY name`, [groupIds]);
    return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) }));
  },

  async byId(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<PlanRow | undefined> {
    const rows = await db.query<PlanRow & { createdAt: Date; updatedAt: Date }>(
      `SELECT id, group_id AS "groupId", name, latest_version AS "latestVersion", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM dr_plans WHERE id = $1 ${opts.forUpdate ? 'FOR UPDATE' : ''}`, [id]);
    return rows[0] && { ...rows[0], createdAt: iso(rows[0].createdAt), updatedAt: iso(rows[0].updatedAt) };
  },

  async byName(db: Queryable, groupId: string, name: string): Promise<PlanRow | undefined> {
    const [row] = await db.query<{ id: string }>('SELECT id FROM dr_plans WHERE group_id = $1 AND name = $2', [groupId, name]);
    return row && this.byId(db, row.id);
  },

  async countByGroup(db: Queryable, groupIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await db.query<{ groupId: string; n: number }>('SELECT group_id AS "groupId", count(*)::int AS n FROM dr_plans WHERE group_id = ANY($1::uuid[]) GROUP BY group_id', [groupIds]);
    return new Map(rows.map((r) => [r.groupId, r.n]));
  },

  async insertPlan(db: Queryable, p: { id: string; groupId: string; name: string; createdBy: string | null }): Promise<void> {
    await db.query('INSERT INTO dr_plans (id, group_id, name, latest_version, created_by) VALUES ($1, $2, $3, 0, $4)', [p.id, p.groupId, p.name, p.createdBy]);
  },

  async insertVersion(db: Queryable, v: { planId: string; version: number; digest: string; content: PlanDraft; estimate: PlanEstimate; createdBy: string | null }): Promise<void> {
    await db.query(
      'INSERT INTO dr_plan_versions (plan_id, version, digest, content, estimate, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
      [v.planId, v.version, v.digest, JSON.stringify(v.content), JSON.stringify(v.estimate), v.createdBy],
    );
    await db.query('UPDATE dr_plans SET latest_version = $2, name = $3, updated_at = now() WHERE id = $1', [v.planId, v.version, v.content.name]);
  },

  async version(db: Queryable, planId: string, version?: number): Promise<PlanVersionRow | undefined> {
    const rows = await db.query<PlanVersionRow & { createdAt: Date }>(
      `SELECT v.plan_id AS "planId", v.version, v.digest, v.content, v.estimate, v.created_by AS "createdBy", v.created_at AS "createdAt"
       FROM dr_plan_versions v JOIN dr_plans p ON p.id = v.plan_id
       WHERE v.plan_id = $1 AND v.version = COALESCE($2::int, p.latest_version)`, [planId, version ?? null]);
    return rows[0] && { ...rows[0], createdAt: iso(rows[0].createdAt) };
  },

  async versions(db: Queryable, planId: string): Promise<Omit<PlanVersionRow, 'content'>[]> {
    const rows = await db.query<Omit<PlanVersionRow, 'content'> & { createdAt: Date }>(
      `SELECT plan_id AS "planId", version, digest, estimate, created_by AS "createdBy", created_at AS "createdAt" FROM dr_plan_versions WHERE plan_id = $1 ORDER BY version DESC`, [planId]);
    return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
  },
};
