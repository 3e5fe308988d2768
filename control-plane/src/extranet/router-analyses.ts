import { z } from 'zod';
import { InputError } from '../errors.ts';
import { authedProcedure } from '../trpc.ts';
import { coverageReport } from './coverage.ts';
import { departmentNetworks } from './dept-networks.ts';
import { devicesRepo } from './inventory-repo.ts';
import { snapshotHistory, sweepReachability, takeSnapshot } from './reachability.ts';
import { sharedRisk, singleHomed, whatIf } from './risk.ts';
import { CHECKERS, EDITORS, FIGURE_READERS, READERS, ductSchema, levelSchema, limitSchema, unitCodeSchema } from './schemas.ts';

const cityCodeSchema = z.string().regex(/^36(0[1-9]|1[01])$/, 'a Jiangxi city division code, 3601 to 3611');
const listInput = z.object({ cityCode: cityCodeSchema.optional(), level: levelSchema.optional(), after: unitCodeSchema.optional(), limit: limitSchema });

/** Procedures of the extranet router (flat: `extranet.<name>`), composed in routers/extranet.ts. */
export const extranetAnalysesProcedures = {
  /** Dual-plane coverage by level and by city, and the readiness matrix (plane × family) rolled up. */
  report: authedProcedure.meta({ roles: FIGURE_READERS }).input(z.object({}).default({})).query(({ ctx }) => coverageReport(ctx.db)),

  singleHomed: authedProcedure.meta({ roles: READERS }).input(listInput).query(({ ctx, input }) => singleHomed(ctx.db, input)),

  sharedRisk: authedProcedure
    .meta({ roles: READERS })
    .input(listInput.extend({ kind: z.enum(['pe', 'aggregation', 'carrier', 'duct']).optional() }))
    .query(({ ctx, input }) => sharedRisk(ctx.db, input)),

  /** If these devices, carriers or ducts fail: which units lose both planes, lose redundancy, or lose IPv6. */
  whatIf: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({
      deviceIds: z.array(z.uuid('a device id')).max(50).default([]),
      carriers: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
      ducts: z.array(ductSchema).max(50).default([]),
      limit: z.number().int().min(1).max(1000).default(200),
    }))
    .query(async ({ ctx, input }) => {
      if (!input.deviceIds.length && !input.carriers.length && !input.ducts.length) throw new InputError('name at least one device, carrier or duct that fails', 'deviceIds');
      const known = await devicesRepo.knownIds(ctx.db, input.deviceIds);
      const unknown = input.deviceIds.filter((id) => !known.includes(id));
      if (unknown.length) throw new InputError(`no device ${unknown.join(', ')}`, 'deviceIds');
      return whatIf(ctx.db, input);
    }),

  /** The daily figures of the province ('36') or a city, oldest first. */
  readinessHistory: authedProcedure
    .meta({ roles: FIGURE_READERS })
    .input(z.object({ scope: z.union([z.literal('36'), cityCodeSchema]).default('36'), days: z.number().int().min(1).max(400).default(90) }))
    .query(async ({ ctx, input }) => ({ items: await snapshotHistory(ctx.db, input.scope, input.days) })),

  takeSnapshot: authedProcedure
    .meta({ roles: EDITORS })
    .input(z.object({}).default({}))
    .mutation(async ({ ctx }) => {
      ctx.audit.target = 'extranet:snapshot';
      const r = await takeSnapshot(ctx.db, { source: 'manual' });
      ctx.audit.after = r;
      return r;
    }),

  /** Recomputes reachability from the inventory for every unit (live probe results are kept). */
  sweepReachability: authedProcedure
    .meta({ roles: EDITORS })
    .input(z.object({}).default({}))
    .mutation(async ({ ctx }) => {
      ctx.audit.target = 'extranet:reachability';
      const rows = await sweepReachability(ctx.db);
      ctx.audit.after = { rows };
      return { rows };
    }),

  /** Department networks moving onto the extranet (IPAM department VRFs): states, overlapping space, NAT. */
  departmentNetworks: authedProcedure
    .meta({ roles: [...CHECKERS, 'auditor'] })
    .input(z.object({}).default({}))
    .query(({ ctx }) => departmentNetworks(ctx.db, ctx.scope)),
};
