/**
 * THE BASELINE of `npm run bench -- csv`, not product code: the prefix CSV import as it was before issue 17.7
 * (control-plane/src/ipam/prefix-csv.ts at commit 8d60a54), kept callable so the benchmark measures the old
 * and the new path in the same run. Validation placed every row with `placePrefix`, one overlap query per
 * row, and compared each row with every accepted one (quadratic); rows were written one statement per depth.
 */
import { parse } from 'csv-parse/sync';
import { newId } from '../../control-plane/src/ids.ts';
import type { Queryable } from '../../control-plane/src/store/store.ts';
import { contains, endOf, parseCidr, type Block } from '../../control-plane/src/ipam/ip-math.ts';
import { ipamRepo, type NewPrefix, type PrefixKind, type PrefixRow, type PrefixStatus, type VrfRow } from '../../control-plane/src/ipam/ipam-repo.ts';
import { placePrefix } from '../../control-plane/src/ipam/prefixes.ts';

const PREFIX_CSV_COLUMNS = ['vrf', 'cidr', 'kind', 'status', 'unit_code', 'plane_id', 'description'] as const;
type Column = (typeof PREFIX_CSV_COLUMNS)[number];

export interface RowError {
  /** Line number in the file as a spreadsheet shows it: the header is row 1. */
  row: number;
  column: Column | 'file';
  message: string;
}

const KINDS: readonly PrefixKind[] = ['aggregate', 'container', 'assigned'];
const STATUSES: readonly PrefixStatus[] = ['active', 'reserved', 'deprecated'];

interface Candidate {
  row: number;
  vrf: VrfRow;
  block: Block;
  cidr: string;
  kind: PrefixKind;
  status: PrefixStatus;
  unitCode: string | null;
  planeId: string | null;
  description: string;
  id: string;
}

/**
 * Checks a whole prefix file and, only when every row is right, writes it (the caller's transaction makes it
 * all or nothing). Rows may nest (an aggregate and its children in one file); they are written shortest
 * first so that parents exist before their children. Returns every bad row, by row number and column.
 */
