import type { Role } from '../auth/roles.ts';
import type { Scope } from '../auth/scope.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { ChainRow } from './chains.ts';

/**
 * requests.chains' order: the general chains first (no department: the nil uuid sorts before every other), then
 * each department's, by threshold; the id breaks ties. Index of migration 0252.
 */
const NO_DEPARTMENT = `'00000000-0000-0000-0000-000000000000'::uuid`;
const CHAIN_ORDER = keysetOrder('asc', [`coalesce(department_id, ${NO_DEPARTMENT})`, 'uuid'], ['min_units', 'numeric'], ['id', 'uuid']);

/** SQL of approval chains (approval_chains) and of the users their steps name. */
export const chainsRepo = {
  /**
   * A page of the chains the caller sees (the general ones, no department, and those of the caller's
   * departments) through store/keyset.ts.
   */
  async page(db: Queryable, scope: Scope, page: PageRequest): Promise<Page<ChainRow>> {
    const params: unknown[] = [];
    const where = [scopeFilter(scope, params, 'department_id', { shared: true })];
    const k = keyset(CHAIN_ORDER, page, params);
    const rows = await db.query<ChainRow>(
      `SELECT id, department_id AS "departmentId", name, min_units AS "minUnits", steps${k.select} FROM approval_chains
       WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    );
    return k.page(rows);
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
