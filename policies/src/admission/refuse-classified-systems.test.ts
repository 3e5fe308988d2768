import { compliantInput, withSystem } from '../testing/policy-fixtures.ts';
import { describePolicy } from '../spec-support.ts';
import { refuseClassifiedSystems } from './refuse-classified-systems.ts';

describePolicy(refuseClassifiedSystems, [
  { why: 'the compliant fixture holds internal data', input: compliantInput, outcome: 'pass' },
  { why: 'sensitive is not classified', input: () => withSystem({ dataClassification: 'sensitive' }), outcome: 'pass' },
  { why: 'classified (涉密) data never goes on the cloud', input: () => withSystem({ dataClassification: 'classified' }), outcome: 'deny' },
  { why: 'classified is refused even at 等保 level 4', input: () => withSystem({ dataClassification: 'classified', mlpsLevel: 4 }), outcome: 'deny' },
]);
