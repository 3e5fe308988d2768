import type { Queryable } from '../store/store.ts';
import { planesRepo, type Family, type Plane } from './inventory-repo.ts';
import { coverageRepo, subtreeOf } from './coverage-repo.ts';
import { FACTS, bitOf, type Fact } from './readiness-sql.ts';
import { UNIT_LEVELS, type UnitLevel } from './units-repo.ts';

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

/**
 * The figures of a group from its histogram of per-unit bit patterns (readiness-sql.ts). Units with the same
 * facts share a pattern, so a province of 25,000+ units folds into a few hundred (group, pattern, count) rows
 * in SQL; everything else is arithmetic here.
 */
class Tally {
  readonly f: CoverageFigures = { units: 0, dualPlane: 0, singleHomed: 0, none: 0, ipv6Ready: 0 };
  readonly cells: ReadinessCell[];
  constructor(private readonly planes: Plane[]) {
    this.cells = planes.flatMap((p) => (['ipv4', 'ipv6'] as const).map((family) => ({ planeId: p.id, family, link: 0, addr: 0, reach: 0, ready: 0 })));
  }
  add(b: number, n: number): void {
    const has = (i: number, f: Family, k: Fact) => (b & (1 << bitOf(i, f, k))) !== 0;
    let up = 0;
    let v6 = 0;
    let v6Planes = 0;
    this.planes.forEach((p, i) => {
      if (has(i, 'ipv4', 'link') || has(i, 'ipv6', 'link')) up++;
      if (p.addressFamilies.includes('ipv6')) {
        v6Planes++;
        if (has(i, 'ipv6', 'link') && has(i, 'ipv6', 'addr') && has(i, 'ipv6', 'reach')) v6++;
      }
      for (const [j, family] of (['ipv4', 'ipv6'] as const).entries()) {
        const c = this.cells[i * 2 + j]!;
        const [link, addr, reach] = FACTS.map((k) => has(i, family, k));
        if (link) c.link += n;
        if (addr) c.addr += n;
        if (reach) c.reach += n;
        if (link && addr && reach) c.ready += n;
      }
    });
    this.f.units += n;
    if (up >= 2) this.f.dualPlane += n;
    else if (up === 1) this.f.singleHomed += n;
    else this.f.none += n;
    if (v6Planes > 0 && v6 === v6Planes) this.f.ipv6Ready += n;
  }
}

function tallies<K>(planes: Plane[], rows: { key: K; b: number; n: number }[]): Map<K, Tally> {
  const out = new Map<K, Tally>();
  for (const r of rows) {
    let t = out.get(r.key);
    if (!t) out.set(r.key, (t = new Tally(planes)));
    t.add(r.b, r.n);
  }
  return out;
}

/**
 * The coverage + readiness report of the whole province: one statement builds the per-unit bits and folds
 * them into (level, city, pattern) counts; totals, levels and cities are summed from those. Units of the
 * province level itself (and sites attached to it) form the group '36'.
 */
export async function coverageReport(db: Queryable): Promise<CoverageReport> {
  const planes = await planesRepo.list(db);
  const rows = await coverageRepo.patternsByLevelAndCity(db, planes.map((p) => p.id));
  const names = await coverageRepo.provinceAndCityNames(db);
  const total = tallies(planes, rows.map((r) => ({ key: 'all', b: r.b, n: r.n }))).get('all') ?? new Tally(planes);
  const levels = tallies(planes, rows.map((r) => ({ key: r.level, b: r.b, n: r.n })));
  const cities = [...tallies(planes, rows.map((r) => ({ key: r.scope, b: r.b, n: r.n })))].sort(([a], [b]) => a.localeCompare(b));
  return {
    planes: planes.map((p) => ({ id: p.id, name: p.name, nameEn: p.nameEn })),
    total: total.f,
    byLevel: UNIT_LEVELS.filter((l) => levels.has(l)).map((level) => ({ level, ...levels.get(level)!.f })),
    byCity: cities.map(([code, t]) => ({ code, name: names.get(code) ?? code, ...t.f })),
    cells: total.cells,
    cellsByCity: cities.flatMap(([code, t]) => t.cells.map((c) => ({ code, ...c }))),
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

/**
 * The children of a unit (or the root when `parent` is null), each with the coverage and readiness of its
 * whole subtree: the tree loads one level at a time and each level costs one grouped query.
 */
export async function treeChildren(db: Queryable, parent: { code: string; level: UnitLevel } | null): Promise<TreeNode[]> {
  const planes = await planesRepo.list(db);
  const sub = subtreeOf(parent);
  if (!sub) return [];
  const children = await coverageRepo.children(db, parent?.code ?? null);
  if (!children.length) return [];
  const rows = await coverageRepo.subtreePatterns(db, sub, parent?.code ?? null, planes.map((p) => p.id));
  const byKey = tallies(planes, rows);
  return children.map((c) => {
    const t = byKey.get(c.code) ?? new Tally(planes);
    return { ...c, ...t.f, cells: t.cells };
  });
}
