import { checkPlan, effectiveGraph, type PlanStep } from './plan.ts';
import { plan, step, world } from '../../testing/dr-domain-fixtures.ts';

const action = (id: string, group: number, dependsOn: string[], operation: string, extra: Partial<PlanStep> = {}) =>
  step(id, group, dependsOn, { kind: 'action', operation, at: 'target', systemId: 'sys-a', ...extra } as Partial<PlanStep>);

describe('DR plan checks', () => {
  const good = plan([
    action('promote-db', 1, [], 'promoteReplica'),
    action('start-app', 2, [], 'scaleStandby', { replicas: 3 } as Partial<PlanStep>),
    step('verify', 3, ['start-app'], { kind: 'probe', checks: [{ id: 'home', type: 'http', url: 'http://127.0.0.1/', expectStatus: 200, weight: 1 }], passScore: 1, timeoutSeconds: 30 } as Partial<PlanStep>),
    step('confirm', 3, ['verify'], { kind: 'manual', prompt: { zh: '业务确认', en: 'business confirms' } } as Partial<PlanStep>),
  ]);

  it('accepts a well-formed plan', () => expect(() => checkPlan(good, world())).not.toThrow());

  const bad: [string, () => void, RegExp][] = [
    ['a cycle, naming it', () => checkPlan(plan([step('a', 1, ['c']), step('b', 1, ['a']), step('c', 1, ['b'])]), world()), /the plan's steps form a cycle: (a → c → b → a|b → a → c → b|c → b → a → c)/],
    ['an unknown system', () => checkPlan(plan([action('x', 1, [], 'promoteReplica', { systemId: 'ghost' })]), world()), /step x names system ghost, which is not in the plan's protection group/],
    ['an operation the cloud does not declare', () => checkPlan(plan([action('x', 1, [], 'promoteReplica')]), world({ capabilities: (c) => (c === 'jx-dr-ganzhou' ? ['scaleStandby'] : ['promoteReplica']) })), /step x: cloud jx-dr-ganzhou \(target of to remote\) does not support promoteReplica/],
    ['a dependency on a later group', () => checkPlan(plan([step('a', 1, ['b']), step('b', 2)]), world()), /step a \(group 1\) depends on b of a later group \(2\)/],
    ['an unknown dependency', () => checkPlan(plan([step('a', 1, ['zz'])]), world()), /depends on unknown step zz/],
    ['a step in an undefined group', () => checkPlan(plan([step('a', 9)]), world()), /priority group 9, which the plan does not define/],
    ['a wait without a reason', () => checkPlan(plan([step('a', 1, [], { reason: '  ' } as Partial<PlanStep>)]), world()), /a wait needs a reason/],
    ['a probe pass score above 1', () => checkPlan(plan([step('p', 1, [], { kind: 'probe', checks: [{ id: 'c', type: 'tcp', host: 'h', port: 1, weight: 1 }], passScore: 1.5, timeoutSeconds: 5 } as Partial<PlanStep>)]), world()), /pass score must be within/],
    ['a manual step without an English prompt', () => checkPlan(plan([step('m', 1, [], { kind: 'manual', prompt: { zh: '确认', en: '' } } as Partial<PlanStep>)]), world()), /prompt in Chinese and English/],
    ['a reference to a step of no other plan', () => checkPlan(plan([step('a', 1, ['other:x'])]), world({ externalStep: () => false })), /depends on other:x, which is not a step of another plan/],
    ['a repeated id', () => checkPlan(plan([step('a', 1), step('a', 2)]), world()), /step id a is used twice/],
  ];
  for (const [why, fn, message] of bad) it(`refuses ${why}`, () => expect(fn).toThrowError(message));

  it('makes a step without dependencies wait for the whole previous group, and one with dependencies for those only', () => {
    const g = effectiveGraph(plan([
      step('db1', 1), step('db2', 1, ['db1']), step('cache', 1),
      step('app', 2), step('api', 2, ['db2']),
      step('web', 3),
    ]));
    expect(g.get('db1')).toEqual([]);
    expect(g.get('app')!.sort()).toEqual(['cache', 'db2']); // the exits of group 1: all of it, transitively
    expect(g.get('api')).toEqual(['db2']); // not held by cache
    expect(g.get('web')!.sort()).toEqual(['api', 'app']);
  });

  it('skips an empty group when finding the previous one', () => {
    const g = effectiveGraph(plan([step('a', 1), step('b', 3)]));
    expect(g.get('b')).toEqual(['a']);
  });
});
