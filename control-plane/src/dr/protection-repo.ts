/** SQL of protection groups: their systems, protected resources and standby capacity. Reads take the caller's scope. */
import type { Scope } from '../auth/scope.ts';
import type { QuotaItem } from '../quotas/contract.ts';
import type { Queryable } from '../store/store.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { CentreSet } from './domain/centres.ts';
import type { ProtectedResource, ProtectionMode } from './domain/protection.ts';

export interface StandbyRow {
  readonly centre: string;
  readonly systemId: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly storageGiB: number;
  readonly reservationId: string | null;
}

export interface GroupRow {
  readonly id: string;
  readonly name: string;
  readonly departmentId: string;
  readonly departmentName: string;
  readonly mode: ProtectionMode;
  readonly centres: CentreSet;
  readonly activeCentre: string;
  readonly rtoSeconds: number;
  readonly rpoSeconds: number;
  readonly backupIntervalSeconds: number | null;
  readonly systemIds: string[];
  readonly resources: ProtectedResource[];
  readonly standby: StandbyRow[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface RawGroup {
  id: string;
  name: string;
  departmentId: string;
  departmentName: string;
  mode: ProtectionMode;
  production: string;
  sameCity: string | null;
  remote: string | null;
  activeCentre: string;
  rtoSeconds: number;
  rpoSeconds: number;
  backupIntervalSeconds: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const GROUP_ORDER = keysetOrder('asc', ['g.name', 'text']);

export const protectionRepo = {
  /** Every group in scope (or those of `ids`, or protecting a system), by department and name. */
  async list(db: Queryable, scope: Scope, opts: { ids?: readonly string[]; systemId?: string } = {}): Promise<GroupRow[]> {
    return (await protectionRepo.read(db, scope, opts)).items;
  },

  /**
   * dr.protection.list: a page of groups in name order (names are unique) through store/keyset.ts; the unique
   * name index and (department, name) of migration 0175 walk it in order.
   */
  async page(db: Queryable, scope: Scope, opts: { systemId?: string }, page: PageRequest): Promise<Page<GroupRow>> {
    return protectionRepo.read(db, scope, opts, page);
  },

  async read(db: Queryable, scope: Scope, opts: { ids?: readonly string[]; systemId?: string }, page?: PageRequest): Promise<Page<GroupRow>> {
    const params: unknown[] = [];
    const where = [scopeFilter(scope, params, 'g.department_id')];
    if (opts.ids) where.push(`g.id = ANY($${params.push(opts.ids)}::uuid[])`);
    if (opts.systemId) where.push(`EXISTS (SELECT 1 FROM dr_protected_systems ps WHERE ps.group_id = g.id AND ps.system_id = $${params.push(opts.systemId)})`);
    const k = page ? keyset(GROUP_ORDER, page, params) : undefined;
    const rows = await db.query<RawGroup>(
      `SELECT g.id, g.name, g.department_id AS "departmentId", d.name AS "departmentName", g.mode, g.production_centre AS production,
              g.same_city_centre AS "sameCity", g.remote_centre AS remote, g.active_centre AS "activeCentre", g.rto_seconds AS "rtoSeconds",
              g.rpo_seconds AS "rpoSeconds", g.backup_interval_seconds AS "backupIntervalSeconds", g.created_at AS "createdAt", g.updated_at AS "updatedAt"${k?.select ?? ''}
       FROM dr_protection_groups g JOIN departments d ON d.id = g.department_id WHERE ${allOf(...where, k?.after)}
       ORDER BY ${k ? `${k.orderBy} LIMIT ${k.limit}` : 'd.name, g.name'}`,
      params,
    );
    const { items: groups, nextCursor } = k ? k.page(rows) : { items: rows, nextCursor: null };
    if (groups.length === 0) return { items: [], nextCursor };
    const ids = groups.map((g) => g.id);
    const systems = await db.query<{ groupId: string; systemId: string }>('SELECT group_id AS "groupId", system_id AS "systemId" FROM dr_protected_systems WHERE group_id = ANY($1::uuid[]) ORDER BY system_id', [ids]);
    const resources = await db.query<{ groupId: string; cloudId: string; key: string }>('SELECT group_id AS "groupId", cloud_id AS "cloudId", key FROM dr_protected_resources WHERE group_id = ANY($1::uuid[]) ORDER BY cloud_id, key', [ids]);
    const standby = await db.query<StandbyRow & { groupId: string }>(
      `SELECT group_id AS "groupId", centre, system_id AS "systemId", vcpu, memory_gib AS "memoryGiB", storage_gib AS "storageGiB", reservation_id AS "reservationId"
       FROM dr_standby WHERE group_id = ANY($1::uuid[]) ORDER BY centre`, [ids]);
    const items = groups.map((g) => ({
      id: g.id, name: g.name, departmentId: g.departmentId, departmentName: g.departmentName, mode: g.mode,
      centres: { production: g.production, ...(g.sameCity ? { sameCity: g.sameCity } : {}), ...(g.remote ? { remote: g.remote } : {}) },
      activeCentre: g.activeCentre, rtoSeconds: g.rtoSeconds, rpoSeconds: g.rpoSeconds, backupIntervalSeconds: g.backupIntervalSeconds,
      systemIds: systems.filter((s) => s.groupId === g.id).map((s) => s.systemId),
      resources: resources.filter((r) => r.groupId === g.id).map(({ cloudId, key }) => ({ cloudId, key })),
      standby: standby.filter((s) => s.groupId === g.id).map(({ groupId: _g, ...s }) => s),
      createdAt: new Date(g.createdAt).toISOString(), updatedAt: new Date(g.updatedAt).toISOString(),
    }));
    return { items, nextCursor };
  },

  async byId(db: Queryable, scope: Scope, id: string, opts: { forUpdate?: boolean } = {}): Promise<GroupRow | undefined> {
    if (opts.forUpdate) await db.query('SELECT 1 FROM dr_protection_groups WHERE id = $1 FOR UPDATE', [id]);
    return (await this.list(db, scope, { ids: [id] }))[0];
  },

  /** Department of a group whatever the caller's scope (to tell "not yours" from "not there"). */
  async departmentOf(db: Queryable, id: string): Promise<string | undefined> {
    const [row] = await db.query<{ departmentId: string }>('SELECT department_id AS "departmentId" FROM dr_protection_groups WHERE id = $1', [id]);
    return row?.departmentId;
  },

  async nameTaken(db: Queryable, name: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM dr_protection_groups WHERE name = $1', [name])).length > 0;
  },

  /** System id → the group that already protects it. */
  async groupsOfSystems(db: Queryable, systemIds: readonly string[]): Promise<Map<string, { groupId: string; groupName: string }>> {
    const rows = await db.query<{ systemId: string; groupId: string; groupName: string }>(
      `SELECT ps.system_id AS "systemId", g.id AS "groupId", g.name AS "groupName" FROM dr_protected_systems ps JOIN dr_protection_groups g ON g.id = ps.group_id
       WHERE ps.system_id = ANY($1::uuid[])`, [systemIds]);
    return new Map(rows.map((r) => [r.systemId, { groupId: r.groupId, groupName: r.groupName }]));
  },

  async insert(db: Queryable, g: { id: string; name: string; departmentId: string; mode: ProtectionMode; centres: CentreSet; rtoSeconds: number; rpoSeconds: number; backupIntervalSeconds: number | null; createdBy: string | null; systemIds: readonly string[]; resources: readonly ProtectedResource[] }): Promise<void> {
    await db.query(
      `INSERT INTO dr_protection_groups (id, name, department_id, mode, production_centre, same_city_centre, remote_centre, rto_seconds, rpo_seconds, backup_interval_seconds, active_centre, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $5, $11)`,
      [g.id, g.name, g.departmentId, g.mode, g.centres.production, g.centres.sameCity ?? null, g.centres.remote ?? null, g.rtoSeconds, g.rpoSeconds, g.backupIntervalSeconds, g.createdBy],
    );
    await db.query('INSERT INTO dr_protected_systems (group_id, system_id) SELECT $1, unnest($2::uuid[])', [g.id, g.systemIds]);
    await this.replaceResources(db, g.id, g.resources);
  },

  async updateTargets(db: Queryable, id: string, t: { rtoSeconds: number; rpoSeconds: number }): Promise<void> {
    await db.query('UPDATE dr_protection_groups SET rto_seconds = $2, rpo_seconds = $3, updated_at = now() WHERE id = $1', [id, t.rtoSeconds, t.rpoSeconds]);
  },

  async setActiveCentre(db: Queryable, id: string, centre: string): Promise<void> {
    await db.query('UPDATE dr_protection_groups SET active_centre = $2, updated_at = now() WHERE id = $1', [id, centre]);
  },

  async replaceResources(db: Queryable, id: string, resources: readonly ProtectedResource[]): Promise<void> {
    await db.query('DELETE FROM dr_protected_resources WHERE group_id = $1', [id]);
    if (resources.length) {
      await db.query(
        `INSERT INTO dr_protected_resources (group_id, cloud_id, key) SELECT $1, r.cloud_id, r.key FROM jsonb_to_recordset($2::jsonb) AS r(cloud_id text, key text)`,
        [id, JSON.stringify(resources.map((r) => ({ cloud_id: r.cloudId, key: r.key })))],
      );
    }
  },

  async insertStandby(db: Queryable, groupId: string, s: StandbyRow): Promise<void> {
    await db.query(
      `INSERT INTO dr_standby (group_id, centre, system_id, vcpu, memory_gib, storage_gib, reservation_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [groupId, s.centre, s.systemId, s.vcpu, s.memoryGiB, s.storageGiB, s.reservationId],
    );
  },

  async delete(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM dr_protection_groups WHERE id = $1', [id]);
  },

  /** Protected resources of the groups that are no longer in the inventory (decommissioned, renamed). */
  async missingResources(db: Queryable, groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await db.query<{ groupId: string; key: string }>(
      `SELECT r.group_id AS "groupId", r.cloud_id || ':' || r.key AS key FROM dr_protected_resources r
       WHERE r.group_id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM inventory_objects o WHERE o.cloud_id = r.cloud_id AND o.key = r.key AND o.deleted_at IS NULL)`,
      [groupIds]);
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.groupId, [...(out.get(r.groupId) ?? []), r.key]);
    return out;
  },

  /** When each system last passed a drill (a succeeded drill run whose report passed). */
  async lastPassedDrills(db: Queryable, systemIds: readonly string[]): Promise<Map<string, Date>> {
    const rows = await db.query<{ systemId: string; at: Date }>(
      `SELECT rs.system_id AS "systemId", max(r.finished_at) AS at FROM dr_run_systems rs JOIN dr_runs r ON r.id = rs.run_id
       WHERE rs.system_id = ANY($1::uuid[]) AND r.kind = 'drill' AND r.status = 'succeeded' AND (r.report->>'passed')::boolean
       GROUP BY rs.system_id`, [systemIds]);
    return new Map(rows.map((r) => [r.systemId, new Date(r.at)]));
  },

  /** The protected resources that are not (or no longer) in their cloud's live inventory. */
  async missingFromInventory(db: Queryable, resources: readonly ProtectedResource[]): Promise<Array<{ cloudId: string; key: string }>> {
    return db.query<{ cloudId: string; key: string }>(
      `SELECT r.cloud_id AS "cloudId", r.key FROM jsonb_to_recordset($1::jsonb) AS r(cloud_id text, key text)
       WHERE NOT EXISTS (SELECT 1 FROM inventory_objects o WHERE o.cloud_id = r.cloud_id AND o.key = r.key AND o.deleted_at IS NULL)`,
      [JSON.stringify(resources.map((r) => ({ cloud_id: r.cloudId, key: r.key })))],
    );
  },

  /** Standby holds (held, or expired by the reaper) that run out within `withinSeconds`. */
  async standbyHoldsDue(db: Queryable, withinSeconds: number) {
    return db.query<{ groupId: string; centre: string; systemId: string; reservationId: string; items: QuotaItem[]; state: string }>(
      `SELECT s.group_id AS "groupId", s.centre, s.system_id AS "systemId", s.reservation_id AS "reservationId", r.items, r.state
       FROM dr_standby s JOIN quota_reservations r ON r.id = s.reservation_id
       WHERE r.state IN ('held', 'expired') AND r.expires_at < now() + make_interval(secs => $1)`, [withinSeconds]);
  },

  async setStandbyReservation(db: Queryable, groupId: string, centre: string, reservationId: string): Promise<void> {
    await db.query('UPDATE dr_standby SET reservation_id = $3 WHERE group_id = $1 AND centre = $2', [groupId, centre, reservationId]);
  },
};
