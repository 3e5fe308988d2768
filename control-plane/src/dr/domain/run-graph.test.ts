import fc from 'fast-check';
import { composeRun, criticalPath, estimatedRtoBySystem } from './run-graph.ts';
import { plan, step } from '../../testing/dr-domain-fixtures.ts';

describe('run graph', () => {
  it('makes a system wait for the systems it depends on in other plans (from the dependency DAG)', () => {
    const idp = plan([step('db', 1, [], { systemId: 'idp' }), step('app', 2, [], { systemId: 'idp' })]);
    const portal = plan([step('web', 1, [], { systemId: 'portal' }), step('check', 2, [], { systemId: 'portal' })]);
    const nodes = composeRun([{ planId: 'p1', plan: idp }, { planId: 'p2', plan: portal }], [{ systemId: 'portal', dependsOnId: 'idp' }]);
    const web = nodes.find((n) => n.key === 'p2:web')!;
    expect(web.dependsOn).toEqual(['p1:app']);
    expect(nodes.find((n) => n.key === 'p1:db')!.dependsOn).toEqual([]);
  });

  it('names a cycle that only appears across plans', () => {
    const a = plan([step('x', 1, [], { systemId: 'a' }), step('y', 1, ['p2:z'], { systemId: 'a' })]);
    const b = plan([step('z', 1, [], { systemId: 'b' })]);
    expect(() => composeRun([{ planId: 'p1', plan: a }, { planId: 'p2', plan: b }], [{ systemId: 'b', dependsOnId: 'a' }])).toThrowError(/the run's steps form a cycle: .*p1:y.*p2:z|the run's steps form a cycle: .*p2:z.*p1:y/);
  });

  it('refuses a system recovered by two plans of one run', () => {
    const a = plan([step('x', 1, [], { systemId: 'a' })]);
    expect(() => composeRun([{ planId: 'p1', plan: a }, { planId: 'p2', plan: a }], [])).toThrowError(/system a is recovered by two plans/);
  });

  it('finds the critical path and per-system RTO estimates', () => {
    const p = plan([
      step('db', 1, [], { systemId: 'a', estimateSeconds: 60 }),
      step('cache', 1, [], { systemId: 'b', estimateSeconds: 10 }),
      step('app', 2, ['db'], { systemId: 'a', estimateSeconds: 30 }),
      step('web', 2, ['cache'], { systemId: 'b', estimateSeconds: 5 }),
    ]);
    const nodes = composeRun([{ planId: 'p', plan: p }], []);
    const cp = criticalPath(nodes, (k) => nodes.find((n) => n.key === k)!.step.estimateSeconds);
    expect(cp.length).toBe(90);
    expect(cp.path).toEqual(['p:db', 'p:app']);
    expect(Object.fromEntries(estimatedRtoBySystem(nodes))).toEqual({ a: 90, b: 15 });
  });

  it('agrees with a brute-force longest path on random DAGs', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(20), fc.array(fc.nat(), { maxLength: 3 })), { minLength: 1, maxLength: 25 }), (spec) => {
      const nodes = spec.map(([, deps], i) => ({ key: `n${i}`, dependsOn: i === 0 ? [] : [...new Set(deps.map((d) => `n${d % i}`))] }));
      const dur = (k: string) => spec[Number(k.slice(1))]![0];
      const memo = new Map<string, number>();
      const finish = (k: string): number => {
        if (!memo.has(k)) memo.set(k, dur(k) + Math.max(0, ...nodes[Number(k.slice(1))]!.dependsOn.map(finish)));
        return memo.get(k)!;
      };
      const cp = criticalPath(nodes, dur);
      expect(cp.length).toBe(Math.max(...nodes.map((n) => finish(n.key))));
      expect(cp.path.reduce((a, k) => a + dur(k), 0)).toBe(cp.length);
    }));
  });

  it('orders 1,000 steps without recursion', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => step(`s${i}`, 1, i ? [`s${i - 1}`] : [], { estimateSeconds: 1 }));
    const nodes = composeRun([{ planId: 'p', plan: plan(steps, [1]) }], []);
    expect(criticalPath(nodes, () => 1).length).toBe(1000);
  });
});
