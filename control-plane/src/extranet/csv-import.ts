import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Queryable } from '../store/store.ts';
import { devicesRepo, linksRepo, planesRepo, type Device, type Family, type LinkInput } from './inventory-repo.ts';
import { PARENT_LEVELS, UNIT_LEVELS, unitsRepo, type UnitLevel, type UnitRecord, type UnitWithAncestors } from './units-repo.ts';

/**
 * CSV import and export of units and links, as network staff keep them in spreadsheets. Validation runs over
 * every row before anything is written and reports each problem by row (the header is row 1) and column;
 * the caller writes only when there is none (all or nothing).
 */
export interface RowError {
  row: number;
  column: string;
  message: string;
}
export interface Checked<T> {
  rows: number;
  errors: RowError[];
  valid: T[];
}

export const UNIT_COLUMNS = ['code', 'name', 'level', 'parent_code', 'site_kind', 'contact_name', 'contact_phone'] as const;
export const LINK_COLUMNS = ['circuit_id', 'unit_code', 'plane', 'pe', 'interface', 'aggregation', 'ce', 'bandwidth_mbps', 'carrier', 'ducts', 'families', 'state'] as const;
const MAX_ERRORS = 200;

const CODE = /^[0-9A-Za-z-]{2,40}$/;
const CIRCUIT = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;
const DUCT = /^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5._-]{0,62}$/;
const PHONE = /^[0-9+][0-9-]{5,19}$/;
const LINK_STATES = ['up', 'down', 'planned'] as const;

type Row<C extends readonly string[]> = Record<C[number], string> & { _row: number };

/** Parses and maps columns by the header (any order; unknown or missing columns are errors at row 1). */
function readRows<C extends readonly string[]>(csv: string, columns: C): { rows: Row<C>[]; errors: RowError[] } {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return { rows: [], errors: [{ row: line ?? 1, column: '', message: `not readable as CSV: ${(err as Error).message}` }] };
  }
  const [header, ...data] = records;
  if (!header) return { rows: [], errors: [{ row: 1, column: '', message: 'the file is empty: expected a header row' }] };
  const errors: RowError[] = [];
  const names = header.map((h) => h.toLowerCase());
  for (const c of columns) if (!names.includes(c)) errors.push({ row: 1, column: c, message: `missing column ${c}` });
  for (const h of names) if (!(columns as readonly string[]).includes(h)) errors.push({ row: 1, column: h, message: `unknown column ${h} (expected ${columns.join(', ')})` });
  if (errors.length) return { rows: [], errors };
  const rows = data.map((rec, i) => {
    const row = { _row: i + 2 } as Row<C>;
    names.forEach((n, j) => ((row as Record<string, string>)[n] = rec[j] ?? ''));
    if (rec.length > names.length) errors.push({ row: i + 2, column: '', message: `${rec.length} fields, the header has ${names.length}` });
    return row;
  });
  if (!rows.length) errors.push({ row: 2, column: '', message: 'no data rows' });
  return { rows, errors };
}

/**
 * Checks a unit file in one pass in memory: the file's codes and parent codes are looked up in one query;
 * levels, parents (in the database or earlier or later in the file), duplicates and moves are then checked row
 * by row without further queries. The valid units carry their city, county and township codes (from the
 * parent's, in the database or in the file), so that `unitsRepo.insertWithAncestors` writes the whole file in
 * one statement. `existing`: how many of them are already in the database (an upsert updates them).
 */
