import type { CloudEntry } from '@ganyun/providers';
import type { Queryable } from '../store/store.ts';
import type { ClusterCloudConfig } from './cluster-providers.ts';
import type { SshCloudConfig } from './device-providers.ts';

/** Settings that are not secrets: how to simulate the cloud, its zones, its sync budget. */
export interface CloudConfig {
  level?: 'province' | 'city';
  zones?: CloudEntry['zones'];
  sim?: CloudEntry['sim'];
  /** Inventory pages per second this cloud may be asked for (its API's rate budget). */
  syncPagesPerSecond?: number;
  /** SSH-managed hosts and network devices: where and as whom to connect. */
  ssh?: SshCloudConfig;
  /** Kubernetes clusters: API server, context, TLS opt-out, extranet ranges. */
  kubernetes?: ClusterCloudConfig;
}

/** A registry row as the federation sees it. Credentials stay sealed in the row and never come up here. */
export interface CloudRecord {
  id: string;
  name: string;
  nameEn: string;
  providerKind: string;
  endpoint: string | null;
  region: string;
  regionName: string;
  kind: 'general' | 'xinchuang';
  siteRoles: string[];
  certifications: number[];
  dualActive: boolean;
  enabled: boolean;
  config: CloudConfig;
  capacity: CapacityLine[] | null;
}

export interface CapacityLine {
  arch: string;
  vendor: string;
  resourceClass: string;
  total: number;
  used: number;
  overcommit: number;
}

export type CloudWrite = Omit<CloudRecord, 'regionName' | 'capacity'> & { sealedCredentials: string | null };

const SHOWN = `c.id, c.name, c.name_en AS "nameEn", c.provider_kind AS "providerKind", c.endpoint, c.region,
  d.name AS "regionName", c.kind, c.site_roles AS "siteRoles", c.certifications, c.dual_active AS "dualActive",
  c.enabled, c.capacity`;
const COLUMNS = `${SHOWN}, c.config`;

