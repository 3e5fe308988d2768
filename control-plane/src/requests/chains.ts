import { z } from 'zod';
import { InputError } from '../errors.ts';
import { roleSchema, PROVINCE_WIDE_ROLES, type Role } from '../auth/roles.ts';
import { idSchema } from '../schemas.ts';
import type { Scope } from '../auth/scope.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { ApprovalMode } from './requests-repo.ts';

/**
 * Approval chains: sequential steps; each step is single (one named approver), countersign (会签: every
 * approver must approve) or or-sign (或签: any one approver suffices). Approvers are named users or a role
 * (resolved when the request is submitted: department roles within the request's department, province-wide
 * roles across the province). The requester is never an approver of their own request.
 */
export const chainStepSchema = z.object({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  mode: z.enum(['single', 'countersign', 'or-sign'], 'single, countersign (会签) or or-sign (或签)'),
  approvers: z.union([
    z.object({ users: z.array(idSchema).min(1, 'at least one approver').max(20).refine((u) => new Set(u).size === u.length, 'approvers must not repeat') }),
    z.object({ role: roleSchema }),
  ]),
  slaHours: z.number().int('whole hours').min(1, 'at least 1 hour').max(24 * 30, 'at most 30 days'),
}).refine((s) => s.mode !== 'single' || !('users' in s.approvers) || s.approvers.users.length === 1, { message: 'a single step names exactly one approver', path: ['approvers'] });

export const chainStepsSchema = z.array(chainStepSchema).min(1, 'at least one step').max(10, 'at most 10 steps');
export type ChainStep = z.infer<typeof chainStepSchema>;

export interface ChainRow {
  id: string;
  departmentId: string | null;
  name: string;
  minUnits: number;
  steps: ChainStep[];
}

/** Used where no chain is configured: the department's admins (或签), then a cloud operator (或签). */
export const DEFAULT_CHAIN: ChainStep[] = [
  { name: '部门审批 / Department', mode: 'or-sign', approvers: { role: 'department-admin' }, slaHours: 24 },
  { name: '云平台审批 / Cloud operations', mode: 'or-sign', approvers: { role: 'cloud-operator' }, slaHours: 48 },
];

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
};

/** Resolves a chain's approvers to users, dropping the requester and disabled users; a step left with nobody is an error. */
export async function resolveChain(db: Queryable, steps: ChainStep[], departmentId: string, requesterId: string): Promise<{ name: string; mode: ApprovalMode; approverIds: string[]; slaHours: number }[]> {
  const out = [];
  for (const s of steps) {
    let ids: string[];
    if ('users' in s.approvers) {
      const rows = await db.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::uuid[]) AND NOT disabled', [s.approvers.users]);
      ids = s.approvers.users.filter((u) => rows.some((r) => r.id === u));
    } else {
      const role: Role = s.approvers.role;
      const wide = PROVINCE_WIDE_ROLES.includes(role);
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM users WHERE $1 = ANY(roles) AND NOT disabled ${wide ? '' : 'AND department_id = $2'} ORDER BY username`,
        wide ? [role] : [role, departmentId]);
      ids = rows.map((r) => r.id);
    }
    ids = ids.filter((id) => id !== requesterId);
    if (!ids.length) throw new InputError(`approval step “${s.name}” has nobody to approve it other than the requester`, 'systemId');
    // A single step whose role resolves to several people is decided by the first who acts (as or-sign).
    out.push({ name: s.name, mode: s.mode, approverIds: ids, slaHours: s.slaHours });
  }
  return out;
}
