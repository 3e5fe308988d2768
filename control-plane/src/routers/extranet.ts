import { extranetAccessProcedures } from '../extranet/router-access.ts';
import { extranetAnalysesProcedures } from '../extranet/router-analyses.ts';
import { extranetCsvProcedures } from '../extranet/router-csv.ts';
import { extranetInventoryProcedures } from '../extranet/router-inventory.ts';
import { router } from '../trpc.ts';

/** The government extranet (一网双平面): inventory, analyses, access checks, CSV. Composition only. */
export const extranetRouter = router({
  ...extranetInventoryProcedures,
  ...extranetAnalysesProcedures,
  ...extranetAccessProcedures,
  ...extranetCsvProcedures,
});
