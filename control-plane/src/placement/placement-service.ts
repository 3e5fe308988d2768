import { NotFoundError } from '../errors.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import type { Queryable } from '../store/store.ts';
import type { SystemFields } from '../systems/systems-repo.ts';
import { choosePlacement, type Placement } from './placement.ts';
import { policiesInForce } from './policy-context.ts';

/**
 * Placement for a system of `departmentId` (null: a described system with no department, ranked as a
 * province-level one) over every registered cloud, or over one named cloud, which must exist.
 */
export async function placeSystem(db: Queryable, system: SystemFields & { departmentId: string | null }, cloudId?: string): Promise<Placement> {
  if (cloudId && !(await cloudsRepo.byId(db, cloudId))) throw new NotFoundError(`no cloud ${cloudId}`);
  const department = system.departmentId ? await departmentsRepo.byId(db, system.departmentId) : undefined;
  if (system.departmentId && !department) throw new NotFoundError('no such department');
  return choosePlacement(await policiesInForce(db), system, await cloudsRepo.list(db), { departmentDivision: department?.divisionCode ?? '36', onlyCloud: cloudId });
}
