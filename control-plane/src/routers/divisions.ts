import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { authedProcedure, router } from '../trpc.ts';
import { divisionCodeSchema } from '../schemas.ts';

export const divisionsRouter = router({
  /** Children of a division (or the top level), optionally one level only: for cascaders in the console. */
  list: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({
      parentCode: divisionCodeSchema.optional(),
      level: z.enum(['province', 'city', 'county', 'township']).optional(),
    }).default({}))
    .query(async ({ ctx, input }) => {
      const params: unknown[] = [];
      const where: string[] = [];
      if (input.parentCode) where.push(`parent_code = $${params.push(input.parentCode)}`);
      if (input.level) where.push(`level = $${params.push(input.level)}`);
      const items = await ctx.db.query<{ code: string; name: string; level: string; parentCode: string | null }>(
        `SELECT code, name, level, parent_code AS "parentCode" FROM divisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code LIMIT 2000`,
        params,
      );
      return { items };
    }),
});
