import type { Queryable } from '../store/store.ts';
import { planesRepo, type Family } from './inventory-repo.ts';
import { bitsCte, cellColumns, upPlanesExpr, v6ReadyPlanesExpr } from './readiness-sql.ts';
import type { UnitLevel } from './units-repo.ts';

/** Coverage and readiness figures of one group of units (a level, a city, a subtree). */
export interface CoverageFigures {
  units: number;
  dualPlane: number;
  singleHomed: number;
  none: number;
  ipv6Ready: number;
}
/** One cell of the readiness matrix (plane × family), counted over a group of units. */
export interface ReadinessCell {
  planeId: string;
  family: Family;
  link: number;
  addr: number;
  reach: number;
  ready: number;
}

export interface CoverageReport {
  planes: { id: string; name: string; nameEn: string }[];
  total: CoverageFigures;
  byLevel: (CoverageFigures & { level: UnitLevel })[];
  byCity: (CoverageFigures & { code: string; name: string })[];
  cells: ReadinessCell[];
  cellsByCity: (ReadinessCell & { code: string })[];
}

interface RawGroup { gl: number; gs: number; level: UnitLevel | null; scope: string | null; units: number; dual: number; single: number; none: number; v6: number; [column: string]: unknown }

const figures = (r: RawGroup): CoverageFigures => ({ units: r.units, dualPlane: r.dual, singleHomed: r.single, none: r.none, ipv6Ready: r.v6 });

/** The plane list in a fixed order (bit positions follow it) and the SQL pieces that depend on it. */
async function shape(db: Queryable) {
  const planes = await planesRepo.list(db);
  const v6 = planes.flatMap((p, i) => (p.addressFamilies.includes('ipv6') ? [i] : []));
  const cols = cellColumns(planes.length);
  const groupColumns = `count(*)::int AS units,
      count(*) FILTER (WHERE up >= 2)::int AS dual, count(*) FILTER (WHERE up = 1)::int AS single,
      count(*) FILTER (WHERE up = 0)::int AS none, count(*) FILTER (WHERE v6 >= ${Math.max(1, v6.length)})::int AS v6
      ${cols.sql ? `, ${cols.sql}` : ''}`;
  const perUnit = `${upPlanesExpr(planes.length)} AS up, ${v6ReadyPlanesExpr(v6)} AS v6`;
  const cellsOf = (r: RawGroup): ReadinessCell[] =>
    planes.flatMap((p, i) => (['ipv4', 'ipv6'] as const).map((family) => {
      const get = (k: string) => Number(r[`c_${i}_${family}_${k}`] ?? 0);
      return { planeId: p.id, family, link: get('link'), addr: get('addr'), reach: get('reach'), ready: get('ready') };
    }));
  return { planes, groupColumns, perUnit, cellsOf, ids: planes.map((p) => p.id) };
}

/**
 * The coverage + readiness report of the whole province in one statement: per-unit bits (readiness-sql.ts),
 * then one grouped pass with GROUPING SETS by level, by city and in total. Units of the province level itself
 * (and sites attached to it) form the group '36'.
 */
export async function coverageReport(db: Queryable): Promise<CoverageReport> {
  const s = await shape(db);
  const rows = await db.query<RawGroup>(
    `WITH ${bitsCte('$1')}
     SELECT grouping(level) AS gl, grouping(scope) AS gs, level, scope, ${s.groupColumns}
     FROM (SELECT u.level, coalesce(u.city_code, '36') AS scope, coalesce(bits.b, 0) AS b FROM access_units u LEFT JOIN bits ON bits.unit_code = u.code) uu
     CROSS JOIN LATERAL (SELECT ${s.perUnit}) f
     GROUP BY GROUPING SETS ((level), (scope), ())`,
    [s.ids],
  );
  const names = new Map((await db.query<{ code: string; name: string }>(`SELECT code, name FROM access_units WHERE level IN ('province', 'city')`)).map((r) => [r.code, r.name]));
  const total = rows.find((r) => r.gl === 1 && r.gs === 1);
  const cities = rows.filter((r) => r.gs === 0 && r.gl === 1).sort((a, b) => a.scope!.localeCompare(b.scope!));
  const levelOrder = ['province', 'city', 'county', 'township', 'village', 'site'];
  return {
    planes: s.planes.map((p) => ({ id: p.id, name: p.name, nameEn: p.nameEn })),
    total: total ? figures(total) : { units: 0, dualPlane: 0, singleHomed: 0, none: 0, ipv6Ready: 0 },
    byLevel: rows.filter((r) => r.gl === 0).map((r) => ({ level: r.level!, ...figures(r) })).sort((a, b) => levelOrder.indexOf(a.level) - levelOrder.indexOf(b.level)),
    byCity: cities.map((r) => ({ code: r.scope!, name: names.get(r.scope!) ?? r.scope!, ...figures(r) })),
    cells: total ? s.cellsOf(total) : [],
    cellsByCity: cities.flatMap((r) => s.cellsOf(r).map((c) => ({ code: r.scope!, ...c }))),
  };
}

export interface TreeNode extends CoverageFigures {
  cells: ReadinessCell[];
  code: string;
  name: string;
  level: UnitLevel;
  synthetic: boolean;
  hasChildren: boolean;
}

/** Which ancestor column groups a parent's subtree into its children, by the parent's level. */
const SUBTREE: Partial<Record<UnitLevel, { filter: string; key: string }>> = {
  province: { filter: 'true', key: 'coalesce(u.city_code, u.code)' },
  city: { filter: 'u.city_code = $1', key: 'coalesce(u.county_code, u.code)' },
  county: { filter: 'u.county_code = $1', key: 'coalesce(u.township_code, u.code)' },
  township: { filter: 'u.township_code = $1', key: 'u.code' },
};

/**
 * The children of a unit (or the root when `parent` is null), each with the coverage and readiness of its
 * whole subtree: the tree loads one level at a time and each level costs one grouped query.
 */
export async function treeChildren(db: Queryable, parent: { code: string; level: UnitLevel } | null): Promise<TreeNode[]> {
  const s = await shape(db);
  const sub = parent ? SUBTREE[parent.level] : { filter: 'true', key: `(SELECT code FROM access_units WHERE parent_code IS NULL ORDER BY code LIMIT 1)` };
  if (!sub) return [];
  const childFilter = parent ? 'c.parent_code = $1' : 'c.parent_code IS NULL AND $1::text IS NULL';
  const own = parent ? 'AND u.code <> $1' : '';
  const rows = await db.query<RawGroup & { code: string; name: string; level: UnitLevel; synthetic: boolean; hasChildren: boolean }>(
    `WITH ${bitsCte('$2', sub.filter)},
     agg AS (SELECT key, ${s.groupColumns}
             FROM (SELECT ${sub.key} AS key, coalesce(bits.b, 0) AS b FROM access_units u LEFT JOIN bits ON bits.unit_code = u.code WHERE ${sub.filter} ${own}) uu
             CROSS JOIN LATERAL (SELECT ${s.perUnit}) f GROUP BY key)
     SELECT c.code, c.name, c.level, c.synthetic, agg.*, EXISTS (SELECT 1 FROM access_units k WHERE k.parent_code = c.code) AS "hasChildren"
     FROM access_units c JOIN agg ON agg.key = c.code WHERE ${childFilter}
     ORDER BY array_position(ARRAY['province','city','county','township','site','village'], c.level), c.code`,
    [parent?.code ?? null, s.ids],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, synthetic: r.synthetic, hasChildren: r.hasChildren, ...figures(r), cells: s.cellsOf(r) }));
}
