import { addDays } from '../migrations/calendar.ts';
import { migrationWorld, nextMonday, roomCandidate, roomWithKunpengLink, type MigrationWorld } from '../testing/migration-fixtures.ts';
import { auditTrail, errorOf } from '../testing/harness.ts';

/** Rows a refused call must leave as they were. */
const migrationState = async (w: MigrationWorld) => (await w.deps.store.query<Record<string, unknown>>(
  `SELECT (SELECT count(*)::int FROM migration_candidates) AS candidates, (SELECT count(*)::int FROM migration_plans) AS plans,
          (SELECT count(*)::int FROM migration_plan_members) AS members, (SELECT count(*)::int FROM migration_blackouts) AS blackouts,
          (SELECT count(*)::int FROM migration_slots) AS slots, (SELECT count(*)::int FROM migration_plan_versions) AS versions,
          (SELECT count(*)::int FROM migration_waves) AS waves, (SELECT md5(coalesce(string_agg(id::text || state || method, ',' ORDER BY id), '')) FROM migration_candidates) AS digest,
          (SELECT md5(coalesce(string_agg(id::text || array_to_string(operator_hours, ',') || pools::text, ',' ORDER BY id), '')) FROM migration_plans) AS plan_digest`))[0];

describe('migrations API: candidates, constraints, plans and approval (in-process simulated clouds)', () => {
  let w: MigrationWorld;
  let linkId: string;
  let roomId: string;
  const first = nextMonday();

  beforeEach(async () => {
    w = await migrationWorld();
    ({ roomId, linkId } = await roomWithKunpengLink(w, { name: '省税务局老机房', departmentId: w.tax.id }, '税务机房 → 鲲鹏云'));
  }, 120_000);
  afterEach(async () => w.stop(), 60_000);

  const candidate = (systemId: string, over: Record<string, unknown> = {}) => roomCandidate({ roomId, linkId }, systemId, over);

  it('derives the method with its reasons from the target cloud\'s platforms, and scopes candidates to the department', async () => {
    const tax = await w.system('金税三期', w.tax.id);
    const health = await w.system('全民健康平台', w.health.id);
    const c = await w.as.operator.migrations.candidates.save(candidate(tax));
    expect([c.method, c.targetArch, c.targetVendor, c.sizeClass, c.effortHours, c.created]).toEqual(['rebuild', 'arm64', 'kunpeng', 'S', 16, true]);
    expect(c.reasons[0]!.en).toContain('different CPU architecture: x86_64 (Intel) → arm64 (Kunpeng)');
    expect(c.sourceName).toBe('省税务局老机房');
    await w.as.operator.migrations.candidates.save(candidate(health));
    // Departments see their own systems' candidates only; the auditor sees all.
    expect((await w.as.taxUser.migrations.candidates.list()).items.map((x) => x.systemName)).toEqual(['金税三期']);
    expect((await w.as.auditor.migrations.candidates.list()).items.length).toBe(2);
    const denied = await errorOf(() => w.as.healthAdmin.migrations.candidates.get({ id: c.id }));
    expect(denied.code).toBe('NOT_FOUND');
    // Re-deriving the same system replaces the candidate (a Hygon target keeps x86_64: a rehost is possible only if the OS is offered).
    const hygonLink = (await w.as.operator.migrations.candidates.addLink({ label: '税务机房 → 海光云', source: { kind: 'room', roomId }, targetCloudId: 'xc-hygon', gbps: 1, hoursPerWindow: 10 })).id;
    const again = await w.as.operator.migrations.candidates.save(candidate(tax, { targetCloudId: 'xc-hygon', linkId: hygonLink }));
    expect([again.id, again.created, again.targetArch, again.targetVendor]).toEqual([c.id, false, 'x86_64', 'hygon']);
    expect(again.method).not.toBe('rebuild');
    expect(again.reasons[0]!.en).toContain('Hygon CPUs are x86_64');
    const records = (await auditTrail(w.deps)).filter((r) => r.procedure === 'migrations.candidates.save');
    expect(records.map((r) => [r.outcome, r.target])).toEqual([['ok', `migration-candidate:${c.id}`], ['ok', jasmine.stringMatching(/^migration-candidate:/)], ['ok', `migration-candidate:${c.id}`]]);
  }, 120_000);

  it('refuses bad input with a clear error naming it, and saves nothing', async () => {
    const tax = await w.system('金税三期', w.tax.id);
    const saved = await w.as.operator.migrations.candidates.save(candidate(tax));
    const before = await migrationState(w);
    const cases: [string, () => Promise<unknown>, string, string][] = [
      ['a target cloud that lacks the architecture', () => w.as.operator.migrations.candidates.save(candidate(tax, { targetArch: 'loongarch64' })), 'BAD_REQUEST', 'does not offer loongarch64'],
      ['a link that goes elsewhere', async () => w.as.operator.migrations.candidates.save(candidate(tax, { targetCloudId: 'xc-hygon' })), 'BAD_REQUEST', 'goes to xc-kunpeng'],
      ['a vendor that does not make the architecture', () => w.as.operator.migrations.candidates.save(candidate(tax, { sourceVendor: 'kunpeng' })), 'BAD_REQUEST', 'vendor'],
      ['a window in the past', () => w.as.operator.migrations.plans.create({ name: 'old', firstWeek: '2026-01-05', weeks: 4, operatorHours: 40, candidateIds: [] }), 'BAD_REQUEST', 'in the past'],
      ['a first week that is not a Monday', () => w.as.operator.migrations.plans.create({ name: 'tue', firstWeek: addDays(first, 1), weeks: 4, operatorHours: 40, candidateIds: [] }), 'BAD_REQUEST', 'Monday'],
      ['a year without a published notice', () => w.as.operator.migrations.calendar.importStatutory({ year: 2027 }), 'BAD_REQUEST', 'not shipped'],
      ['a blackout that ends before it starts', () => w.as.operator.migrations.calendar.addBlackout({ from: '2027-01-10', to: '2027-01-09', reason: 'x y' }), 'BAD_REQUEST', 'ends before'],
      ['a department outside the caller\'s scope', () => w.as.healthAdmin.migrations.calendar.setSlots({ departmentId: w.tax.id, slots: [] }), 'FORBIDDEN', 'another department'],
      ['an auditor planning', () => w.as.auditor.migrations.plans.create({ name: 'p', firstWeek: first, weeks: 4, operatorHours: 40, candidateIds: [] }), 'FORBIDDEN', 'roles'],
      ['a department planning', () => w.as.taxAdmin.migrations.plans.create({ name: 'p', firstWeek: first, weeks: 4, operatorHours: 40, candidateIds: [saved.id] }), 'FORBIDDEN', 'roles'],
    ];
    for (const [what, call, code, text] of cases) {
      const e = await errorOf(call);
      expect(`${what}: ${e.code}`).toBe(`${what}: ${code}`);
      expect(e.message).withContext(what).toContain(text);
    }
    expect(await migrationState(w)).toEqual(before);

    const plan = await w.as.operator.migrations.plans.create({ name: '2027 第一批', firstWeek: first, weeks: 4, operatorHours: 40, candidateIds: [saved.id] });
    const afterPlan = await migrationState(w);
    const empty = await errorOf(() => w.as.operator.migrations.plans.setCapacity({ planId: plan.id, pools: [{ key: 'xc-kunpeng/arm64', label: '鲲鹏', steps: [{ fromWindow: 0, vcpu: 0 }] }] }));
    expect([empty.code, empty.message]).toEqual(['BAD_REQUEST', jasmine.stringContaining('capacity 鲲鹏 is empty')]);
    const noHours = await errorOf(() => w.as.operator.migrations.plans.setCapacity({ planId: plan.id, operatorHours: [0, 0, 0, 0] }));
    expect(noHours.message).toContain('operator hours are empty');
    // A system already migrating cannot join another plan.
    await w.deps.store.query(`UPDATE migration_candidates SET state = 'migrating' WHERE id = $1`, [saved.id]);
    const other = await errorOf(() => w.as.operator.migrations.plans.create({ name: 'again', firstWeek: first, weeks: 4, operatorHours: 40, candidateIds: [saved.id] }));
    expect([other.code, other.message]).toEqual(['CONFLICT', jasmine.stringContaining('金税三期 (migrating)')]);
    await w.deps.store.query(`UPDATE migration_candidates SET state = 'candidate' WHERE id = $1`, [saved.id]);
    expect(await migrationState(w)).toEqual(afterPlan);
  }, 120_000);

  it('shows a department only its own maintenance slots and the blackouts that apply to it (issue 19.5)', async () => {
    await w.as.taxAdmin.migrations.calendar.setSlots({ departmentId: w.tax.id, slots: [{ weekday: 6, start: '22:00', hours: 8 }] });
    await w.as.healthAdmin.migrations.calendar.setSlots({ departmentId: w.health.id, slots: [{ weekday: 3, start: '23:00', hours: 5 }] });
    await w.as.operator.migrations.calendar.addBlackout({ from: '2026-11-02', to: '2026-11-03', reason: '全省共同封网' });
    await w.as.operator.migrations.calendar.addBlackout({ from: '2026-11-04', to: '2026-11-05', reason: '税务年终结算', departmentIds: [w.tax.id] });
    await w.as.operator.migrations.calendar.addBlackout({ from: '2026-11-06', to: '2026-11-07', reason: '卫健系统升级', departmentIds: [w.health.id] });
    await w.as.operator.migrations.calendar.addBlackout({ from: '2026-11-08', to: '2026-11-09', reason: '两部门联合演练', departmentIds: [w.health.id, w.tax.id] });
    const reasons = async (c: typeof w.as.operator) => (await c.migrations.calendar.blackouts({ from: '2026-11-01', to: '2026-11-30' })).items.map((b) => b.reason);
    expect(await reasons(w.as.taxUser)).toEqual(['全省共同封网', '税务年终结算', '两部门联合演练']);
    expect(await reasons(w.as.operator)).toEqual(['全省共同封网', '税务年终结算', '卫健系统升级', '两部门联合演练']);
    expect((await w.as.taxUser.migrations.calendar.slots()).items.map((s) => s.departmentId)).toEqual([w.tax.id]);
    expect((await w.as.taxUser.migrations.calendar.slots({ departmentId: w.health.id })).items).toEqual([]);
    expect((await w.as.operator.migrations.calendar.slots()).items.length).toBe(2);
  }, 120_000);

  it('keeps the statutory holidays as data: 2026 imports from the State Council notice once, 2027 ships no dates', async () => {
    const first2026 = await w.as.operator.migrations.calendar.importStatutory({ year: 2026 });
    expect([first2026.added, first2026.notice]).toEqual([7, '国务院办公厅关于2026年部分节假日安排的通知']);
    expect((await w.as.operator.migrations.calendar.importStatutory({ year: 2026 })).added).toBe(0);
    const cal = await w.as.taxUser.migrations.calendar.blackouts({ from: '2026-10-01', to: '2026-10-31' });
    expect(cal.items.map((b) => [b.from, b.to, b.source])).toEqual([['2026-10-01', '2026-10-07', 'statutory']]);
    expect(cal.notices.find((n) => n.year === 2027)!.title).toBeNull();
    expect(cal.importedYears).toEqual([2026]);
  }, 120_000);

  it('solves a plan as a workflow, explains each placement, keeps the blackout and dependency, and turns the approved version into waves', async () => {
    const core = await w.system('金税三期', w.tax.id, { mlps: 3 });
    const portal = await w.system('电子税务局', w.tax.id);
    await w.deps.store.query('INSERT INTO business_system_dependencies (system_id, depends_on_id) VALUES ($1, $2)', [portal, core]);
    const health = await w.system('全民健康平台', w.health.id);
    const c1 = await w.as.operator.migrations.candidates.save(candidate(core, { vcpu: 16 }));
    expect([c1.sizeClass, c1.effortHours]).toEqual(['M', 32]);
    const c2 = await w.as.operator.migrations.candidates.save(candidate(portal));
    // The candidate carries what it needs (the systems' dependency graph), shown on the candidates page.
    expect((await w.as.taxUser.migrations.candidates.list()).items.find((x) => x.id === c2.id)!.dependsOn.map((d) => d.name)).toEqual(['金税三期']);
    const c3 = await w.as.operator.migrations.candidates.save(candidate(health));
    // Departments set their own slots: tax on Saturday nights, health on Wednesday nights.
    await w.as.taxAdmin.migrations.calendar.setSlots({ departmentId: w.tax.id, slots: [{ weekday: 6, start: '22:00', hours: 8 }] });
    await w.as.healthAdmin.migrations.calendar.setSlots({ departmentId: w.health.id, slots: [{ weekday: 3, start: '23:00', hours: 5 }] });
    // The first week is a key event for everybody.
    await w.as.operator.migrations.calendar.addBlackout({ from: first, to: addDays(first, 6), reason: '重大活动保障' });
    const plan = await w.as.operator.migrations.plans.create({ name: '信创第一批', firstWeek: first, weeks: 6, operatorHours: 40, candidateIds: [c1.id, c2.id, c3.id] });
    await w.as.operator.migrations.plans.setCapacity({ planId: plan.id, pools: [{ key: 'xc-kunpeng/arm64', label: '鲲鹏云 arm64', steps: [{ fromWindow: 0, vcpu: 200 }] }] });

    const { versionId, workflowId, version } = await w.as.operator.migrations.plans.solve({ planId: plan.id, timeLimitSeconds: 2 });
    expect(version).toBe(1);
    const solved = await w.settled(workflowId);
    expect(solved.status).toBe('succeeded');
    // The names the console titles the workflow with in either language (the stored title stays English).
    expect((solved.input as { names: unknown }).names).toEqual({ plan: '信创第一批', version: 1, whatIf: false });
    const v = await w.as.operator.migrations.plans.version({ id: versionId });
    expect(v.status).toBe('solved');
    const r = v.result!;
    expect(r.violations).toBe(0);
    expect(r.lowerBound).toBeLessThanOrEqual(r.makespan!);
    // Nothing in the blackout week; the portal not before the core system it needs; 40 operator hours per window.
    for (const id of [c1.id, c2.id, c3.id]) expect(r.assignment[id]).toBeGreaterThan(0);
    expect(r.assignment[c2.id]).toBeGreaterThanOrEqual(r.assignment[c1.id]!);
    expect(r.placements[c1.id]!.reasons[0]!.en).toContain('W1: blackout: 重大活动保障');
    expect(r.placements[c1.id]!.slot).toMatch(/ 22:00–06:00$/);
    expect((v.progress as { phase: string }).phase).toBe('done');

    // Departments see only their own systems' placements.
    const seen = await w.as.healthAdmin.migrations.plans.version({ id: versionId });
    expect(Object.keys(seen.result!.assignment)).toEqual([c3.id]);

    const approved = await w.as.operator.migrations.plans.approve({ versionId });
    expect(approved.waves.reduce((a, x) => a + x.systems, 0)).toBe(3);
    const waves = (await w.as.taxUser.migrations.waves.list({ planId: plan.id })).items;
    expect(waves.flatMap((x) => x.systems.map((s) => s.systemName)).sort()).toEqual(['电子税务局', '金税三期']);
    const coreWave = waves.find((x) => x.systems.some((s) => s.candidateId === c1.id))!;
    await w.as.taxUser.migrations.waves.confirm({ waveId: coreWave.id, candidateId: c1.id, answer: 'move-requested', note: '月底征期，请改到下旬' });
    const denied = await errorOf(() => w.as.healthAdmin.migrations.waves.confirm({ waveId: coreWave.id, candidateId: c1.id, answer: 'confirmed' }));
    expect(denied.code).toBe('FORBIDDEN');
    expect((await w.as.operator.migrations.candidates.get({ id: c1.id })).state).toBe('scheduled');
    // A what-if cancelling the core's window is solved apart and cannot be approved.
    const whatIf = await w.as.operator.migrations.plans.whatIf({ planId: plan.id, timeLimitSeconds: 2, cancelWindows: [r.assignment[c1.id]!] });
    expect(((await w.settled(whatIf.workflowId)).input as { names: unknown }).names).toEqual({ plan: '信创第一批', version: 2, whatIf: true });
    const wv = await w.as.operator.migrations.plans.version({ id: whatIf.versionId });
    expect(wv.result!.assignment[c1.id]).not.toBe(r.assignment[c1.id]);
    expect((await errorOf(() => w.as.operator.migrations.plans.approve({ versionId: whatIf.versionId }))).message).toContain('what-if');
    expect((await w.as.operator.migrations.plans.get({ id: plan.id })).cancelled).toEqual([]);
  }, 120_000);

  it('names what makes a plan infeasible (a department with no usable window)', async () => {
    const core = await w.system('金税三期', w.tax.id);
    const c1 = await w.as.operator.migrations.candidates.save(candidate(core));
    const plan = await w.as.operator.migrations.plans.create({ name: '无窗口', firstWeek: first, weeks: 3, operatorHours: 20, candidateIds: [c1.id] });
    await w.as.operator.migrations.plans.setCapacity({ planId: plan.id, pools: [{ key: 'xc-kunpeng/arm64', label: '鲲鹏云 arm64', steps: [{ fromWindow: 0, vcpu: 200 }] }] });
    const { versionId, workflowId } = await w.as.operator.migrations.plans.solve({ planId: plan.id, timeLimitSeconds: 1 });
    await w.settled(workflowId);
    const v = await w.as.operator.migrations.plans.version({ id: versionId });
    expect(v.status).toBe('infeasible');
    expect((v.result!.explanations as { en: string }[])[0]!.en).toContain('has no usable maintenance window');
    expect((await errorOf(() => w.as.operator.migrations.plans.approve({ versionId }))).code).toBe('CONFLICT');
  }, 120_000);
});
