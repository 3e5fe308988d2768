import type { Scope } from '../auth/scope.ts';

/**
 * The one way a caller's department scope becomes SQL. Province-wide scope (`departmentIds: null`) → no
 * condition (null); a department scope → `column = ANY($n::uuid[])` over the caller's department subtree, the
 * ids pushed onto `params`. `shared: true` also admits rows owned by no department (`column IS NULL`), for
 * tables where such rows are shared by everyone. Repositories that read department-owned rows take the
 * caller's Scope and build their WHERE clause with this; nobody writes `department_id = ANY(…)` by hand.
 */
export function scopeFilter(scope: Scope, params: unknown[], column: string, opts: { shared?: boolean } = {}): string | null {
  if (scope.departmentIds === null) return null;
  const own = `${column} = ANY($${params.push(scope.departmentIds)}::uuid[])`;
  return opts.shared ? `(${column} IS NULL OR ${own})` : own;
}

/** Joins conditions with AND, skipping the absent ones (`TRUE` when none is left). */
export function allOf(...conditions: (string | null | undefined)[]): string {
  const present = conditions.filter((c): c is string => !!c);
  return present.length ? present.join(' AND ') : 'TRUE';
}
