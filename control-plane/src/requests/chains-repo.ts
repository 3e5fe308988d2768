import type { Role } from '../auth/roles.ts';
import type { Scope } from '../auth/scope.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { ChainRow } from './chains.ts';

/** SQL of approval chains (approval_chains) and of the users their steps name. */
export const chainsRepo = {
  /** The chains the caller sees: the general ones (no department) and those of the caller's departments. */
  async list(db: Queryable, scope: Scope): Promise<ChainRow[]> {
    const params: unknown[] = [];
    return db.query<ChainRow>(
      `SELECT id, department_id AS "departmentId", name, min_units AS "minUnits", steps FROM approval_chains
       WHERE ${allOf(scopeFilter(scope, params, 'department_id', { shared: true }))} ORDER BY department_id NULLS FIRST, min_units`,
      params,
    );
  },
  async byId(db: Queryable, id: string): Promise<ChainRow | undefined> {
    const [row] = await db.query<ChainRow>('SELECT id, department_id AS "departmentId", name, min_units AS "minUnits", steps FROM approval_chains WHERE id = $1', [id]);
    return row;
  },
  /** The department's own chain with the highest threshold at or below `units`; else the general one; else none. */
  async applicable(db: Queryable, departmentId: string, units: number): Promise<ChainRow | undefined> {
    const [row] = await db.query<ChainRow>(
      `SELECT id, department_id AS "departmentId", name, min_units AS "minUnits", steps FROM approval_chains
       WHERE (department_id = $1 OR department_id IS NULL) AND min_units <= $2
       ORDER BY (department_id IS NULL), min_units DESC LIMIT 1`, [departmentId, units]);
    return row;
  },
  async upsert(db: Queryable, c: ChainRow): Promise<void> {
    await db.query(
      `INSERT INTO approval_chains (id, department_id, name, min_units, steps) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, min_units = EXCLUDED.min_units, steps = EXCLUDED.steps, updated_at = now()`,
      [c.id, c.departmentId, c.name, c.minUnits, JSON.stringify(c.steps)],
    );
  },
  /** Whether another chain of the same department (or another general chain) starts at this size. */
  async thresholdTaken(db: Queryable, c: { id: string; departmentId: string | null; minUnits: number }): Promise<boolean> {
    return (await db.query('SELECT 1 FROM approval_chains WHERE id <> $1 AND department_id IS NOT DISTINCT FROM $2 AND min_units = $3', [c.id, c.departmentId, c.minUnits])).length > 0;
  },
  /** Those of the ids that name a user (disabled or not). */
  async knownUsers(db: Queryable, ids: readonly string[]): Promise<string[]> {
    return (await db.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::uuid[])', [ids])).map((r) => r.id);
  },
  async delete(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM approval_chains WHERE id = $1', [id]);
  },
  /** Of the ids, those naming an enabled user. */
  async enabledUsers(db: Queryable, ids: readonly string[]): Promise<string[]> {
    return (await db.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::uuid[]) AND NOT disabled', [ids])).map((r) => r.id);
  },
  /** Enabled users holding the role: across the province, or within one department (`departmentId`). */
  async usersWithRole(db: Queryable, role: Role, departmentId: string | null): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM users WHERE $1 = ANY(roles) AND NOT disabled ${departmentId === null ? '' : 'AND department_id = $2'} ORDER BY username`,
      departmentId === null ? [role] : [role, departmentId]);
    return rows.map((r) => r.id);
  },
};
