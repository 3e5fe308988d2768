/**
 * THE BASELINE of `npm run bench -- csv`, not product code: the prefix CSV import as it was before issue 17.7
 * (control-plane/src/ipam/prefix-csv.ts at commit 8d60a54), kept callable so the benchmark measures the old
 * and the new path in the same run. Validation placed every row with `placePrefix`, one overlap query per
 * row, and compared each row with every accepted one (quadratic); rows were written one statement per depth.
 * Reading the file and checking each row on its own did not change and is the product's (`readPrefixRows`).
 */
import type { Queryable } from '../../control-plane/src/store/store.ts';
import { contains, endOf } from '../../control-plane/src/ipam/ip-math.ts';
import { ipamRepo, type NewPrefix, type PrefixRow, type VrfRow } from '../../control-plane/src/ipam/ipam-repo.ts';
import { readPrefixRows, type PrefixCandidate, type RowError } from '../../control-plane/src/ipam/prefix-csv.ts';
import { placePrefix } from '../../control-plane/src/ipam/prefixes.ts';

/**
 * Checks a whole prefix file and, only when every row is right, writes it (the caller's transaction makes it
 * all or nothing). Rows may nest (an aggregate and its children in one file); they are written shortest
 * first so that parents exist before their children. Returns every bad row, by row number and column.
 */
export async function importPrefixesPerRow(db: Queryable, text: string, visibleVrfs: readonly VrfRow[]): Promise<{ errors: RowError[]; imported: PrefixRow[] }> {
  const read = await readPrefixRows(db, text, visibleVrfs);
  if (!read.ok) return { errors: [read.error], imported: [] };
  const { errors, candidates } = read;

  // Shortest first, so a row's parent (in the database or earlier in this order) is known when it is placed.
  candidates.sort((a, b) => a.block.length - b.block.length || (a.block.start < b.block.start ? -1 : a.block.start > b.block.start ? 1 : a.row - b.row));
  const accepted: PrefixCandidate[] = [];
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
