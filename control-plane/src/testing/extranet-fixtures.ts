/**
 * Specs only: a small extranet described in a few lines (units by code, devices by name, links as tuples),
 * and a digest of every extranet table so a refused call can be shown to have changed nothing.
 */
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { devicesRepo, linksRepo, planesRepo, type Family, type LinkInput } from '../extranet/inventory-repo.ts';
import { unitsRepo, type UnitInput, type UnitLevel } from '../extranet/units-repo.ts';

export const PLANES = [
  { id: 'plane-1', name: '平面一', nameEn: 'Plane 1', technology: 'mpls-vpn' as const, addressFamilies: ['ipv4', 'ipv6'] as Family[] },
  { id: 'plane-2', name: '平面二', nameEn: 'Plane 2', technology: 'srv6' as const, addressFamilies: ['ipv4', 'ipv6'] as Family[] },
];

/** province 36 → city 3601 → county 360102 → townships 360102001/002 → villages; a second city 3602. */
export const TREE: [string, UnitLevel, string | null][] = [
  ['36', 'province', null], ['3601', 'city', '36'], ['3602', 'city', '36'],
  ['360102', 'county', '3601'], ['360202', 'county', '3602'],
  ['360102001', 'township', '360102'], ['360102002', 'township', '360102'], ['360202001', 'township', '360202'],
  ['360102001201', 'village', '360102001'], ['360102001202', 'village', '360102001'], ['360102002201', 'village', '360102002'],
  ['360202001201', 'village', '360202001'], ['S-360102-01', 'site', '360102'],
];

export interface LinkSpec {
  unit: string;
  plane: 'plane-1' | 'plane-2';
  pe?: string;
  agg?: string | null;
  carrier?: string;
  ducts?: string[];
  state?: LinkInput['state'];
  families?: Family[];
}

/** Devices: PE-1/PE-2 and AGG-1/AGG-2 per plane, PE-X and AGG-X serving both planes, CE-1. */
export async function buildExtranet(db: Queryable, links: LinkSpec[] = []): Promise<Map<string, string>> {
  for (const p of PLANES) await planesRepo.upsert(db, p);
  await unitsRepo.insertMany(db, TREE.map(([code, level, parentCode]): UnitInput => ({ code, level, parentCode, name: `单位${code}` })));
  const ids = new Map<string, string>();
  for (const [name, role, planeId] of [
    ['PE-1', 'pe', 'plane-1'], ['PE-2', 'pe', 'plane-2'], ['PE-X', 'pe', null],
    ['AGG-1', 'aggregation', 'plane-1'], ['AGG-2', 'aggregation', 'plane-2'], ['AGG-X', 'aggregation', null], ['CE-1', 'ce', null],
  ] as const) {
    ids.set(name, await devicesRepo.insert(db, { name, role, planeId, vendor: 'Huawei', model: 'NE40E', mgmtAddress: '10.255.0.1', unitCode: null, cloudId: null, state: 'up' }));
  }
  await linksRepo.upsertMany(db, links.map((l, i) => ({
    circuitId: `C-${i + 1}-${l.unit}-${l.plane}`, unitCode: l.unit, planeId: l.plane,
    peDeviceId: ids.get(l.pe ?? (l.plane === 'plane-1' ? 'PE-1' : 'PE-2'))!, interfaceId: null,
    aggDeviceId: l.agg === null ? null : ids.get(l.agg ?? (l.plane === 'plane-1' ? 'AGG-1' : 'AGG-2'))!, ceDeviceId: null,
    bandwidthMbps: 100, carrier: l.carrier ?? (l.plane === 'plane-1' ? '中国电信' : '中国联通'),
    ducts: l.ducts ?? [`D-${l.unit}-${l.plane === 'plane-1' ? 'A' : 'B'}`], families: l.families ?? ['ipv4', 'ipv6'], state: l.state ?? 'up',
  })));
  return ids;
}

