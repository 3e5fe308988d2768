import { isProviderError } from '../errors.ts';
import { smallProvider } from '../testing/small-clouds.ts';

/** One cloud with two centres: production in az1, the same-city DR centre in az2. */
function protectedCloud() {
  const p = smallProvider();
  p.cloud.seedDrPrimary('idp', 'az1');
  return p;
}

describe('simulated cloud: DR operations', () => {
  it('declares every DR operation as a capability', async () => {
    const p = smallProvider();
    expect((await p.connect()).capabilities.dr?.operations).toEqual(jasmine.arrayWithExactContents(['createSandbox', 'deleteSandbox', 'replicate', 'promoteReplica', 'scaleStandby', 'switchTraffic', 'stopSource', 'breakLink']));
  });

  it('runs a drill inside a sandbox: production keeps serving, replication keeps running, nothing outside the sandbox is touched (from the call log)', async () => {
    const p = protectedCloud();
    await p.dr.run('replicate', { system: 'idp', zone: 'az2', fromCloud: 'test-cloud', fromZone: 'az1', mode: 'sync' }, { idempotencyKey: 'protect' });
    const before = p.cloud.drCallLog.length;
    const sandbox = 'drill-r1-idp';
    await p.dr.run('createSandbox', { sandbox, zone: 'az2', system: 'idp' }, { idempotencyKey: 'k1' });
    const promoted = await p.dr.run('promoteReplica', { system: 'idp', zone: 'az2', sandbox }, { idempotencyKey: 'k2' });
    await p.dr.run('scaleStandby', { system: 'idp', zone: 'az2', replicas: 2, sandbox }, { idempotencyKey: 'k3' });
    await p.dr.run('switchTraffic', { system: 'idp', zone: 'az2', sandbox }, { idempotencyKey: 'k4' });
    expect(promoted.lagAtCutSeconds).toBe(0); // sync

    const state = await p.dr.state();
    expect(state.sites.find((s) => s.zone === 'az1')).toEqual(jasmine.objectContaining({ role: 'primary', serving: true }));
    expect(state.sites.find((s) => s.zone === 'az2')).toEqual(jasmine.objectContaining({ role: 'replica', serving: false, standbyReplicas: 0, replicatingFrom: jasmine.objectContaining({ broken: false }) }));
    expect(state.sandboxes[0]!.objects.map((o) => o.kind).sort()).toEqual(['clone', 'endpoint', 'network-policy', 'sandbox', 'workload']);
    expect(p.cloud.drCallLog.slice(before).filter((e) => e.production)).toEqual([]);

    await p.dr.run('deleteSandbox', { sandbox }, { idempotencyKey: 'k5' });
    expect((await p.dr.state()).sandboxes).toEqual([]);
    expect((await p.observeTenantSpace({ name: sandbox, quota: { vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 } })).exists).toBeFalse();
  });

  it('marks in the call log a call that names no registered sandbox as touching production', async () => {
    const p = protectedCloud();
    await p.dr.run('replicate', { system: 'idp', zone: 'az2', fromCloud: 'test-cloud', fromZone: 'az1', mode: 'async' }, { idempotencyKey: 'protect' });
    await expectAsync(p.dr.run('promoteReplica', { system: 'idp', zone: 'az2', sandbox: 'not-a-sandbox' }, { idempotencyKey: 'x' })).toBeRejectedWithError(/sandbox not-a-sandbox does not exist/);
    expect(p.cloud.drCallLog.at(-1)).toEqual(jasmine.objectContaining({ op: 'promoteReplica', production: true, outcome: 'refused' }));
  });

  it('fails over for real: promote (the lag at the cut is the RPO), switch traffic, stop the source, reverse replication', async () => {
    const p = protectedCloud();
    await p.dr.run('replicate', { system: 'idp', zone: 'az2', fromCloud: 'test-cloud', fromZone: 'az1', mode: 'async' }, { idempotencyKey: 'protect' });
    const r = await p.dr.run('promoteReplica', { system: 'idp', zone: 'az2' }, { idempotencyKey: 'f1' });
    expect(r.lagAtCutSeconds).toBeGreaterThan(0);
    await p.dr.run('switchTraffic', { system: 'idp', zone: 'az2' }, { idempotencyKey: 'f2' });
    await p.dr.run('stopSource', { system: 'idp', zone: 'az1' }, { idempotencyKey: 'f3' });
    await p.dr.run('replicate', { system: 'idp', zone: 'az1', fromCloud: 'test-cloud', fromZone: 'az2', mode: 'async' }, { idempotencyKey: 'f4' });
    const sites = (await p.dr.state()).sites;
    expect(sites.find((s) => s.zone === 'az2')).toEqual(jasmine.objectContaining({ role: 'promoted', serving: true }));
    expect(sites.find((s) => s.zone === 'az1')).toEqual(jasmine.objectContaining({ role: 'replica', serving: false, replicatingFrom: jasmine.objectContaining({ zone: 'az2', broken: false }) }));
    expect(p.cloud.drCallLog.filter((e) => e.production).map((e) => e.op)).toEqual(['replicate', 'promoteReplica', 'switchTraffic', 'stopSource', 'replicate']);
  });

  it('does the work once per idempotency key and refuses a key reused for another request', async () => {
    const p = protectedCloud();
    await p.dr.run('replicate', { system: 'idp', zone: 'az2', fromCloud: 'test-cloud', fromZone: 'az1', mode: 'sync' }, { idempotencyKey: 'protect' });
    await p.dr.run('createSandbox', { sandbox: 's1', zone: 'az2', system: 'idp' }, { idempotencyKey: 'k' });
    await p.dr.run('createSandbox', { sandbox: 's1', zone: 'az2', system: 'idp' }, { idempotencyKey: 'k' });
    expect(p.callsByIdempotencyKey('k')).toBe(2);
    expect(p.effectsByIdempotencyKey('k')).toBe(1);
    await expectAsync(p.dr.run('createSandbox', { sandbox: 's2', zone: 'az2', system: 'idp' }, { idempotencyKey: 'k' })).toBeRejectedWith(jasmine.objectContaining({ code: 'conflict', reason: 'idempotency-key-reuse' }));
  });

  it('answers nothing from a zone that is down (a lost centre)', async () => {
    const p = protectedCloud();
    p.mutate({ op: 'zone-status', zone: 'az2', status: 'down' });
    const e = await p.dr.run('createSandbox', { sandbox: 's', zone: 'az2', system: 'idp' }, { idempotencyKey: 'k' }).catch((x: unknown) => x);
    expect(isProviderError(e) && e.code === 'unavailable' && e.reason === 'zone-down').toBeTrue();
  });

  it('settles a lost answer by observing the key: applied (with its result) or not applied', async () => {
    const p = protectedCloud();
    p.setFaults({ lostResponseRate: 1 });
    await expectAsync(p.dr.run('createSandbox', { sandbox: 's', zone: 'az2', system: 'idp' }, { idempotencyKey: 'lost' })).toBeRejectedWith(jasmine.objectContaining({ code: 'timeout' }));
    p.setFaults({});
    expect(await p.dr.observeByKey({ idempotencyKey: 'lost', op: 'createSandbox' })).toEqual(jasmine.objectContaining({ status: 'applied', op: 'createSandbox' }));
    expect(await p.dr.observeByKey({ idempotencyKey: 'never-sent', op: 'createSandbox' })).toEqual({ status: 'not-applied' });
    expect((await p.dr.state()).sandboxes.length).toBe(1);
  });

  it('refuses to send traffic to a replica that was not promoted', async () => {
    const p = protectedCloud();
    await p.dr.run('replicate', { system: 'idp', zone: 'az2', fromCloud: 'test-cloud', fromZone: 'az1', mode: 'sync' }, { idempotencyKey: 'protect' });
    await expectAsync(p.dr.run('switchTraffic', { system: 'idp', zone: 'az2' }, { idempotencyKey: 't' })).toBeRejectedWithError(/still a replica: promote it first/);
  });
});
