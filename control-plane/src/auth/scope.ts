import { ForbiddenError } from '../errors.ts';
import type { Caller } from '../context.ts';
import type { CallerCache } from './caller-cache.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import type { Queryable } from '../store/store.ts';
import { PROVINCE_WIDE_ROLES } from './roles.ts';

/**
 * Department scoping, in one place. A caller with a province-wide role sees every department
 * (`departmentIds: null`); anyone else sees their own department and the departments below it.
 * Every procedure that touches department-owned data asks this module, never the roles directly.
 */
export interface Scope {
  departmentIds: string[] | null;
}

export async function scopeOf(db: Queryable, caller: Caller, cache?: CallerCache): Promise<Scope> {
  if (caller.roles.some((r) => PROVINCE_WIDE_ROLES.includes(r))) return { departmentIds: null };
  if (!caller.departmentId) return { departmentIds: [] };
  // The subtree is cached with the callers: a department added, moved or removed clears both.
  const cached = cache?.getScope(caller.userId);
  if (cached) return cached;
  const generation = cache?.generation ?? 0;
  const scope = { departmentIds: await departmentsRepo.subtreeIds(db, caller.departmentId) };
  cache?.setScope(caller.userId, scope, generation);
  return scope;
}

export function inScope(scope: Scope, departmentId: string | null): boolean {
  if (scope.departmentIds === null) return true;
  return departmentId !== null && scope.departmentIds.includes(departmentId);
}

/** Throws FORBIDDEN (not NOT_FOUND: the caller is told plainly that the boundary was the reason). */
export function assertInScope(scope: Scope, departmentId: string | null, what: string): void {
  if (!inScope(scope, departmentId)) throw new ForbiddenError(`${what} belongs to another department`);
}
