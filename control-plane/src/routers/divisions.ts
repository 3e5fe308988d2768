import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { divisionsRepo } from '../departments/divisions-repo.ts';
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
    .query(async ({ ctx, input }) => ({ items: await divisionsRepo.list(ctx.db, input) })),
});
