import { compliantInput, withCloud, withSystem } from '../testing/policy-fixtures.ts';
import { describePolicy } from '../spec-support.ts';
import { requireXinchuangCloud } from './require-xinchuang-cloud.ts';

describePolicy(requireXinchuangCloud, [
  { why: 'the fixture does not require Xinchuang', input: compliantInput, outcome: 'not-applicable' },
  { why: 'Xinchuang required, cloud is general', input: () => withSystem({ xinchuangRequired: true }), outcome: 'deny' },
  { why: 'Xinchuang required, cloud is Xinchuang', input: () => ({ ...withSystem({ xinchuangRequired: true }), cloud: withCloud({ kind: 'xinchuang' }).cloud }), outcome: 'pass' },
  { why: 'no cloud to judge yet', input: () => ({ ...withSystem({ xinchuangRequired: true }), cloud: null }), outcome: 'not-applicable' },
]);
