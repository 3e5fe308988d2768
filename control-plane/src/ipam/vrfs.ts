import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { ipamRepo, type VrfRow } from './ipam-repo.ts';

export type VrfInput = Omit<VrfRow, 'id'>;

async function checkRefs(db: Queryable, v: Pick<VrfRow, 'planeId' | 'departmentId' | 'kind'>): Promise<void> {
  if (v.planeId && !(await ipamRepo.knownPlanes(db, [v.planeId])).has(v.planeId)) throw new InputError(`unknown plane ${v.planeId}`, 'planeId');
  if (v.kind === 'department' && !v.departmentId) throw new InputError('a department network names its department', 'departmentId');
  if (v.departmentId && !(await ipamRepo.departmentExists(db, v.departmentId))) {
    throw new InputError('no such department', 'departmentId');
  }
}

async function checkRd(db: Queryable, rd: string | null, selfId: string | null): Promise<void> {
  if (!rd) return;
  const other = await ipamRepo.vrfWithRd(db, rd);
  if (other && other.id !== selfId) throw new ConflictError(`route distinguisher ${rd} is already used by VRF ${other.name}`, 'rd');
}

export async function createVrf(db: Queryable, input: VrfInput): Promise<VrfRow> {
  if (await ipamRepo.vrfByName(db, input.name)) throw new ConflictError(`a VRF named ${input.name} exists`, 'name');
  await checkRd(db, input.rd, null);
  await checkRefs(db, input);
  const row = { ...input, id: newId() };
  await ipamRepo.insertVrf(db, row);
  return row;
}

/** Changes what routing needs (RD, targets, plane) and the migration state; name, kind and department stay. */
export async function updateVrf(db: Queryable, id: string, change: Partial<Pick<VrfRow, 'rd' | 'importTargets' | 'exportTargets' | 'planeId' | 'migrationState' | 'description'>>) {
  const before = await ipamRepo.vrfById(db, id);
  if (!before) throw new NotFoundError('no such VRF');
  const after: VrfRow = { ...before, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
  await checkRd(db, after.rd, id);
  await checkRefs(db, after);
  await ipamRepo.updateVrf(db, after);
  return { before, after };
}

export async function deleteVrf(db: Queryable, id: string): Promise<VrfRow> {
  const v = await ipamRepo.vrfById(db, id);
  if (!v) throw new NotFoundError('no such VRF');
  const n = await ipamRepo.prefixCountOfVrf(db, id);
  if (n) throw new ConflictError(`VRF ${v.name} still holds ${n} prefixes`);
  await ipamRepo.deleteVrf(db, id);
  return v;
}
