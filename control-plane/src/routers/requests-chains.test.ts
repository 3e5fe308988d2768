import { requestState, reservationState, systemInput, worldWithSystem } from '../testing/onboarding-fixtures.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { auditTrail, errorOf } from '../testing/harness.ts';
import { forEachSpec } from '../testing/each-spec.ts';

const small = [{ resourceClass: 'vcpu' as const, amount: 4 }];

describe('approval chains (in-process simulated clouds)', () => {
  const spec = forEachSpec(() => worldWithSystem({ pools: [], limits: [{ resourceClass: 'vcpu', limit: 400 }, { resourceClass: 'memoryGiB', limit: 800 }] }), ({ w }) => w.stop());

  it('runs sequential steps (single, then 或签) and treats any second decision by the same person as a conflict', async () => {
    await spec.w.as.deptAdmin.requests.saveChain({
      departmentId: spec.w.dept.id, name: '处长后运维', minUnits: 0,
      steps: [
        { name: '处长审批', mode: 'single', approvers: { users: [spec.w.ids.deptAdmin] }, slaHours: 4 },
        { name: '运维或签', mode: 'or-sign', approvers: { users: [spec.w.ids.operator, spec.w.ids.admin] }, slaHours: 8 },
      ],
    });
    const r = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '顺序审批', items: small });
    expect((await spec.w.as.admin.requests.queue()).items).toEqual([]); // not its turn yet
    await spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
    let before = await requestState(spec.w);
    const again = await errorOf(() => spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '再批' }));
    expect([again.code, again.message]).toEqual(['CONFLICT', 'you have already decided an earlier step of this request; “运维或签” waits for others']);
    expect(await requestState(spec.w)).toEqual(before);
    await spec.w.as.admin.requests.approve({ id: r.id, reason: '同意' });
    // The approval starts provisioning, whose workflow records the request's events: let it end before the
    // snapshot, or an event it writes meanwhile looks like a change made by the refused calls.
    await spec.w.settled((await spec.w.as.user.requests.get({ id: r.id })).workflowId!);
    before = await requestState(spec.w);
    const late = await errorOf(() => spec.w.as.admin.requests.reject({ id: r.id, reason: '反悔' }));
    expect(late.code).toBe('CONFLICT');
    expect(late.message).toBe('you have already decided this request; it is now provisioned');
    expect((await errorOf(() => spec.w.as.operator.requests.approve({ id: r.id, reason: '也同意' }))).code).toBe('CONFLICT');
    expect(await requestState(spec.w)).toEqual(before);
    const got = await spec.w.as.user.requests.get({ id: r.id });
    expect(got.steps.map((s) => `${s.mode}:${s.status}:${s.decisions.length}`)).toEqual(['single:approved:1', 'or-sign:approved:1']);
    expect(got.steps.every((s) => s.dueAt !== null)).toBeTrue();
  });

  it('answers a late 或签 approver with 409 (the step is already decided), a stranger with 403 (issue 17.4)', async () => {
    await spec.w.as.deptAdmin.requests.saveChain({
      departmentId: spec.w.dept.id, name: '处长或签后运维', minUnits: 0,
      steps: [
        { name: '处长或签', mode: 'or-sign', approvers: { users: [spec.w.ids.deptAdmin, spec.w.ids.deptAdmin2] }, slaHours: 4 },
        { name: '运维审批', mode: 'single', approvers: { users: [spec.w.ids.operator] }, slaHours: 8 },
      ],
    });
    const r = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '或签迟到', items: small });
    await spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
    const before = await requestState(spec.w);
    const late = await errorOf(() => spec.w.as.deptAdmin2.requests.approve({ id: r.id, reason: '我也同意' }));
    expect([late.code, late.status, late.reason.code, late.reason.params]).toEqual(['CONFLICT', 409, 'approval.alreadyDecided', { step: '处长或签' }]);
    const stranger = await errorOf(() => spec.w.as.admin.requests.approve({ id: r.id, reason: '越权' }));
    expect([stranger.code, stranger.status, stranger.reason.code, stranger.reason.params]).toEqual(['FORBIDDEN', 403, 'approval.notApprover', { step: '运维审批' }]);
    expect(await requestState(spec.w)).toEqual(before);
  });

  it('chooses the chain by department and size', async () => {
    await spec.w.as.admin.requests.saveChain({ departmentId: null, name: '通用', minUnits: 0, steps: [{ name: '运维', mode: 'or-sign', approvers: { role: 'cloud-operator' }, slaHours: 24 }] });
    await spec.w.as.admin.requests.saveChain({
      departmentId: spec.w.dept.id, name: '大额', minUnits: 50,
      steps: [
        { name: '部门会签', mode: 'countersign', approvers: { role: 'department-admin' }, slaHours: 24 },
        { name: '运维', mode: 'or-sign', approvers: { role: 'cloud-operator' }, slaHours: 24 },
      ],
    });
    const small1 = await spec.w.as.user.requests.preview({ systemId: spec.systemId, items: small });
    const big = await spec.w.as.user.requests.preview({ systemId: spec.systemId, items: [{ resourceClass: 'vcpu', amount: 64 }] });
    expect([small1.chain.name, big.chain.name]).toEqual(['通用', '大额']);
    const r = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '大额申请', items: [{ resourceClass: 'vcpu', amount: 64 }] });
    const got = await spec.w.as.user.requests.get({ id: r.id });
    expect(got.steps.map((s) => `${s.name}:${s.approverIds.length}`)).toEqual(['部门会签:2', '运维:1']);
  });

  it('lists the general chains and the caller’s department’s, never another department’s (issue 19.5)', async () => {
    const step = [{ name: '运维', mode: 'or-sign' as const, approvers: { role: 'cloud-operator' as const }, slaHours: 24 }];
    await spec.w.as.admin.requests.saveChain({ departmentId: null, name: '通用', minUnits: 0, steps: step });
    await spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: '本部门', minUnits: 10, steps: step });
    await spec.w.as.admin.requests.saveChain({ departmentId: spec.w.other.id, name: '别的部门', minUnits: 10, steps: step });
    expect((await spec.w.as.user.requests.chains()).items.map((c) => c.name)).toEqual(['通用', '本部门']);
    expect((await spec.w.as.admin.requests.chains()).items.map((c) => c.name).sort()).toEqual(['别的部门', '本部门', '通用'].sort());
  });

  it('refuses bad chains and a chain outside one’s department, changing nothing', async () => {
    const before = await requestState(spec.w);
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: 'x', minUnits: 0, steps: [{ name: 's', mode: 'single', approvers: { users: [spec.w.ids.deptAdmin, spec.w.ids.deptAdmin2] }, slaHours: 4 }] }), 'BAD_REQUEST', 'steps.0.approvers'],
      [() => spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: 'x', minUnits: 0, steps: [{ name: 's', mode: 'or-sign', approvers: { users: ['00000000-0000-4000-8000-000000000001'] }, slaHours: 4 }] }), 'BAD_REQUEST', 'steps'],
      [() => spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: 'x', minUnits: -1, steps: [{ name: 's', mode: 'or-sign', approvers: { role: 'admin' }, slaHours: 4 }] }), 'BAD_REQUEST', 'minUnits'],
      [() => spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: 'x', minUnits: 0, steps: [] }), 'BAD_REQUEST', 'steps'],
      [() => spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: 'x', minUnits: 0, steps: [{ name: 's', mode: 'or-sign', approvers: { role: 'admin' }, slaHours: 0 }] }), 'BAD_REQUEST', 'steps.0.slaHours'],
      [() => spec.w.as.deptAdmin.requests.saveChain({ departmentId: null, name: 'x', minUnits: 0, steps: [{ name: 's', mode: 'or-sign', approvers: { role: 'admin' }, slaHours: 4 }] }), 'FORBIDDEN', ''],
      [() => spec.w.as.deptAdmin.requests.saveChain({ departmentId: spec.w.other.id, name: 'x', minUnits: 0, steps: [{ name: 's', mode: 'or-sign', approvers: { role: 'admin' }, slaHours: 4 }] }), 'FORBIDDEN', ''],
      [() => spec.w.as.user.requests.saveChain({ departmentId: spec.w.dept.id, name: 'x', minUnits: 0, steps: [{ name: 's', mode: 'or-sign', approvers: { role: 'admin' }, slaHours: 4 }] }), 'FORBIDDEN', ''],
    ];
    for (const [attempt, code, field] of cases) {
      const error = await errorOf(attempt);
      expect(error.code).withContext(error.message).toBe(code);
      if (field) expect(Object.keys(error.fieldErrors ?? {})).withContext(error.message).toContain(field);
    }
    expect(await requestState(spec.w)).toEqual(before);
  });

  it('refuses a submit whose chain has nobody but the requester, changing nothing', async () => {
    await spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: '只有自己', minUnits: 0, steps: [{ name: '自审', mode: 'single', approvers: { users: [spec.w.ids.user] }, slaHours: 4 }] });
    const before = await requestState(spec.w);
    const error = await errorOf(() => spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '无人审批', items: small }));
    expect([error.code, error.message]).toEqual(['BAD_REQUEST', 'approval step “自审” has nobody to approve it other than the requester']);
    expect(await requestState(spec.w)).toEqual(before);
  });

  it('cancels a request during provisioning: the workflow unwinds and the hold is released', async () => {
    const r = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '开通中撤回', items: small });
    await spec.w.deps.federation.setFaults('nanchang', { latencyMs: 1500, ops: ['updateTenantSpace'] });
    await spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
    const approved = await spec.w.as.operator.requests.approve({ id: r.id, reason: '同意' });
    const deadline = Date.now() + 10_000;
    while ((await workflowsRepo.steps(spec.w.deps.store, approved.workflowId!)).find((s) => s.key === 'apply')!.status !== 'running') {
      if (Date.now() > deadline) throw new Error('the cloud step never started');
      await new Promise((res) => setTimeout(res, 10));
    }
    const cancelled = await spec.w.as.user.requests.cancel({ id: r.id, reason: '不需要了' });
    expect(cancelled.status).toBe('provisioning'); // unwinding has begun; it ends cancelled
    expect((await spec.w.settled(approved.workflowId!)).status).toBe('cancelled');
    const done = await spec.w.as.user.requests.get({ id: r.id });
    expect([done.status, await reservationState(spec.w, r.reservationId)]).toEqual(['cancelled', 'released']);
    expect(done.events.map((e) => e.kind)).toEqual(jasmine.arrayContaining(['cancel-requested', 'cancelled']));
    expect((await auditTrail(spec.w.deps)).map((a) => a.procedure)).toContain('requests.cancel');
  });

  it('makes the first request of a system without a quota a quota-increase request; approval sets the quota and provisions', async () => {
    const fresh = (await spec.w.as.user.systems.create(systemInput({ name: '未接入系统' }))).id;
    const r = await spec.w.as.user.requests.submit({ systemId: fresh, title: '首次申请', items: [{ resourceClass: 'vcpu', amount: 2 }] });
    expect([r.quotaIncrease, r.reservationId, r.cloudId]).toEqual([true, null, 'nanchang']);
    await spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
    const approved = await spec.w.as.operator.requests.approve({ id: r.id, reason: '同意' });
    expect((await spec.w.settled(approved.workflowId!)).status).toBe('succeeded');
    const done = await spec.w.as.user.requests.get({ id: r.id });
    expect([done.status, await reservationState(spec.w, done.reservationId)]).toEqual(['provisioned', 'committed']);
    const space = spec.w.deps.federation.simulated('nanchang')!.cloud.observeTenantSpace({ name: `sys-${fresh}`, quota: { vcpu: 2, memoryGiB: 0, storageGiB: 0, gpu: 0 } });
    expect([space.exists, space.observed?.spec.quota.vcpu]).toEqual([true, 2]);
  });

  it('renews a hold that lapsed while the request waited for approval', async () => {
    const r = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '久等的申请', items: small });
    expect(await spec.w.deps.quotaRuntime.reaper.tick(new Date(Date.now() + 31 * 24 * 3600_000))).toBe(1);
    expect(await reservationState(spec.w, r.reservationId)).toBe('expired');
    await spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
    const approved = await spec.w.as.operator.requests.approve({ id: r.id, reason: '同意' });
    expect((await spec.w.settled(approved.workflowId!)).status).toBe('succeeded');
    const done = await spec.w.as.user.requests.get({ id: r.id });
    expect(done.reservationId).not.toBe(r.reservationId);
    expect([done.status, await reservationState(spec.w, done.reservationId), await reservationState(spec.w, r.reservationId)]).toEqual(['provisioned', 'committed', 'expired']);
    expect(done.events.map((e) => e.kind)).toContain('quota.renewed');
  });

  it('rejects a request whose hold already lapsed (nothing left to release)', async () => {
    const r = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '过期后驳回', items: small });
    await spec.w.deps.quotaRuntime.reaper.tick(new Date(Date.now() + 31 * 24 * 3600_000));
    const rejected = await spec.w.as.deptAdmin.requests.reject({ id: r.id, reason: '不需要' });
    expect([rejected.status, await reservationState(spec.w, r.reservationId)]).toEqual(['rejected', 'expired']);
  });

  it('serialises concurrent decisions: both 会签 approvals at once start one workflow; the same person twice at once is one decision', async () => {
    await spec.w.as.admin.requests.saveChain({ departmentId: spec.w.dept.id, name: '会签', minUnits: 0, steps: [{ name: '会签', mode: 'countersign', approvers: { role: 'department-admin' }, slaHours: 8 }] });
    const r = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '并发会签', items: small });
    const same = await Promise.allSettled([spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' }), spec.w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' })]);
    expect(same.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((same.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason.code).toBe('CONFLICT');
    expect((await spec.w.as.user.requests.get({ id: r.id })).status).toBe('pending');
    const r2 = await spec.w.as.user.requests.submit({ systemId: spec.systemId, title: '并发会签二', items: small });
    await Promise.all([spec.w.as.deptAdmin.requests.approve({ id: r2.id, reason: '同意' }), spec.w.as.deptAdmin2.requests.approve({ id: r2.id, reason: '同意' })]);
    const got = await spec.w.as.user.requests.get({ id: r2.id });
    expect(got.status).toBe('provisioning');
    const [{ n }] = await spec.w.deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflows WHERE input->>'requestId' = $1`, [r2.id]);
    expect(n).toBe(1);
    await spec.w.settled(got.workflowId!);
  });
});
