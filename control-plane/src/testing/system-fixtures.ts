/**
 * Business systems for specs that list, search or link them, written in one statement and without quota nodes
 * (for systems with quota nodes, see quota-fixtures.ts `seedSystem`). Every one is an ordinary system: MLPS level 2,
 * internal data, x86_64, DR level 2 (GB/T 20988-2007), RPO one hour, RTO four hours.
 */
import type { Queryable } from '../store/store.ts';
import type { SystemStatus } from '../systems/systems-repo.ts';

/** Systems of a department with these names (and status, and cloud); their ids, in the order of the names. */
export async function seedSystems(
  db: Queryable,
  departmentId: string,
  names: readonly string[],
  opts: { status?: SystemStatus; cloudId?: string } = {},
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO business_systems (id, department_id, name, mlps_level, data_classification, architectures, dr_level, dr_edition, rpo_seconds, rto_seconds, status, cloud_id)
     SELECT gen_random_uuid(), $1, n.name, 2, 'internal', '{x86_64}', 2, '2007', 3600, 14400, $3, $4
       FROM unnest($2::text[]) WITH ORDINALITY AS n(name, i) ORDER BY n.i
     RETURNING id`,
    [departmentId, names, opts.status ?? 'registered', opts.cloudId ?? null],
  );
  return rows.map((r) => r.id);
}

/** `count` names `prefix001`, `prefix002`… (three digits at least). */
export const numberedNames = (prefix: string, count: number, from = 1): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(3, '0')}`);
