import { addConfirmation, checkSecondApprover, confirmationsRequired } from './approvals.ts';
import { nextVersion, planDigest } from './plan-version.ts';
import { scoreProbe } from './probe-score.ts';
import { achievedRto, emptyTimeline, mark } from './rto.ts';
import { plan, step } from '../../testing/dr-domain-fixtures.ts';

describe('DR rules', () => {
  it('passes a weighted probe on its score', () => {
    const r = (id: string, weight: number, passed: boolean) => ({ id, weight, passed, detail: '', durationMs: 1 });
    expect(scoreProbe([r('db', 3, true), r('static', 1, false)], 0.75).passed).toBeTrue();
    expect(scoreProbe([r('db', 3, false), r('static', 1, true)], 0.75).passed).toBeFalse();
    expect(scoreProbe([r('a', 0.1, true), r('b', 0.2, true), r('c', 0.7, false)], 0.3).passed).toBeTrue();
  });

  it('needs two different people for a real failover, one for a drill', () => {
    expect(confirmationsRequired('drill')).toBe(1);
    const first = addConfirmation([], { userId: 'u1', username: 'li', at: 't' }, 2);
    expect(first.complete).toBeFalse();
    expect(() => addConfirmation(first.confirmations, { userId: 'u1', username: 'li', at: 't2' }, 2)).toThrowError(/li has already confirmed this step: 双人复核 needs a second, different person/);
    expect(addConfirmation(first.confirmations, { userId: 'u2', username: 'wang', at: 't2' }, 2).complete).toBeTrue();
    expect(() => checkSecondApprover('failover', 'u1', 'u1')).toThrowError(/must be a different person/);
    expect(() => checkSecondApprover('failover', 'u1', undefined)).toThrowError(/needs a second approver/);
    expect(() => checkSecondApprover('drill', 'u1', undefined)).not.toThrow();
  });

  it('keeps phase timestamps monotonic and flags a clock that stepped back', () => {
    let t = emptyTimeline();
    t = mark(t, 'declare', 'start', 10_000);
    t = mark(t, 'declare', 'end', 12_000);
    t = mark(t, 'execute', 'start', 11_000); // the clock went back
    t = mark(t, 'execute', 'end', 40_000);
    t = mark(t, 'validate', 'start', 40_000);
    t = mark(t, 'validate', 'end', 70_000);
    t = mark(t, 'validate', 'end', 90_000); // a redone step does not move a recorded edge
    expect(t.phases.execute!.start).toBe(12_000);
    expect(t.clockAdjusted).toBeTrue();
    const rto = achievedRto(t, 60);
    expect(rto.achievedSeconds).toBe(60);
    expect(rto.met).toBeTrue();
    expect(rto.phaseSeconds).toEqual({ declare: 2, execute: 28, validate: 30 });
  });

  it('measures an unplanned failover from detection, and has no RTO before validation', () => {
    let t = mark(emptyTimeline(), 'detect', 'start', 0);
    t = mark(t, 'declare', 'start', 5_000);
    expect(achievedRto(t, 10).achievedSeconds).toBeNull();
    t = mark(t, 'validate', 'end', 20_000);
    expect(achievedRto(t, 10)).toEqual(jasmine.objectContaining({ achievedSeconds: 20, met: false }));
  });

  it('versions a plan only when its content changes', () => {
    const p = plan([step('a', 1)]);
    const v1 = nextVersion(undefined, p)!;
    expect(v1.version).toBe(1);
    expect(nextVersion(v1, p)).toBeNull();
    expect(nextVersion(v1, plan([step('a', 1, [], { estimateSeconds: 11 })]))!.version).toBe(2);
    expect(planDigest(p)).toMatch(/^[0-9a-f]{64}$/);
  });
});
