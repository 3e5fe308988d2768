import { FIXTURE_TOKEN, startKubeApiserverFixture, type KubeApiserverFixture } from '@ganyun/providers/testing/kube-apiserver/kube-apiserver-fixture.ts';
import type { AppDeps } from '../context.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedUser } from '../testing/harness.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

const kubeconfig = (server: string, opts: { caData?: string; insecure?: boolean; token?: string }) => `apiVersion: v1
kind: Config
clusters:
- name: fixture
  cluster:
    server: ${server}
${opts.caData ? `    certificate-authority-data: ${opts.caData}\n` : ''}${opts.insecure ? '    insecure-skip-tls-verify: true\n' : ''}users:
- name: ganyun
  user:
    token: ${opts.token ?? FIXTURE_TOKEN}
contexts:
- name: fixture
  context: { cluster: fixture, user: ganyun }
current-context: fixture
`;

describe('devices: Kubernetes clusters (kube-apiserver FIXTURE)', () => {
  let deps: AppDeps & { logs: { text: string } };
  let admin: Caller;
  let fixture: KubeApiserverFixture;
  const cluster = (over: Record<string, unknown> = {}) => ({
    id: 'nc-k8s', name: '南昌容器云', nameEn: 'Nanchang container cloud', region: '3601', kind: 'general' as const,
    siteRoles: ['production' as const], certifications: [3], server: fixture.url,
    credential: { type: 'token' as const, token: FIXTURE_TOKEN, caData: fixture.caData }, ...over,
  });
  const clouds = () => deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM clouds').then((r) => r[0]!.n);

  beforeEach(async () => {
    deps = await freshDeps();
    admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    fixture = await startKubeApiserverFixture();
  });
  afterEach(async () => {
    await deps.federation.stop();
    await fixture.close();
  });

  it('registers by token + CA with TLS verified, then health, namespaces/workloads inventory and node capacity appear like any cloud', async () => {
    const created = await admin.devices.registerCluster(cluster());
    expect([created.providerKind, created.insecureSkipTlsVerify]).toEqual(['kubernetes', false]);
    const p = deps.federation.provider('nc-k8s');
    const space = { name: 'gov-portal', quota: { vcpu: 16, memoryGiB: 64, storageGiB: 500, gpu: 0 }, labels: { department: 'jx-bigdata', system: 'portal' } };
    await p.createTenantSpace(space, { idempotencyKey: 'spec-space-1' });
    await p.createResource({ tenant: 'gov-portal', kind: 'workload', name: 'web', arch: 'x86_64', image: 'registry.jx.gov.cn/portal:1.0', size: { vcpu: 2, memoryGiB: 4, replicas: 2 } }, { idempotencyKey: 'spec-web-1' });

    expect((await admin.clouds.checkHealth({ id: 'nc-k8s' })).status).toBe('up');
    const sync = await deps.federation.sync('nc-k8s', 'full');
    if (sync instanceof Error) fail(sync.message);
    const facts = await admin.devices.facts({ id: 'nc-k8s' });
    expect(facts.counts).toEqual({ 'tenant-space': 1, workload: 1 });
    expect(facts.kubernetes).toEqual({ server: fixture.url, context: null, insecureSkipTlsVerify: false });
    expect(facts.capacity.map((c) => c.arch)).toContain('x86_64');
    // Nodes, live from the fixture's default nodes: architecture from kubernetes.io/arch, capacity, readiness.
    expect(facts.nodesError).toBeNull();
    expect(facts.nodes.map((n) => [n.name, n.arch, n.vendor, n.capacity.vcpu, n.ready])).toEqual([
      ['node-arm-1', 'arm64', 'kunpeng', 64, true], ['node-x86-1', 'x86_64', 'hygon', 32, true], ['node-x86-2', 'x86_64', 'hygon', 32, true],
    ]);
    const inv = await admin.clouds.inventory({ id: 'nc-k8s', kind: 'workload' });
    expect(inv.items.map((o) => [o.tenant, o.name, o.arch])).toEqual([['gov-portal', 'web', 'x86_64']]);
    // Incremental sync by watch (the fixture's bookmarks), recorded like any sync.
    const again = await deps.federation.sync('nc-k8s', 'incremental');
    expect(again instanceof Error ? again.message : again.mode).toBe('incremental');
    const metrics = await deps.metrics.registry.getSingleMetricAsString('ganyun_provider_call_duration_seconds');
    expect(metrics).toContain('provider="nc-k8s",op="listInventory",outcome="ok"');
    const secrets = [FIXTURE_TOKEN];
    for (const where of [JSON.stringify(await auditTrail(deps)), deps.logs.text, JSON.stringify(await admin.clouds.get({ id: 'nc-k8s' }))]) {
      for (const s of secrets) expect(where).not.toContain(s);
    }
  });

  it('registers by kubeconfig with its CA', async () => {
    await admin.devices.registerCluster(cluster({ server: undefined, credential: { type: 'kubeconfig', kubeconfig: kubeconfig(fixture.url, { caData: fixture.caData }) } }));
    expect((await admin.clouds.checkHealth({ id: 'nc-k8s' })).status).toBe('up');
  });

  it('an insecure kubeconfig is refused unless the cloud opts out explicitly, and the opt-out is logged as a warning', async () => {
    const insecure = { type: 'kubeconfig' as const, kubeconfig: kubeconfig(fixture.url, { insecure: true }) };
    const e = await errorOf(() => admin.devices.registerCluster(cluster({ server: undefined, credential: insecure })));
    expect([e.code, Object.keys(e.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['insecureSkipTlsVerify']]);
    expect(await clouds()).toBe(0);
    const created = await admin.devices.registerCluster(cluster({ server: undefined, credential: insecure, insecureSkipTlsVerify: true }));
    expect(created.insecureSkipTlsVerify).toBeTrue();
    expect(deps.logs.text).toContain('TLS verification');
  });

  const refusals: [string, () => Record<string, unknown>, string][] = [
    ['no CA for a self-signed API server', () => ({ credential: { type: 'token', token: FIXTURE_TOKEN } }), 'credential.caData'],
    ['a token the API server does not know', () => ({ credential: { type: 'token', token: 'wrong-token-123', caData: fixture.caData } }), 'credential'],
    ['nothing listening', () => ({ server: 'https://127.0.0.1:9' }), 'server'],
    ['a token without a server URL', () => ({ server: undefined }), 'server'],
    ['a plain-http server URL', () => ({ server: 'http://127.0.0.1:6443' }), 'server'],
  ];
  for (const [why, over, field] of refusals) {
    it(`refuses ${why} on the field to fix, storing nothing`, async () => {
      const e = await errorOf(() => admin.devices.registerCluster(cluster(over()) as never));
      expect([e.code, Object.keys(e.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', [field]]);
      expect(await clouds()).toBe(0);
      expect(() => deps.federation.provider('nc-k8s')).toThrow();
      expect(deps.logs.text).not.toContain('wrong-token-123');
    });
  }
});
