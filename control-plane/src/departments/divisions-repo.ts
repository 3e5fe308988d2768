import type { Queryable } from '../store/store.ts';

/** SQL of the administrative divisions of Jiangxi (reference data: province, cities, counties, townships). */

export interface DivisionRow { code: string; name: string; level: string; parentCode: string | null }

export const divisionsRepo = {
  /** Children of a division (or every division), optionally one level only, in code order (at most 2,000). */
  async list(db: Queryable, f: { parentCode?: string; level?: string } = {}): Promise<DivisionRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (f.parentCode) where.push(`parent_code = $${params.push(f.parentCode)}`);
    if (f.level) where.push(`level = $${params.push(f.level)}`);
    return db.query<DivisionRow>(
      `SELECT code, name, level, parent_code AS "parentCode" FROM divisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code LIMIT 2000`,
      params,
    );
  },

  /** The level of the division with this code, or null when there is none. */
  async levelOf(db: Queryable, code: string): Promise<string | null> {
    const [row] = await db.query<{ level: string }>('SELECT level FROM divisions WHERE code = $1', [code]);
    return row?.level ?? null;
  },
};
