import { InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import type { QuotaLevel } from './contract.ts';
import { quotaRepo, type NodeRow } from './quota-repo.ts';

export const PROVINCE_CODE = '36';

/** The city a department belongs to: the first four digits of its division code; null for provincial departments ('36'). */
export function cityOf(divisionCode: string): string | null {
  return divisionCode.length >= 4 && divisionCode.startsWith(PROVINCE_CODE) ? divisionCode.slice(0, 4) : null;
}

async function departmentOf(db: Queryable, departmentId: string): Promise<{ id: string; divisionCode: string }> {
  const d = await quotaRepo.departmentDivision(db, departmentId);
  if (!d) throw new NotFoundError(`no department ${departmentId}`);
  return d;
}

/** Province node, the department's city node (provincial departments hang under the province) and the department node. */
export async function ensureDepartmentNode(db: Queryable, departmentId: string): Promise<NodeRow> {
  const dept = await departmentOf(db, departmentId);
  const province = await quotaRepo.ensureNode(db, { id: newId(), level: 'province', ref: PROVINCE_CODE, parent: null, departmentId: null });
  const city = cityOf(dept.divisionCode);
  const parent = city ? await quotaRepo.ensureNode(db, { id: newId(), level: 'city', ref: city, parent: province, departmentId: null }) : province;
  return quotaRepo.ensureNode(db, { id: newId(), level: 'department', ref: dept.id, parent, departmentId: dept.id });
}

export async function ensureSystemNode(db: Queryable, input: { systemId: string; departmentId: string }): Promise<{ nodeId: string }> {
  const system = await quotaRepo.systemDepartment(db, input.systemId);
  if (!system) throw new NotFoundError(`no business system ${input.systemId}`);
  if (system.departmentId !== input.departmentId) throw new InputError(`system ${input.systemId} belongs to another department`, 'departmentId');
  const existing = await quotaRepo.nodeByRef(db, 'system', input.systemId);
  if (existing) return { nodeId: existing.id };
  const dept = await ensureDepartmentNode(db, input.departmentId);
  const node = await quotaRepo.ensureNode(db, { id: newId(), level: 'system', ref: input.systemId, parent: dept, departmentId: input.departmentId });
  return { nodeId: node.id };
}

/** A node addressed as operators think of it: the province, a city code, a department or a system. */
export async function ensureNodeFor(db: Queryable, level: QuotaLevel, ref: string): Promise<NodeRow> {
  switch (level) {
    case 'province':
      if (ref !== PROVINCE_CODE) throw new InputError(`the province node is ${PROVINCE_CODE}`, 'ref');
      return quotaRepo.ensureNode(db, { id: newId(), level, ref, parent: null, departmentId: null });
    case 'city': {
      if (!(await quotaRepo.isCityDivision(db, ref))) throw new InputError(`${ref} is not a Jiangxi city division code`, 'ref');
      const province = await ensureNodeFor(db, 'province', PROVINCE_CODE);
      return quotaRepo.ensureNode(db, { id: newId(), level, ref, parent: province, departmentId: null });
    }
    case 'department':
      return ensureDepartmentNode(db, ref);
    case 'system': {
      const system = await quotaRepo.systemDepartment(db, ref);
      if (!system) throw new NotFoundError(`no business system ${ref}`);
      const { nodeId } = await ensureSystemNode(db, { systemId: ref, departmentId: system.departmentId });
      return (await quotaRepo.nodeById(db, nodeId))!;
    }
  }
}
