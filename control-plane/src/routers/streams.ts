import { issueTicket } from '../auth/subscription-tickets.ts';
import { authedProcedure, router } from '../trpc.ts';

export const streamsRouter = router({
  /**
   * A single-use ticket that opens one subscription (SSE) as the caller: the token itself never goes in a URL
   * (auth/subscription-tickets.ts). Any signed-in caller may have one; the subscription checks its own roles.
   */
  ticket: authedProcedure.meta({ roles: 'authenticated' }).mutation(async ({ ctx }) => {
    ctx.audit.target = `token:${ctx.caller.tokenId}`;
    return issueTicket(ctx.db, ctx.deps.sealing, ctx.token!);
  }),
});
