import { compliantInput, withCloud, withSystem } from '../testing/policy-fixtures.ts';
import { describePolicy } from '../spec-support.ts';
import { requireCompatibleArchitecture } from './require-compatible-architecture.ts';

describePolicy(requireCompatibleArchitecture, [
  { why: 'x86_64 system on a cloud offering x86_64', input: compliantInput, outcome: 'pass' },
  { why: 'loongarch64-only system on an x86/arm cloud', input: () => withSystem({ architectures: ['loongarch64'] }), outcome: 'deny' },
  { why: 'x86_64 system on an arm64-only cloud', input: () => withCloud({ architectures: ['arm64'] }), outcome: 'deny' },
  { why: 'a system that runs on either fits an arm64-only cloud', input: () => ({ ...withCloud({ architectures: ['arm64'] }), system: withSystem({ architectures: ['x86_64', 'arm64'] }).system }), outcome: 'pass' },
  { why: 'a cloud whose capacity is unknown offers nothing yet', input: () => withCloud({ architectures: [] }), outcome: 'deny' },
]);
