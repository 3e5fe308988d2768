import { assertInScope, type Scope } from '../auth/scope.ts';
import { InputError, NotFoundError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';
import { usersRepo } from '../auth/users-repo.ts';
import { assertNoCycle } from './dependency-graph.ts';
import { systemsRepo, type SystemFields, type SystemRow } from './systems-repo.ts';

/** A system the caller may see, or NOT_FOUND / FORBIDDEN. */
export async function loadSystem(db: Queryable, scope: Scope, id: string, opts: { forUpdate?: boolean } = {}): Promise<SystemRow> {
  const s = await systemsRepo.byId(db, id, opts);
  if (!s) throw new NotFoundError(`no business system ${id}`);
  assertInScope(scope, s.departmentId, 'that business system');
  return s;
}

/** The owner, when named, must be a user of the system’s own department. */
export async function checkOwner(db: Queryable, departmentId: string, ownerUserId: string | null): Promise<void> {
  if (!ownerUserId) return;
  const owner = await usersRepo.byId(db, ownerUserId);
  if (!owner) throw new InputError('no such user', 'ownerUserId');
  if (owner.departmentId !== departmentId) throw new InputError('the owner must belong to the system’s department', 'ownerUserId');
}

/** Replaces the dependencies of `id`: each must exist and be visible to the caller; the graph stays a DAG. */
export async function setDependencies(db: Queryable, scope: Scope, id: string, dependsOn: string[]): Promise<void> {
  if (dependsOn.includes(id)) throw new InputError('a system cannot depend on itself', 'dependsOn');
  const targets = await systemsRepo.list(db, { departmentIds: null, ids: dependsOn });
  for (const d of dependsOn) {
    const t = targets.find((x) => x.id === d);
    if (!t) throw new InputError(`no business system ${d}`, 'dependsOn');
    assertInScope(scope, t.departmentId, `dependency ${t.name}`);
  }
  // Lock the graph for the check: two concurrent edits must not each close half of a cycle.
  await systemsRepo.lockDependencyGraph(db);
  const edges = await systemsRepo.allEdges(db);
  const names = new Map((await systemsRepo.list(db, { departmentIds: null, ids: [...new Set([id, ...edges.flatMap((e) => [e.systemId, e.dependsOnId])])] })).map((s) => [s.id, s.name]));
  assertNoCycle(edges, { systemId: id, dependsOn }, (n) => names.get(n) ?? n);
  await systemsRepo.replaceDependencies(db, id, dependsOn);
}

/** The audit image of a system: what was decided about it, not the derived views. */
export const systemImage = (s: SystemRow, dependsOn?: string[]) => ({
  id: s.id, departmentId: s.departmentId, name: s.name, ownerUserId: s.ownerUserId, mlpsLevel: s.mlpsLevel,
  dataClassification: s.dataClassification, xinchuangRequired: s.xinchuangRequired, architectures: s.architectures,
  drLevel: s.drLevel, drEdition: s.drEdition, rpoSeconds: s.rpoSeconds, rtoSeconds: s.rtoSeconds, status: s.status, cloudId: s.cloudId,
  ...(dependsOn ? { dependsOn } : {}),
});

export type { SystemFields };
