import type { Scope } from '../auth/scope.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Page, PageRequest } from '../store/keyset.ts';
import type { Queryable } from '../store/store.ts';
import { blockFromDb, formatBlock, parseCidr } from './ip-math.ts';
import { natRepo } from './nat-repo.ts';

/** A migrated department network's inside space, translated 1:1 to outside space on the extranet. */
export interface NatMapping {
  id: string;
  insideVrfId: string;
  insideCidr: string;
  outsideVrfId: string;
  outsideCidr: string;
  description: string;
}


export const natMappings = {
  /** The mappings the caller may see (natRepo.list says which). */
  list: (db: Queryable, scope: Scope, page: PageRequest): Promise<Page<NatMapping>> => natRepo.list(db, scope, page),

  /** Both sides the same size and family; neither side may overlap another mapping's side in the same VRF. */
  async create(db: Queryable, input: Omit<NatMapping, 'id'>): Promise<NatMapping> {
    const inside = parseCidr(input.insideCidr);
    if (!inside.ok) throw new InputError(inside.error, 'insideCidr');
    const outside = parseCidr(input.outsideCidr);
    if (!outside.ok) throw new InputError(outside.error, 'outsideCidr');
    if (inside.value.family !== outside.value.family || inside.value.length !== outside.value.length) {
      throw new InputError(`a 1:1 mapping needs both sides the same size: ${input.insideCidr} and ${input.outsideCidr} differ`, 'outsideCidr');
    }
    for (const [side, vrfId, cidr] of [['inside', input.insideVrfId, input.insideCidr], ['outside', input.outsideVrfId, input.outsideCidr]] as const) {
      if (!(await natRepo.vrfExists(db, vrfId))) throw new InputError('no such VRF', `${side}VrfId`);
      const clash = await natRepo.overlappingSide(db, side, vrfId, cidr);
      if (clash) throw new ConflictError(`${cidr} overlaps the mapping of ${formatBlock(blockFromDb(clash))} on the ${side}`, `${side}Cidr`);
    }
    const row = { ...input, id: newId() };
    await natRepo.insert(db, row);
    return row;
  },

  async remove(db: Queryable, id: string): Promise<NatMapping> {
    const m = await natRepo.delete(db, id);
    if (!m) throw new NotFoundError('no such NAT mapping');
    return m;
  },
};
