import { migrationWorld, nextMonday, roomWithKunpengLink, type MigrationWorld } from '../testing/migration-fixtures.ts';
import { errorOf } from '../testing/harness.ts';
import { at, walkPages } from '../testing/paging.ts';

/**
 * migrations.candidates.list and migrations.plans.list page on the server by cursor (issue 15.3 / 18.7):
 * candidates in system-name order, plans newest first, each inside the caller's department scope, with a
 * bounded page size and a cursor that only this list gave out.
 */
describe('migrations lists paging', () => {
  let w: MigrationWorld;
  let linkId: string;
  let roomId: string;

  /** `count` systems of a department with a candidate each; names repeat across departments (the id breaks ties). */
  async function seedCandidates(departmentId: string, count: number, state: string) {
    await w.deps.store.query(
      `WITH s AS (
         INSERT INTO business_systems (id, department_id, name, mlps_level, data_classification, architectures, dr_level, dr_edition, rpo_seconds, rto_seconds)
         SELECT gen_random_uuid(), $1, '系统-' || lpad((g % 40)::text, 3, '0') || '-' || $2 || g, 2, 'internal', '{x86_64}', 2, '2007', 3600, 14400
           FROM generate_series(1, $3::int) g
         RETURNING id, department_id)
       INSERT INTO migration_candidates (id, system_id, department_id, source_room_id, source_arch, source_vendor, source_image, target_cloud_id, target_arch,
         target_vendor, target_image, method, reasons, vcpu, data_gib, size_class, effort_hours, link_id, state)
       SELECT gen_random_uuid(), s.id, s.department_id, $4, 'x86_64', 'intel', 'centos-7.9', 'xc-kunpeng', 'arm64', 'kunpeng', 'kylin-v10', 'rebuild', '[]', 8, 100, 'S', 16, $5, $2
         FROM s`,
      [departmentId, state, count, roomId, linkId],
    );
  }

  beforeEach(async () => {
    w = await migrationWorld();
    ({ roomId, linkId } = await roomWithKunpengLink(w, { name: '省直老机房', departmentId: null }, '老机房 → 鲲鹏云'));
    await seedCandidates(w.tax.id, 70, 'candidate');
    await seedCandidates(w.tax.id, 15, 'scheduled');
    await seedCandidates(w.health.id, 40, 'candidate');
  }, 120_000);
  afterEach(async () => w.stop(), 60_000);

  const candidates = async (where: string, params: unknown[] = []) => (await w.deps.store.query<{ id: string }>(
    `SELECT c.id FROM migration_candidates c JOIN business_systems s ON s.id = c.system_id WHERE ${where} ORDER BY s.name, c.id`, params)).map((r) => r.id);

  describe('candidates', () => {
    const walk = (list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) => walkPages(list, (c) => c.id);

    it('walks every candidate once in system-name order, 50 at a time by default, with and without filters', async () => {
      const { seen, pages } = await walk((c) => w.as.auditor.migrations.candidates.list({ ...at(c) }));
      expect([seen, pages]).toEqual([await candidates('TRUE'), 3]);
      const scheduled = await walk((c) => w.as.operator.migrations.candidates.list({ departmentId: w.tax.id, state: 'scheduled', limit: 4, ...at(c) }));
      expect([scheduled.seen, scheduled.pages]).toEqual([await candidates(`c.department_id = $1 AND c.state = 'scheduled'`, [w.tax.id]), 4]);
      const health = await walk((c) => w.as.operator.migrations.candidates.list({ departmentId: w.health.id, limit: 40, ...at(c) }));
      expect([health.seen, health.pages]).toEqual([await candidates('c.department_id = $1', [w.health.id]), 1]);
    });

    it('follows a system renamed meanwhile: the list is in its new name\'s place', async () => {
      const [first] = (await w.as.auditor.migrations.candidates.list({ limit: 1 })).items;
      await w.deps.store.query(`UPDATE business_systems SET name = '系统-999' WHERE id = $1`, [first!.systemId]);
      const { seen } = await walk((c) => w.as.auditor.migrations.candidates.list({ limit: 60, ...at(c) }));
      expect(seen.at(-1)).toBe(first!.id);
      expect(seen).toEqual(await candidates('TRUE'));
    });

    it('keeps a department to its own candidates across pages, and a department it does not hold shows nothing', async () => {
      const { seen } = await walk((c) => w.as.taxUser.migrations.candidates.list({ limit: 9, ...at(c) }));
      expect(seen).toEqual(await candidates('c.department_id = $1', [w.tax.id]));
      expect((await w.as.healthAdmin.migrations.candidates.list({ departmentId: w.tax.id })).items).toEqual([]);
    });

    it('bounds the page size and refuses a cursor it did not give out', async () => {
      for (const limit of [0, 201, 10_000]) {
        const e = await errorOf(() => w.as.auditor.migrations.candidates.list({ limit }));
        expect([e.code, e.reason.path]).withContext(`limit ${limit}`).toEqual(['BAD_REQUEST', ['limit']]);
      }
      expect((await w.as.auditor.migrations.candidates.list({ limit: 200 })).items.length).toBe(125);
      const forged = await errorOf(() => w.as.auditor.migrations.candidates.list({ cursor: 'forged' }));
      expect([forged.code, forged.reason.path]).toEqual(['BAD_REQUEST', ['cursor']]);
    });
  });

  describe('plans', () => {
    /** 45 plans, three of each creation time (the id breaks ties); every third holds a tax candidate, every fifth a health one. */
    beforeEach(async () => {
      const tax = await candidates('c.department_id = $1', [w.tax.id]);
      const health = await candidates('c.department_id = $1', [w.health.id]);
      await w.deps.store.query(
        `INSERT INTO migration_plans (id, name, first_week, weeks, operator_hours, created_at)
         SELECT gen_random_uuid(), '方案-' || g, $1::date, 4, '{40,40,40,40}', '2026-12-01T00:00:00Z'::timestamptz + ((g / 3) || ' minutes')::interval
           FROM generate_series(1, 45) g`,
        [nextMonday()],
      );
      const plans = (await w.deps.store.query<{ id: string; name: string }>('SELECT id, name FROM migration_plans')).map((p) => ({ ...p, n: Number(p.name.split('-')[1]) }));
      for (const p of plans) {
        if (p.n % 3 === 0) await w.deps.store.query('INSERT INTO migration_plan_members (plan_id, candidate_id) VALUES ($1, $2)', [p.id, tax[p.n]]);
        if (p.n % 5 === 0) await w.deps.store.query('INSERT INTO migration_plan_members (plan_id, candidate_id) VALUES ($1, $2)', [p.id, health[p.n % health.length]]);
      }
    });

    const plans = async (where = 'TRUE', params: unknown[] = []) => (await w.deps.store.query<{ id: string }>(
      `SELECT p.id FROM migration_plans p WHERE ${where} ORDER BY p.created_at DESC, p.id DESC`, params)).map((r) => r.id);
    const holding = `EXISTS (SELECT 1 FROM migration_plan_members m JOIN migration_candidates c ON c.id = m.candidate_id WHERE m.plan_id = p.id AND c.department_id = $1)`;
    const walk = (list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) => walkPages(list, (p) => p.id);

    it('walks every plan once, newest first, ties broken by id', async () => {
      const { seen, pages } = await walk((c) => w.as.operator.migrations.plans.list({ limit: 4, ...at(c) }));
      expect([seen, pages]).toEqual([await plans(), 12]);
      expect((await w.as.operator.migrations.plans.list()).items.length).toBe(45);
    });

    it('shows a department only the plans that hold one of its systems, across pages', async () => {
      const tax = await walk((c) => w.as.taxUser.migrations.plans.list({ limit: 2, ...at(c) }));
      expect(tax.seen).toEqual(await plans(holding, [w.tax.id]));
      expect(tax.seen.length).toBe(15);
      const health = await walk((c) => w.as.healthAdmin.migrations.plans.list({ limit: 5, ...at(c) }));
      expect(health.seen).toEqual(await plans(holding, [w.health.id]));
      expect(health.seen.length).toBe(9);
    });

    it('bounds the page size and refuses a cursor it did not give out', async () => {
      for (const limit of [0, 201, 10_000]) {
        const e = await errorOf(() => w.as.operator.migrations.plans.list({ limit }));
        expect([e.code, e.reason.path]).withContext(`limit ${limit}`).toEqual(['BAD_REQUEST', ['limit']]);
      }
      for (const cursor of ['forged', Buffer.from(JSON.stringify(['系统-001', '00000000-0000-0000-0000-000000000000'])).toString('base64url')]) {
        const e = await errorOf(() => w.as.operator.migrations.plans.list({ cursor }));
        expect([e.code, e.reason.path]).withContext(cursor).toEqual(['BAD_REQUEST', ['cursor']]);
      }
    });
  });

  describe('waves', () => {
    /**
     * One plan re-planned 20 times: each old version left 4 superseded waves; the current version has 4 waves
     * (windows 0..3), the even windows holding a tax system, the odd ones a health system.
     */
    let planId: string;
    beforeEach(async () => {
      const tax = await candidates('c.department_id = $1', [w.tax.id]);
      const health = await candidates('c.department_id = $1', [w.health.id]);
      planId = (await w.deps.store.query<{ id: string }>(
        `INSERT INTO migration_plans (id, name, first_week, weeks, operator_hours) VALUES (gen_random_uuid(), '反复重排', $1::date, 4, '{40,40,40,40}') RETURNING id`, [nextMonday()]))[0]!.id;
      for (let v = 1; v <= 21; v++) {
        const current = v === 21;
        const versionId = (await w.deps.store.query<{ id: string }>(
          `INSERT INTO migration_plan_versions (id, plan_id, version, status, input) VALUES (gen_random_uuid(), $1, $2, $3, '{}') RETURNING id`,
          [planId, v, current ? 'approved' : 'superseded']))[0]!.id;
        for (let window = 0; window < 4; window++) {
          const waveId = (await w.deps.store.query<{ id: string }>(
            `INSERT INTO migration_waves (id, plan_id, version_id, window_index, week_start, status) VALUES (gen_random_uuid(), $1, $2, $3, $4::date + 7 * $3, $5) RETURNING id`,
            [planId, versionId, window, nextMonday(), current ? 'planned' : 'superseded']))[0]!.id;
          const [candidateId, departmentId] = window % 2 === 0 ? [tax[window]!, w.tax.id] : [health[window]!, w.health.id];
          await w.deps.store.query('INSERT INTO migration_wave_systems (wave_id, candidate_id, department_id) VALUES ($1, $2, $3)', [waveId, candidateId, departmentId]);
        }
      }
    });

    it('lists the current waves of the plan by window, leaving the superseded ones out unless asked, each department its own', async () => {
      const current = await w.as.operator.migrations.waves.list({ planId });
      expect(current.items.map((x) => [x.windowIndex, x.status])).toEqual([[0, 'planned'], [1, 'planned'], [2, 'planned'], [3, 'planned']]);
      const all = await w.as.operator.migrations.waves.list({ planId, includeSuperseded: true });
      expect(all.items.length).toBe(84);
      expect(all.items.filter((x) => x.status === 'superseded').length).toBe(80);
      const tax = await w.as.taxUser.migrations.waves.list({ planId });
      expect(tax.items.map((x) => x.windowIndex)).toEqual([0, 2]);
      expect(tax.items.flatMap((x) => x.systems.map((s) => s.departmentId))).toEqual([w.tax.id, w.tax.id]);
    });
  });
});
