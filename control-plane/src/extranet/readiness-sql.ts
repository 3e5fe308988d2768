import type { Family } from './inventory-repo.ts';

/**
 * The set-based core of every coverage and readiness figure. Per unit, one integer of bits: for plane i
 * (in the configured order), family j (IPv4 0, IPv6 1) and fact k (0 an up link carries the family, 1 an
 * address is allocated — IPAM, 0008 — 2 the latest reachability check succeeded), bit (i·2 + j)·3 + k.
 * One GROUP BY unit over the union of the three sources builds it (no per-row lookups, no joins between the
 * sources); coverage.ts folds the units into (group, pattern) counts and does the arithmetic.
 * Planes are data, so the expressions are generated from the plane list (ids are checked slugs).
 */
export const FACTS = ['link', 'addr', 'reach'] as const;
export type Fact = (typeof FACTS)[number];
const FAMILY_INDEX: Record<Family, number> = { ipv4: 0, ipv6: 1 };

export const bitOf = (planeIndex: number, family: Family, fact: Fact) => (planeIndex * 2 + FAMILY_INDEX[family]) * 3 + FACTS.indexOf(fact);

/** `$planes` is the parameter holding the plane ids in order. */
function planeShift(planeCol: string, familyExpr: string, planes: string, fact: Fact): string {
  return `((array_position(${planes}::text[], ${planeCol}) - 1) * 6 + ${familyExpr} * 3 + ${FACTS.indexOf(fact)})`;
}

/**
 * CTE `bits(unit_code, b)`. `unitFilter` (a condition on alias `u` of access_units) narrows to a subtree; the
 * whole province needs no filter join at all.
 */
export function bitsCte(planes: string, unitFilter = 'true'): string {
  const scoped = unitFilter === 'true' ? () => '' : (t: string) => `JOIN access_units u ON u.code = ${t}.unit_code AND ${unitFilter}`;
  const fam = (col: string) => `(CASE ${col} WHEN 'ipv4' THEN 0 ELSE 1 END)`;
  return `bits AS (
    SELECT unit_code, bit_or(b) AS b FROM (
      SELECT lk.unit_code,
             (CASE WHEN 'ipv4' = ANY(lk.families) THEN 1 << ${planeShift('lk.plane_id', '0', planes, 'link')} ELSE 0 END)
             | (CASE WHEN 'ipv6' = ANY(lk.families) THEN 1 << ${planeShift('lk.plane_id', '1', planes, 'link')} ELSE 0 END) AS b
        FROM extranet_links lk ${scoped('lk')} WHERE lk.state = 'up'
      UNION ALL SELECT p.unit_code, 1 << ${planeShift('p.plane_id', fam('p.family'), planes, 'addr')} FROM ipam_prefixes p ${scoped('p')}
        WHERE p.unit_code IS NOT NULL AND p.plane_id IS NOT NULL AND p.status = 'active'
      UNION ALL SELECT ad.unit_code, 1 << ${planeShift('ad.plane_id', fam('ad.family'), planes, 'addr')} FROM ipam_addresses ad ${scoped('ad')}
        WHERE ad.unit_code IS NOT NULL AND ad.plane_id IS NOT NULL AND ad.status = 'active'
      UNION ALL SELECT re.unit_code, 1 << ${planeShift('re.plane_id', fam('re.family'), planes, 'reach')} FROM extranet_reachability re ${scoped('re')}
        WHERE re.ok) x
    WHERE b IS NOT NULL
    GROUP BY unit_code)`;
}
