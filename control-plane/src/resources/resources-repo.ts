import { addressInsert, type NewAddress } from '../ipam/address-insert.ts';
import { scopeFilter } from '../store/scope-filter.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import type { Queryable } from '../store/store.ts';
import type { Network, ResourceItem, ResourceKindName, ResourceQuota } from './resource-items.ts';

export const RESOURCE_STATES = ['provisioning', 'active', 'changing', 'releasing', 'released', 'failed'] as const;
export type ResourceState = (typeof RESOURCE_STATES)[number];

export interface IpamHoldings {
  ipv4PrefixId?: string;
  ipv6PrefixId?: string;
  ipv4AddressId?: string;
  ipv6AddressId?: string;
  /** Addresses added by add-addresses changes: owned by the resource, freed with it. */
  extra?: { id: string; family: 'ipv4' | 'ipv6'; address: string; requestId: string }[];
}

export interface ResourceRow {
  id: string;
  systemId: string;
  systemName: string;
  departmentId: string;
  cloudId: string;
  requestId: string;
  changedByRequestId: string | null;
  kind: ResourceKindName;
  name: string;
  tenant: string;
  cloudName: string;
  state: ResourceState;
  spec: ResourceItem;
  quota: ResourceQuota;
  zone: string | null;
  vendor: string | null;
  providerIds: Record<string, string>;
  segmentId: string | null;
  attachedTo: string | null;
  ipv4: string | null;
  ipv6: string | null;
  ipam: IpamHoldings;
  expiresAt: Date | null;
  /** When the expiry sweep gave notice of the end date (null: not yet, or renewed since). */
  expiryNoticedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  releasedAt: Date | null;
}

const COLUMNS = `r.id, r.system_id AS "systemId", s.name AS "systemName", r.department_id AS "departmentId", r.cloud_id AS "cloudId",
  r.request_id AS "requestId", r.changed_by_request_id AS "changedByRequestId", r.kind, r.name, r.tenant, r.cloud_name AS "cloudName",
  r.state, r.spec, r.quota, r.zone, r.vendor, r.provider_ids AS "providerIds", r.segment_id AS "segmentId", r.attached_to AS "attachedTo",
  r.ipv4, r.ipv6, r.ipam, r.expires_at AS "expiresAt", r.expiry_noticed_at AS "expiryNoticedAt", r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.released_at AS "releasedAt"`;
const FROM = 'FROM resources r JOIN business_systems s ON s.id = r.system_id';
/** COLUMNS where the system is not joined (RETURNING of a statement on resources aliased r). */
const RETURNED = COLUMNS.replace('s.name AS "systemName"', '(SELECT s.name FROM business_systems s WHERE s.id = r.system_id) AS "systemName"');

export interface NewResource {
  id: string;
  systemId: string;
  departmentId: string;
  cloudId: string;
  requestId: string;
  kind: ResourceKindName;
  name: string;
  tenant: string;
  cloudName: string;
  spec: ResourceItem;
  quota: ResourceQuota;
  segmentId: string | null;
  attachedTo: string | null;
  /** The addresses it took from IPAM (taken before the row is written, in the same transaction). */
  ipv4: string | null;
  ipv6: string | null;
  ipam: IpamHoldings;
}

/** The resources' SQL. Department-owned rows: list functions take the caller's department ids (null = province-wide). */
const RESOURCE_ORDER = keysetOrder('desc', ['r.created_at', 'timestamptz'], ['r.id', 'uuid']);

