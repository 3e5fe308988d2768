import { evaluate, verdictOf, type Policy, type PolicyInput, type PolicyResult, type Text } from '@ganyun/policies';
import type { CloudRecord } from '../federation/clouds-repo.ts';
import type { SystemFields } from '../systems/systems-repo.ts';
import { cloudFacts, freeVcpu, systemFacts } from './policy-context.ts';

export interface Candidate {
  cloudId: string;
  name: string;
  eligible: boolean;
  chosen: boolean;
  /** Why it was chosen, ranked below the choice, or excluded: one line per reason. */
  reasons: Text[];
  /** An eligible cloud's rank (1 = chosen) and where its rank note (rankNote) is in `reasons`; null when excluded. */
  rank: number | null;
  rankAt: number | null;
  results: PolicyResult[];
}

export interface Placement {
  /** System-level admission (classified and the like): a denial here means no cloud is considered. */
  admission: PolicyResult[];
  admitted: boolean;
  candidates: Candidate[];
  chosen: string | null;
}

/**
 * Chooses a cloud for a system: admission rules first, then every cloud judged by the placement rules.
 * Among eligible clouds the ranking is: the department's own city first (a province-level department
 * prefers province-level clouds), then the most free vCPU at the last capacity read, then the id.
 * `onlyCloud` judges a named cloud alone (the requester named it): it is chosen if eligible.
 */
export function choosePlacement(
  policies: readonly Policy[],
  system: SystemFields,
  clouds: CloudRecord[],
  opts: { departmentDivision: string; onlyCloud?: string },
): Placement {
  const facts = clouds.map(cloudFacts);
  const base: PolicyInput = { system: systemFacts(system), cloud: null, clouds: facts };
  const admission = evaluate(policies, base, ['system']);
  const admitted = verdictOf(admission).allowed;
  const city = opts.departmentDivision.slice(0, 4);
  const provinceLevel = opts.departmentDivision.length <= 2;

  const judged = clouds
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !opts.onlyCloud || c.id === opts.onlyCloud)
    .map(({ c, i }) => {
      const results = evaluate(policies, { ...base, cloud: facts[i]! }, ['placement']);
      const verdict = verdictOf(results);
      const reasons: Text[] = [];
      if (!admitted) reasons.push({ zh: '系统未通过准入规则', en: 'the system failed admission' });
      if (!c.enabled) reasons.push({ zh: '该云已停用', en: 'the cloud is disabled' });
      for (const d of verdict.denials) reasons.push(d.message);
      // Nearness: a city department prefers its city's cloud, then a province-level cloud; a province-level
      // department prefers province-level clouds.
      const near = provinceLevel ? (c.config.level === 'province' ? 2 : 0) : c.region === city && c.config.level !== 'province' ? 2 : c.config.level === 'province' ? 1 : 0;
      return { c, results, eligible: admitted && c.enabled && verdict.allowed, near, free: freeVcpu(c), reasons, warnings: verdict.warnings };
    });

  const ranked = judged.filter((j) => j.eligible).sort((a, b) =>
    b.near - a.near || (b.free ?? -1) - (a.free ?? -1) || a.c.id.localeCompare(b.c.id));
  const chosen = ranked[0]?.c.id ?? null;

  const candidates = judged.map((j): Candidate => {
    const reasons = [...j.reasons];
    const rank = j.eligible ? ranked.indexOf(j) + 1 : null;
    const rankAt = j.eligible ? reasons.length : null;
    if (rank !== null) {
      const passes = j.results.filter((r) => r.outcome === 'pass').map((r) => r.message);
      const where: Text = j.near === 2
        ? { zh: provinceLevel ? '省级云，与省级部门匹配' : '与部门同城', en: provinceLevel ? 'a province-level cloud for a province-level department' : "in the department's city" }
        : j.near === 1 ? { zh: '省级云', en: 'a province-level cloud' } : { zh: '不在部门所在地', en: "not in the department's city" };
      const room: Text = j.free === null ? { zh: '容量尚未读取', en: 'capacity not read yet' } : { zh: `空闲 vCPU ${Math.round(j.free)}`, en: `${Math.round(j.free)} vCPU free` };
      reasons.push(
        rankNote(rank, j.c.id === chosen),
        where, room, ...passes, ...j.warnings.map((w) => ({ zh: `提示：${w.message.zh}`, en: `advisory: ${w.message.en}` })),
      );
    }
    return { cloudId: j.c.id, name: j.c.name, eligible: j.eligible, chosen: j.c.id === chosen, reasons, rank, rankAt, results: j.results };
  });
  // Chosen first, then the other eligible clouds by rank, then the excluded ones.
  candidates.sort((a, b) => Number(b.chosen) - Number(a.chosen) || Number(b.eligible) - Number(a.eligible)
    || (a.eligible ? ranked.findIndex((r) => r.c.id === a.cloudId) - ranked.findIndex((r) => r.c.id === b.cloudId) : a.cloudId.localeCompare(b.cloudId)));
  return { admission, admitted, candidates, chosen };
}

/** An eligible cloud's rank among the candidates, as its first reason after any exclusion: 选中 on the one chosen. */
export function rankNote(rank: number, chosen: boolean, why?: Text): Text {
  if (chosen && !why) return { zh: '选中：满足全部规则，排名第一', en: 'chosen: meets every rule and ranks first' };
  if (chosen) return { zh: `选中：${why!.zh}（满足全部规则，排名第${rank}）`, en: `chosen: ${why!.en} (meets every rule; ranked ${rank})` };
  return { zh: `满足全部规则，排名第${rank}`, en: `meets every rule; ranked ${rank}` };
}
