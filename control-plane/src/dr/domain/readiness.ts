/**
 * Readiness of one system: is it protected, against its DR level, and could it fail over now? Each check
 * is a fact with a severity; the system's state is the worst of them. Stale runbooks are what nobody
 * notices until an audit: broken mappings and stale drills are checks like any other.
 */
import type { Text } from './gbt20988.ts';
import { DEFAULT_LEVEL_TARGETS, formatSeconds, type DrLevel, type LevelTable } from './gbt20988.ts';
import type { LinkFacts, ProtectionMode } from './protection.ts';

export const READINESS_STATES = ['ready', 'at-risk', 'not-ready', 'unprotected'] as const;
export type ReadinessState = (typeof READINESS_STATES)[number];

export interface ReadinessCheck {
  readonly id: 'protected' | 'centres' | 'link' | 'lag' | 'capacity' | 'mappings' | 'drill' | 'plan';
  readonly ok: boolean;
  /** `blocker`: failover would not work or not meet the level; `warning`: it would, at a risk. */
  readonly severity: 'blocker' | 'warning';
  readonly message: Text;
}

export interface ReadinessInput {
  readonly drLevel: DrLevel;
  readonly rpoSeconds: number;
  readonly protection?: {
    readonly mode: ProtectionMode;
    readonly hasSameCity: boolean;
    readonly hasRemote: boolean;
    readonly links: readonly LinkFacts[];
    /** Standby capacity reserved vs what the protected resources need at the DR centre (vCPU). */
    readonly capacity: { readonly needed: number; readonly reserved: number };
    /** Protected resources no longer found in the inventory (decommissioned, renamed). */
    readonly missingResources: readonly string[];
    readonly hasPlan: boolean;
  };
  readonly lastPassedDrillAt: Date | null;
  readonly now: Date;
}

export interface Readiness {
  readonly state: ReadinessState;
  readonly checks: readonly ReadinessCheck[];
  readonly daysSinceDrill: number | null;
  readonly drillStale: boolean;
  /** Worst current lag over the group's links: the RPO a failover now would give. */
  readonly currentRpoSeconds: number | null;
}

const DAY_MS = 86_400_000;

export function readiness(input: ReadinessInput, table: LevelTable = DEFAULT_LEVEL_TARGETS): Readiness {
  const daysSinceDrill = input.lastPassedDrillAt === null ? null : Math.floor((input.now.getTime() - input.lastPassedDrillAt.getTime()) / DAY_MS);
  const interval = table[input.drLevel].drillIntervalDays;
  const drillStale = daysSinceDrill === null || daysSinceDrill > interval;
  const p = input.protection;
  if (!p) {
    const check: ReadinessCheck = { id: 'protected', ok: false, severity: input.drLevel >= 2 ? 'blocker' : 'warning', message: { zh: `灾备${input.drLevel}级系统未纳入保护组`, en: `DR level ${input.drLevel} system is in no protection group` } };
    return { state: 'unprotected', checks: [check], daysSinceDrill, drillStale, currentRpoSeconds: null };
  }
  const checks: ReadinessCheck[] = [];
  const add = (id: ReadinessCheck['id'], ok: boolean, severity: ReadinessCheck['severity'], message: Text) => checks.push({ id, ok, severity, message });

  const needsSameCity = input.drLevel >= 4;
  add('centres', !needsSameCity || p.hasSameCity, 'blocker', needsSameCity && !p.hasSameCity
    ? { zh: `灾备${input.drLevel}级需要同城灾备中心`, en: `DR level ${input.drLevel} needs a same-city DR centre` }
    : { zh: '灾备中心满足等级要求', en: 'DR centres meet the level' });
  if (input.drLevel >= 5 && !p.hasRemote) add('centres', false, 'warning', { zh: '无异地灾备中心：区域性灾难无法恢复', en: 'no remote DR centre: a regional disaster is not covered' });

  const broken = p.links.filter((l) => l.state === 'broken');
  add('link', broken.length === 0 && p.links.length > 0, 'blocker', p.links.length === 0
    ? { zh: '没有复制链路', en: 'no replication link' }
    : broken.length > 0
      ? { zh: `复制链路中断：${broken.map((l) => l.id).join('、')}`, en: `replication broken: ${broken.map((l) => l.id).join(', ')}` }
      : { zh: '复制链路正常', en: 'replication links up' });

  const live = p.links.filter((l) => l.state !== 'broken');
  const currentRpoSeconds = live.length === 0 ? null : Math.min(...live.map((l) => l.lagSeconds));
  if (currentRpoSeconds !== null) {
    const ok = currentRpoSeconds <= input.rpoSeconds;
    add('lag', ok, 'warning', ok
      ? { zh: `当前RPO ${formatSeconds(currentRpoSeconds)}，目标 ${formatSeconds(input.rpoSeconds)}`, en: `current RPO ${formatSeconds(currentRpoSeconds)}, target ${formatSeconds(input.rpoSeconds)}` }
      : { zh: `复制延迟 ${formatSeconds(currentRpoSeconds)} 超过RPO目标 ${formatSeconds(input.rpoSeconds)}`, en: `replication lag ${formatSeconds(currentRpoSeconds)} exceeds the RPO target ${formatSeconds(input.rpoSeconds)}` });
  }

  const capOk = p.mode === 'cold-backup' || p.capacity.reserved >= p.capacity.needed;
  add('capacity', capOk, 'blocker', capOk
    ? { zh: '灾备中心预留容量充足', en: 'standby capacity reserved at the DR centre' }
    : { zh: `灾备中心预留 ${p.capacity.reserved} vCPU，需要 ${p.capacity.needed}`, en: `${p.capacity.reserved} vCPU reserved at the DR centre, ${p.capacity.needed} needed` });

  add('mappings', p.missingResources.length === 0, 'blocker', p.missingResources.length === 0
    ? { zh: '受保护资源均在清单中', en: 'every protected resource is in the inventory' }
    : { zh: `受保护资源已不存在：${p.missingResources.slice(0, 5).join('、')}`, en: `protected resources gone: ${p.missingResources.slice(0, 5).join(', ')}` });

  add('plan', p.hasPlan, 'blocker', p.hasPlan ? { zh: '已有灾难恢复预案', en: 'a DR plan exists' } : { zh: '没有灾难恢复预案', en: 'no DR plan' });

  add('drill', !drillStale, 'warning', daysSinceDrill === null
    ? { zh: '从未通过演练', en: 'never passed a drill' }
    : drillStale
      ? { zh: `上次通过演练在${daysSinceDrill}天前，超过${interval}天`, en: `last passed drill ${daysSinceDrill} days ago, more than ${interval}` }
      : { zh: `上次通过演练在${daysSinceDrill}天前`, en: `last passed drill ${daysSinceDrill} days ago` });

  const failed = checks.filter((c) => !c.ok);
  const state: ReadinessState = failed.some((c) => c.severity === 'blocker') ? 'not-ready' : failed.length > 0 ? 'at-risk' : 'ready';
  return { state, checks, daysSinceDrill, drillStale, currentRpoSeconds };
}
