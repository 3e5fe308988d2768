import type { Queryable } from '../store/store.ts';

/**
 * Test fixtures for IPAM specs: two planes and a small unit tree written straight into the extranet tables
 * (owned by the extranet capability; IPAM only refers to them). Named fixtures, not product data.
 */
export async function seedPlanesAndUnits(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO extranet_planes (id, name, name_en, technology, address_families) VALUES
       ('plane-1', '第一平面', 'Plane 1', 'mpls-vpn', ARRAY['ipv4','ipv6']),
       ('plane-2', '第二平面', 'Plane 2', 'srv6', ARRAY['ipv4','ipv6'])`,
  );
  await db.query(
    `INSERT INTO access_units (code, name, level, parent_code) VALUES
       ('36', '江西省', 'province', NULL),
       ('3601', '南昌市', 'city', '36'),
       ('360102', '东湖区', 'county', '3601'),
       ('360102001', '公园街道', 'township', '360102'),
       ('360102002', '滕王阁街道', 'township', '360102')`,
  );
}
