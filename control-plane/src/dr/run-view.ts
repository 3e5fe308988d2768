import { workflowsRepo } from '../engine/workflows-repo.ts';
import type { Queryable } from '../store/store.ts';
import { centresRepo } from './centres-repo.ts';
import type { Text } from './domain/gbt20988.ts';
import { planRepo } from './plan-repo.ts';
import { runRepo, type RunRow } from './run-repo.ts';

/**
 * What names a run's steps for people (issue 18.2): the plan's step titles (by step key, `step:<id>`), each
 * step's system (read from the step's own parameters), the run's two centres in both languages and the group.
 */
export interface StepNaming {
  readonly planTitles: ReadonlyMap<string, string>;
  readonly systemNames: ReadonlyMap<string, string>;
  readonly source: Text;
  readonly target: Text;
  readonly groupName: string;
}

/** The steps a run adds around the plan's, named from the centres and the step's system. */
const LABELS = {
  declare: { zh: '宣告灾备操作', en: 'Declare the DR operation' },
  activate: { zh: '切换服务中心至 {target}', en: 'Make {target} the serving centre' },
  sandbox: { zh: '创建演练沙箱：{system}（{target}）', en: 'Create drill sandbox: {system} ({target})' },
  verify: { zh: '校验 {system}（{target}）', en: 'Verify {system} ({target})' },
  cleanup: { zh: '清理演练沙箱：{system}', en: 'Remove drill sandbox: {system}' },
  reprotect: { zh: '重新保护 {system}：{source} → {target}', en: 'Re-protect {system}: {source} → {target}' },
} as const satisfies Record<string, Text>;

const fill = (text: string, params: Record<string, string>) => text.replace(/\{(\w+)\}/g, (all, name: string) => params[name] ?? all);
const both = (label: Text, params: (lang: keyof Text) => Record<string, string>): Text => ({ zh: fill(label.zh, params('zh')), en: fill(label.en, params('en')) });

/**
 * A step's name for people in both languages, the one naming of DR steps: the run page (dr.runs.get) and the
 * report (HTML, PDF, JSON beside the key) show it. Plan steps carry the plan's title; the steps the run adds
 * (declare, sandbox/verify/cleanup per system, activate, a re-protection's replicate per system, which has no
 * plan) are named from the centres and the step's system. Null for a key this does not know: shown as the key.
 */
export function stepName(key: string, n: StepNaming): Text | null {
  const title = n.planTitles.get(key);
  if (title) return { zh: title, en: title };
  const system = n.systemNames.get(key) ?? null;
  if (key === 'declare' || key === 'activate') return both(LABELS[key], (l) => ({ target: n.target[l] }));
  if (/^step:reprotect-\d+$/.test(key)) return both(LABELS.reprotect, (l) => ({ system: system ?? n.groupName, source: n.source[l], target: n.target[l] }));
  const perSystem = /^(sandbox|verify|cleanup):\d+$/.exec(key);
  if (perSystem && system) return both(LABELS[perSystem[1] as 'sandbox' | 'verify' | 'cleanup'], (l) => ({ system, target: n.target[l] }));
  return null;
}

type Centre = { id: string; cloudId: string; zone: string; name: string; nameEn: string };
type StepSystems = Map<string, { systemId: string; systemName: string }>;

/** A centre's name in both languages (the English one falls back to the Chinese, then to the id). */
const centreText = (id: string, c: Centre | null): Text => ({ zh: c?.name || id, en: c?.nameEn || c?.name || id });

/** What the run page and the naming read about a run: its steps' systems and its two centres. */
async function runParts(db: Queryable, run: RunRow): Promise<{ stepSystems: StepSystems; centre: (id: string) => Centre | null }> {
  const stepSystems: StepSystems = run.workflowId ? await runRepo.stepSystems(db, run.workflowId) : new Map();
  const centres = await centresRepo.byIds(db, [run.sourceCentre, run.targetCentre]);
  const centre = (id: string): Centre | null => {
    const c = centres.get(id);
    return c ? { id: c.id, cloudId: c.cloudId, zone: c.zone, name: c.name, nameEn: c.nameEn } : null;
  };
  return { stepSystems, centre };
}

async function namingOf(db: Queryable, run: RunRow, parts: Awaited<ReturnType<typeof runParts>>): Promise<StepNaming> {
  const version = run.planId ? await planRepo.version(db, run.planId, run.planVersion ?? undefined) : undefined;
  return {
    planTitles: new Map((version?.content.steps ?? []).map((s) => [`step:${s.id}`, s.title])),
    systemNames: new Map([...parts.stepSystems].map(([key, s]) => [key, s.systemName])),
    source: centreText(run.sourceCentre, parts.centre(run.sourceCentre)),
    target: centreText(run.targetCentre, parts.centre(run.targetCentre)),
    groupName: run.groupName,
  };
}

/** Everything stepName needs for one run: its plan version's titles, its steps' systems, its centres. */
export async function stepNaming(db: Queryable, run: RunRow): Promise<StepNaming> {
  return namingOf(db, run, await runParts(db, run));
}

/**
 * A DR run as its page shows it: the run, its workflow and steps (progress), per-system evidence, confirmations
 * and cleanup ledger, with names for people (issue 18.2): the two centres (their ids stay in sourceCentre and
 * targetCentre), each step's system, read from the step's own parameters, and each step's name (stepName).
 */
export async function runView(db: Queryable, run: RunRow) {
  const workflow = run.workflowId ? await workflowsRepo.byId(db, run.workflowId) : null;
  const steps = run.workflowId ? await workflowsRepo.steps(db, run.workflowId) : [];
  const parts = await runParts(db, run);
  const naming = await namingOf(db, run, parts);
  const { stepSystems, centre } = parts;
  return {
    ...run, workflow, source: centre(run.sourceCentre), target: centre(run.targetCentre),
    steps: steps.map((s) => ({
      ...s, systemId: stepSystems.get(s.key)?.systemId ?? null, systemName: stepSystems.get(s.key)?.systemName ?? null, name: stepName(s.key, naming),
    })),
    systems: await runRepo.systems(db, run.id), confirmations: await runRepo.confirmations(db, run.id), ledger: await runRepo.ledger(db, run.id),
  };
}
