import { compliantInput, withCloud, withSystem } from '../testing/policy-fixtures.ts';
import { describePolicy } from '../spec-support.ts';
import { requireMlpsCertification } from './require-mlps-certification.ts';

describePolicy(requireMlpsCertification, [
  { why: 'level 2 needs no certified platform', input: compliantInput, outcome: 'not-applicable' },
  { why: 'level 3 on a cloud certified up to 3', input: () => withSystem({ mlpsLevel: 3 }), outcome: 'pass' },
  { why: 'level 4 on a cloud certified only up to 3', input: () => withSystem({ mlpsLevel: 4 }), outcome: 'deny' },
  { why: 'level 3 on a cloud certified only at 2', input: () => ({ ...withCloud({ certifications: [2] }), system: withSystem({ mlpsLevel: 3 }).system }), outcome: 'deny' },
  { why: 'level 4 on a cloud certified up to 4', input: () => ({ ...withCloud({ certifications: [2, 3, 4] }), system: withSystem({ mlpsLevel: 4 }).system }), outcome: 'pass' },
]);