export async function importPrefixesPerRow(db: Queryable, text: string, visibleVrfs: readonly VrfRow[]): Promise<{ errors: RowError[]; imported: PrefixRow[] }> {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }) as never;
  } catch (error) {
    return { errors: [{ row: (error as { lines?: number }).lines ?? 1, column: 'file', message: `not readable as CSV: ${(error as Error).message}` }], imported: [] };
  }
  const header = records.shift()?.record.map((h) => h.toLowerCase());
  const missing = PREFIX_CSV_COLUMNS.filter((c) => !header?.includes(c));
  if (!header || missing.length) return { errors: [{ row: 1, column: 'file', message: `the header must name the columns ${PREFIX_CSV_COLUMNS.join(',')} (missing: ${missing.join(', ')})` }], imported: [] };

  const errors: RowError[] = [];
  const vrfs = new Map(visibleVrfs.map((v) => [v.name, v]));
  const cell = (r: string[], c: Column) => (r[header.indexOf(c)] ?? '').replace(/^'(?=[=+\-@])/, '');
  const raw = records.map(({ record, info }) => ({ row: info.lines, record }));
  const units = await ipamRepo.knownUnits(db, [...new Set(raw.map((r) => cell(r.record, 'unit_code')).filter(Boolean))]);
  const planes = await ipamRepo.knownPlanes(db, [...new Set(raw.map((r) => cell(r.record, 'plane_id')).filter(Boolean))]);

  const candidates: Candidate[] = [];
  for (const { row, record } of raw) {
    const bad = (column: Column, message: string) => errors.push({ row, column, message });
    const before = errors.length;
    const vrf = vrfs.get(cell(record, 'vrf'));
    if (!vrf) bad('vrf', `unknown VRF ${JSON.stringify(cell(record, 'vrf'))}`);
    const parsed = parseCidr(cell(record, 'cidr'));
    if (!parsed.ok) bad('cidr', parsed.error);
    const kind = (cell(record, 'kind') || 'assigned') as PrefixKind;
    if (!KINDS.includes(kind)) bad('kind', `kind must be one of ${KINDS.join(', ')}`);
    const status = (cell(record, 'status') || 'active') as PrefixStatus;
    if (!STATUSES.includes(status)) bad('status', `status must be one of ${STATUSES.join(', ')}`);
    const unitCode = cell(record, 'unit_code') || null;
    if (unitCode && !units.has(unitCode)) bad('unit_code', `unknown unit code ${unitCode}`);
    const planeId = cell(record, 'plane_id') || null;
    if (planeId && !planes.has(planeId)) bad('plane_id', `unknown plane ${planeId}`);
    const description = cell(record, 'description');
    if (description.length > 500) bad('description', 'at most 500 characters');
    if (errors.length === before && parsed.ok && vrf) {
      candidates.push({ row, vrf, block: parsed.value, cidr: cell(record, 'cidr'), kind, status, unitCode, planeId, description, id: newId() });
    }
  }

  // Shortest first, so a row's parent (in the database or earlier in this order) is known when it is placed.
  candidates.sort((a, b) => a.block.length - b.block.length || (a.block.start < b.block.start ? -1 : a.block.start > b.block.start ? 1 : a.row - b.row));
  const accepted: Candidate[] = [];
  const rows: (NewPrefix & { depth: number })[] = [];
  for (const c of candidates) {
    const sameVrf = accepted.filter((a) => a.vrf.id === c.vrf.id && a.block.family === c.block.family && a.block.start < endOf(c.block) && c.block.start < endOf(a.block));
    const dup = sameVrf.find((a) => a.block.length === c.block.length);
    if (dup) {
      errors.push({ row: c.row, column: 'cidr', message: `${c.cidr} overlaps row ${dup.row} (${dup.cidr}) of this file` });
      continue;
    }
    const fileParent = sameVrf.filter((a) => contains(a.block, c.block)).sort((a, b) => b.block.length - a.block.length)[0];
    if (fileParent?.kind === 'assigned') {
      errors.push({ row: c.row, column: 'cidr', message: `${c.cidr} overlaps row ${fileParent.row} (${fileParent.cidr}), an assigned prefix, in this file` });
      continue;
    }
    const placed = await placePrefix(db, { vrfId: c.vrf.id, cidr: c.cidr, kind: c.kind });
    if (!placed.ok) {
      errors.push({ row: c.row, column: 'cidr', message: placed.error });
      continue;
    }
    const dbParentLength = placed.parent ? Number(placed.parent.cidr.split('/')[1]) : -1;
    const fromFile = fileParent && fileParent.block.length > dbParentLength ? rows.find((r) => r.id === fileParent.id)! : null;
    const parent = fromFile
      ? { id: fromFile.id, depth: fromFile.depth, cidr: fromFile.cidr }
      : placed.parent ? { id: placed.parent.id, depth: placed.parent.depth, cidr: placed.parent.cidr } : null;
    accepted.push(c);
    rows.push({
      id: c.id, vrfId: c.vrf.id, cidr: c.cidr, family: c.block.family, parent, kind: c.kind, status: c.status,
      unitCode: c.unitCode, planeId: c.planeId, description: c.description, idempotencyKey: null, depth: parent ? parent.depth + 1 : 0,
    });
  }
  if (errors.length) return { errors: errors.sort((a, b) => a.row - b.row), imported: [] };
  // Parents first (rows is in that order already); one statement per depth keeps foreign keys satisfied.
  const depths = [...new Set(rows.map((r) => r.depth))].sort((a, b) => a - b);
  for (const d of depths) await ipamRepo.insertPrefixes(db, rows.filter((r) => r.depth === d));
  const ids = new Set(rows.map((r) => r.id));
  return { errors: [], imported: (await ipamRepo.prefixes(db, [...new Set(rows.map((r) => r.vrfId))])).filter((p) => ids.has(p.id)) };
}
