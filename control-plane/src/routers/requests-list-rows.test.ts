import type { AppDeps } from '../context.ts';
import { requestsRepo, type RequestListRow, type RequestRow } from '../requests/requests-repo.ts';
import { callerAs, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';
import { at, walkPages } from '../testing/paging.ts';
import { seedCloudRow, seedSystem } from '../testing/quota-fixtures.ts';
import { summaryOf } from './requests.ts';
import { requestStepsRepo } from '../requests/request-steps-repo.ts';

/**
 * requests.list and requests.queue rows come from one statement (requestsRepo.listPage: the active step and the
 * overdue flag folded in, each row one json value, times as ISO strings) instead of the page, the steps of its
 * requests and summaryOf in JavaScript. The row must say what summaryOf said of the same request, in every state
 * and step arrangement, to the millisecond; only the detail-only JSON is left out and resources are id, kind, name.
 */
describe('requests.list rows (one statement)', () => {
  let deps: AppDeps;
  let dept: string;
  let otherDept: string;
  let requester: string;
  let approver: string;
  let systemId: string;
  let otherSystemId: string;
  const NOW = new Date('2026-12-07T10:00:00.123Z');

  /** What the lists answered before: summaryOf over the row and its steps, without the fields list rows leave out. */
  const expected = (r: RequestRow, now: Date): Promise<RequestListRow> => requestStepsRepo.steps(deps.store, r.id).then((steps) => {
    const { policyResults: _p, placement: _pl, quotaCheck: _q, resources, ...rest } = summaryOf(r, steps, now);
    return { ...rest, resources: resources.map((p) => ({ id: p.id, kind: p.kind, name: p.name })) };
  });

  async function insertRequest(v: {
    title: string; status: string; submittedAt: string; departmentId?: string; systemId?: string; units?: number; decidedAt?: string; finishedAt?: string;
    error?: string; resources?: unknown[]; change?: unknown; kind?: 'new' | 'change'; workflow?: boolean; reservationId?: string;
    steps?: { status: string; dueAt?: string | null; approvers?: string[] }[];
  }): Promise<string> {
    const [{ id }] = await deps.store.query<{ id: string }>(
      `INSERT INTO resource_requests (id, department_id, system_id, requester_id, title, reason, placement_mode, cloud_id, items, units, status, quota_increase,
         policy_results, placement, quota_check, current_step, reservation_id, submitted_at, decided_at, finished_at, error, resources, kind, change, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, '业务高峰 “quoted” \\ back', 'auto', 'nanchang', '[{"resourceClass":"vcpu","amount":4},{"resourceClass":"memoryGiB","amount":8}]',
         $5, $6, $7, '[{"policyId":"mlps","outcome":"pass"}]', '{"chosen":"nanchang","candidates":[]}', '{"ok":true}', $8, $9, $10, $11, $12, $13, $14, $15, $16,
         timestamptz '2026-12-07 09:00:00.999999+00')
       RETURNING id`,
      [v.departmentId ?? dept, v.systemId ?? systemId, requester, v.title, v.units ?? 6, v.status, v.status === 'pending' && v.title.includes('quota'),
        Math.max(0, (v.steps ?? []).findIndex((s) => s.status === 'active')), v.reservationId ?? null, v.submittedAt, v.decidedAt ?? null, v.finishedAt ?? null,
        v.error ?? null, JSON.stringify(v.resources ?? []), v.kind ?? 'new', v.change === undefined ? null : JSON.stringify(v.change)],
    );
    for (const [idx, s] of (v.steps ?? []).entries()) {
      await deps.store.query(
        `INSERT INTO request_approval_steps (request_id, idx, name, mode, approver_ids, status, sla_hours, started_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, 8, $7, $8)`,
        [id, idx, `第${idx + 1}步 step`, idx % 2 ? 'countersign' : 'or-sign', s.approvers ?? [approver], s.status, s.status === 'waiting' ? null : '2026-12-07 02:00:00.5+00', s.dueAt ?? null],
      );
    }
    return id!;
  }

  beforeEach(async () => {
    deps = await freshDeps();
    dept = (await seedDepartment(deps, '南昌市数据局')).id;
    otherDept = (await seedDepartment(deps, '九江市数据局')).id;
    await seedCloudRow(deps.store, 'nanchang');
    systemId = await seedSystem(deps.store, dept, '社保查询系统');
    otherSystemId = await seedSystem(deps.store, otherDept, '别的系统');
    requester = (await seedUser(deps, 'requester', ['department-user'], dept)).id;
    approver = (await seedUser(deps, 'approver', ['department-admin'], dept)).id;
    const planned = [
      { id: '0194a5d2-8c1e-7000-8000-0000000000a1', kind: 'segment', name: 'net', cloudName: 'net-0194a5d2', item: { kind: 'segment', name: 'net', ipv4PrefixLength: 26 }, quota: { vcpu: 0 } },
      { id: '0194a5d2-8c1e-7000-8000-0000000000a2', kind: 'host', name: 'web-1', cloudName: 'web-1-0194a5d2', item: { kind: 'host', name: 'web-1', flavour: 'c4m8' }, quota: { vcpu: 4 }, segment: { id: '0194a5d2-8c1e-7000-8000-0000000000a1', planned: true } },
    ];
    const due = (iso: string) => iso;
    // Every status, and the step arrangements summaryOf reads: none, the first or a later step active, due in the
    // future, past, unset, within a millisecond of NOW on either side (microseconds a Date does not keep), two active steps.
    await insertRequest({ title: 'pending first step', status: 'pending', submittedAt: '2026-12-07 09:59:00.000001+00', steps: [{ status: 'active', dueAt: due('2026-12-07 18:00:00+00') }, { status: 'waiting' }] });
    await insertRequest({ title: 'pending second step overdue', status: 'pending', submittedAt: '2026-12-07 09:58:00.999999+00', steps: [{ status: 'approved', dueAt: '2026-12-07 03:00:00+00' }, { status: 'active', dueAt: '2026-12-07 09:00:00.000001+00' }] });
    await insertRequest({ title: 'pending no due', status: 'pending', submittedAt: '2026-12-07 09:57:00.4995+00', steps: [{ status: 'active', dueAt: null }] });
    await insertRequest({ title: 'pending due a fraction before now', status: 'pending', submittedAt: '2026-12-07 09:56:00.0005+00', steps: [{ status: 'active', dueAt: '2026-12-07 10:00:00.1229+00' }] });
    await insertRequest({ title: 'pending due within now’s millisecond', status: 'pending', submittedAt: '2026-12-07 09:55:00+00', steps: [{ status: 'active', dueAt: '2026-12-07 10:00:00.1236+00' }] });
    await insertRequest({ title: 'pending due exactly now', status: 'pending', submittedAt: '2026-12-07 09:54:00+00', steps: [{ status: 'active', dueAt: '2026-12-07 10:00:00.123+00' }] });
    await insertRequest({ title: 'pending two active, the later overdue', status: 'pending', submittedAt: '2026-12-07 09:53:00+00', steps: [{ status: 'active', dueAt: '2026-12-08 10:00:00+00' }, { status: 'active', dueAt: '2026-12-06 10:00:00+00' }] });
    await insertRequest({ title: 'pending quota with resources', status: 'pending', submittedAt: '2026-12-07 09:52:00+00', units: 2.5, resources: planned, steps: [{ status: 'active', dueAt: '2026-12-07 11:00:00+00' }] });
    await insertRequest({ title: 'approved', status: 'approved', submittedAt: '2026-12-07 09:51:00+00', decidedAt: '2026-12-07 09:59:59.9999+00', reservationId: 'res-1', steps: [{ status: 'approved', dueAt: '2026-12-07 01:00:00+00' }, { status: 'approved', dueAt: '2026-12-07 01:00:00+00' }] });
    await insertRequest({ title: 'provisioning', status: 'provisioning', submittedAt: '2026-12-07 09:50:00+00', decidedAt: '2026-12-07 09:55:00+00', resources: planned, steps: [{ status: 'approved' }] });
    await insertRequest({ title: 'provisioned', status: 'provisioned', submittedAt: '2026-12-07 09:49:00+00', decidedAt: '2026-12-07 09:50:00+00', finishedAt: '2026-12-07 09:51:00.000999+00', steps: [{ status: 'approved' }] });
    await insertRequest({ title: 'rejected', status: 'rejected', submittedAt: '2026-12-07 09:48:00+00', decidedAt: '2026-12-07 09:49:00+00', steps: [{ status: 'rejected', dueAt: '2026-12-06 00:00:00+00' }, { status: 'skipped' }] });
    await insertRequest({ title: 'cancelled', status: 'cancelled', submittedAt: '2026-12-07 09:47:00+00', finishedAt: '2026-12-07 09:48:00+00', steps: [{ status: 'skipped', dueAt: '2026-12-06 00:00:00+00' }] });
    await insertRequest({ title: 'failed change', status: 'failed', submittedAt: '2026-12-07 09:46:00+00', error: 'the cloud said “no”', kind: 'change',
      change: { resourceId: '0194a5d2-8c1e-7000-8000-0000000000a2', action: 'release', before: { spec: {}, quota: {} }, after: null }, finishedAt: '2026-12-07 09:47:00+00' });
    await insertRequest({ title: 'no steps', status: 'approved', submittedAt: '2026-12-07 09:45:00+00', decidedAt: '2026-12-07 09:45:00+00' });
    await insertRequest({ title: 'other department', status: 'pending', submittedAt: '2026-12-07 09:44:00+00', departmentId: otherDept, systemId: otherSystemId, steps: [{ status: 'active', dueAt: '2026-12-07 09:00:00+00' }] });
  });

  it('says of every request what summaryOf said of it, at the same moment', async () => {
    const rows = await requestsRepo.list(deps.store, { departmentIds: null });
    expect(rows.length).toBe(16);
    for (const now of [NOW, new Date('2026-12-07T10:00:00.124Z'), new Date('2026-12-09T00:00:00.000Z'), new Date('2026-12-01T00:00:00.000Z')]) {
      const page = await requestsRepo.listPage(deps.store, { departmentIds: null }, { limit: 50 }, now);
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((r) => r.id)).withContext('order').toEqual(rows.map((r) => r.id));
      for (const [i, r] of rows.entries()) expect(page.items[i]).withContext(`${r.title} at ${now.toISOString()}`).toEqual(await expected(r, now));
    }
    // Not vacuous: the arrangements above give both answers, and the microsecond edges land where a Date puts them.
    const byTitle = new Map((await requestsRepo.listPage(deps.store, { departmentIds: null }, { limit: 50 }, NOW)).items.map((r) => [r.title, r]));
    const flags = (t: string) => [byTitle.get(t)!.activeStep?.name ?? null, byTitle.get(t)!.overdue];
    expect(flags('pending first step')).toEqual(['第1步 step', false]);
    expect(flags('pending second step overdue')).toEqual(['第2步 step', true]);
    expect(flags('pending no due')).toEqual(['第1步 step', false]);
    expect(flags('pending due a fraction before now')).toEqual(['第1步 step', true]);
    expect(flags('pending due within now’s millisecond')).toEqual(['第1步 step', false]);
    expect(flags('pending two active, the later overdue')).toEqual(['第1步 step', true]);
    expect(flags('rejected')).toEqual([null, false]);
    expect(byTitle.get('pending second step overdue')!.submittedAt).toBe('2026-12-07T09:58:00.999Z');
    expect(byTitle.get('pending quota with resources')!.resources).toEqual([
      { id: '0194a5d2-8c1e-7000-8000-0000000000a1', kind: 'segment', name: 'net' }, { id: '0194a5d2-8c1e-7000-8000-0000000000a2', kind: 'host', name: 'web-1' }]);
    expect(byTitle.get('pending quota with resources')!.units).toBe(2.5);
    expect(Object.keys(byTitle.get('approved')!)).not.toContain('policyResults');
  });

  it('pages, filters and scopes as the old page did', async () => {
    const all = await requestsRepo.list(deps.store, { departmentIds: [dept] });
    expect(all.length).toBe(15);
    for (const limit of [1, 4, 50]) {
      const { seen } = await walkPages((c) => requestsRepo.listPage(deps.store, { departmentIds: [dept] }, { limit, ...at(c) }, NOW), (r) => r.id);
      expect(seen).withContext(`limit ${limit}`).toEqual(all.map((r) => r.id));
    }
    const pending = await requestsRepo.listPage(deps.store, { departmentIds: [dept], status: 'pending' }, { limit: 50 }, NOW);
    expect(pending.items.map((r) => r.id)).toEqual((await requestsRepo.list(deps.store, { departmentIds: [dept], status: 'pending' })).map((r) => r.id));
    const queue = await requestsRepo.listPage(deps.store, { departmentIds: null, approverId: approver }, { limit: 50 }, NOW);
    expect(queue.items.map((r) => r.id)).toEqual((await requestsRepo.list(deps.store, { departmentIds: null, approverId: approver })).map((r) => r.id));
    expect(queue.items.length).toBe(9);

    // Through the API: a department user sees only their department's requests, the approver their queue.
    const user = await callerAs(deps, requester);
    const listed = (await user.requests.list({ limit: 50 })).items;
    expect(listed.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(listed.every((r) => r.departmentId === dept)).toBeTrue();
    expect((await user.requests.list({ systemId: otherSystemId })).items).toEqual([]);
    const outsider = await callerAs(deps, (await seedUser(deps, 'outsider', ['department-user'], otherDept)).id);
    expect((await outsider.requests.list({})).items.map((r) => r.title)).toEqual(['other department']);
    expect((await (await callerAs(deps, approver)).requests.queue()).items.map((r) => r.id)).toEqual(queue.items.map((r) => r.id));
  });
});
