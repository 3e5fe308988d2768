import type { AppDeps } from '../context.ts';
import type { Division } from '../domain/divisions.ts';
import type { Queryable } from '../store/store.ts';
import { unitsRepo } from '../extranet/units-repo.ts';
import { endOf, formatBlock, parseCidr, sizeOf, type Block } from '../ipam/ip-math.ts';
import { callerAs, freshDeps, seedUser } from './harness.ts';

/**
 * Test fixtures for IPAM specs: two planes and a small unit tree written straight into the extranet tables
 * (owned by the extranet capability; IPAM only refers to them). Named fixtures, not product data.
 */
export async function seedPlanesAndUnits(db: Queryable): Promise<void> {
  await seedPlanes(db);
  await db.query(
    `INSERT INTO access_units (code, name, level, parent_code) VALUES
       ('36', '江西省', 'province', NULL),
       ('3601', '南昌市', 'city', '36'),
       ('360102', '东湖区', 'county', '3601'),
       ('360102001', '公园街道', 'township', '360102'),
       ('360102002', '滕王阁街道', 'township', '360102')`,
  );
}

async function seedPlanes(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO extranet_planes (id, name, name_en, technology, address_families) VALUES
       ('plane-1', '第一平面', 'Plane 1', 'mpls-vpn', ARRAY['ipv4','ipv6']),
       ('plane-2', '第二平面', 'Plane 2', 'srv6', ARRAY['ipv4','ipv6'])`,
  );
}

/** The two planes and every real division (province, 11 cities, 100 counties, 1,767 townships) as access units. */
export async function seedPlanesAndDivisionUnits(db: Queryable, divisions: readonly Division[]): Promise<void> {
  await seedPlanes(db);
  await unitsRepo.insertMany(db, divisions.filter((d) => d.level !== 'village').map((d) => ({
    code: d.code, name: d.name, level: d.level as 'province' | 'city' | 'county' | 'township', parentCode: d.parentCode, divisionCode: d.code,
  })));
}

export const PREFIX_CSV_HEADER = 'vrf,cidr,kind,status,unit_code,plane_id,description';

/**
 * A realistic address plan of the extranet's first plane over Jiangxi's real divisions, as the two spreadsheets
 * network staff would import: `hierarchy` (the province aggregate 10.32.0.0/11, a /15 container per city and a
 * /20 container per county: 112 rows) and `townships` (an assigned /26 per township inside its county's /20:
 * 1,767 rows, unit code = the township's division code). Blocks are laid out in division-code order, so the
 * same divisions give the same files. The second file validates against the first one in the database.
 */
export function divisionPrefixCsv(divisions: readonly Division[], vrf = 'EGOV-P1', planeId = 'plane-1'): { hierarchy: string; townships: string; townshipRows: number } {
  const province = divisions.find((d) => d.level === 'province');
  if (!province) throw new Error('no province among the divisions');
  const root = parseCidr('10.32.0.0/11');
  if (!root.ok) throw new Error(root.error);
  /** The index-th block of `length` inside `parent` (which must have room for it). */
  const nth = (parent: Block, length: number, index: number): Block => {
    const block = { family: parent.family, start: parent.start + BigInt(index) * sizeOf({ family: parent.family, length }), length };
    if (endOf(block) > endOf(parent)) throw new Error(`no room for block ${index} /${length} in ${formatBlock(parent)}`);
    return block;
  };
  const childrenOf = (code: string, level: Division['level']) => divisions.filter((d) => d.parentCode === code && d.level === level).sort((a, b) => a.code.localeCompare(b.code));
  const line = (b: Block, kind: string, d: Division) => `${vrf},${formatBlock(b)},${kind},active,${d.code},${planeId},${d.name}`;
  const hierarchy = [PREFIX_CSV_HEADER, line(root.value, 'aggregate', province)];
  const townships = [PREFIX_CSV_HEADER];
  childrenOf(province.code, 'city').forEach((city, c) => {
    const cityBlock = nth(root.value, 15, c);
    hierarchy.push(line(cityBlock, 'container', city));
    childrenOf(city.code, 'county').forEach((county, k) => {
      const countyBlock = nth(cityBlock, 20, k);
      hierarchy.push(line(countyBlock, 'container', county));
      childrenOf(county.code, 'township').forEach((town, t) => townships.push(line(nth(countyBlock, 26, t), 'assigned', town)));
    });
  });
  return { hierarchy: `${hierarchy.join('\n')}\n`, townships: `${townships.join('\n')}\n`, townshipRows: townships.length - 1 };
}

/** A fresh store, a network engineer's caller and a VRF of its own: the set-up of the allocation specs. */
export async function engineerWithVrf(vrfName: string): Promise<{ deps: AppDeps; eng: Awaited<ReturnType<typeof callerAs>>; vrfId: string }> {
  const deps = await freshDeps();
  const eng = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
  return { deps, eng, vrfId: (await eng.ipam.createVrf({ name: vrfName })).id };
}
