import type { KeyObservation } from '@ganyun/providers';
import { inventoryRepo } from '../federation/inventory-repo.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';
import { hosts, onboardingLimits, reservationState, segment, volume, worldWithSystem, type World } from '../testing/onboarding-fixtures.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';

const LIMITS = onboardingLimits();

/**
 * Issue 16 on the unknown-outcome engine (issue 17.1): the simulated cloud applies a create and loses its answer
 * (`lostResponseRate`); the create step asks the cloud by key and is done once. When the provider cannot tell
 * (a test double for its observe-by-key, as in engine/unknown-outcome.test.ts) the step may be done: the unwind
 * deletes by name, and when the deletes cannot be settled either, the objects are named and listed as orphaned.
 */
describe('provisioning resources when the cloud’s answers are lost (in-process simulated clouds)', () => {
  let w: World;
  let systemId: string;
  const sim = () => w.deps.federation.simulated('nanchang')!;
  const live = () => sim().cloud.listInventory({ pageSize: 5000 }).items
    .flatMap((it) => (it.type === 'resource' && it.resource.spec.tenant === tenantNameOf(systemId) && it.resource.state !== 'deleting' ? [`${it.resource.spec.kind}:${it.resource.spec.displayName}`] : [])).sort();
  const ipam = async () => (await w.deps.store.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM ipam_addresses) + (SELECT count(*) FROM ipam_prefixes WHERE kind = 'assigned'))::int AS n`))[0]!.n;
  const provision = async () => {
    const r = await w.as.user.requests.submit({ systemId, title: '主机', cloudId: 'nanchang', resources: [segment, hosts, volume] });
    await w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
    const approved = await w.as.operator.requests.approve({ id: r.id, reason: '同意' });
    return { request: r, workflow: await w.settled(approved.workflowId!, 90_000) };
  };
  const cannotTell = () => {
    sim().observeByKey = async (): Promise<KeyObservation> => ({ status: 'cannot-tell', reason: 'test double: this provider keeps no call log' });
  };

  beforeEach(async () => {
    // Every lost answer is a timeout, and five in a row open a cloud's circuit breaker (its own specs cover that):
    // raised here, so that these specs are about settling each call by key, not about waiting out an open circuit.
    ({ w, systemId } = await worldWithSystem({ world: { federation: { resilience: { breakerThreshold: 1000 } } }, pools: ['nanchang'], cloudId: 'nanchang', limits: LIMITS }));
  }, 60_000);
  afterEach(async () => w.stop());

  for (const rate of [1, 0.5]) {
    it(`${rate === 1 ? 'every' : 'half the'} create answer${rate === 1 ? '' : 's'} lost: settled by key, exactly one object per item, each made once`, async () => {
      await w.deps.federation.setFaults('nanchang', { lostResponseRate: rate, ops: ['createResource', 'updateTenantSpace'] });
      const { request, workflow } = await provision();
      expect(workflow.status).toBe('succeeded');
      expect(live()).toEqual(['network-segment:app', 'network-segment:app', 'vm:web-1', 'vm:web-2', 'volume:data']);
      const steps = await workflowsRepo.steps(w.deps.store, workflow.id);
      const rows = await w.deps.store.query<{ kind: string; name: string; cloudName: string; state: string; zone: string | null }>(
        'SELECT kind, name, cloud_name AS "cloudName", state, zone FROM resources WHERE request_id = $1', [request.id]);
      expect(rows.every((r) => r.state === 'active' && r.zone !== null)).toBeTrue();
      for (const r of rows) {
        const names = r.kind === 'segment' ? [r.cloudName, `${r.cloudName}-v6`] : [r.cloudName];
        for (const n of names) expect(sim().effectsByIdempotencyKey(`${workflow.id}/${r.kind}:${r.name}:${n}`)).withContext(n).toBe(1);
      }
      if (rate === 1) {
        const kinds = (await workflowsRepo.eventsAfter(w.deps.store, workflow.id, 0)).filter((e) => e.stepKey === 'host:web-1').map((e) => e.kind);
        expect(kinds).toContain('step.outcome-unknown');
        expect(kinds).toContain('step.observed');
      }
      expect(steps.every((s) => s.status === 'succeeded')).toBeTrue();
      expect(await reservationState(w, request.reservationId)).toBe('committed');
    }, 120_000);
  }

  it('a resize and a release whose answers are all lost: settled by key, each done once', async () => {
    const { request } = await provision();
    const row = async (name: string) => (await w.deps.store.query<{ id: string; cloudName: string }>(
      `SELECT id, cloud_name AS "cloudName" FROM resources WHERE request_id = $1 AND name = $2`, [request.id, name]))[0]!;
    const [web2, data] = [await row('web-2'), await row('data')];
    await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['updateResource', 'deleteResource', 'updateTenantSpace'] });
    const changes = [
      await w.as.user.resources.submitChange({ resourceId: web2.id, change: { action: 'resize', flavour: 'c8m16' }, reason: '扩容' }),
      await w.as.user.resources.submitChange({ resourceId: data.id, change: { action: 'release' }, reason: '回收' }),
    ];
    for (const c of changes) {
      await w.as.deptAdmin.requests.approve({ id: c.id, reason: '同意' });
      const approved = await w.as.operator.requests.approve({ id: c.id, reason: '同意' });
      const end = await w.settled(approved.workflowId!, 90_000);
      expect(end.status).withContext(c.action).toBe('succeeded');
      const kinds = (await workflowsRepo.eventsAfter(w.deps.store, end.id, 0)).filter((e) => e.stepKey === 'cloud').map((e) => e.kind);
      expect(kinds).withContext(c.action).toContain('step.observed');
      expect(sim().effectsByIdempotencyKey(c.action === 'release' ? `${end.id}/cloud:${data.cloudName}` : `${end.id}/cloud`)).withContext(c.action).toBe(1);
    }
    await w.deps.federation.setFaults('nanchang', {});
    expect(live()).toEqual(['network-segment:app', 'network-segment:app', 'vm:web-1', 'vm:web-2']);
    const vm = sim().cloud.listInventory({ pageSize: 5000 }).items.find((it) => it.type === 'resource' && it.resource.spec.name === web2.cloudName);
    expect(vm?.type === 'resource' ? vm.resource.spec.size.vcpu : null).toBe(8);
  }, 120_000);

  it('creates lost and the provider cannot tell: the step may be done, the unwind deletes by name; nothing left, the hold released', async () => {
    cannotTell();
    await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createResource'] });
    const { request, workflow } = await provision();
    expect(workflow.status).toBe('failed');
    expect(workflow.error).toContain('outcome unknown');
    expect(live()).toEqual([]);
    expect(await ipam()).toBe(0);
    expect(await reservationState(w, request.reservationId)).toBe('released');
    expect((await w.as.user.requests.get({ id: request.id })).status).toBe('failed');
  }, 120_000);

  it('creates and deletes lost and the provider cannot tell: the workflow needs attention, naming the objects, listed as orphaned', async () => {
    cannotTell();
    await w.deps.federation.setFaults('nanchang', { lostResponseRate: 1, ops: ['createResource', 'deleteResource'] });
    const { request, workflow } = await provision();
    expect(workflow.status).toBe('needs-attention');
    const seg = (await w.deps.store.query<{ cloudName: string; state: string }>(`SELECT cloud_name AS "cloudName", state FROM resources WHERE request_id = $1 AND kind = 'segment'`, [request.id]))[0]!;
    expect(workflow.error).toContain(`network-segment ${seg.cloudName} on nanchang`);
    expect(seg.state).toBe('failed');
    expect((await inventoryRepo.orphans(w.deps.store, 'nanchang')).map((o) => o.name).sort()).toEqual([seg.cloudName, `${seg.cloudName}-v6`]);
    // The rest of the unwind went on: the hold is released and the request ended.
    expect(await reservationState(w, request.reservationId)).toBe('released');
    expect((await w.as.user.requests.get({ id: request.id })).status).toBe('failed');
  }, 120_000);
});