type CloudFilter = { region?: string; kind?: string; ids?: string[] };
function whereOf(filter: CloudFilter, params: unknown[]): string {
  const where: string[] = [];
  if (filter.region) where.push(`c.region = $${params.push(filter.region)}`);
  if (filter.kind) where.push(`c.kind = $${params.push(filter.kind)}`);
  if (filter.ids) where.push(`c.id = ANY($${params.push(filter.ids)}::text[])`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** A cloud as lists show it: the registry row without its config, with its latest health, latest sync and live objects. */
export type ListedCloud = Omit<CloudRecord, 'config'> & {
  healthStatus: string | null; healthAt: Date | null; latencyMs: number | null; healthMessage: string | null;
  syncAt: Date | null; syncStatus: string | null; syncObjects: number | null; syncMs: number | null; resourceCount: number;
};

export interface HealthRow {
  at: Date;
  status: 'up' | 'degraded' | 'down';
  latencyMs: number | null;
  message: string | null;
}

export const HEALTH_HISTORY_KEPT = 200;

export const cloudsRepo = {
  async list(db: Queryable, filter: CloudFilter = {}): Promise<CloudRecord[]> {
    const params: unknown[] = [];
    return db.query<CloudRecord>(`SELECT ${COLUMNS} FROM clouds c JOIN divisions d ON d.code = c.region ${whereOf(filter, params)} ORDER BY c.region, c.id`, params);
  },

  /**
   * The clouds as the API lists them (cloud-views.ts), in one statement: what is shown of the row (not its
   * config, which only the federation reads) with the latest health check, the latest sync and the live count,
   * all three kept per cloud by the database as they are written (migrations 0050 and 0256).
   */
  async listed(db: Queryable, filter: CloudFilter = {}): Promise<ListedCloud[]> {
    const params: unknown[] = [];
    return db.query<ListedCloud>(
      `SELECT ${SHOWN},
              l.health_status AS "healthStatus", l.health_at AS "healthAt", l.latency_ms AS "latencyMs", l.health_message AS "healthMessage",
              l.sync_started_at AS "syncAt", l.sync_status AS "syncStatus", l.sync_objects AS "syncObjects",
              (extract(epoch FROM (l.sync_finished_at - l.sync_started_at)) * 1000)::int AS "syncMs",
              coalesce(n.live, 0) AS "resourceCount"
         FROM clouds c
         JOIN divisions d ON d.code = c.region
         LEFT JOIN cloud_inventory_counts n ON n.cloud_id = c.id
         LEFT JOIN cloud_latest l ON l.cloud_id = c.id
        ${whereOf(filter, params)} ORDER BY c.region, c.id`,
      params,
    );
  },

  async byId(db: Queryable, id: string): Promise<CloudRecord | undefined> {
    return (await this.list(db, { ids: [id] }))[0];
  },

  async exists(db: Queryable, id: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM clouds WHERE id = $1', [id])).length > 0;
  },

  /** Every cloud's id, in id order (the demo pools number the clouds in this order). */
  async ids(db: Queryable): Promise<string[]> {
    return (await db.query<{ id: string }>('SELECT id FROM clouds ORDER BY id')).map((r) => r.id);
  },

  async sealedCredentials(db: Queryable, id: string): Promise<string | null> {
    const [row] = await db.query<{ credentials: string | null }>('SELECT credentials FROM clouds WHERE id = $1', [id]);
    return row?.credentials ?? null;
  },

  async count(db: Queryable): Promise<number> {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM clouds');
    return row!.n;
  },

  async insert(db: Queryable, c: CloudWrite): Promise<void> {
    await db.query(
      `INSERT INTO clouds (id, name, name_en, provider_kind, endpoint, credentials, region, kind, site_roles, certifications, dual_active, enabled, config)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [c.id, c.name, c.nameEn, c.providerKind, c.endpoint, c.sealedCredentials, c.region, c.kind, c.siteRoles, c.certifications, c.dualActive, c.enabled, JSON.stringify(c.config)],
    );
  },

  async update(db: Queryable, c: CloudWrite): Promise<void> {
    await db.query(
      `UPDATE clouds SET name = $2, name_en = $3, provider_kind = $4, endpoint = $5, credentials = $6, region = $7, kind = $8,
         site_roles = $9, certifications = $10, dual_active = $11, enabled = $12, config = $13, updated_at = now() WHERE id = $1`,
      [c.id, c.name, c.nameEn, c.providerKind, c.endpoint, c.sealedCredentials, c.region, c.kind, c.siteRoles, c.certifications, c.dualActive, c.enabled, JSON.stringify(c.config)],
    );
  },

  async setCapacity(db: Queryable, id: string, lines: CapacityLine[]): Promise<void> {
    await db.query('UPDATE clouds SET capacity = $2, capacity_at = now() WHERE id = $1', [id, JSON.stringify(lines)]);
  },

  /** Appends a health check and keeps only the latest HEALTH_HISTORY_KEPT per cloud. */
  async addHealth(db: Queryable, cloudId: string, h: HealthRow): Promise<void> {
    await db.query('INSERT INTO cloud_health (cloud_id, at, status, latency_ms, message) VALUES ($1, $2, $3, $4, $5)', [cloudId, h.at, h.status, h.latencyMs, h.message]);
    await db.query(
      `DELETE FROM cloud_health WHERE cloud_id = $1 AND id < (
         SELECT min(id) FROM (SELECT id FROM cloud_health WHERE cloud_id = $1 ORDER BY id DESC LIMIT $2) newest)`,
      [cloudId, HEALTH_HISTORY_KEPT],
    );
  },

  async healthHistory(db: Queryable, cloudId: string, limit = 50): Promise<HealthRow[]> {
    return db.query<HealthRow>(
      'SELECT at, status, latency_ms AS "latencyMs", message FROM cloud_health WHERE cloud_id = $1 ORDER BY id DESC LIMIT $2',
      [cloudId, limit],
    );
  },
};
