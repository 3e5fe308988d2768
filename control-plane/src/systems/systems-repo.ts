import type { SystemFacts } from '@ganyun/policies';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import { isoUtc } from '../store/sql-text.ts';
import type { Queryable } from '../store/store.ts';

export const SYSTEM_STATUSES = ['registered', 'onboarding', 'on-cloud', 'migrating', 'retired'] as const;
export type SystemStatus = (typeof SYSTEM_STATUSES)[number];
export const DATA_CLASSIFICATIONS = ['public', 'internal', 'sensitive', 'classified'] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/** A system's own fields: the facts the rules judge (policies' SystemFacts), and who owns it, what it is, its RPO and RTO. */
export interface SystemFields extends SystemFacts {
  ownerUserId: string | null;
  description: string;
  rpoSeconds: number;
  rtoSeconds: number;
}

export interface SystemRow extends SystemFields {
  id: string;
  departmentId: string;
  departmentName: string;
  /** The owner's display name (null without an owner), so pages show a person, not an id. */
  ownerName: string | null;
  status: SystemStatus;
  cloudId: string | null;
  placement: unknown;
  policyResults: unknown;
  onboardingWorkflowId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of systems.list as the API answers it: the system without its placement record and rule results (systems.get carries them; they were most of a page's bytes, and no list shows them), times as ISO text. */
export type SystemListRow = Omit<SystemRow, 'placement' | 'policyResults' | 'ownerName' | 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
  /** The stored compliance verdict; placement/placement-compliance.ts `currentCompliance` replaces it where it is not current. */
  compliant: boolean | null;
};

/** A page row of systems.list with the stamp of its stored compliance verdict, read in the same statement. */
export interface ListedSystem {
  row: SystemListRow;
  /** Whether the stored verdict was computed at the current epoch (compliance_epoch) and not cleared since. */
  current: boolean;
  /** The row version (xmin) the row was read at: a verdict is written back only onto it. */
  rev: string;
  /** The current epoch, which a recomputed verdict is stored with. */
  epoch: string;
}

const LISTED_ROW = `json_build_object('id', s.id, 'departmentId', s.department_id, 'departmentName', d.name, 'name', s.name, 'ownerUserId', s.owner_user_id,
  'description', s.description, 'mlpsLevel', s.mlps_level, 'dataClassification', s.data_classification, 'xinchuangRequired', s.xinchuang_required,
  'architectures', s.architectures, 'drLevel', s.dr_level, 'drEdition', s.dr_edition, 'rpoSeconds', s.rpo_seconds, 'rtoSeconds', s.rto_seconds,
  'status', s.status, 'cloudId', s.cloud_id, 'onboardingWorkflowId', s.onboarding_workflow_id,
  'createdAt', ${isoUtc('s.created_at')}, 'updatedAt', ${isoUtc('s.updated_at')}, 'compliant', s.compliant) AS "row",
  coalesce(s.compliance_epoch = coalesce(e.epoch, 0), false) AS current, s.xmin::text AS rev, coalesce(e.epoch, 0)::text AS epoch`;
const COLUMNS = `s.id, s.department_id AS "departmentId", d.name AS "departmentName", s.name, s.owner_user_id AS "ownerUserId", ou.display_name AS "ownerName",
  s.description, s.mlps_level AS "mlpsLevel", s.data_classification AS "dataClassification", s.xinchuang_required AS "xinchuangRequired",
  s.architectures, s.dr_level AS "drLevel", s.dr_edition AS "drEdition", s.rpo_seconds AS "rpoSeconds", s.rto_seconds AS "rtoSeconds",
  s.status, s.cloud_id AS "cloudId", s.placement, s.policy_results AS "policyResults", s.onboarding_workflow_id AS "onboardingWorkflowId",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

const SYSTEM_ORDER = keysetOrder('asc', ['s.name', 'text'], ['s.id', 'uuid']);

export const systemsRepo = {
  /** Holds the dependency graph still for a cycle check: two concurrent edits must not each close half of a cycle. */
  async lockDependencyGraph(db: Queryable): Promise<void> {
    await db.query('LOCK TABLE business_system_dependencies IN SHARE ROW EXCLUSIVE MODE');
  },

  async list(db: Queryable, opts: { departmentIds: string[] | null; status?: SystemStatus; search?: string; ids?: string[] }): Promise<SystemRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const scoped = scopeFilter({ departmentIds: opts.departmentIds }, params, 's.department_id');
    if (scoped) where.push(scoped);
    if (opts.status) where.push(`s.status = $${params.push(opts.status)}`);
    if (opts.search) where.push(`s.name ILIKE $${params.push(`%${opts.search.replace(/[%_\\]/g, '\\$&')}%`)}`);
    if (opts.ids) where.push(`s.id = ANY($${params.push(opts.ids)}::uuid[])`);
    return db.query<SystemRow>(
      `SELECT ${COLUMNS} FROM business_systems s JOIN departments d ON d.id = s.department_id LEFT JOIN users ou ON ou.id = s.owner_user_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.name, s.name`,
      params,
    );
  },

  /**
   * systems.list: a page in name order (name, id) through store/keyset.ts, inside the caller's scope, optionally
   * one department, a status, a name containing `search`. Indexes of migration 0170 walk (department?, status?,
   * name, id) in order, so a page of 50 reads about 50 rows whatever the table holds (a rare `search` reads on
   * until it has found the page).
   */
  async page(db: Queryable, f: { departmentIds: string[] | null; departmentId?: string; status?: SystemStatus; search?: string }, page: PageRequest): Promise<Page<ListedSystem>> {
    const params: unknown[] = [];
    const where = [
      scopeFilter({ departmentIds: f.departmentIds }, params, 's.department_id'),
      f.departmentId ? `s.department_id = $${params.push(f.departmentId)}::uuid` : null,
      f.status ? `s.status = $${params.push(f.status)}` : null,
      f.search ? `s.name ILIKE $${params.push(`%${f.search.replace(/[%_\\]/g, '\\$&')}%`)}` : null,
    ];
    const k = keyset(SYSTEM_ORDER, page, params);
    return k.page(await db.query<ListedSystem>(
      `SELECT ${LISTED_ROW}${k.select} FROM business_systems s JOIN departments d ON d.id = s.department_id LEFT JOIN compliance_epoch e ON e.id = 1
        WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    ));
  },

  async byId(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<SystemRow | undefined> {
    if (opts.forUpdate) await db.query('SELECT 1 FROM business_systems WHERE id = $1 FOR UPDATE', [id]);
    return (await this.list(db, { departmentIds: null, ids: [id] }))[0];
  },

  async nameTaken(db: Queryable, departmentId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows = await db.query('SELECT 1 FROM business_systems WHERE department_id = $1 AND name = $2 AND id <> $3', [departmentId, name, exceptId ?? '00000000-0000-0000-0000-000000000000']);
    return rows.length > 0;
  },

  async insert(db: Queryable, id: string, departmentId: string, f: SystemFields): Promise<void> {
    await db.query(
      `INSERT INTO business_systems (id, department_id, name, owner_user_id, description, mlps_level, data_classification, xinchuang_required,
         architectures, dr_level, dr_edition, rpo_seconds, rto_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [id, departmentId, f.name, f.ownerUserId, f.description, f.mlpsLevel, f.dataClassification, f.xinchuangRequired, f.architectures, f.drLevel, f.drEdition, f.rpoSeconds, f.rtoSeconds],
    );
  },

  async update(db: Queryable, id: string, f: SystemFields): Promise<void> {
    await db.query(
      `UPDATE business_systems SET name = $2, owner_user_id = $3, description = $4, mlps_level = $5, data_classification = $6,
         xinchuang_required = $7, architectures = $8, dr_level = $9, dr_edition = $10, rpo_seconds = $11, rto_seconds = $12, updated_at = now()
       WHERE id = $1`,
      [id, f.name, f.ownerUserId, f.description, f.mlpsLevel, f.dataClassification, f.xinchuangRequired, f.architectures, f.drLevel, f.drEdition, f.rpoSeconds, f.rtoSeconds],
    );
  },

  async setStatus(db: Queryable, id: string, status: SystemStatus, opts: { from?: SystemStatus[] } = {}): Promise<boolean> {
    const rows = await db.query(
      `UPDATE business_systems SET status = $2, updated_at = now() WHERE id = $1 ${opts.from ? 'AND status = ANY($3::text[])' : ''} RETURNING id`,
      opts.from ? [id, status, opts.from] : [id, status],
    );
    return rows.length > 0;
  },

  async setOnboarding(db: Queryable, id: string, o: { placement: unknown; policyResults: unknown; workflowId: string }): Promise<void> {
    await db.query(
      `UPDATE business_systems SET status = 'onboarding', placement = $2, policy_results = $3, onboarding_workflow_id = $4, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(o.placement), JSON.stringify(o.policyResults), o.workflowId],
    );
  },

  async setCloud(db: Queryable, id: string, cloudId: string | null): Promise<void> {
    await db.query('UPDATE business_systems SET cloud_id = $2, updated_at = now() WHERE id = $1', [id, cloudId]);
  },

  async delete(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM business_systems WHERE id = $1', [id]);
  },

  // ---------------------------------------------------------------- stored compliance (migration 0050)

  /**
   * Each system's stored `compliant` with the placement-facts epoch it was computed at (null: to compute), the
   * row version it was read at (xmin: a write-back only lands on the row it was computed from), and the epoch now.
   */
  /**
   * Stores verdicts computed at `epoch`. A row changed since it was read (other xmin) keeps its cleared stamp;
   * a row another caller is writing back right now is skipped (SKIP LOCKED): no waits, no deadlocks.
   */
  async storeCompliance(db: Queryable, epoch: string, rows: { id: string; rev: string; compliant: boolean | null }[]): Promise<void> {
    if (!rows.length) return;
    await db.query(
      `UPDATE business_systems s SET compliant = v.compliant, compliance_epoch = $4::bigint
         FROM unnest($1::uuid[], $2::text[], $3::boolean[]) AS v(id, rev, compliant)
        WHERE s.id = v.id AND s.xmin = v.rev::xid
          AND s.id IN (SELECT id FROM business_systems WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED)`,
      [rows.map((r) => r.id), rows.map((r) => r.rev), rows.map((r) => r.compliant), epoch],
    );
  },

  // ---------------------------------------------------------------- dependencies

  async allEdges(db: Queryable): Promise<{ systemId: string; dependsOnId: string }[]> {
    return db.query('SELECT system_id AS "systemId", depends_on_id AS "dependsOnId" FROM business_system_dependencies');
  },

  async dependsOn(db: Queryable, id: string): Promise<{ id: string; name: string; departmentId: string; status: string }[]> {
    return db.query(
      `SELECT s.id, s.name, s.department_id AS "departmentId", s.status FROM business_system_dependencies e
       JOIN business_systems s ON s.id = e.depends_on_id WHERE e.system_id = $1 ORDER BY s.name`, [id]);
  },

  async dependents(db: Queryable, id: string): Promise<{ id: string; name: string; departmentId: string; status: string }[]> {
    return db.query(
      `SELECT s.id, s.name, s.department_id AS "departmentId", s.status FROM business_system_dependencies e
       JOIN business_systems s ON s.id = e.system_id WHERE e.depends_on_id = $1 ORDER BY s.name`, [id]);
  },

  async replaceDependencies(db: Queryable, id: string, dependsOn: string[]): Promise<void> {
    await db.query('DELETE FROM business_system_dependencies WHERE system_id = $1', [id]);
    if (dependsOn.length) {
      await db.query('INSERT INTO business_system_dependencies (system_id, depends_on_id) SELECT $1, unnest($2::uuid[])', [id, dependsOn]);
    }
  },
};
