import { compliantInput, withCloud, withSystem } from '../testing/policy-fixtures.ts';
import { describePolicy } from '../spec-support.ts';
import { requireSameCityDr } from './require-same-city-dr.ts';

describePolicy(requireSameCityDr, [
  { why: 'level 2 needs no DR site', input: compliantInput, outcome: 'not-applicable' },
  { why: 'level 3 still needs none', input: () => withSystem({ drLevel: 3 }), outcome: 'not-applicable' },
  { why: 'level 4 on a cloud with a same-city DR site', input: () => withSystem({ drLevel: 4 }), outcome: 'pass' },
  { why: 'level 4 (2007 edition) on a cloud with a same-city DR site', input: () => withSystem({ drLevel: 4, drEdition: '2007' }), outcome: 'pass' },
  { why: 'level 5 on a production-only cloud', input: () => ({ ...withCloud({ siteRoles: ['production'] }), system: withSystem({ drLevel: 5 }).system }), outcome: 'deny' },
]);
