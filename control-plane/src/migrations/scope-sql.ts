import { scopeFilter } from '../store/scope-filter.ts';
import type { Scope } from '../auth/scope.ts';

/**
 * The caller's scope as a SQL condition on a department column: province-wide scope → no condition,
 * otherwise `column = ANY($n::uuid[])` over the caller's department subtree: the shared helper
 * `store/scope-filter.ts` (the migrations repositories call it through this name).
 */
export function scopeCondition(scope: Scope, params: unknown[], column: string): string | null {
  return scopeFilter(scope, params, column);
}

export function whereOf(conditions: (string | null | undefined)[]): string {
  const c = conditions.filter((x): x is string => !!x);
  return c.length ? `WHERE ${c.join(' AND ')}` : '';
}
