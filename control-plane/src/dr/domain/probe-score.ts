/**
 * A probe step passes on a weighted score: each check has a weight; the step passes when the weight of
 * the checks that passed, over the total, reaches the pass score. (A business probe of three URLs and a
 * database query can pass with one static page down, never with the database down, if weighted so.)
 */
export interface CheckResult {
  readonly id: string;
  readonly weight: number;
  readonly passed: boolean;
  /** What was observed (status code, row, sample value) or why it failed. */
  readonly detail: string;
  readonly durationMs: number;
}

export interface ProbeVerdict {
  readonly score: number;
  readonly passScore: number;
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
}

export function scoreProbe(results: readonly CheckResult[], passScore: number): ProbeVerdict {
  const total = results.reduce((a, r) => a + r.weight, 0);
  const got = results.reduce((a, r) => a + (r.passed ? r.weight : 0), 0);
  const score = total === 0 ? 0 : got / total;
  // Rounding guard: 0.1 + 0.2 style sums must not fail a probe that met its score exactly.
  return { score, passScore, passed: score + 1e-9 >= passScore, checks: results };
}

export function compare(op: '<' | '<=' | '>' | '>=' | '==', actual: number, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
  }
}
