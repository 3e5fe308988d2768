/**
 * GB/T 20988 facts the DR capability plans and reports with: editions, the six capability levels, the
 * seven elements a level is claimed on, and editable default RTO / RPO targets per level.
 *
 * GB/T 20988-2007 (信息安全技术 信息系统灾难恢复规范) is superseded by GB/T 20988-2025 (网络安全技术 信息系统
 * 灾难恢复规范, published 2025-06-30, in force 2026-01-01). Systems record which edition their DR level
 * refers to; a report is written against that edition.
 */

export const EDITIONS = ['2007', '2025'] as const;
export type Edition = (typeof EDITIONS)[number];
export const DR_LEVELS = [1, 2, 3, 4, 5, 6] as const;
export type DrLevel = (typeof DR_LEVELS)[number];

export interface Text {
  readonly zh: string;
  readonly en: string;
}

export const STANDARDS: Readonly<Record<Edition, { code: string; title: Text; inForce: string }>> = {
  '2007': { code: 'GB/T 20988-2007', title: { zh: '信息安全技术 信息系统灾难恢复规范', en: 'Information security technology — Disaster recovery specifications for information systems' }, inForce: '2007-11-01' },
  '2025': { code: 'GB/T 20988-2025', title: { zh: '网络安全技术 信息系统灾难恢复规范', en: 'Cybersecurity technology — Disaster recovery specifications for information systems' }, inForce: '2026-01-01' },
};

/** Level names as the 2007 edition gives them; the 2025 edition keeps six levels. */
export const LEVEL_NAMES: Readonly<Record<DrLevel, Text>> = {
  1: { zh: '基本支持', en: 'Basic support' },
  2: { zh: '备用场地支持', en: 'Standby site support' },
  3: { zh: '电子传输和部分设备支持', en: 'Electronic transfer and partial equipment support' },
  4: { zh: '电子传输及完整设备支持', en: 'Electronic transfer and complete equipment support' },
  5: { zh: '实时数据传输及完整设备支持', en: 'Real-time data transfer and complete equipment support' },
  6: { zh: '数据零丢失和远程集群支持', en: 'Zero data loss and remote cluster support' },
};

export const ELEMENT_IDS = [
  'data-backup',
  'standby-processing',
  'standby-network',
  'standby-infrastructure',
  'technical-support',
  'operations-management',
  'dr-plan',
] as const;
export type ElementId = (typeof ELEMENT_IDS)[number];

/**
 * The seven elements a level is claimed on, with where each edition treats them. For 2007 the levels and
 * their per-element requirements are in the normative Annex A; for 2025 the clause is the one of the
 * published table of contents whose title covers the element (the elements themselves are carried over).
 */
export const ELEMENTS: Readonly<Record<ElementId, { name: Text; clause: Readonly<Record<Edition, string>> }>> = {
  'data-backup': { name: { zh: '数据备份系统', en: 'Data backup system' }, clause: { '2007': '附录A', '2025': '7.1 灾难恢复系统建设' } },
  'standby-processing': { name: { zh: '备用数据处理系统', en: 'Standby data processing system' }, clause: { '2007': '附录A', '2025': '7.1 灾难恢复系统建设' } },
  'standby-network': { name: { zh: '备用网络系统', en: 'Standby network system' }, clause: { '2007': '附录A', '2025': '7.1 灾难恢复系统建设' } },
  'standby-infrastructure': { name: { zh: '备用基础设施', en: 'Standby infrastructure' }, clause: { '2007': '附录A', '2025': '7.2 灾难恢复中心建设' } },
  'technical-support': { name: { zh: '专业技术支持能力', en: 'Technical support capability' }, clause: { '2007': '附录A', '2025': '5 灾难恢复的组织机构设置' } },
  'operations-management': { name: { zh: '运行维护管理能力', en: 'Operation and maintenance management capability' }, clause: { '2007': '附录A', '2025': '8.2 灾难恢复系统运行维护' } },
  'dr-plan': { name: { zh: '灾难恢复预案', en: 'Disaster recovery plan' }, clause: { '2007': '附录A', '2025': '8.1 灾难恢复预案制定及管理；9 测试评价方法' } },
};

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;