export const resourcesRepo = {
  async list(db: Queryable, f: { departmentIds: string[] | null; systemId?: string; ids?: string[]; includeReleased?: boolean; requestId?: string }): Promise<ResourceRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const scoped = scopeFilter({ departmentIds: f.departmentIds }, params, 'r.department_id');
    if (scoped) where.push(scoped);
    if (f.systemId) where.push(`r.system_id = $${params.push(f.systemId)}`);
    if (f.ids) where.push(`r.id = ANY($${params.push(f.ids)}::uuid[])`);
    if (f.requestId) where.push(`r.request_id = $${params.push(f.requestId)}`);
    if (!f.includeReleased) where.push(`r.state <> 'released'`);
    return db.query<ResourceRow>(`SELECT ${COLUMNS} ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.name, r.kind, r.name, r.created_at LIMIT 2000`, params);
  },

  /**
   * Newest first, keyset-paged by (created_at, id) through store/keyset.ts (the cursor keeps created_at to the
   * microsecond; indexes of migration 0081), so a page costs the same however deep it is. Released rows only
   * when asked for by state.
   */
  async page(db: Queryable, f: {
    departmentIds: string[] | null; systemId?: string; cloudId?: string; kind?: ResourceKindName; state?: ResourceState;
  }, page: PageRequest): Promise<Page<ResourceRow>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const scopedPage = scopeFilter({ departmentIds: f.departmentIds }, params, 'r.department_id');
    if (scopedPage) where.push(scopedPage);
    if (f.systemId) where.push(`r.system_id = $${params.push(f.systemId)}::uuid`);
    if (f.cloudId) where.push(`r.cloud_id = $${params.push(f.cloudId)}`);
    if (f.kind) where.push(`r.kind = $${params.push(f.kind)}`);
    where.push(f.state ? `r.state = $${params.push(f.state)}` : `r.state <> 'released'`);
    const k = keyset(RESOURCE_ORDER, page, params);
    if (k.after) where.push(k.after);
    return k.page(await db.query<ResourceRow>(`SELECT ${COLUMNS}${k.select} ${FROM} WHERE ${where.join(' AND ')} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
  },

  /**
   * The active hosts and workloads in scope (of one cloud when asked), every one of them: the rows the idle list
   * (resources/idle.ts) joins with the clouds' utilisation. Not a page: that list is computed from all of them.
   */
  async activeCompute(db: Queryable, f: { departmentIds: string[] | null; cloudId?: string | undefined }): Promise<ResourceRow[]> {
    const params: unknown[] = [];
    const scoped = scopeFilter({ departmentIds: f.departmentIds }, params, 'r.department_id');
    const cloud = f.cloudId ? `r.cloud_id = $${params.push(f.cloudId)}` : null;
    const where = [scoped, cloud, `r.state = 'active'`, `r.kind IN ('host', 'workload')`].filter((c): c is string => !!c).join(' AND ');
    return db.query<ResourceRow>(`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY r.id`, params);
  },

  /** Released rows too. `forUpdate` locks the resource's row (not its system's) in the same statement. */
  async byId(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<ResourceRow | undefined> {
    const [row] = await db.query<ResourceRow>(`SELECT ${COLUMNS} ${FROM} WHERE r.id = $1${opts.forUpdate ? ' FOR UPDATE OF r' : ''}`, [id]);
    return row;
  },

  /** A live resource of the system by kind and name (references in request items are by name). */
  async liveByName(db: Queryable, systemId: string, kind: ResourceKindName, name: string): Promise<ResourceRow | undefined> {
    const [row] = await db.query<ResourceRow>(`SELECT ${COLUMNS} ${FROM} WHERE r.system_id = $1 AND r.kind = $2 AND r.name = $3 AND r.state <> 'released'`, [systemId, kind, name]);
    return row;
  },

  /** liveByName for several kinds and names at once (one statement), keyed `kind:name`. */
  async liveByNames(db: Queryable, systemId: string, wanted: readonly { kind: ResourceKindName; name: string }[]): Promise<Map<string, ResourceRow>> {
    if (!wanted.length) return new Map();
    const rows = await db.query<ResourceRow>(
      `SELECT ${COLUMNS} ${FROM} WHERE r.system_id = $1 AND (r.kind, r.name) IN (SELECT * FROM unnest($2::text[], $3::text[])) AND r.state <> 'released'`,
      [systemId, wanted.map((w) => w.kind), wanted.map((w) => w.name)]);
    const out = new Map<string, ResourceRow>();
    for (const r of rows) if (!out.has(`${r.kind}:${r.name}`)) out.set(`${r.kind}:${r.name}`, r);
    return out;
  },

  /** Any live resource of another system with this kind and name on which a reference could land by mistake. */
  async liveElsewhere(db: Queryable, systemId: string, kind: ResourceKindName, name: string, departmentIds: string[] | null): Promise<ResourceRow | undefined> {
    const params: unknown[] = [systemId, kind, name];
    const scoped = scopeFilter({ departmentIds }, params, 'r.department_id');
    const scope = scoped ? `AND ${scoped}` : '';
    const [row] = await db.query<ResourceRow>(`SELECT ${COLUMNS} ${FROM} WHERE r.system_id <> $1 AND r.kind = $2 AND r.name = $3 AND r.state <> 'released' ${scope} LIMIT 1`, params);
    return row;
  },

  /** Inserted once per planned resource: a step that runs again finds its row. */
  /**
   * The new row (locked by the inserting transaction until it ends); undefined when a row with this id exists already.
   * `addresses` (new IPAM addresses, allocateAddresses' `unwritten`) are inserted by the same statement, whether or
   * not the row is: one turn less on PGlite's one connection for the create step of a host or workload.
   */
  async insertIfAbsent(db: Queryable, r: NewResource, addresses: readonly NewAddress[] = []): Promise<ResourceRow | undefined> {
    const params: unknown[] = [r.id, r.systemId, r.departmentId, r.cloudId, r.requestId, r.kind, r.name, r.tenant, r.cloudName, JSON.stringify(r.spec), JSON.stringify(r.quota), r.segmentId, r.attachedTo,
      r.ipv4, r.ipv6, JSON.stringify(r.ipam)];
    const recorded = addresses.length ? addressInsert(addresses, params.length + 1) : undefined;
    const [row] = await db.query<ResourceRow>(
      `${recorded ? `WITH addresses AS (${recorded.sql}) ` : ''}INSERT INTO resources AS r (id, system_id, department_id, cloud_id, request_id, kind, name, tenant, cloud_name, state, spec, quota, segment_id, attached_to, ipv4, ipv6, ipam)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'provisioning', $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING RETURNING ${RETURNED}`,
      [...params, ...(recorded?.params ?? [])],
    );
    return row;
  },

  async setAddresses(db: Queryable, id: string, a: { ipv4: string | null; ipv6: string | null; ipam: IpamHoldings }): Promise<void> {
    await db.query('UPDATE resources SET ipv4 = $2, ipv6 = $3, ipam = $4, updated_at = now() WHERE id = $1', [id, a.ipv4, a.ipv6, JSON.stringify(a.ipam)]);
  },

  async setLive(db: Queryable, id: string, a: { state: ResourceState; zone?: string | null; vendor?: string | null; providerIds?: Record<string, string> }): Promise<void> {
    await db.query(
      `UPDATE resources SET state = $2, zone = COALESCE($3, zone), vendor = COALESCE($4, vendor), provider_ids = COALESCE($5::jsonb, provider_ids), updated_at = now() WHERE id = $1`,
      [id, a.state, a.zone ?? null, a.vendor ?? null, a.providerIds ? JSON.stringify(a.providerIds) : null],
    );
  },

  async setState(db: Queryable, id: string, state: ResourceState, opts: { from?: ResourceState[]; changedBy?: string } = {}): Promise<boolean> {
    const params: unknown[] = [id, state];
    const from = opts.from ? `AND state = ANY($${params.push(opts.from)}::text[])` : '';
    const changed = opts.changedBy ? `, changed_by_request_id = $${params.push(opts.changedBy)}` : '';
    const rows = await db.query(`UPDATE resources SET state = $2, updated_at = now()${changed} ${state === 'released' ? ', released_at = now()' : ''} WHERE id = $1 ${from} RETURNING id`, params);
    return rows.length > 0;
  },

  async setSpec(db: Queryable, id: string, spec: ResourceItem, quota: ResourceQuota): Promise<void> {
    await db.query('UPDATE resources SET spec = $2, quota = $3, updated_at = now() WHERE id = $1', [id, JSON.stringify(spec), JSON.stringify(quota)]);
  },

  /** A new end date (or none): any notice given for the old one no longer counts. */
  async setEndDate(db: Queryable, id: string, expiresAt: Date | null): Promise<void> {
    await db.query('UPDATE resources SET expires_at = $2, expiry_noticed_at = NULL, updated_at = now() WHERE id = $1', [id, expiresAt]);
  },

  /**
   * The end-date notice: marks as noticed (at `now`) up to `batch` active resources whose end date falls within
   * `noticeMs`, skipping rows another replica holds, and answers them (expiry.ts records the notice in that transaction).
   */
  async noticeExpiring(tx: Queryable, now: Date, noticeMs: number, batch: number): Promise<{ id: string; name: string; departmentId: string; expiresAt: Date }[]> {
    return tx.query(
      `UPDATE resources r SET expiry_noticed_at = $1, updated_at = now()
       WHERE r.id IN (SELECT id FROM resources WHERE state = 'active' AND expires_at IS NOT NULL AND expiry_noticed_at IS NULL
                        AND expires_at <= $1::timestamptz + make_interval(secs => $2::double precision / 1000) ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING r.id, r.name, r.department_id AS "departmentId", r.expires_at AS "expiresAt"`, [now, noticeMs, batch]);
  },

  /**
   * Locks up to `batch` active resources past their end date whose notice is at least `minNoticeMs` old, with no
   * live dependents and no open change (those wait for a later pass), skipping rows another replica holds.
   */
  async lockDueForReclaim(tx: Queryable, now: Date, minNoticeMs: number, batch: number): Promise<{ id: string }[]> {
    return tx.query(
      `SELECT r.id FROM resources r
       WHERE r.state = 'active' AND r.expires_at <= $1 AND r.expiry_noticed_at <= $1::timestamptz - make_interval(secs => $2::double precision / 1000)
         AND NOT EXISTS (SELECT 1 FROM resources d WHERE (d.segment_id = r.id OR d.attached_to = r.id) AND d.state <> 'released')
         AND NOT EXISTS (SELECT 1 FROM resource_requests q WHERE q.target_resource_id = r.id AND q.kind = 'change' AND q.status IN ('pending', 'approved', 'provisioning'))
       ORDER BY r.expires_at LIMIT $3 FOR UPDATE OF r SKIP LOCKED`, [now, minNoticeMs, batch]);
  },

  /** Live resources that depend on this one (hosts on a segment, volumes on a host): it cannot go before them. */
  async dependents(db: Queryable, id: string): Promise<{ id: string; kind: string; name: string }[]> {
    return db.query(`SELECT id, kind, name FROM resources WHERE (segment_id = $1 OR attached_to = $1) AND state <> 'released' ORDER BY kind, name`, [id]);
  },
};

/** Address pools: the IPAM prefix a cloud's segments of one network and family are carved from. */
export interface AddressPool {
  cloudId: string;
  network: Network;
  family: 'ipv4' | 'ipv6';
  prefixId: string;
  cidr: string;
}

export const poolsRepo = {
  async list(db: Queryable, cloudId?: string): Promise<AddressPool[]> {
    return db.query<AddressPool>(
      `SELECT p.cloud_id AS "cloudId", p.network, p.family, p.prefix_id AS "prefixId", x.cidr::text AS cidr
       FROM resource_address_pools p JOIN ipam_prefixes x ON x.id = p.prefix_id WHERE $1::text IS NULL OR p.cloud_id = $1 ORDER BY p.cloud_id, p.network, p.family`,
      [cloudId ?? null]);
  },
  async count(db: Queryable): Promise<number> {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM resource_address_pools');
    return row!.n;
  },
  /** A cloud's extranet attachment prefixes on its first plane (the /24 and /48 IPAM holds for it): its demo extranet pool. */
  async attachmentPrefixes(db: Queryable, cloudId: string): Promise<{ family: 'ipv4' | 'ipv6'; id: string }[]> {
    return db.query(
      `SELECT x.family, x.id FROM extranet_cloud_attachments a
       JOIN ipam_prefixes x ON x.vrf_id = a.vrf_id AND (x.cidr = a.prefix_v4 OR x.cidr = a.prefix_v6)
       WHERE a.cloud_id = $1 AND a.plane_id = (SELECT min(plane_id) FROM extranet_cloud_attachments WHERE cloud_id = $1)`, [cloudId]);
  },
  async set(db: Queryable, p: Omit<AddressPool, 'cidr'>): Promise<void> {
    await db.query(
      `INSERT INTO resource_address_pools (cloud_id, network, family, prefix_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (cloud_id, network, family) DO UPDATE SET prefix_id = EXCLUDED.prefix_id, updated_at = now()`,
      [p.cloudId, p.network, p.family, p.prefixId]);
  },
};
