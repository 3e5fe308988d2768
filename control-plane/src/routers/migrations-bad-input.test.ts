import { migrationWorld, nextMonday, roomCandidate, roomWithKunpengLink, type MigrationWorld } from '../testing/migration-fixtures.ts';
import { errorOf } from '../testing/harness.ts';
import { forEachSpec } from '../testing/each-spec.ts';

/**
 * The issue's bad-input list (issue 12): a dependency cycle, a target cloud that lacks the architecture, a
 * window in the past, an empty capacity, a system already migrating. Each is refused with its own error
 * code naming what is wrong, and nothing is saved (no candidate, plan, member, version or workflow changes).
 */

const stored = async (w: MigrationWorld) => (await w.deps.store.query<Record<string, unknown>>(
  `SELECT (SELECT md5(coalesce(string_agg(id::text || state || method || target_arch, ',' ORDER BY id), '')) FROM migration_candidates) AS candidates,
          (SELECT md5(coalesce(string_agg(id::text || array_to_string(operator_hours, ',') || pools::text || array_to_string(cancelled, ','), ',' ORDER BY id), '')) FROM migration_plans) AS plans,
          (SELECT count(*)::int FROM migration_plan_members) AS members, (SELECT count(*)::int FROM migration_plan_versions) AS versions,
          (SELECT count(*)::int FROM workflows) AS workflows, (SELECT count(*)::int FROM migration_waves) AS waves`))[0];

