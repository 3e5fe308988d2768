/**
 * Protection of business systems: which centres, in which mode, against which targets, holding which
 * standby capacity. A protection group is the unit operations act on (one drill or failover at a time).
 */
import { InputError } from '../../errors.ts';
import type { CentreSet } from './centres.ts';
import { DEFAULT_LEVEL_TARGETS, formatSeconds, targetProblems, type DrLevel, type Edition, type LevelTable } from './gbt20988.ts';

/** 主备 active-standby, 双活 dual-active (both centres serve), 冷备 cold backup (restore from copies). */
export const PROTECTION_MODES = ['active-standby', 'dual-active', 'cold-backup'] as const;
export type ProtectionMode = (typeof PROTECTION_MODES)[number];

export type ReplicationMode = 'sync' | 'async';

/** The replication between two centres of a group, as the providers report it (current RPO = lag). */
export interface LinkFacts {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly mode: ReplicationMode;
  readonly state: 'healthy' | 'lagging' | 'broken';
  readonly lagSeconds: number;
  /** The lag the link runs at normally (async); sync links give 0. */
  readonly nominalLagSeconds?: number;
}

/**
 * The best RPO a replication mode can give: a synchronous link loses nothing; an asynchronous one loses
 * at least its nominal lag (at least one second: acknowledged writes are never all shipped); cold backup
 * loses what was written since the last copy.
 */
export function rpoFloorSeconds(mode: ProtectionMode, link: { mode: ReplicationMode; nominalLagSeconds?: number } | undefined, backupIntervalSeconds?: number): number {
  if (mode === 'cold-backup') return backupIntervalSeconds ?? 86_400;
  if (!link) return Infinity;
  if (link.mode === 'sync') return 0;
  return Math.max(1, Math.ceil(link.nominalLagSeconds ?? 1));
}

export interface ProtectedResource {
  readonly cloudId: string;
  /** Inventory key on that cloud (`resource/<tenant>/<kind>/<name>` or a tenant space). */
  readonly key: string;
}

export interface StandbyCapacity {
  readonly centre: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly storageGiB: number;
}

export interface ProtectionSpec {
  readonly systemIds: readonly string[];
  readonly mode: ProtectionMode;
  readonly centres: CentreSet;
  readonly rtoSeconds: number;
  readonly rpoSeconds: number;
  readonly resources: readonly ProtectedResource[];
  readonly standby: readonly StandbyCapacity[];
  /** Cold backup only: how often copies are taken. */
  readonly backupIntervalSeconds?: number;
}

export interface SystemFacts {
  readonly id: string;
  readonly name: string;
  readonly drLevel: DrLevel;
  readonly drEdition: Edition;
}

/**
 * Checks a protection against the levels of its systems and the links between its centres. Throws an
 * InputError naming the first cause; nothing is stored before this passes.
 */
export function checkProtection(spec: ProtectionSpec, systems: readonly SystemFacts[], links: readonly LinkFacts[], table: LevelTable = DEFAULT_LEVEL_TARGETS): void {
  if (systems.length === 0) throw new InputError('a protection group protects at least one system', 'systemIds');
  const level = Math.max(...systems.map((s) => s.drLevel)) as DrLevel;
  const strictest = systems.find((s) => s.drLevel === level)!;
  for (const p of targetProblems(level, spec, table)) throw new InputError(`${strictest.name}: ${p}`, p.startsWith('RPO') ? 'rpoSeconds' : 'rtoSeconds');
  if (level >= 4 && !spec.centres.sameCity) throw new InputError(`${strictest.name} is DR level ${level}: level 4 and above need a same-city DR centre`, 'centres.sameCity');
  if (level === 6 && spec.mode !== 'dual-active') throw new InputError(`${strictest.name} is DR level 6: zero data loss with remote cluster support needs dual-active (双活)`, 'mode');
  if (spec.mode === 'cold-backup' && level >= 5) throw new InputError(`${strictest.name} is DR level ${level}: real-time transfer cannot be met by cold backup`, 'mode');
  if (spec.mode === 'dual-active' && !spec.centres.sameCity) throw new InputError('dual-active needs a same-city centre to serve from', 'centres.sameCity');
  if (spec.mode !== 'cold-backup') {
    for (const [slot, target] of [['sameCity', spec.centres.sameCity], ['remote', spec.centres.remote]] as const) {
      if (!target) continue;
      const link = links.find((l) => l.to === target && (l.from === spec.centres.production || l.from === spec.centres.sameCity));
      if (!link) throw new InputError(`no replication link reaches ${target} from the group's centres`, `centres.${slot}`);
    }
  }
  const floor = spec.mode === 'cold-backup' ? rpoFloorSeconds('cold-backup', undefined, spec.backupIntervalSeconds) : bestRpoFloor(spec, links);
  if (spec.rpoSeconds < floor) {
    const link = spec.mode === 'cold-backup' ? null : nearestLink(spec, links);
    const cause = link ? `its ${link.mode} link ${link.id} gives at best ${formatSeconds(floor)}` : `cold backup every ${formatSeconds(floor)} gives at best that`;
    throw new InputError(`RPO target ${formatSeconds(spec.rpoSeconds)} is below what the group can give: ${cause}`, 'rpoSeconds');
  }
  for (const s of spec.standby) {
    if (s.centre === spec.centres.production) throw new InputError('standby capacity is reserved at DR centres, not at production', 'standby');
    if (s.centre !== spec.centres.sameCity && s.centre !== spec.centres.remote) throw new InputError(`standby capacity at ${s.centre}, which is not a centre of the group`, 'standby');
  }
}

/** The link into the first DR centre a failover would use (same-city first). */
export function nearestLink(spec: Pick<ProtectionSpec, 'centres'>, links: readonly LinkFacts[]): LinkFacts | undefined {
  const target = spec.centres.sameCity ?? spec.centres.remote;
  return links.find((l) => l.to === target && l.from === spec.centres.production) ?? links.find((l) => l.to === target);
}

function bestRpoFloor(spec: ProtectionSpec, links: readonly LinkFacts[]): number {
  const targets = [spec.centres.sameCity, spec.centres.remote].filter((t): t is string => t !== undefined);
  let best = Infinity;
  for (const t of targets) {
    const l = links.find((x) => x.to === t);
    if (l) best = Math.min(best, rpoFloorSeconds(spec.mode, l));
  }
  return best;
}
