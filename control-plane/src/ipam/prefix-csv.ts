import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { blockFromDb, contains, parseCidr, type Block } from './ip-math.ts';
import { ipamRepo, type NewPrefix, type PrefixKind, type PrefixRow, type PrefixStatus, type VrfRow } from './ipam-repo.ts';
import { placeAmong } from './prefixes.ts';

/** The columns of a prefix spreadsheet, in order. The parent is not a column: it follows from the CIDRs. */
export const PREFIX_CSV_COLUMNS = ['vrf', 'cidr', 'kind', 'status', 'unit_code', 'plane_id', 'description'] as const;
type Column = (typeof PREFIX_CSV_COLUMNS)[number];

export interface RowError {
  /** Line number in the file as a spreadsheet shows it: the header is row 1. */
  row: number;
  column: Column | 'file';
  message: string;
}

const KINDS: readonly PrefixKind[] = ['aggregate', 'container', 'assigned'];
const STATUSES: readonly PrefixStatus[] = ['active', 'reserved', 'deprecated'];

/** A row that passed the checks it can have on its own (`readPrefixRows`), before it is placed among the others. */
export interface PrefixCandidate {
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
 * all or nothing). Rows may nest (an aggregate and its children in one file). Returns every bad row, by row
 * number and column.
 */
export async function importPrefixes(db: Queryable, text: string, visibleVrfs: readonly VrfRow[]): Promise<{ errors: RowError[]; imported: PrefixRow[] }> {
  const checked = await checkPrefixes(db, text, visibleVrfs);
  if (checked.errors.length) return { errors: checked.errors, imported: [] };
  return { errors: [], imported: await writePrefixes(db, checked.rows) };
}

/**
 * Validates a prefix file in one pass in memory after bulk reads whose number does not grow with the file (the
 * units and planes it names; for every row at once, the prefixes of its VRF it overlaps: `overlappingMany`);
 * then every row is checked against the database (`placeAmong`, the API's own checks) and against the other
 * rows of the file. Rows are walked per VRF and family in address order, shortest first at one address, with a
 * stack of the accepted rows that contain the current one (CIDR blocks nest or are disjoint), so a row's
 * containing row of the file is found without comparing it with every other row. Returns every error, or the
 * rows to write with their parents (in the database or in the file), in the export's order.
 */
export async function checkPrefixes(db: Queryable, text: string, visibleVrfs: readonly VrfRow[]): Promise<{ errors: RowError[]; rows: NewPrefix[] }> {
  const read = await readPrefixRows(db, text, visibleVrfs);
  if (!read.ok) return { errors: [read.error], rows: [] };
  const { errors, candidates } = read;

  // What the database holds around every row, read for all rows at once.
  const inDb = await ipamRepo.overlappingMany(db, candidates.map((c) => ({ vrfId: c.vrf.id, cidr: c.cidr })));
  const dbOverlaps = new Map(candidates.map((c, i) => [c, inDb.get(i) ?? []]));

  // Per VRF and family, by address, a container before what it contains, the first row first among equals
  // (the export's order too: VRF id, IPv4 before IPv6, address, shorter first).
  const cmp = <T extends string | bigint>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0);
  const order = [...candidates].sort((a, b) =>
    cmp(a.vrf.id, b.vrf.id) || cmp(a.block.family, b.block.family) || cmp(a.block.start, b.block.start) || a.block.length - b.block.length || a.row - b.row);
  const planned = new Map<PrefixCandidate, NewPrefix & { depth: number }>();
  const stack: PrefixCandidate[] = [];
  // Many rows share a parent in the database: read each parent's length once.
  const dbLengths = new Map<string, number>();
  const lengthOf = (p: PrefixRow) => {
    let n = dbLengths.get(p.id);
    if (n === undefined) dbLengths.set(p.id, (n = blockFromDb(p.cidr).length));
    return n;
  };
  for (const c of order) {
    // Keep only the accepted rows of this file that contain c: its ancestors in the file, nearest on top.
    while (stack.length && (stack[stack.length - 1]!.vrf.id !== c.vrf.id || !contains(stack[stack.length - 1]!.block, c.block))) stack.pop();
    const fileParent = stack[stack.length - 1];
    if (fileParent && fileParent.block.length === c.block.length) {
      errors.push({ row: c.row, column: 'cidr', message: `${c.cidr} overlaps row ${fileParent.row} (${fileParent.cidr}) of this file` });
      continue;
    }
    if (fileParent?.kind === 'assigned') {
      errors.push({ row: c.row, column: 'cidr', message: `${c.cidr} overlaps row ${fileParent.row} (${fileParent.cidr}), an assigned prefix, in this file` });
      continue;
    }
    const placed = placeAmong({ vrfId: c.vrf.id, cidr: c.cidr, kind: c.kind }, c.block, dbOverlaps.get(c)!, null, false);
    if (!placed.ok) {
      errors.push({ row: c.row, column: 'cidr', message: placed.error });
      continue;
    }
    // The nearer of the two candidates for parent: the longest prefix containing c, in the file or in the database.
    const dbParentLength = placed.parent ? lengthOf(placed.parent) : -1;
    const fromFile = fileParent && fileParent.block.length > dbParentLength ? planned.get(fileParent)! : null;
    const parent = fromFile
      ? { id: fromFile.id, depth: fromFile.depth, cidr: fromFile.cidr }
      : placed.parent ? { id: placed.parent.id, depth: placed.parent.depth, cidr: placed.parent.cidr } : null;
    planned.set(c, {
      id: c.id, vrfId: c.vrf.id, cidr: c.cidr, family: c.block.family, parent, kind: c.kind, status: c.status,
      unitCode: c.unitCode, planeId: c.planeId, description: c.description, idempotencyKey: null, depth: parent ? parent.depth + 1 : 0,
    });
    stack.push(c);
  }
  if (errors.length) return { errors: errors.sort((a, b) => a.row - b.row), rows: [] };
  return { errors: [], rows: [...planned.values()].map(({ depth: _depth, ...r }) => r) };
}

