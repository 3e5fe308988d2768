import { assertWindowNotPast, departmentWindows, formatLocal, slotInWindow } from './calendar.ts';
import { smallPlan } from '../testing/migration-plan-fixtures.ts';

describe('department maintenance windows', () => {
  it('places a slot on its weekday inside the window\'s week, in China time', () => {
    const inst = slotInWindow({ id: 'W1', weekStart: '2026-03-02' }, { weekday: 6, start: '22:00', hours: 8 });
    expect(formatLocal(inst.start)).toBe('2026-03-07 22:00');
    expect(formatLocal(inst.end)).toBe('2026-03-08 06:00');
  });

  it('closes a window whose slot touches a blackout, and says which', () => {
    const plan = smallPlan({ blackouts: [{ from: '2026-03-08', to: '2026-03-08', reason: '重要活动保障', departmentIds: null }] });
    const tax = departmentWindows(plan).get('tax')!;
    expect(tax.map((w) => w.open)).toEqual([false, true, true, true]);
    expect(tax[0]!.closed).toEqual([{ kind: 'blackout', blackout: plan.blackouts[0]! }]);
    // The Wednesday slot of the same week misses it.
    expect(departmentWindows(plan).get('health')!.map((w) => w.open)).toEqual([true, true, true, true]);
  });

  it('applies a department\'s own blackout to it only', () => {
    const plan = smallPlan({ blackouts: [{ from: '2026-03-04', to: '2026-03-04', reason: '卫健委年报', departmentIds: ['health'] }] });
    const windows = departmentWindows(plan);
    expect(windows.get('health')!.map((w) => w.open)).toEqual([false, true, true, true]);
    expect(windows.get('tax')!.map((w) => w.open)).toEqual([true, true, true, true]);
  });

  it('closes slots that start before notBefore', () => {
    const plan = smallPlan({ notBefore: '2026-03-12T00:00:00+08:00' });
    expect(departmentWindows(plan).get('health')!.map((w) => w.open)).toEqual([false, false, true, true]);
    expect(departmentWindows(plan).get('tax')!.map((w) => w.open)).toEqual([false, true, true, true]);
    expect(departmentWindows(plan).get('tax')![0]!.closed).toEqual([{ kind: 'past' }]);
  });

  it('uses the second slot of the week when the first is blacked out', () => {
    const plan = smallPlan({
      departments: [{ departmentId: 'tax', name: '税务局', slots: [{ weekday: 3, start: '23:00', hours: 5 }, { weekday: 6, start: '22:00', hours: 8 }] }, { departmentId: 'health', name: '卫健委', slots: [] }],
      blackouts: [{ from: '2026-03-04', to: '2026-03-05', reason: 'x', departmentIds: null }],
    });
    const w1 = departmentWindows(plan).get('tax')![0]!;
    expect(w1.open).toBeTrue();
    expect(formatLocal(w1.slot!.start)).toBe('2026-03-07 22:00');
    expect(departmentWindows(plan).get('health')![0]!.closed).toEqual([{ kind: 'no-slot' }]);
  });
});

describe('windows an operator adds', () => {
  it('refuses a window whose week is over, naming it', () => {
    const now = new Date('2026-03-10T02:00:00Z'); // Tuesday 10:00 China time, in the week of 03-09
    expect(() => assertWindowNotPast({ id: 'W1', weekStart: '2026-03-02' }, now)).toThrowError(/window W1 \(week of 2026-03-02\) is in the past/);
    expect(() => assertWindowNotPast({ id: 'W2', weekStart: '2026-03-09' }, now)).not.toThrow();
  });
});
