/**
 * The drill (or failover) report: what an inspector reads. Its content follows what a 灾备演练报告 holds —
 * purpose and scope, objectives and exit criteria, type and method, participants, scenario, a time-ordered
 * record of every step (time, actor, result, evidence), results per system (achieved RTO by phase against
 * its target, RPO as the lag at the cut, consistency, business verification), cleanup with its zero-leak
 * check, problems with owners and deadlines, plan changes, sign-off — and maps the evidence onto the seven
 * elements of GB/T 20988 for each edition the systems are stated against.
 */
import { ELEMENT_IDS, ELEMENTS, STANDARDS, type DrLevel, type Edition, type ElementId, type Text } from './gbt20988.ts';
import type { OperationKind } from './approvals.ts';
import { achievedRpo, achievedRto, type RtoResult, type SystemTimeline } from './rto.ts';

export const DRILL_TYPES = ['tabletop', 'simulation', 'system-test', 'real-switchover'] as const;
export type DrillType = (typeof DRILL_TYPES)[number];

export interface ReportStep {
  readonly key: string;
  /** The step's name for people, as the run page shows it (run-view.ts stepName); absent from older reports. */
  readonly name?: Text;
  readonly title: string;
  readonly kind: 'action' | 'probe' | 'manual' | 'wait' | 'system';
  readonly systemId?: string;
  /** Action steps: the provider operation. */
  readonly operation?: string;
  readonly actor: string;
  readonly status: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly inputs: unknown;
  readonly output: unknown;
  /** Short evidence: a probe's score, a provider's answer, who confirmed. */
  readonly evidence: string;
}

export interface ReportSystemInput {
  readonly id: string;
  readonly name: string;
  readonly department: string;
  readonly drLevel: DrLevel;
  readonly edition: Edition;
  readonly rtoTargetSeconds: number;
  readonly rpoTargetSeconds: number;
  readonly timeline: SystemTimeline;
  readonly lagAtCutSeconds: number | null;
  readonly businessVerified: boolean | null;
  readonly consistency: 'passed' | 'failed' | 'not-checked';
}

export interface ReportInput {
  readonly runId: string;
  readonly kind: OperationKind;
  readonly drillType: DrillType;
  readonly announced: boolean;
  readonly status: string;
  readonly plan: { readonly name: string; readonly version: number; readonly digest: string };
  readonly source: { readonly id: string; readonly name: string };
  readonly target: { readonly id: string; readonly name: string };
  readonly scenario: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly systems: readonly ReportSystemInput[];
  readonly steps: readonly ReportStep[];
  readonly participants: readonly { readonly name: string; readonly role: string; readonly group: string }[];
  readonly approvals: readonly { readonly what: string; readonly username: string; readonly at: string }[];
  readonly links: readonly { readonly id: string; readonly mode: string; readonly lagSeconds: number }[];
  readonly cleanup: { readonly recorded: number; readonly removed: number; readonly leaked: readonly string[] } | null;
  readonly problems: readonly { readonly description: string; readonly owner: string; readonly due: string }[];
  readonly planChanges: readonly string[];
  readonly signOff: readonly { readonly name: string; readonly role: string; readonly at: string }[];
  readonly generatedAt: string;
}

export interface SystemResult {
  readonly id: string;
  readonly name: string;
  readonly department: string;
  readonly drLevel: DrLevel;
  readonly edition: Edition;
  readonly rto: RtoResult;
  readonly rpo: { readonly seconds: number | null; readonly targetSeconds: number; readonly met: boolean | null };
  readonly cutoverAt: string | null;
  readonly businessVerified: boolean | null;
  readonly consistency: 'passed' | 'failed' | 'not-checked';
  readonly clockAdjusted: boolean;
}

export type ElementStatus = 'demonstrated' | 'not-demonstrated' | 'not-assessed';

export interface ElementEvidence {
  readonly id: ElementId;
  readonly name: Text;
  readonly clause: string;
  readonly status: ElementStatus;
  readonly evidence: readonly string[];
}

export interface DrReport {
  readonly format: 'ganyun.dr-report/v1';
  readonly runId: string;
  readonly title: Text;
  readonly kind: OperationKind;
  readonly drillType: DrillType;
  readonly announced: boolean;
  readonly status: string;
  readonly standards: readonly { readonly edition: Edition; readonly code: string; readonly title: Text }[];
  readonly scope: { readonly systems: readonly string[]; readonly from: string; readonly to: string };
  readonly objectives: readonly { readonly system: string; readonly rtoTargetSeconds: number; readonly rpoTargetSeconds: number }[];
  readonly exitCriteria: readonly string[];
  readonly method: string;
  readonly scenario: string;
  readonly plan: ReportInput['plan'];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly participants: ReportInput['participants'];
  readonly approvals: ReportInput['approvals'];
  readonly steps: readonly ReportStep[];
  readonly results: readonly SystemResult[];
  readonly passed: boolean;
  readonly cleanup: ReportInput['cleanup'];
  readonly problems: ReportInput['problems'];
  readonly planChanges: readonly string[];
  readonly elements: Readonly<Partial<Record<Edition, readonly ElementEvidence[]>>>;
  readonly signOff: ReportInput['signOff'];
  readonly generatedAt: string;
}

const KIND_TITLE: Record<OperationKind, Text> = {
  drill: { zh: '灾备演练报告', en: 'DR drill report' },
  switchover: { zh: '计划内切换报告', en: 'Planned switchover report' },
  failover: { zh: '灾难切换报告', en: 'Failover report' },
  failback: { zh: '回切报告', en: 'Failback report' },
  reprotect: { zh: '重新保护报告', en: 'Re-protection report' },
};

