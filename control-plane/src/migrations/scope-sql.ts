import type { Scope } from '../auth/scope.ts';

/**
 * The caller's scope as a SQL condition on a department column: province-wide scope → no condition,
 * otherwise `column = ANY($n::uuid[])` over the caller's department subtree. ARCHITECTURE.md plans one
 * shared helper for this (`store/scope-filter.ts`, owned by the security work); until it lands the
 * migrations repositories all go through this one function, so switching is a one-line change here.
 */
export function scopeCondition(scope: Scope, params: unknown[], column: string): string | null {
  if (scope.departmentIds === null) return null;
  return `${column} = ANY($${params.push(scope.departmentIds)}::uuid[])`;
}

export function whereOf(conditions: (string | null | undefined)[]): string {
  const c = conditions.filter((x): x is string => !!x);
  return c.length ? `WHERE ${c.join(' AND ')}` : '';
}
