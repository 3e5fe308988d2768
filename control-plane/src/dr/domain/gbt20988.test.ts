import { DEFAULT_LEVEL_TARGETS, defaultTargets, ELEMENT_IDS, ELEMENTS, levelTableProblems, targetProblems } from './gbt20988.ts';

describe('GB/T 20988 facts', () => {
  it('has seven elements, each with a clause for both editions', () => {
    expect(ELEMENT_IDS.length).toBe(7);
    for (const id of ELEMENT_IDS) {
      expect(ELEMENTS[id].clause['2007']).toBeTruthy();
      expect(ELEMENTS[id].clause['2025']).toBeTruthy();
    }
  });

  it('gives a level its loosest figure as default targets (level 6: RPO 0)', () => {
    expect(defaultTargets(6)).toEqual({ rtoSeconds: 1800, rpoSeconds: 0 });
    expect(defaultTargets(5).rpoSeconds).toBe(1800);
    // Level 1 has no upper RTO bound in the example: its only figure (> 2 days) is used.
    expect(defaultTargets(1).rtoSeconds).toBe(2 * 86_400);
  });

  it('names a target looser than the level allows', () => {
    expect(targetProblems(6, { rtoSeconds: 600, rpoSeconds: 5 })).toEqual(['RPO target 5 s is looser than level 6 allows (0 s)']);
    expect(targetProblems(5, { rtoSeconds: 3 * 86_400, rpoSeconds: 60 })).toEqual(['RTO target 3 d is looser than level 5 allows (2 d)']);
    expect(targetProblems(3, { rtoSeconds: 30 * 86_400, rpoSeconds: 3600 })).toEqual([]);
  });

  it('checks an edited level table', () => {
    expect(levelTableProblems({ ...DEFAULT_LEVEL_TARGETS })).toEqual([]);
    const edited = { ...DEFAULT_LEVEL_TARGETS, 4: { rto: { min: 7200, max: 3600 }, rpo: { min: 0, max: 60 }, drillIntervalDays: 0 } } as Record<number, (typeof DEFAULT_LEVEL_TARGETS)[1]>;
    delete edited[2];
    expect(levelTableProblems(edited)).toEqual(['level 2 is missing', 'level 4: rto maximum must be >= its minimum', 'level 4: drill interval must be a whole number of days >= 1']);
  });
});
