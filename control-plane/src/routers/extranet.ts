import { extranetAccessRouter } from '../extranet/router-access.ts';
import { extranetAnalysesRouter } from '../extranet/router-analyses.ts';
import { extranetCsvRouter } from '../extranet/router-csv.ts';
import { extranetInventoryRouter } from '../extranet/router-inventory.ts';
import { router } from '../trpc.ts';

/** The government extranet (一网双平面): inventory, analyses, access checks, CSV. Composition only. */
export const extranetRouter = router({
  inventory: extranetInventoryRouter,
  analyses: extranetAnalysesRouter,
  access: extranetAccessRouter,
  csv: extranetCsvRouter,
});
