import { router } from '../trpc.ts';
import { auditRouter } from './audit.ts';
import { authRouter } from './auth.ts';
import { cloudsRouter } from './clouds.ts';
import { quotasRouter } from './quotas.ts';
import { departmentsRouter } from './departments.ts';
import { devicesRouter } from './devices.ts';
import { divisionsRouter } from './divisions.ts';
import { drRouter } from './dr.ts';
import { extranetRouter } from './extranet.ts';
import { ipamRouter } from './ipam.ts';
import { migrationsRouter } from './migrations.ts';
import { onboardingRouter } from './onboarding.ts';
import { policiesRouter } from './policies.ts';
import { requestsRouter } from './requests.ts';
import { resourcesRouter } from './resources.ts';
import { systemsRouter } from './systems.ts';
import { instanceRouter } from './instance.ts';
import { streamsRouter } from './streams.ts';
import { usersRouter } from './users.ts';
import { workflowsRouter } from './workflows.ts';

/** Composition only: one router per domain. */
export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  departments: departmentsRouter,
  divisions: divisionsRouter,
  audit: auditRouter,
  instance: instanceRouter,
  workflows: workflowsRouter,
  clouds: cloudsRouter,
  devices: devicesRouter,
  ipam: ipamRouter,
  extranet: extranetRouter,
  quotas: quotasRouter,
  systems: systemsRouter,
  onboarding: onboardingRouter,
  requests: requestsRouter,
  resources: resourcesRouter,
  policies: policiesRouter,
  migrations: migrationsRouter,
  dr: drRouter,
  streams: streamsRouter,
});

export type AppRouter = typeof appRouter;