export async function checkUnits(db: Queryable, csv: string): Promise<Checked<UnitWithAncestors> & { existing: number }> {
  const { rows, errors } = readRows(csv, UNIT_COLUMNS);
  const err = (row: number, column: string, message: string) => errors.length < MAX_ERRORS && errors.push({ row, column, message });
  const inFile = new Map<string, { level: string; row: number }>();
  for (const r of rows) {
    if (inFile.has(r.code)) err(r._row, 'code', `duplicate code ${r.code} (also row ${inFile.get(r.code)!.row})`);
    else inFile.set(r.code, { level: r.level, row: r._row });
  }
  const known = await unitsRepo.byCodes(db, [...new Set(rows.flatMap((r) => [r.code, r.parent_code]).filter(Boolean))]);
  const valid: UnitWithAncestors[] = [];
  for (const r of rows) {
    const before = errors.length;
    if (!CODE.test(r.code)) err(r._row, 'code', 'a code of 2–40 letters, digits or dashes');
    if (!r.name || r.name.length > 100) err(r._row, 'name', 'a name of 1–100 characters');
    const level = r.level as UnitLevel;
    if (!UNIT_LEVELS.includes(level)) err(r._row, 'level', `one of ${UNIT_LEVELS.join(', ')}`);
    else {
      const parentLevel = r.parent_code ? known.get(r.parent_code)?.level ?? inFile.get(r.parent_code)?.level : undefined;
      if (level === 'province' && r.parent_code) err(r._row, 'parent_code', 'a province has no parent');
      else if (level !== 'province' && !r.parent_code) err(r._row, 'parent_code', `a ${level} needs a parent`);
      else if (r.parent_code && parentLevel === undefined) err(r._row, 'parent_code', `unknown unit code ${r.parent_code}`);
      else if (r.parent_code && !PARENT_LEVELS[level].includes(parentLevel as UnitLevel)) err(r._row, 'parent_code', `a ${level} hangs off a ${PARENT_LEVELS[level].join(' or ')}, not a ${parentLevel}`);
      const existing = known.get(r.code);
      if (existing && (existing.level !== level || (existing.parentCode ?? '') !== r.parent_code)) {
        err(r._row, existing.level !== level ? 'level' : 'parent_code', `unit ${r.code} exists as a ${existing.level} under ${existing.parentCode ?? 'nothing'}: moving units is not done by import`);
      }
    }
    if (r.contact_phone && !PHONE.test(r.contact_phone)) err(r._row, 'contact_phone', 'a phone number: digits, dashes, optional leading +');
    if (r.site_kind && level !== 'site') err(r._row, 'site_kind', 'only sites have a site kind');
    if (errors.length === before) {
      valid.push({
        code: r.code, name: r.name, level, parentCode: r.parent_code || null, siteKind: r.site_kind || null, contactName: r.contact_name || null, contactPhone: r.contact_phone || null,
        cityCode: null, countyCode: null, townshipCode: null,
      });
    }
  }
  if (errors.length) return { rows: rows.length, errors, valid: [], existing: 0 };
  // Ancestors as the repository sets them at insert (a city, county or township is its own): from the parent's
  // row in the database, else from the parent's row in this file (worked out first; levels make the tree acyclic).
  const byCode = new Map(valid.map((u) => [u.code, u]));
  const done = new Set<string>();
  type Ancestors = Pick<UnitRecord, 'cityCode' | 'countyCode' | 'townshipCode'>;
  const resolve = (u: UnitWithAncestors): Ancestors => {
    if (done.has(u.code)) return u;
    const parentCode = u.parentCode;
    const parent: Ancestors | undefined = parentCode === null ? undefined : known.get(parentCode) ?? resolve(byCode.get(parentCode)!);
    u.cityCode = u.level === 'city' ? u.code : parent?.cityCode ?? null;
    u.countyCode = u.level === 'county' ? u.code : parent?.countyCode ?? null;
    u.townshipCode = u.level === 'township' ? u.code : parent?.townshipCode ?? null;
    done.add(u.code);
    return u;
  };
  valid.forEach(resolve);
  return { rows: rows.length, errors, valid, existing: valid.filter((u) => known.has(u.code)).length };
}

