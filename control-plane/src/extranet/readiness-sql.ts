import type { Family } from './inventory-repo.ts';

/**
 * The set-based core of every coverage and readiness figure. Per unit, one integer of bits: for plane i
 * (in the configured order), family j (IPv4 0, IPv6 1) and fact k (0 an up link carries the family, 1 an
 * address is allocated — IPAM, 0008 — 2 the latest reachability check succeeded), bit (i·2 + j)·3 + k.
 * One GROUP BY unit over the union of the three sources builds it (no per-row lookups, no joins between the
 * sources), and every figure after that is bit arithmetic inside one grouped pass over the units.
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

/** Number of planes with an up link (any family), for bits column `b`. */
export function upPlanesExpr(planeCount: number, b = 'b'): string {
  if (!planeCount) return '0';
  return Array.from({ length: planeCount }, (_, i) => {
    const mask = (1 << bitOf(i, 'ipv4', 'link')) | (1 << bitOf(i, 'ipv6', 'link'));
    return `((${b} & ${mask}) <> 0)::int`;
  }).join(' + ');
}

const readyMask = (i: number, f: Family) => FACTS.reduce((m, k) => m | (1 << bitOf(i, f, k)), 0);

/** Number of IPv6-carrying planes whose IPv6 cell is ready (link, address, reachable). */
export function v6ReadyPlanesExpr(v6PlaneIndexes: number[], b = 'b'): string {
  if (!v6PlaneIndexes.length) return '0';
  return v6PlaneIndexes.map((i) => `((${b} & ${readyMask(i, 'ipv6')}) = ${readyMask(i, 'ipv6')})::int`).join(' + ');
}

/** Count columns `c_<plane>_<family>_<fact|ready>` for every cell of the matrix. */
export function cellColumns(planeCount: number, b = 'b'): { sql: string; names: { plane: number; family: Family; fact: Fact | 'ready'; column: string }[] } {
  const names: { plane: number; family: Family; fact: Fact | 'ready'; column: string }[] = [];
  const parts: string[] = [];
  for (let i = 0; i < planeCount; i++) {
    for (const f of ['ipv4', 'ipv6'] as const) {
      for (const k of [...FACTS, 'ready'] as const) {
        const column = `c_${i}_${f}_${k}`;
        names.push({ plane: i, family: f, fact: k, column });
        const cond = k === 'ready' ? `(${b} & ${readyMask(i, f)}) = ${readyMask(i, f)}` : `(${b} & ${1 << bitOf(i, f, k)}) <> 0`;
        parts.push(`count(*) FILTER (WHERE ${cond})::int AS ${column}`);
      }
    }
  }
  return { sql: parts.join(',\n'), names };
}
