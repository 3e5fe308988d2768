import { key, providerErrorOf } from '../conformance.ts';
import type { ResourceSpec, TenantSpaceSpec } from '../spi.ts';
import type { KubeApiserverFixture } from '../testing/kube-apiserver/kube-apiserver-fixture.ts';
import type { KubeObject } from '../testing/kube-apiserver/object-store.ts';
import { KubernetesProvider } from './kubernetes-provider.ts';
import { EXTRANET, fixtureProvider, raceTheFirstReplace } from '../testing/kube-fixture-provider.ts';

/** Issue 16.5: what a request delivers on a Kubernetes cloud, checked on the objects the cluster holds. */
const SYSTEM = { 'ganyun.system': '6f1c2a9e-0000-4000-8000-000000000001', 'ganyun.department': '6f1c2a9e-0000-4000-8000-0000000000d1', 'ganyun.resource': '6f1c2a9e-0000-4000-8000-0000000000a1', 'ganyun.request': '6f1c2a9e-0000-4000-8000-0000000000f1' };
const space: TenantSpaceSpec = { name: 'sys-portal', quota: { vcpu: 16, memoryGiB: 64, storageGiB: 500, gpu: 0 }, labels: { department: 'jx-bigdata', system: 'portal' } };
const workload: ResourceSpec = { tenant: 'sys-portal', kind: 'workload', name: 'api-1a2b3c4d', arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu: 2, memoryGiB: 4, replicas: 3 }, labels: SYSTEM };
const volume = (storageGiB = 100): ResourceSpec => ({ tenant: 'sys-portal', kind: 'volume', name: 'data-1a2b3c4d', size: { storageGiB }, labels: { ...SYSTEM, 'ganyun.attached-to': 'x' } });
const host = (vcpu = 2, memoryGiB = 4): ResourceSpec => ({ tenant: 'sys-portal', kind: 'vm', name: 'web-1a2b3c4d', arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu, memoryGiB, storageGiB: 40 }, labels: SYSTEM });

type Pvc = KubeObject & { spec: { accessModes: string[]; resources: { requests: { storage: string } } } };
type Vm = KubeObject & { spec: { dataVolumeTemplates: { spec: { storage: { resources: { requests: { storage: string } } }; source: { registry: { url: string } } } }[]; template: { metadata: { labels: Record<string, string> }; spec: { domain: { resources: { requests: Record<string, string> } }; nodeSelector: Record<string, string> } } } };

