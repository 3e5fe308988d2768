import { countProvisionStatements } from '../testing/provision-statements.ts';

/**
 * Issue 16: the control plane's overhead per provider call while provisioning is mostly its statements (on PGlite's
 * one connection every request in flight queues for each of them). A count, not a time, so it cannot flake: the
 * same on both stores and on a busy machine (bench/provision-statements.ts prints it with a breakdown).
 */
const LIMIT = 70;

describe('statements per provisioned request (issue 16)', () => {
  it(`a one-host request, submitted, approved by the department and an operator and provisioned, takes at most ${LIMIT} statements`, async () => {
    const c = await countProvisionStatements(3);
    expect(c.perRequest.length).toBe(3);
    for (const n of c.perRequest) expect(n).toBeLessThanOrEqual(LIMIT);
    // Every request the same: nothing in the count depends on time.
    expect(new Set(c.perRequest).size).toBe(1);
  }, 120_000);
});
