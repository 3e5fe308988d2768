import { evaluate, verdictOf } from './evaluate.ts';
import { compliantInput, withSystem } from './testing/policy-fixtures.ts';
import { catalogue, POLICY_FACTORIES } from './index.ts';

describe('the catalogue and its evaluation', () => {
  it('lists every rule once, each with a rationale, the plan cited where the rule follows it', () => {
    const all = catalogue();
    expect(all.map((p) => p.id)).toEqual(Object.keys(POLICY_FACTORIES));
    expect(all.filter((p) => p.reference?.includes('jiangxi-digital-government-plan')).length).toBeGreaterThanOrEqual(4);
  });

  it('allows the compliant fixture with no warnings', () => {
    const v = verdictOf(evaluate(catalogue(), compliantInput()));
    expect([v.allowed, v.quotaIncrease, v.warnings.length]).toEqual([true, false, 0]);
  });

  it('denies through a mandatory rule, warns through the same rule made advisory', () => {
    const input = withSystem({ dataClassification: 'classified' });
    expect(verdictOf(evaluate(catalogue(), input)).denials.map((d) => d.policyId)).toEqual(['refuse-classified-systems']);
    const relaxed = verdictOf(evaluate(catalogue({ 'refuse-classified-systems': 'advisory' }), input));
    expect([relaxed.allowed, relaxed.warnings.map((w) => w.policyId)]).toEqual([true, ['refuse-classified-systems']]);
  });

  it('evaluates only the scopes asked for', () => {
    const results = evaluate(catalogue(), compliantInput(), ['system']);
    expect(results.map((r) => r.scope)).toEqual(['system']);
  });
});
