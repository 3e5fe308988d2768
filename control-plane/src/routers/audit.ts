import { z } from 'zod';
import { authedProcedure, router } from '../trpc.ts';

const READERS = ['auditor', 'admin'] as const;

export const auditRouter = router({
  list: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({
      actor: z.string().max(64).optional(),
      procedure: z.string().max(100).optional(),
      outcome: z.enum(['ok', 'denied', 'error']).optional(),
      target: z.string().max(200).optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      limit: z.number().int().min(1).max(200).default(50),
      cursor: z.number().int().min(1).optional(),
    }).default({ limit: 50 }))
    .query(({ ctx, input }) =>
      ctx.deps.audit.list(ctx.db, {
        ...input,
        from: input.from ? new Date(input.from) : undefined,
        to: input.to ? new Date(input.to) : undefined,
      }),
    ),

  /** Walks the whole chain. A mutation on purpose: the verification itself is recorded, with its result. */
  verify: authedProcedure.meta({ roles: READERS }).mutation(async ({ ctx }) => {
    const result = await ctx.deps.audit.verify(ctx.db);
    ctx.audit.after = result;
    return result;
  }),

  /** Live feed of committed records (SSE). */
  onAppend: authedProcedure.meta({ roles: READERS }).subscription(async function* ({ ctx, signal }) {
    yield* ctx.deps.audit.follow(ctx.deps.store, signal);
  }),
});
