import type { Scope } from '../auth/scope.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import { blockFromDb, formatBlock } from './ip-math.ts';
import type { NatMapping } from './nat.ts';

/** SQL of NAT mappings (ipam_nat_mappings); CIDRs leave here canonical. */

const COLUMNS = `id, inside_vrf_id AS "insideVrfId", inside_cidr::text AS "insideCidr", outside_vrf_id AS "outsideVrfId",
  outside_cidr::text AS "outsideCidr", description`;
const canon = (m: NatMapping): NatMapping => ({ ...m, insideCidr: formatBlock(blockFromDb(m.insideCidr)), outsideCidr: formatBlock(blockFromDb(m.outsideCidr)) });

// Qualified: the SELECT list names the text form `insideCidr`, but the key must be the cidr column.
const NAT_ORDER = keysetOrder('asc', ['ipam_nat_mappings.inside_vrf_id', 'uuid'], ['ipam_nat_mappings.inside_cidr', 'cidr']);

export const natRepo = {
  /**
   * The mappings the caller may see: province-wide, all; a department caller only those whose both sides lie in
   * VRFs of its subtree or shared ones, so another department's inside VRF and CIDR never show (issue 19.5).
   */
  async list(db: Queryable, scope: Scope, page: PageRequest): Promise<Page<NatMapping>> {
    const params: unknown[] = [];
    const visible = (side: 'inside' | 'outside') => {
      const cond = scopeFilter(scope, params, 'v.department_id', { shared: true });
      return cond && `EXISTS (SELECT 1 FROM ipam_vrfs v WHERE v.id = ${side}_vrf_id AND ${cond})`;
    };
    // A page by (inside VRF, inside CIDR), unique (inside CIDRs of one VRF never overlap), over 0174's index.
    const k = keyset(NAT_ORDER, page, params);
    const p = k.page(await db.query<NatMapping>(
      `SELECT ${COLUMNS}${k.select} FROM ipam_nat_mappings WHERE ${allOf(visible('inside'), visible('outside'), k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    ));
    return { items: p.items.map(canon), nextCursor: p.nextCursor };
  },

  async vrfExists(db: Queryable, vrfId: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM ipam_vrfs WHERE id = $1', [vrfId])).length > 0;
  },

  /** A mapping's CIDR on that side in that VRF overlapping `cidr`, if any (as PostgreSQL prints it). */
  async overlappingSide(db: Queryable, side: 'inside' | 'outside', vrfId: string, cidr: string): Promise<string | undefined> {
    const [clash] = await db.query<{ cidr: string }>(
      `SELECT ${side}_cidr::text AS cidr FROM ipam_nat_mappings WHERE ${side}_vrf_id = $1 AND ${side}_cidr && $2::cidr LIMIT 1`,
      [vrfId, cidr],
    );
    return clash?.cidr;
  },

  async insert(db: Queryable, row: NatMapping): Promise<void> {
    await db.query(
      `INSERT INTO ipam_nat_mappings (id, inside_vrf_id, inside_cidr, outside_vrf_id, outside_cidr, description) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.insideVrfId, row.insideCidr, row.outsideVrfId, row.outsideCidr, row.description],
    );
  },

  /** Deletes a mapping and returns it (undefined when there was none). */
  async delete(db: Queryable, id: string): Promise<NatMapping | undefined> {
    const [m] = await db.query<NatMapping>(`DELETE FROM ipam_nat_mappings WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    return m && canon(m);
  },
};
