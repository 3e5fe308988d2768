import { evaluate } from './evaluate.ts';
import type { Outcome, Policy, PolicyInput } from './types.ts';

export interface Case {
  /** One line: what changed from the compliant fixture and why the outcome follows. */
  why: string;
  input: () => PolicyInput;
  outcome: Outcome;
}

/** Runs a table of cases against a policy factory at its mandatory level, plus the advisory and disabled levels once. */
export function describePolicy(factory: (e?: 'mandatory' | 'advisory' | 'disabled') => Policy, cases: Case[]) {
  const outcome = (p: Policy, input: PolicyInput) => evaluate([p], input)[0]!.outcome;
  describe(factory().id, () => {
    for (const c of cases) it(`${c.outcome}: ${c.why}`, () => expect(outcome(factory('mandatory'), c.input())).toBe(c.outcome));
    it('has an id, titles in both languages and a rationale', () => {
      const p = factory();
      expect(p.id).toMatch(/^[a-z-]+$/);
      for (const t of [p.title, p.rationale]) expect([t.zh.length > 3, t.en.length > 3]).toEqual([true, true]);
    });
    const failing = cases.find((c) => c.outcome === 'deny' || c.outcome === 'quota-increase');
    if (failing) {
      it('only warns (or routes) when advisory, and is skipped when disabled', () => {
        const advisory = factory('advisory');
        expect(outcome(advisory, failing.input())).toBe(advisory.onFailure === 'quota-increase' ? 'quota-increase' : 'warn');
        expect(outcome(factory('disabled'), failing.input())).toBe('disabled');
      });
    }
  });
}
