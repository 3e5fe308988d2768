import type { Queryable } from '../store/store.ts';
import type { UnitLevel } from './units-repo.ts';

export interface UnitRef {
  code: string;
  name: string;
  level: UnitLevel;
  cityCode: string | null;
  cityName: string | null;
}
const UNIT_REF = `u.code, u.name, u.level, u.city_code AS "cityCode", city.name AS "cityName"`;
const CITY_JOIN = 'LEFT JOIN access_units city ON city.code = u.city_code';

export interface UnitFilter {
  cityCode?: string;
  level?: UnitLevel;
  after?: string;
  limit: number;
}
const filterSql = (f: UnitFilter, first: number) => ({
  sql: `($${first}::text IS NULL OR u.city_code = $${first}) AND ($${first + 1}::text IS NULL OR u.level = $${first + 1}) AND u.code > $${first + 2}`,
  params: [f.cityCode ?? null, f.level ?? null, f.after ?? ''],
});

/** Units whose up links reach exactly one plane: one failure away from being cut off. */
export async function singleHomed(db: Queryable, f: UnitFilter) {
  const w = filterSql(f, 1);
  const items = await db.query<UnitRef & { planeId: string; links: number }>(
    `WITH up AS (SELECT unit_code, count(DISTINCT plane_id) AS planes, min(plane_id) AS plane_id, count(*)::int AS links
                 FROM extranet_links WHERE state = 'up' GROUP BY unit_code)
     SELECT ${UNIT_REF}, up.plane_id AS "planeId", up.links FROM up JOIN access_units u ON u.code = up.unit_code ${CITY_JOIN}
     WHERE up.planes = 1 AND ${w.sql} ORDER BY u.code LIMIT $4`,
    [...w.params, f.limit + 1],
  );
  return page(items, f.limit);
}

export type RiskKind = 'pe' | 'aggregation' | 'carrier' | 'duct';
export interface SharedRisk extends UnitRef {
  planes: string[];
  circuits: string[];
  /** What every up link of the unit has in common: one failure of it takes down all planes at once. */
  risks: { kind: RiskKind; value: string }[];
}

/**
 * Units on two or more planes that are not really redundant: every up link goes through the same PE, the
 * same aggregation switch, the same carrier or a common duct (shared-risk group). Checked across all up
 * links of the unit, so a third link that avoids the shared element clears it.
 */
export async function sharedRisk(db: Queryable, f: UnitFilter & { kind?: RiskKind }) {
  const w = filterSql(f, 1);
  const items = await db.query<SharedRisk>(
    `WITH up AS (SELECT * FROM extranet_links WHERE state = 'up'),
     per AS (SELECT unit_code, count(*) AS n, array_agg(DISTINCT plane_id ORDER BY plane_id) AS planes, array_agg(circuit_id ORDER BY plane_id, circuit_id) AS circuits,
                    CASE WHEN count(DISTINCT pe_device_id) = 1 THEN min(pe_device_id::text) END AS pe,
                    CASE WHEN count(DISTINCT agg_device_id) = 1 AND count(agg_device_id) = count(*) THEN min(agg_device_id::text) END AS agg,
                    CASE WHEN count(DISTINCT carrier) = 1 THEN min(carrier) END AS carrier
             FROM up GROUP BY unit_code HAVING count(DISTINCT plane_id) >= 2),
     ducts AS (SELECT up.unit_code, array_agg(d ORDER BY d) AS ducts
               FROM (SELECT up.unit_code, d, count(*) AS k FROM up CROSS JOIN LATERAL unnest(up.ducts) AS d GROUP BY 1, 2) up
               JOIN per ON per.unit_code = up.unit_code WHERE up.k = per.n GROUP BY up.unit_code),
     risky AS (SELECT per.*, ducts.ducts FROM per LEFT JOIN ducts USING (unit_code)
               WHERE pe IS NOT NULL OR agg IS NOT NULL OR carrier IS NOT NULL OR ducts.ducts IS NOT NULL)
     SELECT ${UNIT_REF}, r.planes, r.circuits,
            array_remove(ARRAY[
              CASE WHEN r.pe IS NOT NULL THEN 'pe:' || pe.name END,
              CASE WHEN r.agg IS NOT NULL THEN 'aggregation:' || agg.name END,
              CASE WHEN r.carrier IS NOT NULL THEN 'carrier:' || r.carrier END], NULL)
            || coalesce(ARRAY(SELECT 'duct:' || d FROM unnest(r.ducts) AS d), '{}') AS risks
     FROM risky r JOIN access_units u ON u.code = r.unit_code ${CITY_JOIN}
     LEFT JOIN extranet_devices pe ON pe.id::text = r.pe LEFT JOIN extranet_devices agg ON agg.id::text = r.agg
     WHERE ${w.sql} AND ($4::text IS NULL
       OR ($4 = 'pe' AND r.pe IS NOT NULL) OR ($4 = 'aggregation' AND r.agg IS NOT NULL)
       OR ($4 = 'carrier' AND r.carrier IS NOT NULL) OR ($4 = 'duct' AND r.ducts IS NOT NULL))
     ORDER BY u.code LIMIT $5`,
    [...w.params, f.kind ?? null, f.limit + 1],
  );
  const parsed = items.map((i) => ({
    ...i,
    risks: (i.risks as unknown as string[]).map((r) => {
      const at = r.indexOf(':');
      return { kind: r.slice(0, at) as RiskKind, value: r.slice(at + 1) };
    }),
  }));
  return page(parsed, f.limit);
}