export async function checkLinks(db: Queryable, csv: string): Promise<Checked<LinkInput & { interfaceName: string | null }>> {
  const { rows, errors } = readRows(csv, LINK_COLUMNS);
  const err = (row: number, column: string, message: string) => errors.length < MAX_ERRORS && errors.push({ row, column, message });
  const planes = new Map((await planesRepo.list(db)).map((p) => [p.id, p]));
  const units = await unitsRepo.byCodes(db, [...new Set(rows.map((r) => r.unit_code))]);
  const devices = await devicesRepo.byNames(db, [...new Set(rows.flatMap((r) => [r.pe, r.aggregation, r.ce]).filter(Boolean))]);
  const seen = new Map<string, number>();
  const valid: (LinkInput & { interfaceName: string | null })[] = [];
  for (const r of rows) {
    const before = errors.length;
    if (!CIRCUIT.test(r.circuit_id)) err(r._row, 'circuit_id', 'a circuit id: letters, digits, . _ / -, at most 63');
    else if (seen.has(r.circuit_id)) err(r._row, 'circuit_id', `duplicate circuit ${r.circuit_id} (also row ${seen.get(r.circuit_id)})`);
    seen.set(r.circuit_id, seen.get(r.circuit_id) ?? r._row);
    if (!units.has(r.unit_code)) err(r._row, 'unit_code', `unknown unit code ${r.unit_code || '(empty)'}`);
    const plane = planes.get(r.plane);
    if (!plane) err(r._row, 'plane', `plane ${r.plane || '(empty)'} does not exist (planes: ${[...planes.keys()].join(', ') || 'none'})`);
    const device = (col: 'pe' | 'aggregation' | 'ce', role: Device['role'], required: boolean): Device | null => {
      const name = r[col];
      if (!name) {
        if (required) err(r._row, col, `a ${col} device is required`);
        return null;
      }
      const d = devices.get(name);
      if (!d) err(r._row, col, `unknown device ${name}`);
      else if (d.role !== role) err(r._row, col, `${name} is a ${d.role}, not a ${role}`);
      else if (plane && role !== 'ce' && d.planeId !== null && d.planeId !== plane.id) err(r._row, col, `${name} serves ${d.planeId}, not ${plane.id}`);
      else return d;
      return null;
    };
    const pe = device('pe', 'pe', true);
    const agg = device('aggregation', 'aggregation', false);
    const ce = device('ce', 'ce', false);
    const bandwidth = Number(r.bandwidth_mbps);
    if (!/^\d+$/.test(r.bandwidth_mbps) || bandwidth < 1 || bandwidth > 1_000_000) err(r._row, 'bandwidth_mbps', 'a whole number of Mb/s, 1 to 1,000,000');
    if (!r.carrier || r.carrier.length > 40) err(r._row, 'carrier', 'a carrier name of 1–40 characters');
    const ducts = r.ducts ? r.ducts.split(';').map((d) => d.trim()).filter(Boolean) : [];
    const badDuct = ducts.find((d) => !DUCT.test(d));
    if (badDuct) err(r._row, 'ducts', `bad duct / shared-risk group "${badDuct}" (letters, digits, . _ -; several separated by ;)`);
    const families = (r.families || 'ipv4').split(';').map((f) => f.trim()) as Family[];
    if (!families.every((f) => f === 'ipv4' || f === 'ipv6') || new Set(families).size !== families.length) err(r._row, 'families', 'ipv4, ipv6 or ipv4;ipv6');
    else if (plane && !families.every((f) => plane.addressFamilies.includes(f))) err(r._row, 'families', `${plane.id} carries ${plane.addressFamilies.join(', ')} only`);
    const state = (r.state || 'up') as LinkInput['state'];
    if (!LINK_STATES.includes(state)) err(r._row, 'state', `one of ${LINK_STATES.join(', ')}`);
    if (r.interface.length > 64) err(r._row, 'interface', 'an interface name of at most 64 characters');
    if (errors.length === before) {
      valid.push({
        circuitId: r.circuit_id, unitCode: r.unit_code, planeId: r.plane, peDeviceId: pe!.id, interfaceId: null, interfaceName: r.interface || null,
        aggDeviceId: agg?.id ?? null, ceDeviceId: ce?.id ?? null, bandwidthMbps: bandwidth, carrier: r.carrier, ducts, families, state,
      });
    }
  }
  return { rows: rows.length, errors, valid };
}

/** Writes checked links: interfaces named in the file are created on the aggregation switch (else the PE). */
export async function writeLinks(db: Queryable, links: (LinkInput & { interfaceName: string | null })[]): Promise<number> {
  const named = links.filter((l) => l.interfaceName);
  const ids = await devicesRepo.ensureInterfaces(db, named.map((l) => ({ deviceId: l.aggDeviceId ?? l.peDeviceId, name: l.interfaceName!, description: l.unitCode })));
  return linksRepo.upsertMany(db, links.map(({ interfaceName, ...l }) => ({ ...l, interfaceId: interfaceName ? ids.get(`${l.aggDeviceId ?? l.peDeviceId}|${interfaceName}`) ?? null : null })));
}

export async function exportUnits(db: Queryable, under?: string): Promise<string> {
  const rows = await unitsRepo.exportRows(db, under);
  return stringify(rows, { header: true, columns: [...UNIT_COLUMNS] });
}

export async function exportLinks(db: Queryable): Promise<string> {
  const out: Record<string, string | number>[] = [];
  for (let after = ''; ;) {
    const page = await linksRepo.page(db, after, 5000);
    for (const l of page) {
      out.push({ circuit_id: l.circuitId, unit_code: l.unitCode, plane: l.planeId, pe: l.peName, interface: l.interfaceName ?? '', aggregation: l.aggName ?? '', ce: l.ceName ?? '',
        bandwidth_mbps: l.bandwidthMbps, carrier: l.carrier, ducts: l.ducts.join(';'), families: l.families.join(';'), state: l.state });
    }
    if (page.length < 5000) break;
    after = page[page.length - 1]!.circuitId;
  }
  return stringify(out, { header: true, columns: [...LINK_COLUMNS] });
}
