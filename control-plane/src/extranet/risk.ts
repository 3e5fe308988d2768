import type { Queryable } from '../store/store.ts';
import { riskRepo } from './risk-repo.ts';
import type { UnitLevel } from './units-repo.ts';

export interface UnitRef {
  code: string;
  name: string;
  level: UnitLevel;
  cityCode: string | null;
  cityName: string | null;
}

export interface UnitFilter {
  cityCode?: string;
  level?: UnitLevel;
  after?: string;
  limit: number;
}

/** Units whose up links reach exactly one plane: one failure away from being cut off. */
export async function singleHomed(db: Queryable, f: UnitFilter) {
  const items = await riskRepo.singleHomed(db, f);
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
  const items = await riskRepo.sharedRisk(db, f);
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
  const rows = await riskRepo.whatIfCounts(db, input);
  const affected = await riskRepo.whatIfAffected(db, input);
  const count = (k: WhatIfImpact) => rows.find((r) => r.impact === k)?.units ?? 0;
  const failedLinks = await riskRepo.whatIfFailedLinks(db, input);
  return {
    failedLinks,
    lostAll: count('lost-all'),
    lostBothPlanes: rows.find((r) => r.impact === 'lost-all')?.lostBoth ?? 0,
    lostRedundancy: count('lost-redundancy'),
    lostIpv6: count('lost-ipv6'),
    affected,
  };
}

function page<T extends { code: string }>(items: T[], limit: number) {
  const more = items.length > limit;
  const out = more ? items.slice(0, limit) : items;
  return { items: out, nextCursor: more ? out[out.length - 1]!.code : null };
}