export interface WhatIfInput {
  deviceIds: string[];
  carriers: string[];
  ducts: string[];
  limit: number;
}
export type WhatIfImpact = 'lost-all' | 'lost-redundancy' | 'lost-ipv6';

/**
 * What-if: these devices, carriers or ducts fail. Every up link through any of them goes down; per unit,
 * compare the planes (and IPv6 links) before and after. `lost-all`: had one or more planes, now none
 * (`planesBefore` 2 = it lost both); `lost-redundancy`: two or more planes down to one; `lost-ipv6`: no
 * IPv6-carrying link survives.
 */
export async function whatIf(db: Queryable, input: WhatIfInput) {
  const rows = await db.query<{ impact: WhatIfImpact; units: number; lostBoth: number }>(
    `${WHAT_IF_CTE}
     SELECT impact, count(*)::int AS units, count(*) FILTER (WHERE before >= 2 AND after = 0)::int AS "lostBoth"
     FROM impacts GROUP BY impact`,
    [input.deviceIds, input.carriers, input.ducts],
  );
  const affected = await db.query<UnitRef & { impact: WhatIfImpact; planesBefore: number; planesAfter: number }>(
    `${WHAT_IF_CTE}
     SELECT ${UNIT_REF}, i.impact, i.before::int AS "planesBefore", i.after::int AS "planesAfter"
     FROM impacts i JOIN access_units u ON u.code = i.unit_code ${CITY_JOIN}
     ORDER BY array_position(ARRAY['lost-all','lost-ipv6','lost-redundancy'], i.impact), array_position(ARRAY['province','city','county','township','site','village'], u.level), u.code
     LIMIT $4`,
    [input.deviceIds, input.carriers, input.ducts, input.limit],
  );
  const count = (k: WhatIfImpact) => rows.find((r) => r.impact === k)?.units ?? 0;
  const [links] = await db.query<{ failed: number }>(`${WHAT_IF_LINKS} SELECT count(*) FILTER (WHERE failed)::int AS failed FROM f`, [input.deviceIds, input.carriers, input.ducts]);
  return {
    failedLinks: links!.failed,
    lostAll: count('lost-all'),
    lostBothPlanes: rows.find((r) => r.impact === 'lost-all')?.lostBoth ?? 0,
    lostRedundancy: count('lost-redundancy'),
    lostIpv6: count('lost-ipv6'),
    affected,
  };
}

const WHAT_IF_LINKS = `WITH f AS (
  SELECT l.unit_code, l.plane_id, 'ipv6' = ANY(l.families) AS v6,
         coalesce(l.pe_device_id = ANY($1::uuid[]) OR l.agg_device_id = ANY($1::uuid[]) OR l.ce_device_id = ANY($1::uuid[])
          OR l.carrier = ANY($2::text[]) OR l.ducts && $3::text[], false) AS failed
  FROM extranet_links l WHERE l.state = 'up')`;

// One impact per unit, the worst: losing everything, then losing IPv6, then losing redundancy.
const WHAT_IF_CTE = `${WHAT_IF_LINKS},
  per AS (SELECT unit_code, count(DISTINCT plane_id) AS before, count(DISTINCT plane_id) FILTER (WHERE NOT failed) AS after,
                 bool_or(v6) AS v6_before, coalesce(bool_or(v6) FILTER (WHERE NOT failed), false) AS v6_after
          FROM f GROUP BY unit_code HAVING bool_or(failed)),
  impacts AS (SELECT * FROM (
                SELECT unit_code, before, after,
                       CASE WHEN after = 0 THEN 'lost-all' WHEN v6_before AND NOT v6_after THEN 'lost-ipv6' WHEN before >= 2 AND after = 1 THEN 'lost-redundancy' END AS impact
                FROM per) x WHERE impact IS NOT NULL)`;

function page<T extends { code: string }>(items: T[], limit: number) {
  const more = items.length > limit;
  const out = more ? items.slice(0, limit) : items;
  return { items: out, nextCursor: more ? out[out.length - 1]!.code : null };
}