/**
 * The first pass of a prefix import: reads the file (a CSV with the header `PREFIX_CSV_COLUMNS`) and checks every
 * row on its own (its VRF among the visible ones, CIDR, kind, status, the units and planes it names, read in one
 * query each). An unreadable file or header is one error for the whole file; otherwise the rows' errors so far and
 * the rows that passed, in file order.
 */
export async function readPrefixRows(
  db: Queryable,
  text: string,
  visibleVrfs: readonly VrfRow[],
): Promise<{ ok: false; error: RowError } | { ok: true; errors: RowError[]; candidates: PrefixCandidate[] }> {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }) as never;
  } catch (error) {
    return { ok: false, error: { row: (error as { lines?: number }).lines ?? 1, column: 'file', message: `not readable as CSV: ${(error as Error).message}` } };
  }
  const header = records.shift()?.record.map((h) => h.toLowerCase());
  const missing = PREFIX_CSV_COLUMNS.filter((c) => !header?.includes(c));
  if (!header || missing.length) return { ok: false, error: { row: 1, column: 'file', message: `the header must name the columns ${PREFIX_CSV_COLUMNS.join(',')} (missing: ${missing.join(', ')})` } };

  const errors: RowError[] = [];
  const vrfs = new Map(visibleVrfs.map((v) => [v.name, v]));
  const index = new Map(PREFIX_CSV_COLUMNS.map((c) => [c, header.indexOf(c)]));
  const cell = (r: string[], c: Column) => (r[index.get(c)!] ?? '').replace(/^'(?=[=+\-@])/, '');
  const raw = records.map(({ record, info }) => ({ row: info.lines, record }));
  const units = await ipamRepo.knownUnits(db, [...new Set(raw.map((r) => cell(r.record, 'unit_code')).filter(Boolean))]);
  const planes = await ipamRepo.knownPlanes(db, [...new Set(raw.map((r) => cell(r.record, 'plane_id')).filter(Boolean))]);

  const candidates: PrefixCandidate[] = [];
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
  return { ok: true, errors, candidates };
}

/**
 * Writes checked rows (from `checkPrefixes`) in one INSERT: parents and children together, as the tree's
 * foreign key is checked at the end of the statement. Returns them as stored, in the order given.
 */
export async function writePrefixes(db: Queryable, rows: readonly NewPrefix[]): Promise<PrefixRow[]> {
  await ipamRepo.insertPrefixes(db, rows);
  return rows.map((r) => ({
    id: r.id, vrfId: r.vrfId, cidr: r.cidr, family: r.family, parentId: r.parent?.id ?? null, depth: r.parent ? r.parent.depth + 1 : 0, kind: r.kind,
    status: r.status, unitCode: r.unitCode, planeId: r.planeId, description: r.description, idempotencyKey: r.idempotencyKey,
  }));
}

/** The prefixes of the given VRFs as a spreadsheet; cells that a spreadsheet would run as formulas are quoted. */
export async function exportPrefixes(db: Queryable, vrfs: readonly VrfRow[]): Promise<string> {
  const names = new Map(vrfs.map((v) => [v.id, v.name]));
  const prefixes = await ipamRepo.prefixes(db, vrfs.map((v) => v.id));
  const safe = (s: string | null) => (s && /^[=+\-@]/.test(s) ? `'${s}` : (s ?? ''));
  return stringify([
    [...PREFIX_CSV_COLUMNS],
    ...prefixes.map((p) => [names.get(p.vrfId)!, p.cidr, p.kind, p.status, p.unitCode ?? '', p.planeId ?? '', safe(p.description)]),
  ]);
}
