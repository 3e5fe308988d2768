import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Scope } from '../auth/scope.ts';
import type { Queryable } from '../store/store.ts';
import type { MigrationMethod, Reason } from './method.ts';

/** SQL of migration candidates, machine rooms and replication links (0060_migrations.sql). */

export type CandidateState = 'candidate' | 'scheduled' | 'migrating' | 'migrated';

/** What the candidate finder decides for a system: written by upsert, read back as part of a CandidateRow. */
export interface CandidateFields {
  systemId: string;
  departmentId: string;
  sourceCloudId: string | null;
  sourceRoomId: string | null;
  sourceArch: string;
  sourceVendor: string;
  sourceImage: string;
  targetCloudId: string;
  targetArch: string;
  targetVendor: string;
  targetImage: string;
  method: MigrationMethod;
  reasons: Reason[];
  vcpu: number;
  dataGiB: number;
  sizeClass: string;
  effortHours: number;
  linkId: string;
  groupName: string | null;
}

/** A candidate as lists show it: its fields with the names and levels joined from the system, department and clouds. */
export interface CandidateRow extends CandidateFields {
  id: string;
  systemName: string;
  systemStatus: string;
  departmentName: string;
  divisionCode: string;
  mlpsLevel: number;
  drLevel: number;
  sourceName: string;
  targetCloudName: string;
  state: CandidateState;
  updatedAt: Date;
  /** The systems it needs (from the systems' dependency graph), by name; it moves after them or with them. */
  dependsOn: { systemId: string; name: string }[];
  /** How many candidates share its move-together group (0 without a group). */
  groupSize: number;
}

const COLUMNS = `c.id, c.system_id AS "systemId", s.name AS "systemName", s.status AS "systemStatus", c.department_id AS "departmentId",
  d.name AS "departmentName", d.division_code AS "divisionCode", s.mlps_level AS "mlpsLevel", s.dr_level AS "drLevel",
  c.source_cloud_id AS "sourceCloudId", c.source_room_id AS "sourceRoomId", coalesce(sc.name, r.name) AS "sourceName",
  c.source_arch AS "sourceArch", c.source_vendor AS "sourceVendor", c.source_image AS "sourceImage",
  c.target_cloud_id AS "targetCloudId", tc.name AS "targetCloudName", c.target_arch AS "targetArch", c.target_vendor AS "targetVendor",
  c.target_image AS "targetImage", c.method, c.reasons, c.vcpu, c.data_gib AS "dataGiB", c.size_class AS "sizeClass",
  c.effort_hours AS "effortHours", c.link_id AS "linkId", c.group_name AS "groupName", c.state, c.updated_at AS "updatedAt",
  (SELECT coalesce(jsonb_agg(jsonb_build_object('systemId', ds.id, 'name', ds.name) ORDER BY ds.name), '[]'::jsonb)
     FROM business_system_dependencies e JOIN business_systems ds ON ds.id = e.depends_on_id WHERE e.system_id = c.system_id) AS "dependsOn",
  (SELECT count(*)::int FROM migration_candidates g WHERE g.group_name = c.group_name) AS "groupSize"`;
const FROM = `migration_candidates c JOIN business_systems s ON s.id = c.system_id JOIN departments d ON d.id = c.department_id
  JOIN clouds tc ON tc.id = c.target_cloud_id LEFT JOIN clouds sc ON sc.id = c.source_cloud_id LEFT JOIN migration_rooms r ON r.id = c.source_room_id`;

export interface RoomRow { id: string; name: string; divisionCode: string; departmentId: string | null }
export interface LinkRow { id: string; label: string; sourceCloudId: string | null; sourceRoomId: string | null; targetCloudId: string; gbps: number; hoursPerWindow: number }

/** migrations.candidates.list's order: by system name (the candidate's copy of it, 0250), the id breaking ties. */
const CANDIDATE_ORDER = keysetOrder('asc', ['c.system_name', 'text'], ['c.id', 'uuid']);