export function buildReport(input: ReportInput): DrReport {
  const results: SystemResult[] = input.systems.map((s) => ({
    id: s.id,
    name: s.name,
    department: s.department,
    drLevel: s.drLevel,
    edition: s.edition,
    rto: achievedRto(s.timeline, s.rtoTargetSeconds),
    rpo: achievedRpo(s.lagAtCutSeconds, s.rpoTargetSeconds),
    cutoverAt: s.timeline.cutover === undefined ? null : new Date(s.timeline.cutover).toISOString(),
    businessVerified: s.businessVerified,
    consistency: s.consistency,
    clockAdjusted: s.timeline.clockAdjusted,
  }));
  const leakFree = input.cleanup === null || input.cleanup.leaked.length === 0;
  const passed = input.status === 'succeeded' && leakFree && results.every((r) => r.rto.met === true && r.rpo.met !== false && r.businessVerified === true && r.consistency !== 'failed');
  const editions = [...new Set(input.systems.map((s) => s.edition))].sort();
  const elements: Partial<Record<Edition, ElementEvidence[]>> = {};
  for (const e of editions) elements[e] = elementsFor(e, input, results);
  return {
    format: 'ganyun.dr-report/v1',
    runId: input.runId,
    title: KIND_TITLE[input.kind],
    kind: input.kind,
    drillType: input.drillType,
    announced: input.announced,
    status: input.status,
    standards: editions.map((e) => ({ edition: e, code: STANDARDS[e].code, title: STANDARDS[e].title })),
    scope: { systems: input.systems.map((s) => s.name), from: input.source.name, to: input.target.name },
    objectives: input.systems.map((s) => ({ system: s.name, rtoTargetSeconds: s.rtoTargetSeconds, rpoTargetSeconds: s.rpoTargetSeconds })),
    exitCriteria: [
      'RTO ≤ target for every system / 每个系统 RTO 不超过目标',
      'RPO (lag at the cut) ≤ target / 切换时复制延迟不超过 RPO 目标',
      'business probes pass / 业务验证通过',
      ...(input.kind === 'drill' ? ['zero objects left after cleanup / 清理后零遗留'] : []),
    ],
    method: input.kind === 'drill'
      ? 'test failover into an isolated sandbox at the DR centre; production and replication keep running / 在灾备中心隔离沙箱中测试切换，生产与复制不受影响'
      : `${input.kind} of the protection group / 保护组${KIND_TITLE[input.kind].zh.replace('报告', '')}`,
    scenario: input.scenario,
    plan: input.plan,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    participants: input.participants,
    approvals: input.approvals,
    steps: [...input.steps].sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '')),
    results,
    passed,
    cleanup: input.cleanup,
    problems: input.problems,
    planChanges: input.planChanges,
    elements,
    signOff: input.signOff,
    generatedAt: input.generatedAt,
  };
}

function elementsFor(edition: Edition, input: ReportInput, results: readonly SystemResult[]): ElementEvidence[] {
  const ok = (op: string) => input.steps.filter((x) => x.operation === op && x.status === 'succeeded').length;
  const mine = results.filter((r) => r.edition === edition);
  const evidence: Record<ElementId, { status: ElementStatus; lines: string[] }> = {
    'data-backup': mine.every((r) => r.rpo.seconds !== null)
      ? { status: mine.every((r) => r.rpo.met !== false) ? 'demonstrated' : 'not-demonstrated', lines: [...input.links.map((l) => `${l.id}: ${l.mode}, lag ${l.lagSeconds} s`), ...mine.map((r) => `${r.name}: RPO ${r.rpo.seconds} s / target ${r.rpo.targetSeconds} s`)] }
      : { status: 'not-assessed', lines: ['no replication lag recorded at the cut'] },
    'standby-processing': { status: ok('promoteReplica') + ok('scaleStandby') > 0 ? 'demonstrated' : 'not-assessed', lines: [`${ok('promoteReplica')} replica promotion(s), ${ok('scaleStandby')} standby start(s) at ${input.target.name}`] },
    'standby-network': { status: ok('switchTraffic') > 0 ? 'demonstrated' : 'not-assessed', lines: [`${ok('switchTraffic')} traffic switch(es)${input.kind === 'drill' ? ' inside the isolated sandbox' : ''}`] },
    'standby-infrastructure': { status: input.status === 'succeeded' ? 'demonstrated' : 'not-demonstrated', lines: [`DR centre ${input.target.name} carried the recovered systems`] },
    'technical-support': { status: input.participants.length > 0 ? 'demonstrated' : 'not-assessed', lines: input.participants.map((p) => `${p.group}: ${p.name} (${p.role})`) },
    'operations-management': {
      status: input.steps.every((s) => s.actor !== '') && (input.cleanup === null || input.cleanup.leaked.length === 0) ? 'demonstrated' : 'not-demonstrated',
      lines: [`${input.steps.length} steps recorded with actor and time`, `${input.approvals.length} confirmation(s)`, ...(input.cleanup ? [`cleanup: ${input.cleanup.removed}/${input.cleanup.recorded} removed, ${input.cleanup.leaked.length} leaked`] : [])],
    },
    'dr-plan': { status: mine.every((r) => r.rto.met === true) ? 'demonstrated' : 'not-demonstrated', lines: [`plan ${input.plan.name} v${input.plan.version} (${input.plan.digest.slice(0, 16)}…)`, ...mine.map((r) => `${r.name}: RTO ${r.rto.achievedSeconds ?? '—'} s / target ${r.rto.targetSeconds} s`)] },
  };
  return ELEMENT_IDS.map((id) => ({ id, name: ELEMENTS[id].name, clause: `${STANDARDS[edition].code} ${ELEMENTS[id].clause[edition]}`, status: evidence[id].status, evidence: evidence[id].lines }));
}
