import type { AppDeps } from '../context.ts';
import { anonymousCaller, auditTrail, callerAs, errorOf, freshDeps, seedDepartment, seedUser, snapshot } from '../testing/harness.ts';

describe('users', () => {
  let deps: AppDeps;
  let admin: Awaited<ReturnType<typeof callerAs>>;
  let adminId: string;
  beforeEach(async () => {
    deps = await freshDeps();
    adminId = (await seedUser(deps, 'root', ['admin'])).id;
    admin = await callerAs(deps, adminId);
  });

  it('creates a user who must change the initial password at first sign-in', async () => {
    const dept = await seedDepartment(deps, '省教育厅');
    const created = await admin.users.create({ username: 'wang.wei', displayName: '王伟', password: 'Initial-Pass-1', departmentId: dept.id, roles: ['department-user'] });
    expect([created.departmentName, created.roles, created.locked]).toEqual(['省教育厅', ['department-user'], false]);
    const session = await anonymousCaller(deps).auth.login({ username: 'wang.wei', password: 'Initial-Pass-1' });
    expect(session.user.mustChangePassword).toBeTrue();
    expect(JSON.stringify((await auditTrail(deps)).find((r) => r.procedure === 'users.create'))).not.toContain('Initial-Pass-1');
  });

  const bad: [string, Record<string, unknown>, string, string][] = [
    ['an unknown role', { roles: ['superuser'] }, 'BAD_REQUEST', 'roles.0'],
    ['no roles', { roles: [] }, 'BAD_REQUEST', 'roles'],
    ['an upper-case username', { username: 'Wang' }, 'BAD_REQUEST', 'username'],
    ['a weak password', { password: 'password' }, 'BAD_REQUEST', 'password'],
    ['a department role without a department', { roles: ['department-user'], departmentId: null }, 'BAD_REQUEST', 'departmentId'],
    ['a duplicate username', { username: 'root' }, 'CONFLICT', 'username'],
  ];
  for (const [why, change, code, field] of bad) {
    it(`refuses ${why}, changing nothing`, async () => {
      const before = await snapshot(deps);
      const error = await errorOf(() => admin.users.create({ username: 'li.na', displayName: '李娜', password: 'Initial-Pass-1', departmentId: null, roles: ['auditor'], ...change } as never));
      expect([error.code, Object.keys(error.fieldErrors ?? {})]).toEqual([code, [field]]);
      expect(await snapshot(deps)).toEqual(before);
    });
  }

  it('keeps a department admin inside their department and their own roles', async () => {
    const mine = await seedDepartment(deps, '省公安厅');
    const other = await seedDepartment(deps, '省卫健委');
    const outsider = await seedUser(deps, 'doctor', ['department-user'], other.id);
    const da = await callerAs(deps, (await seedUser(deps, 'police-admin', ['department-admin'], mine.id)).id);
    const before = await snapshot(deps);
    const cases: [string, () => Promise<unknown>][] = [
      ['create in another department', () => da.users.create({ username: 'x1', displayName: 'x', password: 'Initial-Pass-1', departmentId: other.id, roles: ['department-user'] })],
      ['grant a province-wide role', () => da.users.create({ username: 'x2', displayName: 'x', password: 'Initial-Pass-1', departmentId: mine.id, roles: ['cloud-operator'] })],
      ['edit another department\'s user', () => da.users.update({ id: outsider.id, displayName: 'changed' })],
      ['reset another department\'s password', () => da.users.resetPassword({ id: outsider.id, newPassword: 'Another-Pass-2' })],
    ];
    for (const [why, attempt] of cases) expect(`${why}: ${(await errorOf(attempt)).code}`).toBe(`${why}: FORBIDDEN`);
    expect(await snapshot(deps)).toEqual(before);
    expect((await da.users.list()).items.map((u) => u.username)).toEqual(['police-admin']);
    const created = await da.users.create({ username: 'officer', displayName: '警员', password: 'Initial-Pass-1', departmentId: mine.id, roles: ['department-user'] });
    expect(created.departmentId).toBe(mine.id);
    const denials = (await auditTrail(deps)).filter((r) => r.outcome === 'denied' && r.actor === 'police-admin');
    expect(denials.length).toBe(4);
  });

  it('disabling a user ends their sessions; an admin cannot disable themselves', async () => {
    const victim = await seedUser(deps, 'temp', ['auditor']);
    const session = await callerAs(deps, victim.id);
    expect((await session.auth.me()).username).toBe('temp');
    await admin.users.update({ id: victim.id, disabled: true });
    expect((await errorOf(() => session.auth.me())).code).toBe('UNAUTHORIZED');
    expect((await errorOf(() => admin.users.update({ id: adminId, disabled: true }))).fieldErrors).toEqual({ disabled: [jasmine.any(String)] });
  });

  it('rolls back the change when the audit append fails: no change without its record', async () => {
    const before = await snapshot(deps);
    spyOn(deps.audit, 'append').and.callFake(async () => {
      throw new Error('disk full');
    });
    const error = await errorOf(() => admin.users.create({ username: 'ghost', displayName: 'g', password: 'Initial-Pass-1', departmentId: null, roles: ['auditor'] }));
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await snapshot(deps)).toEqual(before);
  });
});
