import { readiness, type ReadinessInput } from './readiness.ts';
import { LINKS } from '../../testing/dr-domain-fixtures.ts';

describe('readiness', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const ready: ReadinessInput = {
    drLevel: 5, rpoSeconds: 60, now, lastPassedDrillAt: new Date('2026-01-10T00:00:00Z'),
    protection: { mode: 'active-standby', hasSameCity: true, hasRemote: true, links: LINKS, capacity: { needed: 16, reserved: 16 }, missingResources: [], hasPlan: true },
  };

  it('is ready when every check holds, with the current RPO from the best live link', () => {
    const r = readiness(ready);
    expect(r.state).toBe('ready');
    expect(r.currentRpoSeconds).toBe(0);
    expect(r.daysSinceDrill).toBe(50);
  });

  it('is unprotected without a protection group', () => {
    expect(readiness({ ...ready, protection: undefined }).state).toBe('unprotected');
  });

  const cases: [string, Partial<NonNullable<ReadinessInput['protection']>>, Partial<ReadinessInput>, string, string][] = [
    ['a broken link', { links: LINKS.map((l) => ({ ...l, state: 'broken' as const })) }, {}, 'not-ready', 'link'],
    ['too little standby capacity', { capacity: { needed: 16, reserved: 8 } }, {}, 'not-ready', 'capacity'],
    ['a protected resource gone from the inventory', { missingResources: ['resource/sys-a/vm/db-1'] }, {}, 'not-ready', 'mappings'],
    ['no plan', { hasPlan: false }, {}, 'not-ready', 'plan'],
    ['lag above the RPO target', { links: [{ ...LINKS[1]!, lagSeconds: 300 }] }, {}, 'at-risk', 'lag'],
    ['a stale drill (level 5: 180 days)', {}, { lastPassedDrillAt: new Date('2025-08-01T00:00:00Z') }, 'at-risk', 'drill'],
    ['never drilled', {}, { lastPassedDrillAt: null }, 'at-risk', 'drill'],
  ];
  for (const [why, p, top, state, failing] of cases) {
    it(`is ${state} with ${why}`, () => {
      const r = readiness({ ...ready, ...top, protection: { ...ready.protection!, ...p } });
      expect(r.state).toBe(state);
      expect(r.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual([failing as never]);
    });
  }

  it('flags a stale drill', () => {
    expect(readiness({ ...ready, lastPassedDrillAt: new Date('2025-08-01T00:00:00Z') }).drillStale).toBeTrue();
  });
});
