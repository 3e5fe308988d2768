import { checkProtection, rpoFloorSeconds, type ProtectionSpec, type SystemFacts } from './protection.ts';
import { LINKS, PROD, REMOTE, SAME_CITY } from '../../testing/dr-domain-fixtures.ts';

describe('protection', () => {
  const systems: SystemFacts[] = [{ id: 'a', name: '统一身份认证', drLevel: 5, drEdition: '2025' }];
  const spec: ProtectionSpec = {
    systemIds: ['a'], mode: 'active-standby', centres: { production: PROD, sameCity: SAME_CITY, remote: REMOTE },
    rtoSeconds: 3600, rpoSeconds: 60, resources: [], standby: [{ centre: SAME_CITY, vcpu: 8, memoryGiB: 32, storageGiB: 100 }],
  };

  it('accepts a level-5 group on a sync same-city link', () => expect(() => checkProtection(spec, systems, LINKS)).not.toThrow());

  it('gives the RPO floor of each mode', () => {
    expect(rpoFloorSeconds('active-standby', { mode: 'sync' })).toBe(0);
    expect(rpoFloorSeconds('active-standby', { mode: 'async', nominalLagSeconds: 30 })).toBe(30);
    expect(rpoFloorSeconds('cold-backup', undefined, 3600)).toBe(3600);
  });

  const cases: [string, Partial<ProtectionSpec>, SystemFacts[], RegExp][] = [
    ['an RPO below what the async link can give', { centres: { production: PROD, remote: REMOTE }, rpoSeconds: 5, standby: [] }, [{ ...systems[0]!, drLevel: 3 }], /RPO target 5 s is below what the group can give: its async link jxp-gz gives at best 30 s/],
    ['level 6 without dual-active', { rpoSeconds: 0, rtoSeconds: 600 }, [{ ...systems[0]!, drLevel: 6 }], /level 6: .*needs dual-active/],
    ['level 4 without a same-city centre', { centres: { production: PROD, remote: REMOTE }, standby: [] }, [{ ...systems[0]!, drLevel: 4 }], /level 4 and above need a same-city DR centre/],
    ['a target looser than the level', { rpoSeconds: 7200 }, systems, /统一身份认证: RPO target 2 h is looser than level 5 allows/],
    ['standby capacity at production', { standby: [{ centre: PROD, vcpu: 1, memoryGiB: 1, storageGiB: 1 }] }, systems, /not at production/],
    ['cold backup for level 5', { mode: 'cold-backup' }, systems, /cannot be met by cold backup/],
  ];
  for (const [why, change, sys, message] of cases) {
    it(`refuses ${why}`, () => expect(() => checkProtection({ ...spec, ...change }, sys, LINKS)).toThrowError(message));
  }
});
