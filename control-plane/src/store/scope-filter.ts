import type { Scope } from '../auth/scope.ts';

/**
 * The one way a caller's department scope becomes SQL. Province-wide scope (`departmentIds: null`) → no
 * condition (null); a department scope → `column = ANY($n::uuid[])` over the caller's department subtree, the
 * ids pushed onto `params` (a subtree of exactly one department → `column = $n::uuid`, so the planner can walk a
 * (department, sort key) index in order and stop at the page). `shared: true` also admits rows owned by no
 * department (`column IS NULL`), for tables where such rows are shared by everyone. `array: true` is for a
 * `uuid[]` column naming several owning departments (a row is in scope when they overlap the caller's).
 * Repositories that read department-owned rows take the caller's Scope and build their WHERE clause with
 * this; nobody writes `department_id = ANY(…)` by hand.
 */
export function scopeFilter(scope: Scope, params: unknown[], column: string, opts: { shared?: boolean; array?: boolean } = {}): string | null {
  const ids = scope.departmentIds;
  if (ids === null) return null;
  const own = opts.array
    ? `${column} && $${params.push(ids)}::uuid[]`
    : ids.length === 1 ? `${column} = $${params.push(ids[0])}::uuid` : `${column} = ANY($${params.push(ids)}::uuid[])`;
  return opts.shared ? `(${column} IS NULL OR ${own})` : own;
}

/** Joins conditions with AND, skipping the absent ones (`TRUE` when none is left). */
export function allOf(...conditions: (string | null | undefined)[]): string {
  const present = conditions.filter((c): c is string => !!c);
  return present.length ? present.join(' AND ') : 'TRUE';
}
