import type { KeyObservation } from '@ganyun/providers';
import { inventoryRepo } from '../federation/inventory-repo.ts';
import { onboardingWorld, reservationState, systemInput, type World } from '../testing/onboarding-fixtures.ts';
import { workflowsRepo } from './workflows-repo.ts';
import type { StepSpec } from './dag.ts';

/**
 * Issue 17.1: a call whose answer is lost (the simulated cloud applies it, the answer never arrives) is an
 * unknown outcome, settled by asking the cloud what exists under the step's idempotency key. The cases where
 * the provider "cannot tell" replace the simulated cloud's observe-by-key with one that always answers
 * cannot-tell (as a cluster does for an update it no longer remembers): a test double for that one method.
 */
describe('unknown outcomes of cloud calls (in-process simulated clouds)', () => {
  let w: World;
  beforeEach(async () => (w = await onboardingWorld()));
  afterEach(async () => w.stop());

  const sim = () => w.deps.federation.simulated('nanchang')!;
  const spaces = (name: string) => sim().cloud.listInventory({ pageSize: 1000 }).items.filter((i) => i.type === 'tenant-space' && i.key.endsWith(name)).length;
  const cannotTell = () => {
    sim().observeByKey = async (): Promise<KeyObservation> => ({ status: 'cannot-tell', reason: 'test double: this provider keeps no call log' });
  };
  const stepStatuses = async (id: string) => Object.fromEntries((await workflowsRepo.steps(w.deps.store, id)).map((s) => [s.key, s.status]));
  const onboard = async () => {
    const s = await w.as.user.systems.create(systemInput());
    const { workflowId } = await w.as.user.onboarding.start({ systemId: s.id, cloudId: 'nanchang', limits: [{ resourceClass: 'vcpu', limit: 8 }] });
    return { systemId: s.id, workflowId, name: `sys-${s.id}` };
  };

  it('onboarding, every answer lost: the cloud says by key that the space was made; done once, one tenant space', async () => {
    await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createTenantSpace', 'deleteTenantSpace'] });
    const o = await onboard();
    const done = await w.settled(o.workflowId, 60_000);
    expect(done.status).toBe('succeeded');
    expect(spaces(o.name)).toBe(1);
    expect(sim().effectsByIdempotencyKey(`${o.workflowId}/tenant-space`)).toBe(1);
    const kinds = (await workflowsRepo.eventsAfter(w.deps.store, o.workflowId, 0)).filter((e) => e.stepKey === 'tenant-space').map((e) => e.kind);
    expect(kinds).toContain('step.outcome-unknown');
    expect(kinds).toContain('step.observed');
    expect((await w.as.user.systems.get({ id: o.systemId })).status).toBe('on-cloud');
  });

  it('onboarding, half the answers lost: exactly one tenant space', async () => {
    await w.deps.federation.setFaults('nanchang', { lostResponseRate: 0.5, ops: ['createTenantSpace', 'deleteTenantSpace'] });
    const o = await onboard();
    expect((await w.settled(o.workflowId, 60_000)).status).toBe('succeeded');
    expect(spaces(o.name)).toBe(1);
    expect(sim().effectsByIdempotencyKey(`${o.workflowId}/tenant-space`)).toBe(1);
  });

  it('onboarding, creates lost and the provider cannot tell: the step may be done, the unwind removes the space', async () => {
    cannotTell();
    await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createTenantSpace'] });
    const o = await onboard();
    const end = await w.settled(o.workflowId, 60_000);
    expect(end.status).toBe('failed');
    expect(end.error).toContain('outcome unknown');
    expect(await stepStatuses(o.workflowId)).toEqual(jasmine.objectContaining({ 'tenant-space': 'compensated', place: 'compensated', admit: 'compensated' }));
    expect(spaces(o.name)).toBe(0);
    const got = await w.as.user.systems.get({ id: o.systemId });
    expect([got.status, got.cloudId]).toEqual(['registered', null]);
  });

  it('onboarding, every answer lost and the provider cannot tell: needs-attention naming the space, listed as orphaned', async () => {
    cannotTell();
    await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createTenantSpace', 'deleteTenantSpace'] });
    const o = await onboard();
    const end = await w.settled(o.workflowId, 90_000);
    expect(end.status).toBe('needs-attention');
    expect(end.error).toContain(`tenant-space ${o.name} on nanchang`);
    const steps = await workflowsRepo.steps(w.deps.store, o.workflowId);
    const ts = steps.find((s) => s.key === 'tenant-space')!;
    expect([ts.status, ts.attention, ts.outcomeUnknown]).toEqual(['needs-attention', `tenant-space ${o.name} on nanchang`, true]);
    // The other steps are undone all the same: the system is registered again.
    expect((await w.as.user.systems.get({ id: o.systemId })).status).toBe('registered');
    const orphans = await inventoryRepo.orphans(w.deps.store, 'nanchang');
    expect(orphans.map((x) => x.name)).toEqual([o.name]);
    expect(orphans[0]!.orphanedBy).toContain(o.workflowId);
    const listed = await w.as.operator.clouds.inventory({ id: 'nanchang', orphaned: true });
    expect(listed.items.map((x) => x.name)).toEqual([o.name]);
  });

  describe('requests', () => {
    let systemId: string;
    const small = [{ resourceClass: 'vcpu' as const, amount: 4 }];
    beforeEach(async () => {
      const o = await onboard();
      systemId = o.systemId;
      expect((await w.settled(o.workflowId)).status).toBe('succeeded');
    });
    const provision = async () => {
      const r = await w.as.user.requests.submit({ systemId, title: '扩容', items: small });
      await w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
      const approved = await w.as.operator.requests.approve({ id: r.id, reason: '同意' });
      return { r, workflowId: approved.workflowId! };
    };
    const quotaOnCloud = () => sim().cloud.observeTenantSpace({ name: `sys-${systemId}`, quota: { vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 } }).observed!.spec.quota.vcpu;

    it('every answer lost: settled by key, provisioned once', async () => {
      await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['updateTenantSpace', 'createTenantSpace', 'deleteTenantSpace'] });
      const { r, workflowId } = await provision();
      expect((await w.settled(workflowId, 60_000)).status).toBe('succeeded');
      expect([(await w.as.user.requests.get({ id: r.id })).status, await reservationState(w, r.reservationId)]).toEqual(['provisioned', 'committed']);
      const kinds = (await workflowsRepo.eventsAfter(w.deps.store, workflowId, 0)).filter((e) => e.stepKey === 'apply').map((e) => e.kind);
      expect(kinds).toContain('step.outcome-unknown');
      expect(sim().effectsByIdempotencyKey(`${workflowId}/apply`)).toBeLessThanOrEqual(1);
      expect(spaces(`sys-${systemId}`)).toBe(1);
    });

    it('every answer lost and the provider cannot tell: the resize is undone, the hold released', async () => {
      const before = quotaOnCloud();
      cannotTell();
      await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['updateTenantSpace'] });
      const { r, workflowId } = await provision();
      const end = await w.settled(workflowId, 90_000);
      // The undo (an update back) is lost too and cannot be told: needs attention, the space named.
      expect(end.status).toBe('needs-attention');
      expect(end.error).toContain(`tenant-space sys-${systemId} on nanchang`);
      expect(await reservationState(w, r.reservationId)).toBe('released');
      expect(quotaOnCloud()).toBe(before);
      expect((await inventoryRepo.orphans(w.deps.store, 'nanchang')).map((x) => x.name)).toEqual([`sys-${systemId}`]);
    });
  });

  describe('resources', () => {
    const tenant = 'res-tenant';
    const startCreate = async (failAfter: boolean) => {
      await sim().createTenantSpace({ name: tenant, quota: { vcpu: 64, memoryGiB: 256, storageGiB: 1000, gpu: 0 } }, { idempotencyKey: 'seed-tenant' });
      if (!w.deps.actions.has('test.fail')) w.deps.actions.register('test.fail', { run: async () => { throw new Error('a later step fails'); } });
      const spec = { tenant, kind: 'vm' as const, name: 'app-01', arch: 'x86_64' as const, image: 'kylin-v10-sp3', size: { vcpu: 2, memoryGiB: 4, storageGiB: 40 } };
      const steps: StepSpec[] = [{ key: 'vm', action: 'cloud.createResource', dependsOn: [], params: { cloudId: 'nanchang', spec } }];
      if (failAfter) steps.push({ key: 'after', action: 'test.fail', dependsOn: ['vm'], params: {} });
      const id = await w.deps.store.transaction((tx) => w.deps.engine.start(tx, { kind: 'test', title: 'create a vm', input: {}, departmentId: null, createdBy: 'spec', steps }));
      w.runner.wake();
      return id;
    };
    // A vm being deleted is gone for this purpose (the simulated cloud takes a moment to remove it).
    const vms = () => sim().cloud.listInventory({ pageSize: 1000 }).items.filter((i) => i.type === 'resource' && i.key.includes('app-01') && i.resource.state !== 'deleting').length;

    it('every answer lost: settled by key, one vm', async () => {
      await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createResource', 'deleteResource'] });
      const id = await startCreate(false);
      expect((await w.settled(id, 60_000)).status).toBe('succeeded');
      expect(vms()).toBe(1);
      expect(sim().effectsByIdempotencyKey(`${id}/vm`)).toBe(1);
    });

    it('every answer lost and a later step fails: the unwind deletes the vm (its delete settled by key too); nothing left', async () => {
      await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createResource', 'deleteResource'] });
      const id = await startCreate(true);
      expect((await w.settled(id, 60_000)).status).toBe('failed');
      expect(await stepStatuses(id)).toEqual({ vm: 'compensated', after: 'failed' });
      expect(vms()).toBe(0);
    });

    it('creates lost and the provider cannot tell: compensated from its params, nothing left', async () => {
      cannotTell();
      await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createResource'] });
      const id = await startCreate(false);
      expect((await w.settled(id, 60_000)).status).toBe('failed');
      expect(await stepStatuses(id)).toEqual({ vm: 'compensated' });
      expect(vms()).toBe(0);
    });
  });
});
