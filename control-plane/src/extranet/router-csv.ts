import { z } from 'zod';
import type { AuditNote } from '../context.ts';
import { InputError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';
import { authedProcedure } from '../trpc.ts';
import { checkLinks, checkUnits, exportLinks, exportUnits, writeLinks, type RowError } from './csv-import.ts';
import { EDITORS, READERS, unitCodeSchema } from './schemas.ts';
import { unitsRepo } from './units-repo.ts';

const MAX_CSV = 8 * 1024 * 1024;
const importInput = z.object({
  csv: z.string().min(1, 'the file is empty').max(MAX_CSV, 'at most 8 MiB of CSV per import'),
  /** Only check: report every bad row, write nothing. */
  dryRun: z.boolean().default(false),
});

/**
 * All or nothing: any bad row refuses the whole file, naming the first rows by row number and column. The code
 * and parameters are the prefix import's (`csv.rowsInvalid`: how many rows are wrong, and which), for the
 * console to say in the user's language; `dryRun` lists every problem.
 */
function refuse(errors: RowError[]): never {
  const first = errors.slice(0, 5).map((e) => `row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}`).join('; ');
  const rows = [...new Set(errors.map((e) => e.row))].sort((x, y) => x - y);
  throw new InputError(`${errors.length} problem${errors.length > 1 ? 's' : ''} in the file, nothing imported: ${first}${errors.length > 5 ? '; …' : ''}`, 'csv', {
    code: 'csv.rowsInvalid', params: { count: rows.length, rows: rows.slice(0, 20).join(', ') + (rows.length > 20 ? ', …' : '') },
  });
}

/**
 * An import procedure (the units' and the links' differ only in how the file is checked and written): a dry
 * run answers every problem and writes nothing; otherwise any problem refuses the file (`refuse`), and a clean
 * file is written and its figures put in the audit record.
 */
function importProcedure<C extends { rows: number; errors: RowError[] }>(
  target: string,
  check: (db: Queryable, csv: string) => Promise<C>,
  write: (db: Queryable, checked: C) => Promise<{ written: number; after: AuditNote['after'] }>,
) {
  return authedProcedure
    .meta({ roles: EDITORS })
    .input(importInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = target;
      const checked = await check(ctx.db, input.csv);
      if (input.dryRun) return { dryRun: true, rows: checked.rows, errors: checked.errors, written: 0 };
      if (checked.errors.length) refuse(checked.errors);
      const { written, after } = await write(ctx.db, checked);
      ctx.audit.after = after;
      return { dryRun: false, rows: checked.rows, errors: [], written };
    });
}

/** Procedures of the extranet router (flat: `extranet.<name>`), composed in routers/extranet.ts. */
export const extranetCsvProcedures = {
  importUnits: importProcedure('extranet:units-csv', checkUnits, async (db, checked) => {
    const written = await unitsRepo.insertWithAncestors(db, checked.valid, { upsert: true });
    return { written, after: { rows: checked.rows, created: written - checked.existing, updated: checked.existing } };
  }),

  importLinks: importProcedure('extranet:links-csv', checkLinks, async (db, checked) => {
    const written = await writeLinks(db, checked.valid);
    return { written, after: { rows: checked.rows, written } };
  }),

  exportUnits: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ under: unitCodeSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => ({ csv: await exportUnits(ctx.db, input.under) })),

  exportLinks: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({}).default({}))
    .query(async ({ ctx }) => ({ csv: await exportLinks(ctx.db) })),
};
