import { newId } from '../ids.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

/** Planes, devices, interfaces, links and cloud attachments: plain reads and writes, no rules (those live in the routers' domain checks). */

export type Family = 'ipv4' | 'ipv6';
export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

export interface Plane {
  id: string;
  name: string;
  nameEn: string;
  technology: 'mpls-vpn' | 'srv6' | 'ip';
  addressFamilies: Family[];
}

export interface Device {
  id: string;
  name: string;
  role: 'pe' | 'aggregation' | 'ce';
  planeId: string | null;
  vendor: string;
  model: string;
  mgmtAddress: string | null;
  unitCode: string | null;
  cloudId: string | null;
  state: 'up' | 'down';
}

export interface LinkInput {
  circuitId: string;
  unitCode: string;
  planeId: string;
  peDeviceId: string;
  interfaceId: string | null;
  aggDeviceId: string | null;
  ceDeviceId: string | null;
  bandwidthMbps: number;
  carrier: string;
  ducts: string[];
  families: Family[];
  state: 'up' | 'down' | 'planned';
}
export interface Link extends LinkInput {
  id: string;
  peName: string;
  interfaceName: string | null;
  aggName: string | null;
  ceName: string | null;
}

export interface Attachment {
  cloudId: string;
  planeId: string;
  peDeviceId: string;
  vrfId: string | null;
  prefixV4: string | null;
  prefixV6: string | null;
  probeV4: string | null;
  probeV6: string | null;
  state: 'up' | 'down';
}

const DEVICE_COLUMNS = `id, name, role, plane_id AS "planeId", vendor, model, host(mgmt_address) AS "mgmtAddress", unit_code AS "unitCode", cloud_id AS "cloudId", state`;
const LINK_COLUMNS = `l.id, l.circuit_id AS "circuitId", l.unit_code AS "unitCode", l.plane_id AS "planeId", l.pe_device_id AS "peDeviceId",
  l.interface_id AS "interfaceId", l.agg_device_id AS "aggDeviceId", l.ce_device_id AS "ceDeviceId", l.bandwidth_mbps AS "bandwidthMbps",
  l.carrier, l.ducts, l.families, l.state, pe.name AS "peName", i.name AS "interfaceName", agg.name AS "aggName", ce.name AS "ceName"`;
const LINK_JOINS = `JOIN extranet_devices pe ON pe.id = l.pe_device_id LEFT JOIN extranet_interfaces i ON i.id = l.interface_id
  LEFT JOIN extranet_devices agg ON agg.id = l.agg_device_id LEFT JOIN extranet_devices ce ON ce.id = l.ce_device_id`;

export const planesRepo = {
  list: (db: Queryable) =>
    db.query<Plane>(`SELECT id, name, name_en AS "nameEn", technology, address_families AS "addressFamilies" FROM extranet_planes ORDER BY id`),
  async byId(db: Queryable, id: string): Promise<Plane | null> {
    return (await planesRepo.list(db)).find((p) => p.id === id) ?? null;
  },
  async upsert(db: Queryable, p: Plane): Promise<void> {
    await db.query(
      `INSERT INTO extranet_planes (id, name, name_en, technology, address_families) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, technology = excluded.technology, address_families = excluded.address_families`,
      [p.id, p.name, p.nameEn, p.technology, p.addressFamilies],
    );
  },
};

const DEVICE_ORDER = keysetOrder('asc', ['name', 'text']);

