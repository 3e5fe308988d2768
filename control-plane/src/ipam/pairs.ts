import { InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { allocateInParent, lockParents } from './allocate.ts';
import { bitsOf } from './ip-math.ts';
import { ipamRepo, type PrefixRow } from './ipam-repo.ts';
import type { Strategy } from './strategy.ts';
import { templatesRepo } from './templates-repo.ts';

export const UNIT_LEVELS = ['province', 'city', 'county', 'township', 'village', 'site'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export interface Template {
  id: string;
  unitLevel: UnitLevel;
  planeId: string;
  ipv4ParentId: string;
  ipv4Length: number;
  ipv6ParentId: string;
  ipv6Length: number;
  strategy: Strategy;
}

export const templates = {
  list: (db: Queryable) => templatesRepo.list(db),
  find: (db: Queryable, level: string, planeId: string) => templatesRepo.find(db, level, planeId),

  /** Creates or replaces the template of one unit level on one plane, after checking its parents and lengths. */
  async set(db: Queryable, t: Omit<Template, 'id'>): Promise<{ before: Template | null; after: Template }> {
    if (!(await ipamRepo.knownPlanes(db, [t.planeId])).has(t.planeId)) throw new InputError(`unknown plane ${t.planeId}`, 'planeId');
    for (const family of ['ipv4', 'ipv6'] as const) {
      const parentId = family === 'ipv4' ? t.ipv4ParentId : t.ipv6ParentId;
      const length = family === 'ipv4' ? t.ipv4Length : t.ipv6Length;
      const field = `${family}ParentId`;
      const parent = await ipamRepo.prefixById(db, parentId);
      if (!parent) throw new InputError('no such prefix', field);
      if (parent.family !== family) throw new InputError(`${parent.cidr} is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix`, field);
      const parentLength = Number(parent.cidr.split('/')[1]);
      if (length <= parentLength || length > bitsOf(family)) {
        throw new InputError(`a child of ${parent.cidr} needs a length from ${parentLength + 1} to ${bitsOf(family)}`, `${family}Length`);
      }
    }
    const before = await templates.find(db, t.unitLevel, t.planeId);
    await templatesRepo.upsert(db, newId(), t);
    return { before, after: (await templates.find(db, t.unitLevel, t.planeId))! };
  },
};

/**
 * One IPv4 and one IPv6 prefix for a unit on a plane, from the template of the unit's level, in the
 * caller's transaction (both or neither). Both parents are locked in id order. Asking again returns the
 * pair the unit already has (a unit holds one pair per plane), so the call is idempotent by nature.
 */
export async function allocatePair(db: Queryable, unitCode: string, planeId: string): Promise<{ ipv4: PrefixRow; ipv6: PrefixRow; replayed: boolean }> {
  const level = await ipamRepo.unitLevel(db, unitCode);
  if (!level) throw new InputError(`unknown unit code ${unitCode}`, 'unitCode');
  if (!(await ipamRepo.knownPlanes(db, [planeId])).has(planeId)) throw new InputError(`unknown plane ${planeId}`, 'planeId');
  const t = await templates.find(db, level, planeId);
  if (!t) throw new NotFoundError(`no allocation template for ${level} units on plane ${planeId}`);
  const parents = await lockParents(db, [t.ipv4ParentId, t.ipv6ParentId]);
  const held = await ipamRepo.unitPrefixes(db, unitCode, planeId, [t.ipv4ParentId, t.ipv6ParentId]);
  const result: Partial<Record<'ipv4' | 'ipv6', PrefixRow>> = Object.fromEntries(held.map((p) => [p.family, p]));
  const replayed = !!(result.ipv4 && result.ipv6);
  for (const family of ['ipv4', 'ipv6'] as const) {
    if (result[family]) continue;
    const parent = parents.get(family === 'ipv4' ? t.ipv4ParentId : t.ipv6ParentId)!;
    const [o] = await allocateInParent(db, parent, [{
      parentId: parent.id, length: family === 'ipv4' ? t.ipv4Length : t.ipv6Length,
      // Nibble alignment applies to the IPv6 half; the IPv4 half of a nibble template is first-fit.
      strategy: family === 'ipv4' && t.strategy === 'nibble' ? 'first-fit' : t.strategy,
      idempotencyKey: null, kind: 'assigned', status: 'active', unitCode, planeId, description: '',
    }]);
    if (!o!.ok) throw o!.error;
    result[family] = o!.prefix;
  }
  return { ipv4: result.ipv4!, ipv6: result.ipv6!, replayed };
}
