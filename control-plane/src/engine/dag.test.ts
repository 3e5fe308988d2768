import { validateDag } from './dag.ts';

describe('workflow DAG validation', () => {
  const step = (key: string, dependsOn: string[] = []) => ({ key, action: 'x', params: null, dependsOn });
  it('accepts a diamond', () => expect(() => validateDag([step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])])).not.toThrow());
  it('names the cycle it finds', () => {
    expect(() => validateDag([step('a', ['c']), step('b', ['a']), step('c', ['b']), step('d')])).toThrowError(/cycle: (a → c → b → a|c → b → a → c|b → a → c → b)/);
  });
  it('refuses a self-dependency, an unknown dependency and a repeated key', () => {
    expect(() => validateDag([step('a', ['a'])])).toThrowError(/cycle: a → a/);
    expect(() => validateDag([step('a', ['ghost'])])).toThrowError(/unknown step ghost/);
    expect(() => validateDag([step('a'), step('a')])).toThrowError(/used twice/);
  });
  it('handles a 5,000-step chain without recursion limits', () => {
    const steps = Array.from({ length: 5000 }, (_, i) => step(`s${i}`, i ? [`s${i - 1}`] : []));
    expect(() => validateDag(steps)).not.toThrow();
    steps[0]!.dependsOn = ['s4999'];
    expect(() => validateDag(steps)).toThrowError(/cycle/);
  });
});
