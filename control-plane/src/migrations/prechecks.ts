import type { Reason } from './method.ts';

/**
 * Checks before a wave starts, one verdict per system and check, each with its reason. Pure: the
 * service gathers the facts (a quota hold through the quota service, the target cloud's platforms and
 * images, the extranet access check, the target's DR zones, the department's slot) and this decides.
 * A wave starts only when every check of every system in it passes.
 */

export const PRECHECKS = ['quota', 'compatibility', 'extranet', 'dr', 'window'] as const;
export type Precheck = (typeof PRECHECKS)[number];

export interface PrecheckFacts {
  system: { name: string; drLevel: number };
  /** The quota service's answer to holding the target's resources for this move. */
  quota: { held: true; reservationId: string } | { held: false; shortfall: string };
  target: {
    cloudName: string;
    arch: string;
    image: string;
    offersArch: boolean;
    offersImage: boolean;
    /** Same-city DR zone on the target (or a same-city DR cloud) with room for the system. */
    sameCityDr: boolean;
  };
  /** Extranet reachability of the target from the system's users, per plane and family. */
  extranet: { plane: 1 | 2; family: 'ipv4' | 'ipv6'; reachable: boolean; why?: string }[];
  window: {
    id: string;
    /** The department's slot this week (China time, `YYYY-MM-DD HH:MM`), null when the week has none open. */
    slotStart: string | null;
    slotEnd: string | null;
    /** Why the window is no longer open (a blackout added since, the slot already over). */
    closedBecause: string | null;
  };
}

export interface PrecheckVerdict extends Reason {
  check: Precheck;
  ok: boolean;
}

export function runPrechecks(f: PrecheckFacts): PrecheckVerdict[] {
  const out: PrecheckVerdict[] = [];
  out.push(
    f.quota.held
      ? { check: 'quota', ok: true, zh: `目标配额已预留（${f.quota.reservationId}）`, en: `target quota held (${f.quota.reservationId})` }
      : { check: 'quota', ok: false, zh: `目标配额不足：${f.quota.shortfall}`, en: `target quota short: ${f.quota.shortfall}` },
  );
  if (!f.target.offersArch) out.push({ check: 'compatibility', ok: false, zh: `${f.target.cloudName} 不提供 ${f.target.arch} 架构`, en: `${f.target.cloudName} does not offer ${f.target.arch}` });
  else if (!f.target.offersImage) out.push({ check: 'compatibility', ok: false, zh: `${f.target.cloudName} 不提供 ${f.target.arch} 的镜像 ${f.target.image}`, en: `${f.target.cloudName} offers no ${f.target.image} image for ${f.target.arch}` });
  else out.push({ check: 'compatibility', ok: true, zh: `${f.target.cloudName} 提供 ${f.target.arch} 与镜像 ${f.target.image}`, en: `${f.target.cloudName} offers ${f.target.arch} and ${f.target.image}` });

  const missing = [1, 2].flatMap((plane) => (['ipv4', 'ipv6'] as const).map((family) => ({ plane, family, fact: f.extranet.find((e) => e.plane === plane && e.family === family) })))
    .filter((x) => !x.fact?.reachable);
  out.push(missing.length
    ? { check: 'extranet', ok: false, zh: `政务外网不可达：${missing.map((m) => `平面${m.plane} ${m.family}${m.fact?.why ? `（${m.fact.why}）` : '（无数据）'}`).join('；')}`, en: `not reachable over the extranet: ${missing.map((m) => `plane ${m.plane} ${m.family}${m.fact?.why ? ` (${m.fact.why})` : ' (no data)'}`).join('; ')}` }
    : { check: 'extranet', ok: true, zh: '目标在政务外网两个平面的 IPv4 与 IPv6 上均可达', en: 'the target is reachable on both extranet planes over IPv4 and IPv6' });

  if (f.system.drLevel < 4) out.push({ check: 'dr', ok: true, zh: `灾备等级 ${f.system.drLevel}：迁移期间无需保持同城保护`, en: `DR level ${f.system.drLevel}: no same-city protection required during the move` });
  else out.push(f.target.sameCityDr
    ? { check: 'dr', ok: true, zh: `灾备等级 ${f.system.drLevel}：目标有同城灾备，切换前先建立保护`, en: `DR level ${f.system.drLevel}: the target has same-city DR; protection is set up before the cut-over` }
    : { check: 'dr', ok: false, zh: `灾备等级 ${f.system.drLevel}：目标 ${f.target.cloudName} 没有可用的同城灾备，迁移期间会失去同城保护`, en: `DR level ${f.system.drLevel}: target ${f.target.cloudName} has no same-city DR with room; the move would lose same-city protection` });

  out.push(f.window.closedBecause || !f.window.slotStart
    ? { check: 'window', ok: false, zh: `窗口 ${f.window.id} 已不可用：${f.window.closedBecause ?? '本周没有维护时段'}`, en: `window ${f.window.id} is no longer open: ${f.window.closedBecause ?? 'no maintenance slot this week'}` }
    : { check: 'window', ok: true, zh: `窗口 ${f.window.id} 可用：${f.window.slotStart} 至 ${f.window.slotEnd}`, en: `window ${f.window.id} is open: ${f.window.slotStart} to ${f.window.slotEnd}` });
  return out;
}

export function allPassed(verdicts: readonly PrecheckVerdict[]): boolean {
  return verdicts.every((v) => v.ok);
}
