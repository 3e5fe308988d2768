/** Spec support for the migrations views: sample answers of the migrations API (no specs of its own). */
import type { Candidate, Plan, PlanDetail, Version, VersionSummary, Wave, WaveDetail } from './migrations-types';

const AT = '2026-12-05T08:00:00.000Z';

export const candidate = (over: Partial<Candidate> = {}): Candidate => ({
  id: 'c-1', systemId: 's-1', systemName: '金税三期', systemStatus: 'active', departmentId: 'd-tax', departmentName: '省税务局', divisionCode: '36', mlpsLevel: 3, drLevel: 2,
  sourceCloudId: null, sourceRoomId: 'room-1', sourceName: '省税务局老机房', sourceArch: 'x86_64', sourceVendor: 'intel', sourceImage: 'centos-7.9',
  targetCloudId: 'xc-kunpeng', targetCloudName: '信创鲲鹏云', targetArch: 'arm64', targetVendor: 'kunpeng', targetImage: 'kylin-v10',
  method: 'rebuild', reasons: [{ zh: 'CPU 架构不同：x86_64（Intel）→ arm64（鲲鹏）', en: 'different CPU architecture: x86_64 (Intel) → arm64 (Kunpeng)' }],
  vcpu: 8, dataGiB: 100, sizeClass: 'S', effortHours: 16, linkId: 'l-1', groupName: null, state: 'candidate', updatedAt: AT, dependsOn: [], groupSize: 0,
  ...over,
});

export const plan = (over: Partial<Plan> = {}): Plan => ({
  id: 'p-1', name: '2027 第一批', firstWeek: '2027-01-04', weeks: 4, operatorHours: [40, 40, 40, 40], cancelled: [], pools: [], createdBy: 'u-op', createdAt: AT, updatedAt: AT,
  ...over,
});

export const versionSummary = (over: Partial<VersionSummary> = {}): VersionSummary => ({
  id: 'v-1', planId: 'p-1', version: 1, whatIf: false, status: 'solved', workflowId: 'wf-1', input: null, changes: null, progress: null, result: null, error: null,
  createdBy: 'u-op', approvedBy: null, approvedAt: null, createdAt: AT,
  ...over,
});

export const planDetail = (over: Partial<PlanDetail> = {}): PlanDetail => ({
  ...plan(),
  candidates: [candidate(), candidate({ id: 'c-2', systemId: 's-2', systemName: '全民健康平台', departmentId: 'd-health', departmentName: '省卫健委', method: 'rehost', reasons: [{ zh: '架构相同，目标提供该操作系统', en: 'same architecture, the target offers the OS' }] })],
  versions: [versionSummary()],
  ...over,
});

export const WINDOWS = [
  { id: 'W1', weekStart: '2027-01-04' },
  { id: 'W2', weekStart: '2027-01-11' },
  { id: 'W3', weekStart: '2027-01-18' },
  { id: 'W4', weekStart: '2027-01-25' },
];

type Result = NonNullable<Version['result']>;
export const solvedResult = (over: Partial<Result> = {}): Result => ({
  status: 'optimal', makespan: 2, lowerBound: 2, gap: 0, peakRisk: 3,
  assignment: { 'c-1': 1, 'c-2': 0 },
  placements: { 'c-1': { window: 1, windowId: 'W2', slot: 'Sat 22:00', reasons: [] }, 'c-2': { window: 0, windowId: 'W1', slot: null, reasons: [] } },
  explanations: [], bounds: [], violations: 0, stats: null,
  ...over,
});

export const version = (over: Partial<Version> = {}): Version => {
  const { input: _input, ...summary } = versionSummary();
  return { ...summary, result: solvedResult(), windows: WINDOWS, ...over };
};

export const wave = (over: Partial<Wave> = {}): Wave => ({
  id: 'w-1', planId: 'p-1', versionId: 'v-1', windowIndex: 0, weekStart: '2027-01-04', status: 'planned', prechecks: null, workflowId: null, updatedAt: AT,
  systems: [{ waveId: 'w-1', candidateId: 'c-1', departmentId: 'd-tax', systemName: '金税三期', placement: null, confirmation: 'confirmed', note: null }],
  ...over,
});

export const waveDetail = (over: Partial<WaveDetail> = {}): WaveDetail => {
  const { systems, ...w } = wave({ status: 'running', workflowId: 'wf-9' });
  return {
    ...w, systems,
    progress: {
      workflow: { id: 'wf-9', status: 'running', error: null, stepsDone: 3, stepsTotal: 7 },
      systems: [{
        candidateId: 'c-1', done: 3, total: 7,
        steps: [
          { step: 'prepare-target', status: 'succeeded', attempts: 1, error: null, zh: '准备目标', en: 'Prepare the target' },
          { step: 'copy', status: 'running', attempts: 2, error: 'link slow', zh: '复制数据', en: 'Copy the data' },
        ],
      }],
    },
    ...over,
  };
};
