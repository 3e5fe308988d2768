import { demandOf, isCidr, resourceProblems } from './spec-checks.ts';
import { diffSpecs, stableStringify } from './spec-diff.ts';
import type { ResourceSpec } from './spi.ts';

describe('spec rules', () => {
  const vm: ResourceSpec = { tenant: 't', kind: 'vm', name: 'app-01', arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu: 4, memoryGiB: 8, storageGiB: 100 } };

  const cases: { why: string; spec: ResourceSpec; problem?: RegExp }[] = [
    { why: 'a complete vm is fine', spec: vm },
    { why: 'names are DNS labels', spec: { ...vm, name: 'App_01' }, problem: /DNS label/ },
    { why: 'a vm needs an arch', spec: { ...vm, arch: undefined }, problem: /needs arch/ },
    { why: 'a workload needs whole replicas', spec: { ...vm, kind: 'workload', size: { vcpu: 1, memoryGiB: 2, replicas: 1.5 } }, problem: /replicas/ },
    { why: 'a volume needs storage', spec: { tenant: 't', kind: 'volume', name: 'v', size: {} }, problem: /storageGiB/ },
    { why: 'sizes are not negative', spec: { ...vm, size: { vcpu: -1, memoryGiB: 8 } }, problem: /non-negative/ },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const problems = resourceProblems(c.spec);
      if (c.problem === undefined) expect(problems).toEqual([]);
      else expect(problems.join('; ')).toMatch(c.problem);
    });
  }

  it('charges workloads per replica and segments nothing', () => {
    expect(demandOf({ ...vm, kind: 'workload', size: { vcpu: 2, memoryGiB: 4, replicas: 3 } })).toEqual({ vcpu: 6, memoryGiB: 12, storageGiB: 0, gpu: 0 });
    expect(demandOf({ tenant: 't', kind: 'network-segment', name: 'n', size: {}, cidr: '10.0.0.0/24' })).toEqual({ vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 });
  });

  it('recognises IPv4 and IPv6 CIDRs', () => {
    expect(['10.36.0.0/16', '240e:6b0:1::/48'].map(isCidr)).toEqual([true, true]);
    expect(['10.36.0.0', '10.36.0.0/33', '240e::/129', 'x/8', '10.0.0.0/8/1'].map(isCidr)).toEqual([false, false, false, false, false]);
  });
});

describe('diffSpecs', () => {
  it('compares only what the desired spec states', () => {
    expect(diffSpecs({ size: { vcpu: 4 } }, { size: { vcpu: 4, memoryGiB: 8 }, zone: 'az1' })).toEqual([]);
    expect(diffSpecs({ size: { vcpu: 8 }, labels: { owner: 'a' } }, { size: { vcpu: 4 }, labels: {} })).toEqual([
      { path: 'labels.owner', desired: 'a', actual: undefined },
      { path: 'size.vcpu', desired: 8, actual: 4 },
    ]);
  });

  it('fingerprints objects independently of key order', () => {
    expect(stableStringify({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