/** One VRF per plane with a /8 and a /32 aggregate; `allocate` gives a unit an address of a family on a plane. */
export async function buildAddressing(db: Queryable) {
  const vrfs = new Map<string, { vrf: string; v4: string; v6: string }>();
  for (const [i, p] of PLANES.entries()) {
    const vrf = newId();
    const v4 = newId();
    const v6 = newId();
    await db.query(`INSERT INTO ipam_vrfs (id, name, rd, import_targets, export_targets, plane_id) VALUES ($1, $2, $3, $4, $4, $5)`, [vrf, `EXT-${p.id}`, `65000:${i + 1}`, [`65000:${i + 1}`], p.id]);
    await db.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id) VALUES ($1, $3, '10.0.0.0/8', 'ipv4', 0, 'aggregate', $4), ($2, $3, $5::cidr, 'ipv6', 0, 'aggregate', $4)`,
      [v4, v6, vrf, p.id, `240e:6b${i}::/32`],
    );
    vrfs.set(p.id, { vrf, v4, v6 });
  }
  let n = 0;
  return {
    vrfs,
    async allocate(unitCode: string, planeId: string, family: Family, vrfId?: string) {
      const v = vrfs.get(planeId)!;
      n++;
      const [parent, cidr] = family === 'ipv4' ? [v.v4, `10.0.${n}.0/29`] : [v.v6, `240e:6b${PLANES.findIndex((p) => p.id === planeId)}:${n}::/64`];
      const parentCidr = family === 'ipv4' ? '10.0.0.0/8' : `240e:6b${PLANES.findIndex((p) => p.id === planeId)}::/32`;
      if (vrfId) {
        await db.query(`INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, unit_code, plane_id) VALUES ($1, $2, $3::cidr, $4, 0, 'assigned', $5, $6)`, [newId(), vrfId, cidr, family, unitCode, planeId]);
        return cidr;
      }
      await db.query(
        `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, depth, kind, unit_code, plane_id)
         VALUES ($1, $2, $3::cidr, $4, $5, 0, $6::cidr, 1, 'assigned', $7, $8)`,
        [newId(), v.vrf, cidr, family, parent, parentCidr, unitCode, planeId],
      );
      return cidr;
    },
  };
}

/** Row counts and content digests of every extranet table. */
export async function extranetDigest(db: Queryable) {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT (SELECT count(*)::int FROM access_units) AS units,
            (SELECT md5(coalesce(string_agg(code || name || level || coalesce(parent_code, '') || coalesce(contact_phone, ''), '|' ORDER BY code), '')) FROM access_units) AS "unitsDigest",
            (SELECT count(*)::int FROM extranet_links) AS links,
            (SELECT md5(coalesce(string_agg(circuit_id || unit_code || plane_id || state || carrier || array_to_string(ducts, ','), '|' ORDER BY circuit_id), '')) FROM extranet_links) AS "linksDigest",
            (SELECT count(*)::int FROM extranet_devices) AS devices, (SELECT count(*)::int FROM extranet_interfaces) AS interfaces,
            (SELECT md5(coalesce(string_agg(id || name || array_to_string(address_families, ','), '|' ORDER BY id), '')) FROM extranet_planes) AS planes,
            (SELECT count(*)::int FROM extranet_cloud_attachments) AS attachments, (SELECT count(*)::int FROM extranet_checks) AS checks,
            (SELECT count(*)::int FROM extranet_reachability) AS reachability`,
  );
  return row!;
}

/** A cloud row as the registry would hold it (attachments and systems refer to clouds). */
export async function insertCloud(db: Queryable, id: string, region = '3601'): Promise<void> {
  await db.query(
    `INSERT INTO clouds (id, name, name_en, provider_kind, region, kind, site_roles, certifications) VALUES ($1, $2, $3, 'simulated', $4, 'general', '{production}', '{3}')`,
    [id, `云${id}`, `Cloud ${id}`, region],
  );
}
