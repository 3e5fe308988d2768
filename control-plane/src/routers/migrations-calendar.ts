import { z } from 'zod';
import { assertInScope } from '../auth/scope.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { calendarRepo } from '../migrations/calendar-repo.ts';
import { STATUTORY_HOLIDAYS } from '../migrations/holidays-cn.ts';
import { blackoutInputSchema, slotSchema } from '../migrations/schemas.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import { authedProcedure, byIdProcedure, router } from '../trpc.ts';
import { DEPARTMENT_PEOPLE, PLANNERS, READERS } from './migrations-roles.ts';
import { idSchema } from '../schemas.ts';

/** Migration constraints in time (issue 12.2): departments' maintenance slots, blackouts, statutory holidays. */
export const migrationCalendarRouter = router({
  slots: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ departmentId: idSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => ({ items: await calendarRepo.slots(ctx.db, ctx.scope, input.departmentId ? [input.departmentId] : undefined) })),

  /** A department's maintenance slots (the whole week); department admins set their own department's. */
  setSlots: authedProcedure
    .meta({ roles: DEPARTMENT_PEOPLE })
    .input(z.object({ departmentId: idSchema, slots: z.array(slotSchema).max(21) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await departmentsRepo.byId(ctx.db, input.departmentId))) throw new NotFoundError('no such department');
      assertInScope(ctx.scope, input.departmentId, 'that department');
      ctx.audit.target = `department:${input.departmentId}`;
      ctx.audit.before = { slots: (await calendarRepo.slots(ctx.db, ctx.scope, [input.departmentId])).map(({ weekday, start, hours }) => ({ weekday, start, hours })) };
      await calendarRepo.replaceSlots(ctx.db, input.departmentId, input.slots.map((s) => ({ id: newId(), ...s })));
      ctx.audit.after = { slots: input.slots };
      return { items: await calendarRepo.slots(ctx.db, ctx.scope, [input.departmentId]) };
    }),

  blackouts: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }).default({}))
    .query(async ({ ctx, input }) => ({
      items: await calendarRepo.blackouts(ctx.db, ctx.scope, input),
      /** Which years' statutory holidays ship as data (null: the notice is not published / not sourced) and which are imported. */
      notices: Object.entries(STATUTORY_HOLIDAYS).map(([year, n]) => ({ year: Number(year), title: n?.title ?? null, issued: n?.issued ?? null, sources: n?.sources ?? [] })),
      importedYears: await calendarRepo.statutoryYears(ctx.db),
    })),

  addBlackout: authedProcedure
    .meta({ roles: PLANNERS })
    .input(blackoutInputSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.departmentIds) {
        const known = await departmentsRepo.list(ctx.db, input.departmentIds);
        const missing = input.departmentIds.filter((id) => !known.some((d) => d.id === id));
        if (missing.length) throw new InputError(`no department ${missing.join(', ')}`, 'departmentIds');
      }
      const b = { id: newId(), ...input, source: 'operator' as const };
      await calendarRepo.insertBlackout(ctx.db, b);
      Object.assign(ctx.audit, { target: `migration-blackout:${b.id}`, after: b });
      return b;
    }),

  updateBlackout: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ id: idSchema }).and(blackoutInputSchema))
    .mutation(async ({ ctx, input }) => {
      const before = await calendarRepo.blackout(ctx.db, input.id);
      if (!before) throw new NotFoundError('no such blackout');
      await calendarRepo.updateBlackout(ctx.db, input);
      Object.assign(ctx.audit, { target: `migration-blackout:${input.id}`, before, after: input });
      return (await calendarRepo.blackout(ctx.db, input.id))!;
    }),

  removeBlackout: byIdProcedure(PLANNERS)
    .mutation(async ({ ctx, input }) => {
      const before = await calendarRepo.blackout(ctx.db, input.id);
      if (!before) throw new NotFoundError('no such blackout');
      await calendarRepo.deleteBlackout(ctx.db, input.id);
      Object.assign(ctx.audit, { target: `migration-blackout:${input.id}`, before });
      return { id: input.id };
    }),

  /** Imports a year's statutory holidays from the data shipped (holidays-cn.ts); a year with no notice is refused, named. */
  importStatutory: authedProcedure
    .meta({ roles: PLANNERS })
    .input(z.object({ year: z.number().int().min(2000).max(2100) }))
    .mutation(async ({ ctx, input }) => {
      const notice = STATUTORY_HOLIDAYS[input.year];
      if (!notice) throw new InputError(`the State Council's holiday notice for ${input.year} is not shipped (not yet published or not sourced): enter its dates as blackouts`, 'year');
      let added = 0;
      for (const h of notice.holidays) {
        if (await calendarRepo.insertBlackout(ctx.db, { id: newId(), from: h.from, to: h.to, reason: `法定节假日：${h.name} / Statutory holiday: ${h.nameEn}`, departmentIds: null, source: 'statutory' })) added++;
      }
      Object.assign(ctx.audit, { target: `migration-calendar:${input.year}`, after: { notice: notice.title, added } });
      return { year: input.year, added, notice: notice.title };
    }),
});
