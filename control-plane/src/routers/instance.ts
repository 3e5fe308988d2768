import { procedure, router } from '../trpc.ts';

/** About this instance (not business systems: those are `systems`). */
export const instanceRouter = router({
  /** What the console shows before sign-in: version and which store backs this instance. */
  info: procedure.meta({ roles: 'public' }).query(({ ctx }) => ({ version: ctx.deps.version, store: ctx.deps.store.kind })),
});
