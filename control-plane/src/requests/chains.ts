import { z } from 'zod';
import { InputError } from '../errors.ts';
import { roleSchema, PROVINCE_WIDE_ROLES, type Role } from '../auth/roles.ts';
import { idSchema } from '../schemas.ts';
import type { Queryable } from '../store/store.ts';
import { chainsRepo } from './chains-repo.ts';
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

/** Resolves a chain's approvers to users, dropping the requester and disabled users; a step left with nobody is an error. */
export async function resolveChain(db: Queryable, steps: ChainStep[], departmentId: string, requesterId: string): Promise<{ name: string; mode: ApprovalMode; approverIds: string[]; slaHours: number }[]> {
  const out = [];
  for (const s of steps) {
    let ids: string[];
    if ('users' in s.approvers) {
      const enabled = await chainsRepo.enabledUsers(db, s.approvers.users);
      ids = s.approvers.users.filter((u) => enabled.includes(u));
    } else {
      const role: Role = s.approvers.role;
      const wide = PROVINCE_WIDE_ROLES.includes(role);
      ids = await chainsRepo.usersWithRole(db, role, wide ? null : departmentId);
    }
    ids = ids.filter((id) => id !== requesterId);
    if (!ids.length) throw new InputError(`approval step “${s.name}” has nobody to approve it other than the requester`, 'systemId');
    // A single step whose role resolves to several people is decided by the first who acts (as or-sign).
    out.push({ name: s.name, mode: s.mode, approverIds: ids, slaHours: s.slaHours });
  }
  return out;
}
