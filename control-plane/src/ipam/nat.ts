import type { Scope } from '../auth/scope.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { blockFromDb, formatBlock, parseCidr } from './ip-math.ts';

/** A migrated department network's inside space, translated 1:1 to outside space on the extranet. */
export interface NatMapping {
  id: string;
  insideVrfId: string;
  insideCidr: string;
  outsideVrfId: string;
  outsideCidr: string;
  description: string;
}

const COLUMNS = `id, inside_vrf_id AS "insideVrfId", inside_cidr::text AS "insideCidr", outside_vrf_id AS "outsideVrfId",
  outside_cidr::text AS "outsideCidr", description`;
const canon = (m: NatMapping): NatMapping => ({ ...m, insideCidr: formatBlock(blockFromDb(m.insideCidr)), outsideCidr: formatBlock(blockFromDb(m.outsideCidr)) });

export const natMappings = {
  /**
   * The mappings the caller may see: province-wide, all; a department caller only those whose both sides lie in
   * VRFs of its subtree or shared ones, so another department's inside VRF and CIDR never show (issue 19.5).
   */
  async list(db: Queryable, scope: Scope): Promise<NatMapping[]> {
    const params: unknown[] = [];
    const visible = (side: 'inside' | 'outside') => {
      const cond = scopeFilter(scope, params, 'v.department_id', { shared: true });
      return cond && `EXISTS (SELECT 1 FROM ipam_vrfs v WHERE v.id = ${side}_vrf_id AND ${cond})`;
    };
    return (await db.query<NatMapping>(
      `SELECT ${COLUMNS} FROM ipam_nat_mappings WHERE ${allOf(visible('inside'), visible('outside'))} ORDER BY inside_vrf_id, ipam_nat_mappings.inside_cidr`,
      params,
    )).map(canon);
  },

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
      if (!(await db.query('SELECT 1 FROM ipam_vrfs WHERE id = $1', [vrfId])).length) throw new InputError('no such VRF', `${side}VrfId`);
      const [clash] = await db.query<{ cidr: string }>(
        `SELECT ${side}_cidr::text AS cidr FROM ipam_nat_mappings WHERE ${side}_vrf_id = $1 AND ${side}_cidr && $2::cidr LIMIT 1`,
        [vrfId, cidr],
      );
      if (clash) throw new ConflictError(`${cidr} overlaps the mapping of ${formatBlock(blockFromDb(clash.cidr))} on the ${side}`, `${side}Cidr`);
    }
    const row = { ...input, id: newId() };
    await db.query(
      `INSERT INTO ipam_nat_mappings (id, inside_vrf_id, inside_cidr, outside_vrf_id, outside_cidr, description) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.insideVrfId, row.insideCidr, row.outsideVrfId, row.outsideCidr, row.description],
    );
    return row;
  },

  async remove(db: Queryable, id: string): Promise<NatMapping> {
    const [m] = await db.query<NatMapping>(`DELETE FROM ipam_nat_mappings WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    if (!m) throw new NotFoundError('no such NAT mapping');
    return canon(m);
  },
};
