import type { Outcome, Policy, PolicyInput, PolicyResult } from './types.ts';

/**
 * Runs the rules of one scope (or all) against an input. A failed mandatory rule denies; a failed
 * advisory rule warns, except the quota rule whose advisory failure routes to a quota-increase request.
 * A disabled rule is listed but not run.
 */
export function evaluate(policies: readonly Policy[], input: PolicyInput, scopes?: readonly Policy['scope'][]): PolicyResult[] {
  return policies
    .filter((p) => !scopes || scopes.includes(p.scope))
    .map((p) => {
      const base = { policyId: p.id, title: p.title, enforcement: p.enforcement, scope: p.scope };
      if (p.enforcement === 'disabled') return { ...base, outcome: 'disabled' as const, message: { zh: '已停用', en: 'disabled' } };
      const finding = p.check(input);
      return { ...base, outcome: outcomeOf(p, finding.ok), message: finding.message };
    });
}

function outcomeOf(p: Policy, ok: boolean | null): Outcome {
  if (ok === null) return 'not-applicable';
  if (ok) return 'pass';
  if (p.enforcement === 'mandatory') return 'deny';
  return p.onFailure === 'quota-increase' ? 'quota-increase' : 'warn';
}

/** The verdict over a set of results: denied if any rule denies; else whether a quota increase is needed. */
export function verdictOf(results: readonly PolicyResult[]): { allowed: boolean; quotaIncrease: boolean; denials: PolicyResult[]; warnings: PolicyResult[] } {
  const denials = results.filter((r) => r.outcome === 'deny');
  return {
    allowed: denials.length === 0,
    quotaIncrease: results.some((r) => r.outcome === 'quota-increase'),
    denials,
    warnings: results.filter((r) => r.outcome === 'warn'),
  };
}
