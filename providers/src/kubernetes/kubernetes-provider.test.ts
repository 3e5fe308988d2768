import type { V1NetworkPolicy, V1ResourceQuota, V1RoleBinding } from '@kubernetes/client-node';
import { key, providerErrorOf } from '../conformance.ts';
import type { ResourceSpec, TenantSpaceSpec } from '../spi.ts';
import type { KubeApiserverFixture } from '../testing/kube-apiserver/kube-apiserver-fixture.ts';
import type { KubernetesProvider } from './kubernetes-provider.ts';
import { EXTRANET, fixtureProvider, raceTheFirstReplace } from '../testing/kube-fixture-provider.ts';

const space: TenantSpaceSpec = { name: 'gov-portal', displayName: '政务门户', quota: { vcpu: 16, memoryGiB: 64, storageGiB: 500, gpu: 0 }, labels: { department: 'jx-bigdata', system: 'portal' } };
const web = (over: Partial<ResourceSpec> = {}): ResourceSpec => ({ tenant: 'gov-portal', kind: 'workload', name: 'web', arch: 'x86_64', image: 'registry.jx.gov.cn/portal:1.0', size: { vcpu: 2, memoryGiB: 4, replicas: 2 }, ...over });

describe('KubernetesProvider against the kube-apiserver fixture', () => {
  let fixture: KubeApiserverFixture;
  let p: KubernetesProvider;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({ fixture, provider: p, dispose } = await fixtureProvider()));
  afterEach(async () => dispose());

  it('creates a tenant space as Namespace, ResourceQuota, LimitRange, default-deny NetworkPolicy and RoleBinding', async () => {
    expect((await p.createTenantSpace(space, key())).outcome).toBe('created');
    const ns = fixture.store.get('namespaces', undefined, 'gov-portal');
    expect(ns?.metadata.labels).toEqual(jasmine.objectContaining({ 'app.kubernetes.io/managed-by': 'ganyun', 'ganyun.gov.cn/department': 'jx-bigdata', 'ganyun.gov.cn/system': 'portal' }));
    const q = fixture.store.get('resourcequotas', 'gov-portal', 'ganyun-quota') as unknown as V1ResourceQuota;
    expect(q.spec?.hard).toEqual({ 'requests.cpu': '16', 'requests.memory': '64Gi', 'requests.storage': '500Gi', 'requests.nvidia.com/gpu': '0' });
    expect(fixture.store.list('limitranges', 'gov-portal').length).toBe(1);
    const np = fixture.store.get('networkpolicies', 'gov-portal', 'ganyun-default-deny') as unknown as { spec: V1NetworkPolicy['spec'] & { ingress: { from: { ipBlock?: { cidr: string } }[] }[] } };
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress[0].from.map((x) => x.ipBlock?.cidr).filter(Boolean)).toEqual(EXTRANET);
    const rb = fixture.store.get('rolebindings', 'gov-portal', 'ganyun-department-edit') as unknown as V1RoleBinding;
    expect([rb.roleRef.name, rb.subjects?.[0].kind, rb.subjects?.[0].name]).toEqual(['edit', 'Group', 'ganyun:department:jx-bigdata']);
    expect((await p.createTenantSpace(space, key())).outcome).withContext('409 AlreadyExists is "exists"').toBe('exists');
    const seen = await p.observeTenantSpace(space);
    expect([seen.exists, seen.upToDate]).toEqual([true, true]);
  });

  it('creates a workload as a Deployment with requests, limits and the arch node selector; scales it and reads readiness', async () => {
    await p.createTenantSpace(space, key());
    const created = await p.createResource(web(), key());
    expect([created.outcome, created.object?.state]).toEqual(['created', 'pending']);
    const d = fixture.store.get('deployments', 'gov-portal', 'web') as unknown as { spec: { replicas: number; template: { spec: { nodeSelector: Record<string, string>; containers: { resources: unknown }[] } } } };
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
    expect(d.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    fixture.settleDeployments();
    expect((await p.workloadReadiness(web())).isReady).toBeTrue();
    const down = await p.scaleWorkload(web(), 0);
    expect([down.desired, down.isReady]).toEqual([0, false]);
    fixture.settleDeployments();
    expect(await p.workloadReadiness(web())).toEqual(jasmine.objectContaining({ desired: 0, ready: 0, isReady: true }));
    expect((await p.observeTenantSpace(space)).observed?.usage.vcpu).toBe(0);
  });

  it('refuses kinds a Kubernetes cloud does not offer, as data and as a typed error', async () => {
    expect((await p.connect()).capabilities.resourceKinds).toEqual(['workload', 'volume']);
    await p.createTenantSpace(space, key());
    const e = await providerErrorOf(() => p.createResource({ ...web(), kind: 'vm' }, key()));
    expect([e.code, e.reason]).toEqual(['invalid', 'unsupported-kind']);
  });

  it('retries read → modify → replace after a 409 Conflict', async () => {
    await p.createTenantSpace(space, key());
    await p.createResource(web(), key());
    // Someone else writes between our read and our replace, once.
    raceTheFirstReplace(fixture, 'deployments');
    const r = await p.updateResource(web({ size: { vcpu: 4, memoryGiB: 8, replicas: 2 } }), key());
    expect(r.outcome).toBe('updated');
    expect(fixture.requests.filter((x) => x.startsWith('PUT /apis/apps/v1/namespaces/gov-portal/deployments/web')).length).toBe(2);
  });

  it('replays a reused idempotency key, and refuses it for another request even after a restart', async () => {
    await p.createTenantSpace(space, key());
    const k = key();
    const first = await p.createResource(web(), k);
    expect(await p.createResource(web(), k)).toEqual(first);
    await p.close(); // forgets the in-memory ledger: the annotation on the Deployment remains
    const e = await providerErrorOf(() => p.createResource(web({ name: 'api' }), k));
    expect([e.code, e.reason]).toEqual(['conflict', 'idempotency-key-reuse']);
  });

  const statusTable: { status: 429 | 500 | 503; code: string; retryable: boolean; why: string }[] = [
    { status: 429, code: 'throttled', retryable: true, why: 'the apiserver asks us to back off' },
    { status: 500, code: 'unavailable', retryable: true, why: 'a 5xx may pass' },
    { status: 503, code: 'unavailable', retryable: true, why: 'the apiserver is overloaded or restarting' },
  ];
  for (const c of statusTable) {
    it(`maps an injected ${c.status} to ${c.code} (${c.why})`, async () => {
      fixture.injectFault({ status: c.status, retryAfterSeconds: 3 });
      const e = await providerErrorOf(() => p.health());
      expect([e.code, e.retryable, e.op]).toEqual([c.code, c.retryable, 'health']);
      if (c.status === 429) expect(e.retryAfterMs).toBe(3000);
      expect(e.cause).toBeDefined();
    });
  }

  it('maps 404, 409, 422 and 403 to typed errors', async () => {
    const nf = await providerErrorOf(() => p.updateResource(web(), key()));
    expect(nf.code).withContext('404').toBe('not-found');
    const bad = await providerErrorOf(() => p.scaleWorkload({ tenant: 'gov-portal', kind: 'workload', name: 'nope' }, 1));
    expect(bad.code).withContext('404 on /scale').toBe('not-found');
    await p.createTenantSpace(space, key());
    const invalid = await providerErrorOf(() => p.createTenantSpace({ ...space, name: 'Bad_Name' }, key()));
    expect(invalid.code).withContext('422 / invalid name').toBe('invalid');
    const { provider: weak, dispose: d2 } = await fixtureProvider({}, 'no-deployments');
    try {
      const forbidden = await providerErrorOf(() => weak.observeResource(web()));
      expect([forbidden.code, forbidden.reason]).withContext('403').toEqual(['auth', 'Forbidden']);
    } finally {
      await d2();
    }
  });

  it('pages inventory with limit and continue, then follows changes by watch, relisting on 410 Gone', async () => {
    await p.createTenantSpace(space, key());
    for (const n of ['a', 'b', 'c']) await p.createResource(web({ name: n, size: { vcpu: 1, memoryGiB: 1, replicas: 1 } }), key());
    let page = await p.listInventory({ pageSize: 2 });
    const keys = page.items.map((i) => i.key);
    while (page.nextPage !== undefined) {
      page = await p.listInventory({ pageSize: 2, page: page.nextPage });
      keys.push(...page.items.map((i) => i.key));
    }
    expect(keys.sort()).toEqual(['resource:gov-portal/workload/a', 'resource:gov-portal/workload/b', 'resource:gov-portal/workload/c', 'tenant-space:gov-portal']);
    expect(fixture.requests.some((r) => r.includes('continue='))).toBeTrue();
    const cursor = page.cursor;
    await p.deleteResource(web({ name: 'a' }), key());
    await p.createResource(web({ name: 'd', size: { vcpu: 1, memoryGiB: 1, replicas: 1 } }), key());
    const changes = await p.listInventory({ cursor, pageSize: 10 });
    expect(changes.full).toBeFalse();
    expect(changes.items.map((i) => `${i.type}:${i.key}`).sort()).toEqual(['resource:resource:gov-portal/workload/d', 'tombstone:resource:gov-portal/workload/a']);
    expect(fixture.requests.some((r) => r.includes('watch=true') && r.includes('allowWatchBookmarks=true'))).toBeTrue();
    expect((await p.listInventory({ cursor: changes.cursor, pageSize: 10 })).items).toEqual([]);
    await p.createResource(web({ name: 'e', size: { vcpu: 1, memoryGiB: 1, replicas: 1 } }), key());
    fixture.store.compact();
    for (const goneAs of ['event', 'http'] as const) {
      fixture.settings.goneAs = goneAs;
      const relist = await p.listInventory({ cursor: changes.cursor, pageSize: 10 });
      expect(relist.full).withContext(`410 as ${goneAs} → relist`).toBeTrue();
    }
  });
});

describe('KubernetesProvider TLS against the kube-apiserver fixture', () => {
  it('skips TLS verification only when configured, with a warning', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_f: Record<string, unknown>, msg: string) => void warnings.push(msg) };
    const quiet = await fixtureProvider({ logger });
    await quiet.dispose();
    expect(warnings).toEqual([]);
    const loud = await fixtureProvider({ logger, insecureSkipTlsVerify: true });
    await loud.dispose();
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain('TLS verification is disabled');
  });

  it('refuses a kubeconfig that skips verification unless the cloud opts in', async () => {
    const kubeconfig = JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
      clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    });
    const e = await providerErrorOf(async () => (await fixtureProvider({ connection: { type: 'kubeconfig', kubeconfig } })).dispose());
    expect([e.code, e.reason]).toEqual(['invalid', 'insecure-kubeconfig']);
  });
});
