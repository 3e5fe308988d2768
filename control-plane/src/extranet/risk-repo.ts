import type { Queryable } from '../store/store.ts';
import type { RiskKind, SharedRisk, UnitFilter, UnitRef, WhatIfImpact, WhatIfInput } from './risk.ts';

/** SQL of the extranet's risk analyses (risk.ts): single-homed units, shared-risk units, what-if failures. */

const UNIT_REF = `u.code, u.name, u.level, u.city_code AS "cityCode", city.name AS "cityName"`;
const CITY_JOIN = 'LEFT JOIN access_units city ON city.code = u.city_code';
const filterSql = (f: UnitFilter, first: number) => ({
  sql: `($${first}::text IS NULL OR u.city_code = $${first}) AND ($${first + 1}::text IS NULL OR u.level = $${first + 1}) AND u.code > $${first + 2}`,
  params: [f.cityCode ?? null, f.level ?? null, f.after ?? ''],
});

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

export const riskRepo = {
  /** Units whose up links reach one plane only, one more than `f.limit` (the caller pages). */
  async singleHomed(db: Queryable, f: UnitFilter) {
    const w = filterSql(f, 1);
    return db.query<UnitRef & { planeId: string; links: number }>(
      `WITH up AS (SELECT unit_code, count(DISTINCT plane_id) AS planes, min(plane_id) AS plane_id, count(*)::int AS links
                 FROM extranet_links WHERE state = 'up' GROUP BY unit_code)
     SELECT ${UNIT_REF}, up.plane_id AS "planeId", up.links FROM up JOIN access_units u ON u.code = up.unit_code ${CITY_JOIN}
     WHERE up.planes = 1 AND ${w.sql} ORDER BY u.code LIMIT $4`,
      [...w.params, f.limit + 1],
    );
  },

  /** Units on two or more planes whose up links all share a PE, aggregation switch, carrier or duct; `risks` as 'kind:value' strings. */
  async sharedRisk(db: Queryable, f: UnitFilter & { kind?: RiskKind }) {
    const w = filterSql(f, 1);
    return db.query<SharedRisk>(
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
  },

  /** Units per what-if impact, and how many of the lost-all lost two or more planes. */
  async whatIfCounts(db: Queryable, input: WhatIfInput) {
    return db.query<{ impact: WhatIfImpact; units: number; lostBoth: number }>(
      `${WHAT_IF_CTE}
     SELECT impact, count(*)::int AS units, count(*) FILTER (WHERE before >= 2 AND after = 0)::int AS "lostBoth"
     FROM impacts GROUP BY impact`,
      [input.deviceIds, input.carriers, input.ducts],
    );
  },

  /** The affected units, worst impact first. */
  async whatIfAffected(db: Queryable, input: WhatIfInput) {
    return db.query<UnitRef & { impact: WhatIfImpact; planesBefore: number; planesAfter: number }>(
      `${WHAT_IF_CTE}
     SELECT ${UNIT_REF}, i.impact, i.before::int AS "planesBefore", i.after::int AS "planesAfter"
     FROM impacts i JOIN access_units u ON u.code = i.unit_code ${CITY_JOIN}
     ORDER BY array_position(ARRAY['lost-all','lost-ipv6','lost-redundancy'], i.impact), array_position(ARRAY['province','city','county','township','site','village'], u.level), u.code
     LIMIT $4`,
      [input.deviceIds, input.carriers, input.ducts, input.limit],
    );
  },

  /** Up links the what-if takes down. */
  async whatIfFailedLinks(db: Queryable, input: WhatIfInput): Promise<number> {
    const [links] = await db.query<{ failed: number }>(`${WHAT_IF_LINKS} SELECT count(*) FILTER (WHERE failed)::int AS failed FROM f`, [input.deviceIds, input.carriers, input.ducts]);
    return links!.failed;
  },
};
