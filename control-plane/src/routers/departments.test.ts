import type { AppDeps } from '../context.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedDepartment, seedUser, snapshot } from '../testing/harness.ts';

const VALID = '91350100M000100Y43';

describe('departments', () => {
  let deps: AppDeps;
  let admin: Awaited<ReturnType<typeof callerAs>>;
  beforeEach(async () => {
    deps = await freshDeps();
    admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
  });

  it('creates a department under a parent and a division, and audits it with its after-image', async () => {
    const parent = await admin.departments.create({ name: '江西省发展和改革委员会', creditCode: VALID, parentId: null, divisionCode: '36' });
    const child = await admin.departments.create({ name: '南昌市发展和改革委员会', creditCode: '91440300708461136T', parentId: parent.id, divisionCode: '3601' });
    expect([child.parentName, child.divisionName]).toEqual(['江西省发展和改革委员会', '南昌市']);
    const record = (await auditTrail(deps)).at(-1)!;
    expect([record.procedure, record.outcome, record.target]).toEqual(['departments.create', 'ok', `department:${child.id}`]);
    expect((record.after as { name: string }).name).toBe('南昌市发展和改革委员会');
  });

  const bad: [string, Record<string, unknown>, string, string][] = [
    ['wrong check character', { creditCode: '91350100M000100Y44' }, 'BAD_REQUEST', 'creditCode'],
    ['credit code too short', { creditCode: '9135' }, 'BAD_REQUEST', 'creditCode'],
    ['unknown division', { divisionCode: '3699' }, 'BAD_REQUEST', 'divisionCode'],
    ['malformed division', { divisionCode: 'abc' }, 'BAD_REQUEST', 'divisionCode'],
    ['unknown parent', { parentId: '00000000-0000-4000-8000-000000000000' }, 'BAD_REQUEST', 'parentId'],
    ['empty name', { name: '' }, 'BAD_REQUEST', 'name'],
  ];
  for (const [why, change, code, field] of bad) {
    it(`refuses ${why} beside the field ${field}, changing nothing`, async () => {
      const before = await snapshot(deps);
      const error = await errorOf(() => admin.departments.create({ name: '省教育厅', creditCode: VALID, parentId: null, divisionCode: '36', ...change } as never));
      expect(error.code).toBe(code);
      expect(Object.keys(error.fieldErrors ?? {})).toEqual([field]);
      expect(await snapshot(deps)).toEqual(before);
      expect((await auditTrail(deps)).at(-1)!.outcome).toBe('error');
    });
  }

  it('refuses a duplicate credit code with CONFLICT beside the field', async () => {
    await admin.departments.create({ name: '甲单位', creditCode: VALID, parentId: null, divisionCode: '36' });
    const error = await errorOf(() => admin.departments.create({ name: '乙单位', creditCode: VALID, parentId: null, divisionCode: '36' }));
    expect([error.code, Object.keys(error.fieldErrors!)]).toEqual(['CONFLICT', ['creditCode']]);
  });

  it('refuses to make a department its own ancestor', async () => {
    const a = await seedDepartment(deps, 'A 厅');
    const b = await seedDepartment(deps, 'B 处', { parentId: a.id });
    const error = await errorOf(() => admin.departments.update({ id: a.id, parentId: b.id }));
    expect(error.fieldErrors).toEqual({ parentId: [jasmine.stringMatching(/below itself/)] });
  });

  it('refuses to delete a department that still has users', async () => {
    const d = await seedDepartment(deps, '有人的单位');
    await seedUser(deps, 'member', ['department-user'], d.id);
    expect((await errorOf(() => admin.departments.delete({ id: d.id }))).code).toBe('CONFLICT');
    expect(await deps.store.query('SELECT 1 FROM departments WHERE id = $1', [d.id])).toHaveSize(1);
  });

  it('shows a department user only their own department subtree', async () => {
    const mine = await seedDepartment(deps, '省公安厅');
    const sub = await seedDepartment(deps, '省公安厅信息中心', { parentId: mine.id });
    const other = await seedDepartment(deps, '省卫健委');
    const user = await callerAs(deps, (await seedUser(deps, 'police', ['department-user'], mine.id)).id);
    expect((await user.departments.list()).items.map((d) => d.id).sort()).toEqual([mine.id, sub.id].sort());
    expect((await user.departments.get({ id: sub.id })).name).toBe('省公安厅信息中心');
    const denied = await errorOf(() => user.departments.get({ id: other.id }));
    expect(denied.code).toBe('FORBIDDEN');
    expect((await auditTrail(deps)).at(-1)).toEqual(jasmine.objectContaining({ procedure: 'departments.get', outcome: 'denied', actor: 'police' }));
  });
});