describe('migrations API: the bad-input list, each a named error code and nothing saved', () => {
  const first = nextMonday();
  const spec = forEachSpec(async () => {
    const w = await migrationWorld();
    const room = await roomWithKunpengLink(w, { name: '省直老机房', departmentId: null }, '老机房 → 鲲鹏云');
    await w.as.operator.migrations.calendar.setSlots({ departmentId: w.tax.id, slots: [{ weekday: 6, start: '22:00', hours: 8 }] });
    return { w, room };
  }, ({ w }) => w.stop(), 120_000);

  const candidate = (systemId: string, over: Record<string, unknown> = {}) => roomCandidate(spec.room, systemId, over);
  const pools = [{ key: 'xc-kunpeng/arm64', label: '鲲鹏云 arm64', steps: [{ fromWindow: 0, vcpu: 200 }] }];

  it('refuses a dependency cycle at solve time, naming the systems in order, and stores no version', async () => {
    const [a, b, c] = [await spec.w.system('统一身份认证', spec.w.tax.id), await spec.w.system('电子税务局', spec.w.tax.id), await spec.w.system('金税三期', spec.w.tax.id)];
    const ids = [];
    for (const s of [a, b, c]) ids.push((await spec.w.as.operator.migrations.candidates.save(candidate(s))).id);
    const plan = await spec.w.as.operator.migrations.plans.create({ name: '依赖成环', firstWeek: first, weeks: 4, operatorHours: 40, candidateIds: ids });
    await spec.w.as.operator.migrations.plans.setCapacity({ planId: plan.id, pools });
    // The systems API keeps the graph a DAG; a cycle can still arrive through data imported behind its back.
    for (const [from, to] of [[a, b], [b, c], [c, a]]) await spec.w.deps.store.query('INSERT INTO business_system_dependencies (system_id, depends_on_id) VALUES ($1, $2)', [from, to]);
    const before = await stored(spec.w);
    const e = await errorOf(() => spec.w.as.operator.migrations.plans.solve({ planId: plan.id, timeLimitSeconds: 1 }));
    expect([e.status, e.reason.code]).toEqual([400, 'migration.dependencyCycle']);
    expect(String(e.reason.params?.['systems'])).toMatch(/^(统一身份认证|电子税务局|金税三期)( → (统一身份认证|电子税务局|金税三期)){3}$/);
    const what = await errorOf(() => spec.w.as.operator.migrations.plans.whatIf({ planId: plan.id, timeLimitSeconds: 1, cancelWindows: [1] }));
    expect(what.reason.code).toBe('migration.dependencyCycle');
    expect(await stored(spec.w)).toEqual(before);
  }, 120_000);

  it('refuses a target cloud that lacks the architecture, naming the cloud, the architecture and what it offers', async () => {
    const s = await spec.w.system('金税三期', spec.w.tax.id);
    const before = await stored(spec.w);
    const e = await errorOf(() => spec.w.as.operator.migrations.candidates.save(candidate(s, { targetArch: 'loongarch64' })));
    expect([e.status, e.reason.code, e.reason.params?.['arch'], e.reason.path]).toEqual([400, 'migration.targetLacksArch', 'loongarch64', ['targetArch']]);
    expect(String(e.reason.params?.['offered'])).toContain('arm64');
    expect(e.reason.params?.['cloud']).toBeTruthy();
    expect(await stored(spec.w)).toEqual(before);
  }, 120_000);

  it('refuses a window in the past, naming the window and its week', async () => {
    const before = await stored(spec.w);
    const e = await errorOf(() => spec.w.as.operator.migrations.plans.create({ name: '去年', firstWeek: '2025-01-06', weeks: 4, operatorHours: 40, candidateIds: [] }));
    expect([e.status, e.reason.code, e.reason.params]).toEqual([400, 'migration.windowInPast', { window: 'W1', weekStart: '2025-01-06' }]);
    expect(await stored(spec.w)).toEqual(before);
  }, 120_000);

  it('refuses an empty capacity (vCPU pool, operator hours), naming it', async () => {
    const s = await spec.w.system('金税三期', spec.w.tax.id);
    const c = await spec.w.as.operator.migrations.candidates.save(candidate(s));
    const plan = await spec.w.as.operator.migrations.plans.create({ name: '空容量', firstWeek: first, weeks: 3, operatorHours: 40, candidateIds: [c.id] });
    const before = await stored(spec.w);
    const pool = await errorOf(() => spec.w.as.operator.migrations.plans.setCapacity({ planId: plan.id, pools: [{ key: 'xc-kunpeng/arm64', label: '鲲鹏云 arm64', steps: [{ fromWindow: 0, vcpu: 0 }] }] }));
    expect(pool.status).toBe(400);
    expect(pool.reason.issues).toEqual([{ path: ['pools', '0'], code: 'migration.capacityEmpty', params: { capacity: '鲲鹏云 arm64' } }]);
    const hours = await errorOf(() => spec.w.as.operator.migrations.plans.setCapacity({ planId: plan.id, operatorHours: [0, 0, 0] }));
    expect(hours.reason.issues).toEqual([{ path: ['operatorHours'], code: 'migration.capacityEmpty', params: { capacity: 'operator hours' } }]);
    expect(await stored(spec.w)).toEqual(before);
  }, 120_000);

  it('refuses a system already migrating (re-deriving it, adding it to a plan, solving around it), naming it', async () => {
    const s = await spec.w.system('金税三期', spec.w.tax.id);
    const c = await spec.w.as.operator.migrations.candidates.save(candidate(s));
    const plan = await spec.w.as.operator.migrations.plans.create({ name: '第一批', firstWeek: first, weeks: 3, operatorHours: 40, candidateIds: [] });
    await spec.w.deps.store.query(`UPDATE migration_candidates SET state = 'migrating' WHERE id = $1`, [c.id]);
    const before = await stored(spec.w);
    const cases = [
      () => spec.w.as.operator.migrations.candidates.save(candidate(s, { vcpu: 16 })),
      () => spec.w.as.operator.migrations.plans.addCandidates({ planId: plan.id, candidateIds: [c.id] }),
      () => spec.w.as.operator.migrations.plans.create({ name: '第二批', firstWeek: first, weeks: 3, operatorHours: 40, candidateIds: [c.id] }),
      () => spec.w.as.operator.migrations.plans.whatIf({ planId: plan.id, addCandidates: [c.id] }),
    ];
    for (const [i, call] of cases.entries()) {
      const e = await errorOf(call);
      expect([i, e.status, e.reason.code]).toEqual([i, 409, 'migration.alreadyMigrating']);
      expect(String(e.reason.params?.['systems'])).withContext(`case ${i}`).toContain('金税三期');
    }
    expect(await stored(spec.w)).toEqual(before);
  }, 120_000);
});
