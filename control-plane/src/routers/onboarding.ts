import { RESOURCE_CLASSES } from '../quotas/contract.ts';
import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { ConflictError, InputError } from '../errors.ts';
import { onboardingSteps } from '../onboarding/onboarding-workflow.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { placeSystem } from '../placement/placement-service.ts';
import { systemImage, loadSystem } from '../systems/system-service.ts';
import { systemsRepo } from '../systems/systems-repo.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { authedProcedure, router } from '../trpc.ts';
import { SYSTEM_WRITERS } from './systems.ts';
import { idSchema } from '../schemas.ts';

const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id such as nanchang');
const limitsSchema = z.array(z.object({
  resourceClass: z.enum(RESOURCE_CLASSES, `one of ${RESOURCE_CLASSES.join(', ')}`),
  limit: z.number().int('a whole number').min(0, 'not negative').max(1_000_000, 'at most 1,000,000'),
})).max(RESOURCE_CLASSES.length).refine((l) => new Set(l.map((x) => x.resourceClass)).size === l.length, 'each resource class once');

/** Onboarding (上云): preview the placement, then start the durable workflow that carries it out. */
export const onboardingRouter = router({
  /** Where would this system go, and why each cloud was chosen or excluded. Changes nothing. */
  preview: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ systemId: idSchema, cloudId: cloudIdSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const system = await loadSystem(ctx.db, ctx.scope, input.systemId);
      return placeSystem(ctx.db, system, input.cloudId);
    }),

  start: authedProcedure
    .meta({ roles: SYSTEM_WRITERS })
    .input(z.object({ systemId: idSchema, cloudId: cloudIdSchema.optional(), limits: limitsSchema.default([]) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `system:${input.systemId}`;
      const system = await loadSystem(ctx.db, ctx.scope, input.systemId, { forUpdate: true });
      if (system.status !== 'registered') throw new ConflictError(`the system is ${system.status}; only a registered system can be onboarded`);
      const placement = await placeSystem(ctx.db, system, input.cloudId);
      if (!placement.admitted) {
        throw new InputError(`refused by policy: ${placement.admission.filter((r) => r.outcome === 'deny').map((r) => r.message.en).join('; ')}`, 'systemId');
      }
      if (!placement.chosen) {
        const why = placement.candidates.map((c) => `${c.cloudId}: ${c.reasons.map((r) => r.en).join(', ')}`).join('; ');
        throw new InputError(input.cloudId ? `${input.cloudId} cannot take this system: ${why}` : `no cloud can take this system: ${why}`, input.cloudId ? 'cloudId' : 'systemId');
      }
      const cloud = await cloudsRepo.byId(ctx.db, placement.chosen);
      // `names`: what the console needs to title the workflow in the reader's language (console/src/app/core/workflow-title.ts).
      const names = { system: system.name, cloud: { zh: cloud?.name ?? placement.chosen, en: cloud?.nameEn ?? placement.chosen } };
      const workflowId = await ctx.deps.engine.start(ctx.db, {
        kind: 'onboarding', title: `onboard ${system.name} → ${placement.chosen}`, input: { systemId: system.id, cloudId: placement.chosen, limits: input.limits, names },
        departmentId: system.departmentId, createdBy: ctx.caller.username,
        steps: onboardingSteps({ systemId: system.id, departmentId: system.departmentId, cloudId: placement.chosen, systemName: system.name, limits: input.limits }),
      });
      await systemsRepo.setOnboarding(ctx.db, system.id, { placement: { chosen: placement.chosen, candidates: placement.candidates }, policyResults: placement.admission, workflowId });
      const after = (await systemsRepo.byId(ctx.db, system.id))!;
      Object.assign(ctx.audit, { before: systemImage(system), after: { ...systemImage(after), placedOn: placement.chosen, workflowId, limits: input.limits } });
      return { workflowId, placement };
    }),

  /** The system's onboarding: its placement decision and the workflow's steps. */
  status: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ systemId: idSchema }))
    .query(async ({ ctx, input }) => {
      const system = await loadSystem(ctx.db, ctx.scope, input.systemId);
      const wid = system.onboardingWorkflowId;
      const workflow = wid ? await workflowsRepo.byId(ctx.db, wid) : undefined;
      return {
        status: system.status, cloudId: system.cloudId, placement: system.placement as { chosen: string; candidates: unknown[] } | null,
        workflow: workflow ? { ...workflow, steps: await workflowsRepo.steps(ctx.db, workflow.id) } : null,
      };
    }),
});
