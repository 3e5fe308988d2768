import { z } from 'zod';
import { computeIndicators, type IndicatorRow } from '../migrations/indicators.ts';
import { indicatorsRepo } from '../migrations/indicators-repo.ts';
import { indicatorsCsv, takeIndicatorSnapshot } from '../migrations/indicator-snapshots.ts';
import type { Scope } from '../auth/scope.ts';
import { InputError } from '../errors.ts';
import { authedProcedure, router } from '../trpc.ts';
import { PLANNERS, READERS } from './migrations-roles.ts';

const daySchema = z.iso.date();
const scopeKindSchema = z.enum(['province', 'city', 'department']);

/** A department-scoped caller sees its own departments' rows (province and city rows count other departments' systems). */
const visible = (scope: Scope, rows: IndicatorRow[]) => (scope.departmentIds === null ? rows : rows.filter((r) => r.scope === 'department' && scope.departmentIds!.includes(r.code)));

/** The province's progress indicators (issue 12.7): share of systems on the cloud and on Xinchuang, now and day by day. */
export const migrationIndicatorsRouter = router({
  /** Today's figures, computed now (not from a snapshot). */
  current: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ scope: scopeKindSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const rows = visible(ctx.scope, computeIndicators(await indicatorsRepo.inputs(ctx.db)));
      return { day: await indicatorsRepo.today(ctx.db), items: input.scope ? rows.filter((r) => r.scope === input.scope) : rows };
    }),

  /** The daily snapshots between two days (at most two years). */
  history: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ from: daySchema, to: daySchema, scope: scopeKindSchema.optional() })
      .refine((r) => r.to >= r.from, { message: 'the range ends before it starts', path: ['to'] })
      .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 731 * 86_400_000, { message: 'at most two years at a time', path: ['to'] }))
    .query(async ({ ctx, input }) => ({ items: await indicatorsRepo.history(ctx.db, ctx.scope, input) })),

  /** Takes today's snapshot now (the daily job takes one anyway); taking it again the same day replaces the day's rows. */
  snapshot: authedProcedure
    .meta({ roles: PLANNERS })
    .mutation(async ({ ctx }) => {
      const out = await takeIndicatorSnapshot(ctx.db);
      Object.assign(ctx.audit, { target: `migration-indicators:${out.day}`, after: out });
      return out;
    }),

  /** The month's snapshots as CSV for the monthly report (UTF-8 with a byte-order mark, CRLF lines). */
  exportCsv: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM'), scope: scopeKindSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const [y, m] = input.month.split('-').map(Number) as [number, number];
      const from = `${input.month}-01`;
      const to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      const rows = await indicatorsRepo.history(ctx.db, ctx.scope, { from, to, scope: input.scope });
      if (!rows.length) throw new InputError(`no snapshots in ${input.month}`, 'month');
      return { filename: `migration-indicators-${input.month}.csv`, rows: rows.length, csv: indicatorsCsv(rows) };
    }),
});
