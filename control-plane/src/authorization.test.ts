import { ROLES, type Role } from './auth/roles.ts';
import { buildCatalog } from './catalog.ts';
import { appRouter } from './routers/_app.ts';
import { anonymousCaller, auditTrail, callerAs, errorOf, freshDeps, seedDepartment, seedUser } from './testing/harness.ts';

/**
 * The authorization matrix, derived from the router itself: every procedure × every role. A role outside
 * the procedure's list must get FORBIDDEN; a role inside it must get past authorization (the call may
 * still fail on its empty input, with BAD_REQUEST, but never with FORBIDDEN or UNAUTHORIZED).
 */
const catalog = buildCatalog(appRouter);

function call(caller: object, path: string, input: unknown): Promise<unknown> {
  // Routers may nest (migrations.plans.create): walk every segment of the path.
  const fn = path.split('.').reduce<unknown>((at, segment) => (at as Record<string, unknown>)[segment], caller) as (i: unknown) => Promise<unknown>;
  return fn(input);
}

async function drainIfSubscription(result: unknown) {
  // A subscription resolves to an async iterable; returning it stops it without waiting for events.
  const it = result as AsyncIterable<unknown> & { return?: () => Promise<unknown> };
  if (it && typeof it === 'object' && Symbol.asyncIterator in it) await it[Symbol.asyncIterator]().return?.();
}

describe('authorization of every procedure', () => {
  it('every procedure declares its roles', () => {
    const undeclared = catalog.filter((p) => p.roles === null).map((p) => p.path);
    expect(undeclared).toEqual([]);
    expect(catalog.length).toBeGreaterThan(15);
  });

  it('every non-public procedure refuses a caller without a token, and counts the denial (not chained: issue 19.7)', async () => {
    const deps = await freshDeps();
    const anon = anonymousCaller(deps);
    const closed = catalog.filter((p) => p.roles !== 'public');
    for (const p of closed) {
      const error = await errorOf(() => call(anon, p.path, undefined).then(drainIfSubscription));
      expect(`${p.path}: ${error.code}`).toBe(`${p.path}: UNAUTHORIZED`);
    }
    expect((await auditTrail(deps)).filter((r) => r.outcome === 'denied')).toEqual([]);
    const counted = await deps.metrics.anonymousRefusals.get();
    expect(counted.values.map((v) => String(v.labels.procedure)).sort()).toEqual(closed.map((p) => p.path).sort());
  });

  for (const role of ROLES) {
    it(`gives ${role} exactly the procedures that list it`, async () => {
      const deps = await freshDeps();
      const dept = await seedDepartment(deps, '江西省大数据中心');
      const user = await seedUser(deps, `u-${role}`, [role], role.startsWith('department') ? dept.id : null);
      const caller = await callerAs(deps, user.id);
      for (const p of catalog.filter((c) => c.roles !== 'public')) {
        const allowed = p.roles === 'authenticated' || (Array.isArray(p.roles) && p.roles.includes(role as Role));
        // logout would end the session that the remaining calls use.
        if (p.path === 'auth.logout') continue;
        let code = 'OK';
        try {
          await drainIfSubscription(await call(caller, p.path, undefined));
        } catch (error) {
          code = (error as { code: string }).code;
        }
        if (allowed) expect(`${p.path}: ${code}`).not.toMatch(/FORBIDDEN|UNAUTHORIZED/);
        else expect(`${p.path}: ${code}`).toBe(`${p.path}: FORBIDDEN`);
      }
    });
  }
});