export const candidatesRepo = {
  /**
   * migrations.candidates.list: a page in system-name order through store/keyset.ts, inside the caller's scope,
   * optionally one state or one department. The indexes of migration 0250 walk (department?, state?,
   * system_name, id) in order, so a page reads about `limit` rows whatever the table holds.
   */
  async page(db: Queryable, scope: Scope, filter: { state?: CandidateState; departmentId?: string }, page: PageRequest): Promise<Page<CandidateRow>> {
    const params: unknown[] = [];
    const where = [
      scopeFilter(scope, params, 'c.department_id'),
      filter.state ? `c.state = $${params.push(filter.state)}` : null,
      filter.departmentId ? `c.department_id = $${params.push(filter.departmentId)}::uuid` : null,
    ];
    const k = keyset(CANDIDATE_ORDER, page, params);
    return k.page(await db.query<CandidateRow>(`SELECT ${COLUMNS}${k.select} FROM ${FROM} WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
  },

  async list(db: Queryable, scope: Scope, filter: { ids?: string[]; state?: CandidateState; departmentId?: string } = {}): Promise<CandidateRow[]> {
    const params: unknown[] = [];
    const where = `WHERE ${allOf(
      scopeFilter(scope, params, 'c.department_id'),
      filter.ids ? `c.id = ANY($${params.push(filter.ids)}::uuid[])` : null,
      filter.state ? `c.state = $${params.push(filter.state)}` : null,
      filter.departmentId ? `c.department_id = $${params.push(filter.departmentId)}` : null,
    )}`;
    return db.query<CandidateRow>(`SELECT ${COLUMNS} FROM ${FROM} ${where} ORDER BY d.name, s.name`, params);
  },

  async byId(db: Queryable, scope: Scope, id: string, opts: { forUpdate?: boolean } = {}): Promise<CandidateRow | undefined> {
    if (opts.forUpdate) await db.query('SELECT 1 FROM migration_candidates WHERE id = $1 FOR UPDATE', [id]);
    return (await this.list(db, scope, { ids: [id] }))[0];
  },

  async bySystem(db: Queryable, systemId: string): Promise<{ id: string; state: CandidateState; systemName: string } | undefined> {
    return (await db.query<{ id: string; state: CandidateState; systemName: string }>(
      'SELECT c.id, c.state, s.name AS "systemName" FROM migration_candidates c JOIN business_systems s ON s.id = c.system_id WHERE c.system_id = $1 FOR UPDATE OF c',
      [systemId],
    ))[0];
  },

  async insert(db: Queryable, id: string, f: CandidateFields): Promise<void> {
    await db.query(
      `INSERT INTO migration_candidates (id, system_id, department_id, source_cloud_id, source_room_id, source_arch, source_vendor, source_image,
         target_cloud_id, target_arch, target_vendor, target_image, method, reasons, vcpu, data_gib, size_class, effort_hours, link_id, group_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [id, f.systemId, f.departmentId, f.sourceCloudId, f.sourceRoomId, f.sourceArch, f.sourceVendor, f.sourceImage, f.targetCloudId, f.targetArch, f.targetVendor,
        f.targetImage, f.method, JSON.stringify(f.reasons), f.vcpu, f.dataGiB, f.sizeClass, f.effortHours, f.linkId, f.groupName],
    );
  },

  async update(db: Queryable, id: string, f: CandidateFields): Promise<void> {
    await db.query(
      `UPDATE migration_candidates SET source_cloud_id = $2, source_room_id = $3, source_arch = $4, source_vendor = $5, source_image = $6,
         target_cloud_id = $7, target_arch = $8, target_vendor = $9, target_image = $10, method = $11, reasons = $12, vcpu = $13, data_gib = $14,
         size_class = $15, effort_hours = $16, link_id = $17, group_name = $18, updated_at = now()
       WHERE id = $1`,
      [id, f.sourceCloudId, f.sourceRoomId, f.sourceArch, f.sourceVendor, f.sourceImage, f.targetCloudId, f.targetArch, f.targetVendor, f.targetImage,
        f.method, JSON.stringify(f.reasons), f.vcpu, f.dataGiB, f.sizeClass, f.effortHours, f.linkId, f.groupName],
    );
  },

  async setState(db: Queryable, ids: string[], state: CandidateState, from?: CandidateState[]): Promise<number> {
    const rows = await db.query(
      `UPDATE migration_candidates SET state = $2, updated_at = now() WHERE id = ANY($1::uuid[]) ${from ? 'AND state = ANY($3::text[])' : ''} RETURNING id`,
      from ? [ids, state, from] : [ids, state],
    );
    return rows.length;
  },

  async remove(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM migration_candidates WHERE id = $1', [id]);
  },

  async inAnyPlan(db: Queryable, id: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM migration_plan_members WHERE candidate_id = $1 LIMIT 1', [id])).length > 0;
  },

  // ---------------------------------------------------------------- rooms and links (province-wide facts)

  async rooms(db: Queryable): Promise<RoomRow[]> {
    return db.query<RoomRow>('SELECT id, name, division_code AS "divisionCode", department_id AS "departmentId" FROM migration_rooms ORDER BY name');
  },

  async room(db: Queryable, id: string): Promise<RoomRow | undefined> {
    return (await db.query<RoomRow>('SELECT id, name, division_code AS "divisionCode", department_id AS "departmentId" FROM migration_rooms WHERE id = $1', [id]))[0];
  },

  async insertRoom(db: Queryable, r: RoomRow): Promise<void> {
    await db.query('INSERT INTO migration_rooms (id, name, division_code, department_id) VALUES ($1, $2, $3, $4)', [r.id, r.name, r.divisionCode, r.departmentId]);
  },

  async roomNameTaken(db: Queryable, name: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM migration_rooms WHERE name = $1', [name])).length > 0;
  },

  async links(db: Queryable, ids?: string[]): Promise<LinkRow[]> {
    return db.query<LinkRow>(
      `SELECT id, label, source_cloud_id AS "sourceCloudId", source_room_id AS "sourceRoomId", target_cloud_id AS "targetCloudId", gbps,
         hours_per_window AS "hoursPerWindow" FROM migration_links ${ids ? 'WHERE id = ANY($1::uuid[])' : ''} ORDER BY label`,
      ids ? [ids] : [],
    );
  },

  async insertLink(db: Queryable, l: LinkRow): Promise<void> {
    await db.query(
      'INSERT INTO migration_links (id, label, source_cloud_id, source_room_id, target_cloud_id, gbps, hours_per_window) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [l.id, l.label, l.sourceCloudId, l.sourceRoomId, l.targetCloudId, l.gbps, l.hoursPerWindow],
    );
  },

  async updateLink(db: Queryable, id: string, f: { gbps: number; hoursPerWindow: number }): Promise<boolean> {
    return (await db.query('UPDATE migration_links SET gbps = $2, hours_per_window = $3 WHERE id = $1 RETURNING id', [id, f.gbps, f.hoursPerWindow])).length > 0;
  },
};
