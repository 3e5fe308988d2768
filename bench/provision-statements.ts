/**
 * Statements per provisioned request: N requests of one host each (default 20), one after the other on the simulated
 * nanchang cloud, each submitted, approved by the department and an operator, and provisioned by its workflow; every
 * statement the control plane sends to the store is counted (API calls, the runner's claims and records, the steps'
 * own statements, inside transactions too). A count, not a time: the same on a busy machine as on a quiet one, and
 * the lever for PGlite's one connection, where eight requests in flight queue for every statement.
 *
 *   node --import tsx bench/provision-statements.ts [N]          (embedded PGlite)
 *   GANYUN_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/provision-statements.ts
 */
import { countProvisionStatements } from '../control-plane/src/testing/provision-statements.ts';
import { closeTestStore } from '../control-plane/src/testing/test-store.ts';
import { out } from './support/results.ts';

const n = Number(process.argv[2] ?? 20);
const c = await countProvisionStatements(n);
await closeTestStore();
const min = Math.min(...c.perRequest);
const max = Math.max(...c.perRequest);
out(`store: ${process.env['GANYUN_TEST_PG'] ? 'postgres' : 'pglite'}; ${n} one-host requests, one at a time`);
out(`statements per request: ${c.perRequest.join(' ')} (min ${min}, max ${max})`);
out(`transactions per request: ${c.transactionsPerRequest.join(' ')} (each also a BEGIN and a COMMIT)`);
out('by shape, per request:');
for (const [shape, k] of c.byShape) out(`  ${(k / n).toFixed(2).padStart(6)}  ${shape}`);
if (process.env['GANYUN_STATEMENTS_TRACE']) {
  out('the last request, statement by statement:');
  c.last.forEach((s, i) => out(`  ${String(i + 1).padStart(3)} ${s}`));
}
