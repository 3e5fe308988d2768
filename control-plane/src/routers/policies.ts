import { catalogue, evaluate, verdictOf, ENFORCEMENTS, POLICY_FACTORIES, type PolicyId } from '@ganyun/policies';
import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { assertInScope } from '../auth/scope.ts';
import { placeSystem } from '../placement/placement-service.ts';
import { policiesInForce, systemFacts } from '../placement/policy-context.ts';
import { policySettingsRepo } from '../placement/policy-settings-repo.ts';
import { RESOURCE_CLASSES } from '../quotas/contract.ts';
import { checkQuota } from '../requests/request-assessment.ts';
import { loadSystem } from '../systems/system-service.ts';
import { systemFieldsSchema } from '../systems/system-schemas.ts';
import { authedProcedure, router } from '../trpc.ts';
import { idSchema } from '../schemas.ts';

const POLICY_IDS = Object.keys(POLICY_FACTORIES) as [PolicyId, ...PolicyId[]];
const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id such as nanchang');
const itemsSchema = z.array(z.object({
  resourceClass: z.enum(RESOURCE_CLASSES),
  amount: z.number().int('a whole number').min(1, 'at least 1').max(1_000_000, 'at most 1,000,000'),
})).max(20);

/** The policy catalogue, its enforcement levels, and the dry run ("what if"). */
export const policiesRouter = router({
  list: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({}).default({}))
    .query(async ({ ctx }) => {
      const defaults = new Map(catalogue().map((p) => [p.id, p.enforcement]));
      return {
        items: (await policiesInForce(ctx.db)).map((p) => ({
          id: p.id, title: p.title, rationale: p.rationale, reference: p.reference, scope: p.scope,
          enforcement: p.enforcement, defaultEnforcement: defaults.get(p.id)!, onFailure: p.onFailure,
        })),
      };
    }),

  setEnforcement: authedProcedure
    .meta({ roles: ['admin'] })
    .input(z.object({ policyId: z.enum(POLICY_IDS, 'an id from the catalogue'), enforcement: z.enum(ENFORCEMENTS) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `policy:${input.policyId}`;
      const before = (await policiesInForce(ctx.db)).find((p) => p.id === input.policyId)!.enforcement;
      await policySettingsRepo.setEnforcement(ctx.db, input.policyId, input.enforcement);
      Object.assign(ctx.audit, { before: { enforcement: before }, after: { enforcement: input.enforcement } });
      return { policyId: input.policyId, enforcement: input.enforcement };
    }),

  /**
   * What if: a registered system (by id) or a system described on the spot, judged for admission and
   * against every cloud (or one); with items, the quota check of a registered system too. Changes nothing.
   */
  dryRun: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({
      systemId: idSchema.optional(),
      system: systemFieldsSchema.optional(),
      departmentId: idSchema.optional(),
      cloudId: cloudIdSchema.optional(),
      items: itemsSchema.optional(),
    }).refine((i) => Boolean(i.systemId) !== Boolean(i.system), { message: 'give either a registered system or a described one', path: ['systemId'] }))
    .query(async ({ ctx, input }) => {
      const registered = input.systemId ? await loadSystem(ctx.db, ctx.scope, input.systemId) : null;
      const departmentId = registered?.departmentId ?? input.departmentId ?? ctx.caller.departmentId;
      if (departmentId) assertInScope(ctx.scope, departmentId, 'that department');
      const system = registered ?? { ...input.system!, departmentId: departmentId ?? null };
      const placement = await placeSystem(ctx.db, system, input.cloudId);
      let quota: { cloudId: string; results: ReturnType<typeof evaluate>; check: unknown } | null = null;
      const target = input.cloudId ?? placement.chosen;
      if (registered && input.items?.length && target) {
        const check = await checkQuota(ctx.db, ctx.deps.quotas, registered.id, input.items, target);
        const policies = await policiesInForce(ctx.db);
        const results = evaluate(policies, { system: systemFacts(registered), cloud: null, clouds: [], quota: check }, ['quota']);
        quota = { cloudId: target, results, check };
      }
      const all = [...placement.admission, ...(placement.candidates.find((c) => c.chosen)?.results ?? []), ...(quota?.results ?? [])];
      return { ...placement, quota, verdict: verdictOf(all) };
    }),
});

