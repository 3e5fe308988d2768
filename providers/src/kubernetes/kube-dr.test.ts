import { isProviderError } from '../errors.ts';
import { STANDBY_OF } from './kube-dr.ts';
import { fixtureProvider } from '../testing/kube-fixture-provider.ts';

/** Against the protocol-level kube-apiserver FIXTURE (no real cluster can run here). */
describe('Kubernetes provider DR operations (kube-apiserver protocol fixture)', () => {
  let env: Awaited<ReturnType<typeof fixtureProvider>>;
  beforeEach(async () => {
    env = await fixtureProvider();
    const { store } = env.fixture;
    store.put('namespaces', { metadata: { name: 'sys-idp' } }, 'ADDED');
    store.put('deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'idp-web', namespace: 'sys-idp', labels: { [STANDBY_OF]: 'idp' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'idp' } }, template: { metadata: { labels: { app: 'idp' } }, spec: { containers: [{ name: 'main', image: 'idp:1' }] } } },
    }, 'ADDED');
  });
  afterEach(() => env.dispose());

  it('declares only what a cluster can do', async () => {
    expect((await env.provider.connect()).capabilities.dr?.operations).toEqual(['createSandbox', 'deleteSandbox', 'scaleStandby']);
  });

  it('makes a sandbox namespace with a deny-all NetworkPolicy, copies the standby into it, and removes it all', async () => {
    const dr = env.provider.dr;
    await dr.run('createSandbox', { sandbox: 'drill-r1', zone: 'z', system: 'idp' }, { idempotencyKey: 'k1' });
    const policy = env.fixture.store.get('networkpolicies', 'drill-r1', 'ganyun-dr-sandbox-deny-all');
    expect(policy?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const r = await dr.run('scaleStandby', { system: 'idp', zone: 'z', replicas: 2, sandbox: 'drill-r1' }, { idempotencyKey: 'k2' });
    expect(r.created).toEqual([{ kind: 'workload', name: 'idp-web', sandbox: 'drill-r1' }]);
    expect(env.fixture.store.get('deployments', 'drill-r1', 'idp-web')?.spec?.['replicas']).toBe(2);
    expect(env.fixture.store.get('deployments', 'sys-idp', 'idp-web')?.spec?.['replicas']).toBe(0); // the real standby untouched
    expect((await dr.state()).sandboxes.map((s) => s.objects.length)).toEqual([3]);
    await dr.run('deleteSandbox', { sandbox: 'drill-r1' }, { idempotencyKey: 'k3' });
    expect(env.fixture.store.get('namespaces', undefined, 'drill-r1')?.metadata.deletionTimestamp ?? 'gone').toBeTruthy();
    expect(env.fixture.store.get('deployments', 'sys-idp', 'idp-web')).toBeDefined();
  });

  it('scales the real standby Deployments of a system', async () => {
    await env.provider.dr.run('scaleStandby', { system: 'idp', zone: 'z', replicas: 3 }, { idempotencyKey: 'k' });
    expect(env.fixture.store.get('deployments', 'sys-idp', 'idp-web')?.spec?.['replicas']).toBe(3);
  });

  it('refuses what a cluster cannot do, with a typed not-supported error', async () => {
    const e = await env.provider.dr.run('promoteReplica', { system: 'idp', zone: 'z' }, { idempotencyKey: 'k' }).catch((x: unknown) => x);
    expect(isProviderError(e) && e.code === 'invalid' && e.reason === 'not-supported').toBeTrue();
  });

  it('refuses to delete a namespace that is not a sandbox', async () => {
    await expectAsync(env.provider.dr.run('deleteSandbox', { sandbox: 'sys-idp' }, { idempotencyKey: 'k' })).toBeRejectedWithError(/not a sandbox: refusing to delete it/);
    expect(env.fixture.store.get('namespaces', undefined, 'sys-idp')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('tells from the namespace whether a sandbox call under a key was applied', async () => {
    await env.provider.dr.run('createSandbox', { sandbox: 'drill-r2', zone: 'z', system: 'idp' }, { idempotencyKey: 'kk' });
    expect((await env.provider.dr.observeByKey({ idempotencyKey: 'kk', op: 'createSandbox' })).status).toBe('applied');
    expect((await env.provider.dr.observeByKey({ idempotencyKey: 'other', op: 'createSandbox' })).status).toBe('not-applied');
    expect((await env.provider.dr.observeByKey({ idempotencyKey: 'other', op: 'scaleStandby' })).status).toBe('cannot-tell');
  });
});
