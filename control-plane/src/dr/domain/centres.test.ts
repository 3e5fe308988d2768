import { checkCentreSet, checkTarget, failoverTarget } from './centres.ts';
import { CENTRES, PROD, REMOTE, SAME_CITY } from '../../testing/dr-domain-fixtures.ts';

describe('DR centres', () => {
  it('are the zones with a centre role (a plain availability zone is none)', () => {
    expect([...CENTRES.keys()].sort()).toEqual(['jiujiang/jiujiang-main', PROD, SAME_CITY, REMOTE].sort());
    expect(CENTRES.get(REMOTE)!.role).toBe('remote-dr');
  });

  it('accept a three-centre set', () => {
    expect(() => checkCentreSet({ production: PROD, sameCity: SAME_CITY, remote: REMOTE }, CENTRES)).not.toThrow();
  });

  const bad: [string, Parameters<typeof checkCentreSet>[0], RegExp][] = [
    ['an unknown centre', { production: PROD, remote: 'nowhere/z' }, /nowhere\/z is not a centre/],
    ['a centre in the wrong slot', { production: PROD, sameCity: REMOTE }, /is a remote-dr centre, not same-city-dr/],
    ['no DR centre at all', { production: PROD }, /at least one DR centre/],
    ['a remote centre in the production city', { production: 'jiujiang/jiujiang-main', remote: REMOTE, sameCity: SAME_CITY }, /same-city centre .* is not in the production centre's city/],
  ];
  for (const [why, set, message] of bad) it(`refuse ${why}`, () => expect(() => checkCentreSet(set, CENTRES)).toThrowError(message));

  it('refuse the production centre as a failover target, naming it', () => {
    const set = { production: PROD, sameCity: SAME_CITY, remote: REMOTE };
    expect(() => checkTarget(set, PROD)).toThrowError(`the target ${PROD} is the production centre: fail over to a DR centre`);
    expect(checkTarget(set, REMOTE)).toBe('remote-dr');
  });

  it('fail over to same-city first, straight to remote when same-city is lost too', () => {
    const set = { production: PROD, sameCity: SAME_CITY, remote: REMOTE };
    expect(failoverTarget(set, new Set([PROD]))).toBe(SAME_CITY);
    expect(failoverTarget(set, new Set([PROD, SAME_CITY]))).toBe(REMOTE);
    expect(failoverTarget(set, new Set([PROD, SAME_CITY, REMOTE]))).toBeUndefined();
  });
});
