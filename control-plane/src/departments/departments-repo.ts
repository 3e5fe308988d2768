import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

export interface DepartmentView {
  id: string;
  name: string;
  creditCode: string;
  parentId: string | null;
  parentName: string | null;
  divisionCode: string;
  divisionName: string;
  createdAt: string;
}

interface Row extends Omit<DepartmentView, 'createdAt'> {
  createdAt: Date;
}

const SELECT = `SELECT d.id, d.name, d.credit_code AS "creditCode", d.parent_id AS "parentId", p.name AS "parentName",
  d.division_code AS "divisionCode", v.name AS "divisionName", d.created_at AS "createdAt"
  FROM departments d LEFT JOIN departments p ON p.id = d.parent_id JOIN divisions v ON v.code = d.division_code`;

const toView = (r: Row): DepartmentView => ({ ...r, createdAt: new Date(r.createdAt).toISOString() });

export const departmentsRepo = {
  async byId(db: Queryable, id: string): Promise<DepartmentView | undefined> {
    const [row] = await db.query<Row>(`${SELECT} WHERE d.id = $1`, [id]);
    return row && toView(row);
  },
  /** The departments named (all when `departmentIds` is null): a caller's scope, or a list asked for. */
  async list(db: Queryable, departmentIds: string[] | null): Promise<DepartmentView[]> {
    const params: unknown[] = [];
    const rows = await db.query<Row>(`${SELECT} WHERE ${allOf(scopeFilter({ departmentIds }, params, 'd.id'))} ORDER BY d.name`, params);
    return rows.map(toView);
  },
  /** Another department with this name or this credit code, if any (`id`: the department being edited, not a clash). */
  async clashing(db: Queryable, d: { id?: string; name: string; creditCode: string }): Promise<{ name: string; creditCode: string } | undefined> {
    const [clash] = await db.query<{ name: string; creditCode: string }>(
      'SELECT name, credit_code AS "creditCode" FROM departments WHERE (name = $1 OR credit_code = $2) AND id IS DISTINCT FROM $3',
      [d.name, d.creditCode, d.id ?? null],
    );
    return clash;
  },
  /** The department and every department below it (recursive), for department scoping. */
  async subtreeIds(db: Queryable, rootId: string): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      `WITH RECURSIVE t(id) AS (SELECT id FROM departments WHERE id = $1
         UNION SELECT d.id FROM departments d JOIN t ON d.parent_id = t.id) SELECT id FROM t`,
      [rootId],
    );
    return rows.map((r) => r.id);
  },
  async insert(db: Queryable, d: { id: string; name: string; creditCode: string; parentId: string | null; divisionCode: string }): Promise<void> {
    await db.query(
      'INSERT INTO departments (id, name, credit_code, parent_id, division_code) VALUES ($1, $2, $3, $4, $5)',
      [d.id, d.name, d.creditCode, d.parentId, d.divisionCode],
    );
  },
  async update(db: Queryable, id: string, d: { name: string; creditCode: string; parentId: string | null; divisionCode: string }): Promise<void> {
    await db.query(
      'UPDATE departments SET name = $2, credit_code = $3, parent_id = $4, division_code = $5, updated_at = now() WHERE id = $1',
      [id, d.name, d.creditCode, d.parentId, d.divisionCode],
    );
  },
  async delete(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM departments WHERE id = $1', [id]);
  },
  async dependents(db: Queryable, id: string): Promise<{ users: number; children: number }> {
    const [row] = await db.query<{ users: number; children: number }>(
      `SELECT (SELECT count(*)::int FROM users WHERE department_id = $1) AS users,
              (SELECT count(*)::int FROM departments WHERE parent_id = $1) AS children`,
      [id],
    );
    return row!;
  },
};
