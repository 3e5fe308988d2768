import type { Queryable } from '../store/store.ts';
import { bitsCte } from './readiness-sql.ts';
import type { UnitLevel } from './units-repo.ts';

/** SQL of the coverage and readiness figures (coverage.ts): per-unit bit patterns folded into group counts. */

export interface Subtree { filter: string; key: string }

/** Which ancestor column groups a parent's subtree into its children, by the parent's level. */
const SUBTREE: Partial<Record<UnitLevel, Subtree>> = {
  province: { filter: 'true', key: 'coalesce(u.city_code, u.code)' },
  city: { filter: 'u.city_code = $1', key: 'coalesce(u.county_code, u.code)' },
  county: { filter: 'u.county_code = $1', key: 'coalesce(u.township_code, u.code)' },
  township: { filter: 'u.township_code = $1', key: 'u.code' },
};

/** How the subtree under `parent` (the root when null) groups into its children; undefined when its level has none. */
export function subtreeOf(parent: { level: UnitLevel } | null): Subtree | undefined {
  return parent ? SUBTREE[parent.level] : { filter: 'true', key: `(SELECT code FROM access_units WHERE parent_code IS NULL ORDER BY code LIMIT 1)` };
}

export const coverageRepo = {
  /** The whole province as (level, city, pattern) counts; units of the province level itself group under '36'. */
  async patternsByLevelAndCity(db: Queryable, planeIds: string[]) {
    return db.query<{ level: UnitLevel; scope: string; b: number; n: number }>(
      `WITH ${bitsCte('$1')}
     SELECT u.level, coalesce(u.city_code, '36') AS scope, coalesce(bits.b, 0) AS b, count(*)::int AS n
     FROM access_units u LEFT JOIN bits ON bits.unit_code = u.code GROUP BY 1, 2, 3`,
      [planeIds],
    );
  },

  /** Names of the province and the cities, by code. */
  async provinceAndCityNames(db: Queryable): Promise<Map<string, string>> {
    return new Map((await db.query<{ code: string; name: string }>(`SELECT code, name FROM access_units WHERE level IN ('province', 'city')`)).map((r) => [r.code, r.name]));
  },

  /** The children of a unit (the root units when `parentCode` is null), in level then code order. */
  async children(db: Queryable, parentCode: string | null) {
    return db.query<{ code: string; name: string; level: UnitLevel; synthetic: boolean; hasChildren: boolean }>(
      `SELECT c.code, c.name, c.level, c.synthetic, EXISTS (SELECT 1 FROM access_units k WHERE k.parent_code = c.code) AS "hasChildren"
     FROM access_units c WHERE ${parentCode !== null ? 'c.parent_code = $1' : 'c.parent_code IS NULL AND $1::text IS NULL'}
     ORDER BY array_position(ARRAY['province','city','county','township','site','village'], c.level), c.code`,
      [parentCode],
    );
  },

  /** The subtree under `parentCode` (without the parent itself) as (child, pattern) counts. */
  async subtreePatterns(db: Queryable, sub: Subtree, parentCode: string | null, planeIds: string[]) {
    return db.query<{ key: string; b: number; n: number }>(
      `WITH ${bitsCte('$2', sub.filter)}
     SELECT ${sub.key} AS key, coalesce(bits.b, 0) AS b, count(*)::int AS n
     FROM access_units u LEFT JOIN bits ON bits.unit_code = u.code
     WHERE ${sub.filter} ${parentCode !== null ? 'AND u.code <> $1' : 'AND $1::text IS NULL'} GROUP BY 1, 2`,
      [parentCode, planeIds],
    );
  },
};
