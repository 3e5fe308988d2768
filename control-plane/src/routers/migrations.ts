import { router } from '../trpc.ts';
import { migrationCalendarRouter } from './migrations-calendar.ts';
import { migrationCandidatesRouter } from './migrations-candidates.ts';
import { migrationIndicatorsRouter } from './migrations-indicators.ts';
import { migrationPlansRouter } from './migrations-plans.ts';
import { migrationWavesRouter } from './migrations-waves.ts';

/**
 * Migrations (issue 12). Cloud operators (and admins) plan and run; departments see their own systems'
 * candidates, plans and waves, set their own maintenance slots, and confirm or ask to move their
 * systems' windows; auditors read. Every list is scoped to the caller's departments. Roles: migrations-roles.ts.
 */
export const migrationsRouter = router({
  candidates: migrationCandidatesRouter,
  calendar: migrationCalendarRouter,
  plans: migrationPlansRouter,
  waves: migrationWavesRouter,
  indicators: migrationIndicatorsRouter,
});