export const devicesRepo = {
  /**
   * A page of devices in name order (names are unique) through store/keyset.ts, by role, plane and a name
   * containing `search`; the name index and those of migration 0171 serve each filter in order.
   */
  async page(db: Queryable, f: { role?: string; planeId?: string; search?: string }, page: PageRequest): Promise<Page<Device>> {
    const params: unknown[] = [];
    const where = [
      f.role ? `role = $${params.push(f.role)}` : null,
      f.planeId ? `plane_id = $${params.push(f.planeId)}` : null,
      f.search ? `name ILIKE $${params.push(`%${f.search.replace(/[%_\\]/g, '\\$&')}%`)}` : null,
    ];
    const k = keyset(DEVICE_ORDER, page, params);
    return k.page(await db.query<Device>(`SELECT ${DEVICE_COLUMNS}${k.select} FROM extranet_devices WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
  },
  async byId(db: Queryable, id: string): Promise<Device | null> {
    const [row] = await db.query<Device>(`SELECT ${DEVICE_COLUMNS} FROM extranet_devices WHERE id = $1`, [id]);
    return row ?? null;
  },
  /** Those of the ids that name a device. */
  async knownIds(db: Queryable, ids: readonly string[]): Promise<string[]> {
    return (await db.query<{ id: string }>('SELECT id FROM extranet_devices WHERE id = ANY($1::uuid[])', [ids])).map((r) => r.id);
  },
  async byNames(db: Queryable, names: readonly string[]): Promise<Map<string, Device>> {
    if (!names.length) return new Map();
    const rows = await db.query<Device>(`SELECT ${DEVICE_COLUMNS} FROM extranet_devices WHERE name = ANY($1::text[])`, [names]);
    return new Map(rows.map((d) => [d.name, d]));
  },
  async insert(db: Queryable, d: Omit<Device, 'id'> & { id?: string }): Promise<string> {
    const id = d.id ?? newId();
    await db.query(
      `INSERT INTO extranet_devices (id, name, role, plane_id, vendor, model, mgmt_address, unit_code, cloud_id, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7::inet, $8, $9, $10)`,
      [id, d.name, d.role, d.planeId, d.vendor, d.model, d.mgmtAddress, d.unitCode, d.cloudId, d.state],
    );
    return id;
  },
  async setState(db: Queryable, id: string, state: 'up' | 'down'): Promise<void> {
    await db.query('UPDATE extranet_devices SET state = $2 WHERE id = $1', [id, state]);
  },
  interfaces: (db: Queryable, deviceId: string) =>
    db.query<{ id: string; name: string; description: string; state: string }>(
      'SELECT id, name, description, state FROM extranet_interfaces WHERE device_id = $1 ORDER BY name', [deviceId],
    ),
  /** Many at once (CSV import): the ids of these (device, name) interfaces, created where new. */
  async ensureInterfaces(db: Queryable, wanted: readonly { deviceId: string; name: string; description: string }[]): Promise<Map<string, string>> {
    const unique = [...new Map(wanted.map((w) => [`${w.deviceId}|${w.name}`, w])).values()];
    if (!unique.length) return new Map();
    const rows = await db.query<{ id: string; deviceId: string; name: string }>(
      `INSERT INTO extranet_interfaces (id, device_id, name, description)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
       ON CONFLICT (device_id, name) DO UPDATE SET name = excluded.name RETURNING id, device_id AS "deviceId", name`,
      [unique.map(() => newId()), unique.map((u) => u.deviceId), unique.map((u) => u.name), unique.map((u) => u.description)],
    );
    return new Map(rows.map((r) => [`${r.deviceId}|${r.name}`, r.id]));
  },
  /** The interface of that name on the device, created if new (CSV import names interfaces, it does not pre-register them). */
  async ensureInterface(db: Queryable, deviceId: string, name: string, description = ''): Promise<string> {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO extranet_interfaces (id, device_id, name, description) VALUES ($1, $2, $3, $4)
       ON CONFLICT (device_id, name) DO UPDATE SET name = excluded.name RETURNING id`,
      [newId(), deviceId, name, description],
    );
    return row!.id;
  },
};

export const linksRepo = {
  byUnit: (db: Queryable, unitCode: string) =>
    db.query<Link>(`SELECT ${LINK_COLUMNS} FROM extranet_links l ${LINK_JOINS} WHERE l.unit_code = $1 ORDER BY l.plane_id, l.circuit_id`, [unitCode]),
  /** The id of the link with this circuit id, if any. */
  async idOfCircuit(db: Queryable, circuitId: string): Promise<string | undefined> {
    const [row] = await db.query<{ id: string }>('SELECT id FROM extranet_links WHERE circuit_id = $1', [circuitId]);
    return row?.id;
  },
  async byId(db: Queryable, id: string): Promise<Link | null> {
    const [row] = await db.query<Link>(`SELECT ${LINK_COLUMNS} FROM extranet_links l ${LINK_JOINS} WHERE l.id = $1`, [id]);
    return row ?? null;
  },
  /** Every link in circuit order, for export (the caller pages through with `after`). */
  page: (db: Queryable, after: string, limit: number) =>
    db.query<Link>(`SELECT ${LINK_COLUMNS} FROM extranet_links l ${LINK_JOINS} WHERE l.circuit_id > $1 ORDER BY l.circuit_id LIMIT $2`, [after, limit]),
  /** Inserts links, or updates those whose circuit id exists (CSV import). */
  async upsertMany(db: Queryable, links: readonly LinkInput[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < links.length; i += 5000) {
      const b = links.slice(i, i + 5000);
      const col = <K extends keyof LinkInput>(k: K) => b.map((l) => l[k]);
      const rows = await db.query(
        `INSERT INTO extranet_links (id, circuit_id, unit_code, plane_id, pe_device_id, interface_id, agg_device_id, ce_device_id,
                                     bandwidth_mbps, carrier, ducts, families, state)
         SELECT v.id, v.circuit_id, v.unit_code, v.plane_id, v.pe, v.pe_if, v.agg, v.ce, v.bw, v.carrier,
                string_to_array(v.ducts, '|'), string_to_array(v.families, '|'), v.state
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[], $8::uuid[], $9::int[], $10::text[], $11::text[], $12::text[], $13::text[])
              AS v(id, circuit_id, unit_code, plane_id, pe, pe_if, agg, ce, bw, carrier, ducts, families, state)
         ON CONFLICT (circuit_id) DO UPDATE SET unit_code = excluded.unit_code, plane_id = excluded.plane_id, pe_device_id = excluded.pe_device_id,
           interface_id = excluded.interface_id, agg_device_id = excluded.agg_device_id, ce_device_id = excluded.ce_device_id,
           bandwidth_mbps = excluded.bandwidth_mbps, carrier = excluded.carrier, ducts = excluded.ducts, families = excluded.families,
           state = excluded.state, updated_at = now()
         RETURNING id`,
        [b.map(() => newId()), col('circuitId'), col('unitCode'), col('planeId'), col('peDeviceId'), col('interfaceId'), col('aggDeviceId'), col('ceDeviceId'),
          col('bandwidthMbps'), col('carrier'), b.map((l) => l.ducts.join('|')), b.map((l) => l.families.join('|')), col('state')],
      );
      n += rows.length;
    }
    return n;
  },
  async setState(db: Queryable, id: string, state: LinkInput['state']): Promise<void> {
    await db.query('UPDATE extranet_links SET state = $2, updated_at = now() WHERE id = $1', [id, state]);
  },
  async remove(db: Queryable, id: string): Promise<void> {
    await db.query('DELETE FROM extranet_links WHERE id = $1', [id]);
  },
};

export const attachmentsRepo = {
  list: (db: Queryable, cloudId?: string) =>
    db.query<Attachment>(
      `SELECT cloud_id AS "cloudId", plane_id AS "planeId", pe_device_id AS "peDeviceId", vrf_id AS "vrfId", prefix_v4::text AS "prefixV4",
              prefix_v6::text AS "prefixV6", host(probe_v4) AS "probeV4", host(probe_v6) AS "probeV6", state
       FROM extranet_cloud_attachments WHERE $1::text IS NULL OR cloud_id = $1 ORDER BY cloud_id, plane_id`,
      [cloudId ?? null],
    ),
  async upsert(db: Queryable, a: Attachment): Promise<void> {
    await db.query(
      `INSERT INTO extranet_cloud_attachments (cloud_id, plane_id, pe_device_id, vrf_id, prefix_v4, prefix_v6, probe_v4, probe_v6, state)
       VALUES ($1, $2, $3, $4, $5::cidr, $6::cidr, $7::inet, $8::inet, $9)
       ON CONFLICT (cloud_id, plane_id) DO UPDATE SET pe_device_id = excluded.pe_device_id, vrf_id = excluded.vrf_id, prefix_v4 = excluded.prefix_v4,
         prefix_v6 = excluded.prefix_v6, probe_v4 = excluded.probe_v4, probe_v6 = excluded.probe_v6, state = excluded.state`,
      [a.cloudId, a.planeId, a.peDeviceId, a.vrfId, a.prefixV4, a.prefixV6, a.probeV4, a.probeV6, a.state],
    );
  },
};
