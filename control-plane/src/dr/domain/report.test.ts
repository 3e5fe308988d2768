import { buildReport, type ReportInput } from './report.ts';
import { emptyTimeline, mark } from './rto.ts';

function timeline(rtoMs: number) {
  let t = mark(emptyTimeline(), 'declare', 'start', 1_000);
  t = mark(t, 'declare', 'end', 2_000);
  t = mark(t, 'execute', 'start', 2_000);
  t = mark(t, 'cutover', 'start', 3_000);
  t = mark(t, 'execute', 'end', 4_000);
  t = mark(t, 'validate', 'start', 4_000);
  return mark(t, 'validate', 'end', 1_000 + rtoMs);
}

describe('DR report', () => {
  const input: ReportInput = {
    runId: 'r1', kind: 'drill', drillType: 'system-test', announced: true, status: 'succeeded',
    plan: { name: '省级核心系统预案', version: 3, digest: 'a'.repeat(64) },
    source: { id: 'p', name: '主中心' }, target: { id: 't', name: '同城灾备中心' }, scenario: '主中心机房断电',
    startedAt: '2026-03-01T00:00:00.000Z', finishedAt: '2026-03-01T00:10:00.000Z',
    systems: [
      { id: 'a', name: '统一身份认证', department: '省数据局', drLevel: 5, edition: '2025', rtoTargetSeconds: 600, rpoTargetSeconds: 60, timeline: timeline(300_000), lagAtCutSeconds: 0, businessVerified: true, consistency: 'passed' },
      { id: 'b', name: '档案系统', department: '省档案馆', drLevel: 3, edition: '2007', rtoTargetSeconds: 600, rpoTargetSeconds: 3600, timeline: timeline(200_000), lagAtCutSeconds: 40, businessVerified: true, consistency: 'not-checked' },
    ],
    steps: [{ key: 'p:promote', title: '提升副本', kind: 'action', operation: 'promoteReplica', systemId: 'a', actor: 'workflow', status: 'succeeded', startedAt: '2026-03-01T00:01:00.000Z', finishedAt: '2026-03-01T00:02:00.000Z', durationMs: 60_000, inputs: {}, output: {}, evidence: 'clone in sandbox' }],
    participants: [{ name: '李工', role: 'cloud-operator', group: '技术组' }], approvals: [], links: [{ id: 'l1', mode: 'sync', lagSeconds: 0 }],
    cleanup: { recorded: 4, removed: 4, leaked: [] }, problems: [], planChanges: [], signOff: [], generatedAt: '2026-03-01T00:11:00.000Z',
  };

  it('gives achieved RTO per system by phase against its target, and passes when every criterion holds', () => {
    const r = buildReport(input);
    expect(r.results.map((x) => [x.name, x.rto.achievedSeconds, x.rto.met])).toEqual([['统一身份认证', 300, true], ['档案系统', 200, true]]);
    expect(r.results[0]!.rto.phaseSeconds).toEqual({ declare: 1, execute: 2, validate: 297 });
    expect(r.results[0]!.cutoverAt).toBe('1970-01-01T00:00:03.000Z');
    expect(r.passed).toBeTrue();
  });

  it('maps evidence onto the seven elements of each edition the systems are stated against', () => {
    const r = buildReport(input);
    expect(Object.keys(r.elements).sort()).toEqual(['2007', '2025']);
    expect(r.elements['2025']!.length).toBe(7);
    expect(r.elements['2025']!.find((e) => e.id === 'standby-processing')!.status).toBe('demonstrated');
    expect(r.elements['2007']!.find((e) => e.id === 'standby-network')!.status).toBe('not-assessed');
    expect(r.elements['2025']![0]!.clause).toMatch(/^GB\/T 20988-2025 /);
  });

  it('fails a run that leaked objects or missed a target', () => {
    expect(buildReport({ ...input, cleanup: { recorded: 4, removed: 3, leaked: ['sandbox/x'] } }).passed).toBeFalse();
    expect(buildReport({ ...input, systems: [{ ...input.systems[0]!, rtoTargetSeconds: 100 }] }).passed).toBeFalse();
    expect(buildReport({ ...input, systems: [{ ...input.systems[0]!, lagAtCutSeconds: 120 }] }).passed).toBeFalse();
  });
});