/** A range in seconds; `max: null` means "more than min" (the example gives no upper bound). */
export interface SecondsRange {
  readonly min: number;
  readonly max: number | null;
}

export interface LevelTargets {
  readonly rto: SecondsRange;
  readonly rpo: SecondsRange;
  /** How old the last passed drill may be before the system is flagged. */
  readonly drillIntervalDays: number;
}

/**
 * Editable defaults after the example of Annex C of the 2007 edition (given for one industry, not a
 * mandate; the figures are widely reproduced but unverified here). Operators change them per province.
 * The drill intervals are Ganyun's defaults (yearly, half-yearly for levels 5–6), not the standard's.
 */
export const DEFAULT_LEVEL_TARGETS: Readonly<Record<DrLevel, LevelTargets>> = {
  1: { rto: { min: 2 * DAY, max: null }, rpo: { min: DAY, max: 7 * DAY }, drillIntervalDays: 365 },
  2: { rto: { min: DAY, max: null }, rpo: { min: DAY, max: 7 * DAY }, drillIntervalDays: 365 },
  3: { rto: { min: 12 * HOUR, max: null }, rpo: { min: HOUR, max: DAY }, drillIntervalDays: 365 },
  4: { rto: { min: HOUR, max: 2 * DAY }, rpo: { min: HOUR, max: DAY }, drillIntervalDays: 365 },
  5: { rto: { min: MIN, max: 2 * DAY }, rpo: { min: 0, max: 30 * MIN }, drillIntervalDays: 180 },
  6: { rto: { min: MIN, max: 30 * MIN }, rpo: { min: 0, max: 0 }, drillIntervalDays: 180 },
};

export type LevelTable = Readonly<Record<DrLevel, LevelTargets>>;

export function isDrLevel(n: number): n is DrLevel {
  return Number.isInteger(n) && n >= 1 && n <= 6;
}

/** The default targets a system of a level gets when it states none: the loosest figure its level allows. */
export function defaultTargets(level: DrLevel, table: LevelTable = DEFAULT_LEVEL_TARGETS): { rtoSeconds: number; rpoSeconds: number } {
  const t = table[level];
  return { rtoSeconds: t.rto.max ?? t.rto.min, rpoSeconds: t.rpo.max ?? t.rpo.min };
}

/**
 * Problems with a system's own targets against its level: a target looser than the level's bound means
 * the level is claimed without the capability behind it. Returns messages naming the figure.
 */
export function targetProblems(level: DrLevel, targets: { rtoSeconds: number; rpoSeconds: number }, table: LevelTable = DEFAULT_LEVEL_TARGETS): string[] {
  const t = table[level];
  const out: string[] = [];
  if (t.rpo.max !== null && targets.rpoSeconds > t.rpo.max) out.push(`RPO target ${formatSeconds(targets.rpoSeconds)} is looser than level ${level} allows (${formatSeconds(t.rpo.max)})`);
  if (t.rto.max !== null && targets.rtoSeconds > t.rto.max) out.push(`RTO target ${formatSeconds(targets.rtoSeconds)} is looser than level ${level} allows (${formatSeconds(t.rto.max)})`);
  return out;
}

/** Checks an edited level table: every level present, ranges ordered, drill intervals positive. */
export function levelTableProblems(table: Record<number, LevelTargets>): string[] {
  const out: string[] = [];
  for (const level of DR_LEVELS) {
    const t = table[level];
    if (!t) {
      out.push(`level ${level} is missing`);
      continue;
    }
    for (const k of ['rto', 'rpo'] as const) {
      const r = t[k];
      if (!(r.min >= 0)) out.push(`level ${level}: ${k} minimum must be >= 0`);
      if (r.max !== null && !(r.max >= r.min)) out.push(`level ${level}: ${k} maximum must be >= its minimum`);
    }
    if (!(Number.isInteger(t.drillIntervalDays) && t.drillIntervalDays >= 1)) out.push(`level ${level}: drill interval must be a whole number of days >= 1`);
  }
  return out;
}

export function formatSeconds(s: number): string {
  if (s === 0) return '0 s';
  if (s % DAY === 0) return `${s / DAY} d`;
  if (s % HOUR === 0) return `${s / HOUR} h`;
  if (s % MIN === 0) return `${s / MIN} min`;
  return `${s} s`;
}
