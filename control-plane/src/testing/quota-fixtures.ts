import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { ensureNodeFor, ensureSystemNode } from '../quotas/nodes.ts';
import { setLimitsOn, type LimitInput } from '../quotas/limits.ts';
import type { QuotaLevel } from '../quotas/contract.ts';

/**
 * Fixture world for quota specs, the two-process tests and the bench: cloud registry rows (no provider
 * needed: quotas only name clouds), departments under cities, business systems, their quota nodes.
 */

export async function seedCloudRow(db: Queryable, id: string, region = '3601'): Promise<void> {
  await db.query(
    `INSERT INTO clouds (id, name, name_en, provider_kind, region, kind, site_roles, certifications)
     VALUES ($1, $2, $3, 'simulated', $4, 'general', '{production}', '{3}') ON CONFLICT (id) DO NOTHING`,
    [id, `测试云 ${id}`, `Test cloud ${id}`, region],
  );
}

let creditSeq = 0;
/** A department with a unique (valid-looking) credit code; division code decides its city. */
export async function seedQuotaDepartment(db: Queryable, name: string, divisionCode: string): Promise<string> {
  const id = newId();
  const body = `11360000${String((Date.now() % 1e6) * 1000 + (creditSeq++ % 1000)).padStart(9, '0').slice(-9)}`;
  // The check character is not verified by the table; the departments API verifies it.
  await db.query(`INSERT INTO departments (id, name, credit_code, division_code) VALUES ($1, $2, $3, $4)`, [id, name, `${body}X`, divisionCode]);
  return id;
}

/** The cloud `qc-one` and two departments in different cities: 甲局 (division 360102) and 乙局 (3602). */
export async function seedQuotaCloudAndTwoDepartments(db: Queryable): Promise<{ deptA: string; deptB: string }> {
  await seedCloudRow(db, 'qc-one');
  const deptA = await seedQuotaDepartment(db, '甲局', '360102');
  const deptB = await seedQuotaDepartment(db, '乙局', '3602');
  return { deptA, deptB };
}

export async function seedSystem(db: Queryable, departmentId: string, name: string): Promise<string> {
  const id = newId();
  await db.query(
    `INSERT INTO business_systems (id, department_id, name, mlps_level, data_classification, architectures, dr_level, dr_edition, rpo_seconds, rto_seconds)
     VALUES ($1, $2, $3, 2, 'internal', '{x86_64}', 2, '2007', 3600, 14400)`,
    [id, departmentId, name],
  );
  await ensureSystemNode(db, { systemId: id, departmentId });
  return id;
}

export async function limit(db: Queryable, level: QuotaLevel, ref: string, limits: LimitInput[]): Promise<string> {
  const node = await ensureNodeFor(db, level, ref);
  await setLimitsOn(db, node, limits, 'fixture', 'fixture');
  return node.id;
}

/** Digest of everything quota-related: a refused call must leave it exactly as it was. */
export async function quotaSnapshot(db: Queryable): Promise<Record<string, unknown>> {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT (SELECT count(*)::int FROM quota_nodes) AS nodes,
            (SELECT md5(COALESCE(string_agg(concat_ws(',', node_id, cloud_id, resource_class, limit_amount, soft_limit, cap, reserved, committed), '|' ORDER BY node_id, cloud_id, resource_class), '')) FROM quota_usage) AS usage,
            (SELECT md5(COALESCE(string_agg(concat_ws(',', id, state, idempotency_key), '|' ORDER BY id), '')) FROM quota_reservations) AS reservations,
            (SELECT count(*)::int FROM quota_ledger) AS ledger,
            (SELECT md5(COALESCE(string_agg(concat_ws(',', id, status, requested_limit), '|' ORDER BY id), '')) FROM quota_change_requests) AS changes,
            (SELECT md5(COALESCE(string_agg(concat_ws(',', cloud_id, resource_class, ratio), '|' ORDER BY cloud_id, resource_class), '')) FROM quota_overcommit) AS overcommit`,
  );
  return row!;
}

/**
 * The invariants, checked from the database: never above a cap at any level; every counter equals the sum
 * of its subtree's ledger lines; every reservation's ledger lines net to exactly its state (held: reserved,
 * committed: committed, released/expired: nothing) — so no reservation counts in two states or none.
 * Returns a list of violations (empty when all hold).
 */
export async function quotaViolations(db: Queryable): Promise<string[]> {
  const over = await db.query<{ v: string }>(
    `SELECT concat('over cap: ', node_id, ' ', cloud_id, ' ', resource_class, ' ', reserved + committed, ' > ', cap) AS v
     FROM quota_usage WHERE cap IS NOT NULL AND reserved + committed > cap`,
  );
  const ledger = await db.query<{ v: string }>(
    `SELECT concat('counter ≠ ledger: ', n.level, ' ', n.ref, ' ', u.cloud_id, ' ', u.resource_class, ' counters ', u.reserved, '/', u.committed,
                   ' ledger ', COALESCE(s.r, 0), '/', COALESCE(s.c, 0)) AS v
     FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id
     LEFT JOIN LATERAL (
       SELECT sum(l.reserved_delta) AS r, sum(l.committed_delta) AS c FROM quota_ledger l JOIN quota_nodes m ON m.id = l.node_id
       WHERE m.path LIKE n.path || '%' AND l.cloud_id = u.cloud_id AND l.resource_class = u.resource_class
     ) s ON true
     WHERE u.reserved <> COALESCE(s.r, 0) OR u.committed <> COALESCE(s.c, 0)`,
  );
  const states = await db.query<{ v: string }>(
    `WITH nets AS (
       SELECT r.id, r.state, (SELECT COALESCE(sum((i->>'amount')::bigint), 0) FROM jsonb_array_elements(r.items) i) AS amount,
              COALESCE(sum(l.reserved_delta), 0) AS res, COALESCE(sum(l.committed_delta), 0) AS com
       FROM quota_reservations r LEFT JOIN quota_ledger l ON l.reservation_id = r.id GROUP BY r.id)
     SELECT concat('reservation ', id, ' is ', state, ' but its ledger nets to ', res, ' reserved / ', com, ' committed of ', amount) AS v FROM nets
     WHERE NOT ((state = 'held' AND res = amount AND com = 0) OR (state = 'committed' AND res = 0 AND com = amount) OR (state IN ('released', 'expired') AND res = 0 AND com = 0))`,
  );
  return [...over, ...ledger, ...states].map((r) => r.v);
}
