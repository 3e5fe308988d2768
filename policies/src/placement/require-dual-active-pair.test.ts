import { compliantCloud, compliantInput, withCloud, withSystem } from '../testing/policy-fixtures.ts';
import { describePolicy } from '../spec-support.ts';
import { requireDualActivePair } from './require-dual-active-pair.ts';

const level6 = withSystem({ drLevel: 6 }).system;

describePolicy(requireDualActivePair, [
  { why: 'level 2 needs no pair', input: compliantInput, outcome: 'not-applicable' },
  { why: 'level 5 needs no pair', input: () => withSystem({ drLevel: 5 }), outcome: 'not-applicable' },
  { why: 'level 6 on a dual-active cloud with a dual-active partner in its city', input: () => withSystem({ drLevel: 6 }), outcome: 'pass' },
  { why: 'level 6 on a cloud that is not dual-active', input: () => ({ ...withCloud({ dualActive: false }), system: level6 }), outcome: 'deny' },
  {
    why: 'level 6 when the only partner is in another city',
    input: () => ({ ...compliantInput(), system: level6, clouds: [compliantCloud(), compliantCloud({ id: 'ganzhou', region: '3607' })] }),
    outcome: 'deny',
  },
  {
    why: 'level 6 when the partner is disabled',
    input: () => ({ ...compliantInput(), system: level6, clouds: [compliantCloud(), compliantCloud({ id: 'jx-province', enabled: false })] }),
    outcome: 'deny',
  },
]);
