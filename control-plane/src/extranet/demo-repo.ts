import type { Queryable } from '../store/store.ts';
import type { UnitLevel } from './units-repo.ts';

/**
 * SQL of the extranet demo (demo.ts, demo-systems.ts, synthesise.ts): synthesised units, devices and links,
 * demo addressing written straight into IPAM's tables (0008), cloud attachments' prefixes, and the demo
 * departments' systems and department network. Only ever run on a fresh database.
 */

// The police department's city sites (demo-systems.ts).
const POLICE_SITES = `SELECT code FROM access_units WHERE site_kind = 'department-site' AND level = 'site' AND name LIKE '%公安局' AND county_code IS NULL`;

export const demoRepo = {
  async unitCount(db: Queryable): Promise<number> {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM access_units');
    return row!.n;
  },

  /** Prefixes allocated to units (IPAM's own data wins over the demo's). */
  async unitPrefixCount(db: Queryable): Promise<number> {
    const [existing] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_prefixes WHERE unit_code IS NOT NULL');
    return existing!.n;
  },

  /** A plane's shared extranet VRF, importing and exporting its one route target. */
  async insertPlaneVrf(db: Queryable, v: { id: string; name: string; rt: string; planeId: string; description: string }): Promise<void> {
    await db.query(
      `INSERT INTO ipam_vrfs (id, name, rd, import_targets, export_targets, plane_id, kind, description)
       VALUES ($1, $2, $3, $4, $4, $5, 'extranet', $6)`,
      [v.id, v.name, v.rt, [v.rt], v.planeId, v.description],
    );
  },

  /** The IPv4 10.0.0.0/8 and the IPv6 /32 aggregate of a plane's VRF. */
  async insertPlaneAggregates(db: Queryable, a: { v4Id: string; v6Id: string; vrfId: string; planeId: string; v6Root: string }): Promise<void> {
    await db.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id, description)
       VALUES ($1, $3, '10.0.0.0/8', 'ipv4', 0, 'aggregate', $4, 'demo aggregate'), ($2, $3, $5::cidr, 'ipv6', 0, 'aggregate', $4, 'demo aggregate')`,
      [a.v4Id, a.v6Id, a.vrfId, a.planeId, a.v6Root],
    );
  },

  /**
   * A /29 and (for 4 in 5) a /64 under the aggregates for a deterministic share of the units, by a hash of
   * the code: 95 % above village level, 55 % of villages. Returns the prefixes written.
   */
  async assignUnitPrefixes(db: Queryable, a: { vrfId: string; v4Id: string; v6Id: string; v6Root: string; planeId: string; planeIndex: number }): Promise<number> {
    const rows = await db.query(
      `WITH chosen AS (
         SELECT code, row_number() OVER (ORDER BY code) AS n, abs(hashtext(code || $6)) % 100 AS h
         FROM access_units WHERE abs(hashtext(code || $6)) % 100 < CASE level WHEN 'village' THEN 55 ELSE 95 END)
       INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, depth, kind, unit_code, plane_id)
       SELECT gen_random_uuid(), $1::uuid, set_masklen('10.0.0.0'::inet + n * 8, 29)::cidr, 'ipv4', $2::uuid, 0, '10.0.0.0/8', 1, 'assigned', code, $5 FROM chosen
       UNION ALL
       SELECT gen_random_uuid(), $1::uuid, format('240e:6b%s:%s:%s::/64', $7::text, to_hex(n >> 16), to_hex(n & 65535))::cidr, 'ipv6', $3::uuid, 0, $4::cidr, 1, 'assigned', code, $5
       FROM chosen WHERE h < 76
       RETURNING 1`,
      [a.vrfId, a.v4Id, a.v6Id, a.v6Root, a.planeId, a.planeId, String(a.planeIndex)],
    );
    return rows.length;
  },

  async clouds(db: Queryable) {
    return db.query<{ id: string; region: string }>('SELECT id, region FROM clouds ORDER BY id');
  },

  /** The PE of a region on a plane (or a shared PE), first by name. */
  async regionPe(db: Queryable, region: string, planeId: string): Promise<{ id: string } | undefined> {
    const [pe] = await db.query<{ id: string }>(
      `SELECT id FROM extranet_devices WHERE role = 'pe' AND name LIKE $1 AND (plane_id = $2 OR plane_id IS NULL) ORDER BY name LIMIT 1`,
      [`PE-${region}-%`, planeId],
    );
    return pe;
  },

  /** A cloud attachment's two prefixes as top-level prefixes of the plane's VRF. */
  async insertCloudPrefixes(db: Queryable, p: { vrfId: string | undefined; v4: string; v6: string; planeId: string; description: string }): Promise<void> {
    await db.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id, description)
           VALUES (gen_random_uuid(), $1, $2::cidr, 'ipv4', 0, 'aggregate', $4, $5), (gen_random_uuid(), $1, $3::cidr, 'ipv6', 0, 'aggregate', $4, $5)`,
      [p.vrfId, p.v4, p.v6, p.planeId, p.description],
    );
  },

  async departmentCount(db: Queryable): Promise<number> {
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM departments')) as [{ n: number }];
    return n;
  },

  /** Clouds the demo systems (等保 3, DR level 4) may really be on: certified for level 3, with a same-city DR site. */
  async cloudsForDemoSystems(db: Queryable): Promise<string[]> {
    return (await db.query<{ id: string }>(
      `SELECT id FROM clouds WHERE 3 = ANY(certifications) AND 'same-city-dr' = ANY(site_roles) ORDER BY (id = 'jx-province') DESC, id LIMIT 2`,
    )).map((c) => c.id);
  },

  async insertSystem(db: Queryable, s: { id: string; departmentId: string; name: string; cloudId: string | undefined }): Promise<void> {
    await db.query(
      `INSERT INTO business_systems (id, department_id, name, description, mlps_level, data_classification, architectures, dr_level, dr_edition,
                                       rpo_seconds, rto_seconds, status, cloud_id)
         VALUES ($1, $2, $3, '演示数据', 3, 'internal', '{x86_64}', 4, '2007', 900, 3600, 'on-cloud', $4)`,
      [s.id, s.departmentId, s.name, s.cloudId],
    );
  },

  /** The police department's VRF DEPT-GA on plane 1, migration in progress. */
  async insertPoliceVrf(db: Queryable, vrfId: string, departmentId: string | undefined): Promise<void> {
    await db.query(
      `INSERT INTO ipam_vrfs (id, name, rd, import_targets, export_targets, plane_id, department_id, kind, migration_state, description)
     VALUES ($1, 'DEPT-GA', '65010:1', '{65010:1}', '{65010:1}', 'plane-1', $2, 'department', 'in-progress', '公安专网迁入外网（演示）')`,
      [vrfId, departmentId],
    );
  },

  /** Its original space, 10.0.0.0/16, overlapping the extranet's 10/8. */
  async insertPoliceRoot(db: Queryable, rootId: string, vrfId: string): Promise<void> {
    await db.query(`INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id, description) VALUES ($1, $2, '10.0.0.0/16', 'ipv4', 0, 'aggregate', 'plane-1', '公安专网原有地址')`, [rootId, vrfId]);
  },

  /** Its space NATed to 10.250.0.0/16 of the extranet VRF during the migration. */
  async insertPoliceNat(db: Queryable, id: string, vrfId: string, outsideVrfId: string): Promise<void> {
    await db.query(
      `INSERT INTO ipam_nat_mappings (id, inside_vrf_id, inside_cidr, outside_vrf_id, outside_cidr, description)
     VALUES ($1, $2, '10.0.0.0/16', $3, '10.250.0.0/16', '迁移期间的地址转换（演示）')`,
      [id, vrfId, outsideVrfId],
    );
  },

  /** The police city sites' plane-1 IPv4 space moves from the shared VRF into the department's (demo allocations only). */
  async movePoliceSites(db: Queryable, vrfId: string, rootId: string): Promise<void> {
    const sites = POLICE_SITES;
    await db.query(`DELETE FROM ipam_prefixes WHERE unit_code IN (${sites}) AND plane_id = 'plane-1' AND family = 'ipv4' AND kind = 'assigned'`);
    await db.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, depth, kind, unit_code, plane_id)
     SELECT gen_random_uuid(), $1::uuid, set_masklen(('10.0.' || row_number() OVER (ORDER BY code) || '.0')::inet, 24)::cidr, 'ipv4', $2::uuid, 0, '10.0.0.0/16', 1, 'assigned', code, 'plane-1'
     FROM (${sites}) AS s`,
      [vrfId, rootId],
    );
  },

  /** Divisions above village level, the synthesised units' skeleton. */
  async divisions(db: Queryable) {
    return db.query<{ code: string; name: string; level: UnitLevel; parentCode: string | null }>(
      `SELECT code, name, level, parent_code AS "parentCode" FROM divisions WHERE level <> 'village' ORDER BY code`,
    );
  },

  async unitPlaces(db: Queryable) {
    return db.query<{ code: string; level: UnitLevel; cityCode: string | null; countyCode: string | null; townshipCode: string | null }>(
      `SELECT code, level, city_code AS "cityCode", county_code AS "countyCode", township_code AS "townshipCode" FROM access_units ORDER BY code`,
    );
  },

  async insertDevices(db: Queryable, devices: readonly { id: string; name: string; role: string; planeId: string | null; vendor: string; model: string; mgmt: string }[]): Promise<void> {
    await db.query(
      `INSERT INTO extranet_devices (id, name, role, plane_id, vendor, model, mgmt_address)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::inet[])`,
      [devices.map((d) => d.id), devices.map((d) => d.name), devices.map((d) => d.role), devices.map((d) => d.planeId), devices.map((d) => d.vendor), devices.map((d) => d.model), devices.map((d) => d.mgmt)],
    );
  },

  async insertInterfaces(db: Queryable, rows: readonly { id: string; deviceId: string; name: string; description: string }[]): Promise<void> {
    await db.query(
      `INSERT INTO extranet_interfaces (id, device_id, name, description) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])`,
      [rows.map((i) => i.id), rows.map((i) => i.deviceId), rows.map((i) => i.name), rows.map((i) => i.description)],
    );
  },
};
