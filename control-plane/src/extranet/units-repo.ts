import { InputError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';

export const UNIT_LEVELS = ['province', 'city', 'county', 'township', 'village', 'site'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** The level a unit's parent must have (a site hangs off any division level above a village). */
export const PARENT_LEVELS: Record<UnitLevel, readonly UnitLevel[]> = {
  province: [],
  city: ['province'],
  county: ['city'],
  township: ['county'],
  village: ['township'],
  site: ['province', 'city', 'county', 'township'],
};

export interface UnitInput {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  divisionCode?: string | null;
  siteKind?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  synthetic?: boolean;
  departmentId?: string | null;
}

/** A unit to insert with the ancestors its parent gives it (see `insertWithAncestors`). */
export type UnitWithAncestors = UnitInput & Pick<UnitRecord, 'cityCode' | 'countyCode' | 'townshipCode'>;

export interface UnitRecord {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  divisionCode: string | null;
  siteKind: string | null;
  contactName: string | null;
  contactPhone: string | null;
  synthetic: boolean;
  departmentId: string | null;
  cityCode: string | null;
  countyCode: string | null;
  townshipCode: string | null;
}

const COLUMNS = `code, name, level, parent_code AS "parentCode", division_code AS "divisionCode", site_kind AS "siteKind",
  contact_name AS "contactName", contact_phone AS "contactPhone", synthetic, department_id AS "departmentId",
  city_code AS "cityCode", county_code AS "countyCode", township_code AS "townshipCode"`;

export const unitsRepo = {
  async byCode(db: Queryable, code: string): Promise<UnitRecord | null> {
    const [row] = await db.query<UnitRecord>(`SELECT ${COLUMNS} FROM access_units WHERE code = $1`, [code]);
    return row ?? null;
  },

  /** The access units a department runs, by code. */
  async ofDepartment(db: Queryable, departmentId: string): Promise<UnitRecord[]> {
    return db.query<UnitRecord>(`SELECT ${COLUMNS} FROM access_units WHERE department_id = $1 ORDER BY code`, [departmentId]);
  },

  async byCodes(db: Queryable, codes: readonly string[]): Promise<Map<string, UnitRecord>> {
    if (!codes.length) return new Map();
    const rows = await db.query<UnitRecord>(`SELECT ${COLUMNS} FROM access_units WHERE code = ANY($1::text[])`, [codes]);
    return new Map(rows.map((r) => [r.code, r]));
  },

  async count(db: Queryable): Promise<number> {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM access_units');
    return row!.n;
  },

  /**
   * Inserts (or, with `upsert`, updates name and contacts of) units. Parents must exist already or come
   * earlier in `units`: rows go in level by level so each takes its ancestors (city, county, township)
   * from its parent in the same statement.
   */
  async insertMany(db: Queryable, units: readonly UnitInput[], opts: { upsert?: boolean } = {}): Promise<number> {
    let written = 0;
    for (const level of UNIT_LEVELS) {
      const batch = units.filter((u) => u.level === level);
      for (let i = 0; i < batch.length; i += 5000) written += await insertBatch(db, batch.slice(i, i + 5000), !!opts.upsert);
    }
    return written;
  },

  /**
   * Inserts (or, with `upsert`, updates name, contacts and site kind of) units whose ancestor codes the caller
   * has already worked out (CSV import: from the parents in the database and in the file), all in ONE statement
   * whatever the levels: parents and children together (the parent's foreign key is checked at the end of the
   * statement). Returns the number of rows written.
   */
  async insertWithAncestors(db: Queryable, units: readonly UnitWithAncestors[], opts: { upsert?: boolean } = {}): Promise<number> {
    if (!units.length) return 0;
    const col = <K extends keyof UnitWithAncestors>(k: K) => units.map((u) => u[k] ?? null);
    const rows = await db.query<{ code: string }>(
      `INSERT INTO access_units (code, name, level, parent_code, division_code, site_kind, contact_name, contact_phone, synthetic, department_id,
                                 city_code, county_code, township_code)
       SELECT v.code, v.name, v.level, v.parent_code, v.division_code, v.site_kind, v.contact_name, v.contact_phone, coalesce(v.synthetic, false), v.department_id,
              v.city_code, v.county_code, v.township_code
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::uuid[],
                   $11::text[], $12::text[], $13::text[])
            AS v(code, name, level, parent_code, division_code, site_kind, contact_name, contact_phone, synthetic, department_id, city_code, county_code, township_code)
       ${opts.upsert ? `ON CONFLICT (code) DO UPDATE SET name = excluded.name, contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,
                   site_kind = excluded.site_kind, updated_at = now()` : ''}
       RETURNING code`,
      [col('code'), col('name'), col('level'), col('parentCode'), col('divisionCode'), col('siteKind'), col('contactName'), col('contactPhone'), col('synthetic'),
        col('departmentId'), col('cityCode'), col('countyCode'), col('townshipCode')],
    );
    if (rows.length !== units.length) throw new InputError(`wrote ${rows.length} of ${units.length} units`);
    return rows.length;
  },

  async update(db: Queryable, code: string, patch: Partial<Pick<UnitInput, 'name' | 'contactName' | 'contactPhone' | 'siteKind' | 'departmentId'>>): Promise<void> {
    await db.query(
      `UPDATE access_units SET name = coalesce($2, name), contact_name = CASE WHEN $3::boolean THEN $4 ELSE contact_name END,
         contact_phone = CASE WHEN $5::boolean THEN $6 ELSE contact_phone END, site_kind = coalesce($7, site_kind),
         department_id = CASE WHEN $8::boolean THEN $9::uuid ELSE department_id END, updated_at = now()
       WHERE code = $1`,
      [code, patch.name ?? null, patch.contactName !== undefined, patch.contactName ?? null, patch.contactPhone !== undefined, patch.contactPhone ?? null,
        patch.siteKind ?? null, patch.departmentId !== undefined, patch.departmentId ?? null],
    );
  },

  /** Units whose name or code matches, for pickers (the access-check tool, what-if). */
  async search(db: Queryable, q: string, limit: number): Promise<UnitRecord[]> {
    return db.query<UnitRecord>(
      `SELECT ${COLUMNS} FROM access_units WHERE code LIKE $1 || '%' OR name LIKE '%' || $1 || '%'
       ORDER BY array_position(ARRAY['province','city','county','township','site','village'], level), code LIMIT $2`,
      [q, limit],
    );
  },

  /** The unit's active IPAM prefixes and addresses, by plane, family and address. */
  async addresses(db: Queryable, code: string) {
    return db.query<{ cidr: string; family: string; planeId: string | null; vrf: string; kind: string }>(
      `SELECT p.cidr::text, p.family, p.plane_id AS "planeId", v.name AS vrf, p.kind FROM ipam_prefixes p JOIN ipam_vrfs v ON v.id = p.vrf_id WHERE p.unit_code = $1 AND p.status = 'active'
       UNION ALL SELECT host(a.address), a.family, a.plane_id, v.name, 'address' FROM ipam_addresses a JOIN ipam_vrfs v ON v.id = a.vrf_id WHERE a.unit_code = $1 AND a.status = 'active'
       ORDER BY 3, 2, 1`, [code]);
  },
  /** The unit's last known reachability per plane and family. */
  async reachability(db: Queryable, code: string) {
    return db.query<{ planeId: string; family: string; ok: boolean; source: string; at: Date }>(
      `SELECT plane_id AS "planeId", family, ok, source, at FROM extranet_reachability WHERE unit_code = $1`, [code]);
  },
  /** How many units sit directly below this one (one element: the count). */
  async childCount(db: Queryable, code: string) {
    return db.query<{ n: number }>('SELECT count(*)::int AS n FROM access_units WHERE parent_code = $1', [code]);
  },

  /** Province → … → the unit itself. */
  async ancestry(db: Queryable, code: string): Promise<{ code: string; name: string; level: UnitLevel }[]> {
    return db.query(
      `WITH RECURSIVE up AS (
         SELECT code, name, level, parent_code, 0 AS depth FROM access_units WHERE code = $1
         UNION ALL SELECT a.code, a.name, a.level, a.parent_code, up.depth + 1 FROM access_units a JOIN up ON a.code = up.parent_code)
       SELECT code, name, level FROM up ORDER BY depth DESC`,
      [code],
    );
  },

  /** Units (all, or a city, county or township and its subtree) as CSV rows, in level then code order. */
  async exportRows(db: Queryable, under?: string) {
    return db.query<Record<string, string | null>>(
      `SELECT code, name, level, coalesce(parent_code, '') AS parent_code, coalesce(site_kind, '') AS site_kind,
            coalesce(contact_name, '') AS contact_name, coalesce(contact_phone, '') AS contact_phone
     FROM access_units u WHERE $1::text IS NULL OR u.code = $1 OR u.city_code = $1 OR u.county_code = $1 OR u.township_code = $1
     ORDER BY array_position(ARRAY['province','city','county','township','village','site'], level), code`,
      [under ?? null],
    );
  },
};

async function insertBatch(db: Queryable, batch: readonly UnitInput[], upsert: boolean): Promise<number> {
  if (!batch.length) return 0;
  const col = <K extends keyof UnitInput>(k: K) => batch.map((u) => u[k] ?? null);
  const rows = await db.query<{ code: string; parentLevel: string | null }>(
    `INSERT INTO access_units (code, name, level, parent_code, division_code, site_kind, contact_name, contact_phone, synthetic, department_id,
                               city_code, county_code, township_code)
     SELECT v.code, v.name, v.level, v.parent_code, v.division_code, v.site_kind, v.contact_name, v.contact_phone, coalesce(v.synthetic, false), v.department_id,
            CASE WHEN v.level = 'city' THEN v.code ELSE p.city_code END,
            CASE WHEN v.level = 'county' THEN v.code ELSE p.county_code END,
            CASE WHEN v.level = 'township' THEN v.code ELSE p.township_code END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::uuid[])
          AS v(code, name, level, parent_code, division_code, site_kind, contact_name, contact_phone, synthetic, department_id)
     LEFT JOIN access_units p ON p.code = v.parent_code
     ${upsert ? `ON CONFLICT (code) DO UPDATE SET name = excluded.name, contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,
                 site_kind = excluded.site_kind, updated_at = now()` : ''}
     RETURNING code`,
    [col('code'), col('name'), col('level'), col('parentCode'), col('divisionCode'), col('siteKind'), col('contactName'), col('contactPhone'), col('synthetic'), col('departmentId')],
  );
  if (rows.length !== batch.length) throw new InputError(`wrote ${rows.length} of ${batch.length} units`);
  return rows.length;
}