describe('KubernetesProvider workloads, volumes and KubeVirt hosts against the protocol-level kube-apiserver FIXTURE', () => {
  let fixture: KubeApiserverFixture;
  let p: KubernetesProvider;
  let dispose: () => Promise<void>;
  afterEach(async () => dispose());

  describe('a cluster without KubeVirt', () => {
    beforeEach(async () => {
      ({ fixture, provider: p, dispose } = await fixtureProvider());
      await p.createTenantSpace(space, key());
    });

    it('delivers a workload as a Deployment with requests matching the size and the system’s labels, in a namespace with its NetworkPolicy; release deletes it', async () => {
      expect((await p.createResource(workload, key())).outcome).toBe('created');
      const d = fixture.store.get('deployments', 'sys-portal', workload.name) as KubeObject & { spec: { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: { containers: { resources: unknown }[] } } } };
      expect(d.spec.replicas).toBe(3);
      expect(d.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } });
      const systemLabels = { 'ganyun.gov.cn/system': SYSTEM['ganyun.system'], 'ganyun.gov.cn/department': SYSTEM['ganyun.department'], 'ganyun.gov.cn/request': SYSTEM['ganyun.request'] };
      expect(d.metadata.labels).toEqual(jasmine.objectContaining(systemLabels));
      expect(d.spec.template.metadata.labels).toEqual(jasmine.objectContaining(systemLabels));
      expect(fixture.store.list('networkpolicies', 'sys-portal').map((x) => x.metadata.name)).toEqual(['ganyun-default-deny']);
      expect((await p.deleteResource(workload, key())).outcome).toBe('deleted');
      expect(fixture.store.list('deployments', 'sys-portal')).toEqual([]);
    });

    it('delivers a volume as a PersistentVolumeClaim (size, labels), replays its key, extends it, refuses a shrink, and release deletes it', async () => {
      expect((await p.connect()).capabilities.resourceKinds).toEqual(['workload', 'volume']);
      const k = key();
      const created = await p.createResource(volume(), k);
      expect([created.outcome, created.object?.state, created.object?.spec.size.storageGiB]).toEqual(['created', 'running', 100]);
      const pvc = fixture.store.get('persistentvolumeclaims', 'sys-portal', volume().name) as Pvc;
      expect([pvc.spec.accessModes, pvc.spec.resources.requests.storage]).toEqual([['ReadWriteOnce'], '100Gi']);
      expect(pvc.metadata.labels).toEqual(jasmine.objectContaining({ 'app.kubernetes.io/managed-by': 'ganyun', 'ganyun.gov.cn/system': SYSTEM['ganyun.system'] }));
      expect(pvc.metadata.annotations?.['ganyun.gov.cn/idempotency-key']).toBe(k.idempotencyKey);
      // Replayed key: the first answer, no second POST; the same key for another request: refused.
      const posts = () => fixture.requests.filter((r) => r.startsWith('POST /api/v1/namespaces/sys-portal/persistentvolumeclaims')).length;
      expect(await p.createResource(volume(), k)).toEqual(created);
      expect(posts()).toBe(1);
      expect((await providerErrorOf(() => p.createResource(volume(200), k))).reason).toBe('idempotency-key-reuse');
      // After a restart the ledger is gone: the claim is found by the key's hash label.
      const again = new KubernetesProvider({ cloudId: 'test-k8s', connection: { type: 'token', server: fixture.url, token: 'fixture-admin-token', caData: fixture.caData }, extranetCidrs: EXTRANET });
      expect(await again.observeByKey({ idempotencyKey: k.idempotencyKey, op: 'createResource' })).toEqual(jasmine.objectContaining({ status: 'applied' }));
      expect((await again.observeByKey({ idempotencyKey: 'never-used', op: 'createResource' })).status).toBe('not-applied');
      // A create under a new key for an existing claim: the 409 is "exists", not a failure.
      fixture.store.remove('persistentvolumeclaims', 'sys-portal', volume().name);
      fixture.store.put('persistentvolumeclaims', pvc, 'ADDED');
      expect((await again.createResource(volume(), key())).outcome).toBe('exists');
      await again.close();

      const grown = await p.updateResource(volume(200), key());
      expect([grown.outcome, (fixture.store.get('persistentvolumeclaims', 'sys-portal', volume().name) as Pvc).spec.resources.requests.storage]).toEqual(['updated', '200Gi']);
      const shrink = await providerErrorOf(() => p.updateResource(volume(50), key()));
      expect([shrink.code, shrink.reason]).toEqual(['invalid', 'shrink-refused']);
      const big = await providerErrorOf(() => p.createResource({ ...volume(600), name: 'huge' }, key()));
      expect([big.code, big.reason]).toEqual(['conflict', 'quota-exceeded']);

      expect((await p.deleteResource(volume(), key())).outcome).toBe('deleted');
      expect(fixture.store.list('persistentvolumeclaims', 'sys-portal')).toEqual([]);
      expect((await p.deleteResource(volume(), key())).outcome).toBe('gone');
    });

    it('refuses a host as a typed "not supported" naming KubeVirt, and creates nothing', async () => {
      const e = await providerErrorOf(() => p.createResource(host(), key()));
      expect([e.code, e.reason]).toEqual(['invalid', 'unsupported-kind']);
      expect(e.message).toMatch(/KubeVirt/);
      expect(fixture.requests.some((r) => r.includes('virtualmachines'))).toBeFalse();
      expect((await p.observeResource(host())).exists).toBeFalse();
    });
  });

  describe('a cluster that serves KubeVirt', () => {
    beforeEach(async () => {
      ({ fixture, provider: p, dispose } = await fixtureProvider({}, undefined, { kubevirt: true }));
      await p.createTenantSpace(space, key());
    });

    it('discovers it and delivers a host as a VirtualMachine (requests, system disk from the image, arch, labels); resizes after a 409 Conflict; release deletes it', async () => {
      expect((await p.connect()).capabilities.resourceKinds).toEqual(['workload', 'volume', 'vm']);
      expect(fixture.requests).toContain('GET /apis');
      const created = await p.createResource(host(), key());
      expect([created.outcome, created.object?.state]).toEqual(['created', 'running']);
      const vm = fixture.store.get('virtualmachines', 'sys-portal', host().name) as Vm;
      expect(vm.apiVersion).toBe('kubevirt.io/v1');
      expect(vm.spec.template.spec.domain.resources.requests).toEqual({ cpu: '2', memory: '4Gi' });
      expect(vm.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
      expect(vm.spec.dataVolumeTemplates[0]!.spec.storage.resources.requests.storage).toBe('40Gi');
      expect(vm.spec.dataVolumeTemplates[0]!.spec.source.registry.url).toBe('docker://kylin-v10-sp3');
      expect(vm.metadata.labels).toEqual(jasmine.objectContaining({ 'ganyun.gov.cn/system': SYSTEM['ganyun.system'] }));
      expect((await p.observeResource(host())).upToDate).toBeTrue();

      // Someone else writes the machine between our read and our replace, once: read again and replace.
      const original = raceTheFirstReplace(fixture, 'virtualmachines');
      expect((await p.updateResource(host(4, 8), key())).outcome).toBe('updated');
      expect(fixture.requests.filter((r) => r.startsWith(`PUT /apis/kubevirt.io/v1/namespaces/sys-portal/virtualmachines/${host().name}`)).length).toBe(2);
      expect((original('virtualmachines', 'sys-portal', host().name) as Vm).spec.template.spec.domain.resources.requests).toEqual({ cpu: '4', memory: '8Gi' });

      expect((await p.deleteResource(host(), key())).outcome).toBe('deleted');
      expect(fixture.store.list('virtualmachines', 'sys-portal')).toEqual([]);
    });
  });
});
