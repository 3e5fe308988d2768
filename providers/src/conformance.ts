/**
 * The provider conformance suite: Jasmine specs that every provider must pass, whatever
 * it talks to. A provider's test file calls `describeProviderConformance(name, makeFixture)`
 * once; each spec gets a fresh fixture.
 *
 * The fixture's cloud must offer x86_64 capacity and the image `kylin-v10-sp3` (or name
 * another via `vmImage`), and may hold an existing inventory: the specs only count
 * what they create themselves, in tenant spaces named `conf-…`.
 */
import { describeInventoryConformance } from './conformance-inventory.ts';
import { ProviderError } from './errors.ts';
import { CPU_ARCHES, CPU_VENDORS, RESOURCE_CLASSES, type Provider, type ResourceSpec, type TenantSpaceSpec } from './spi.ts';

export type ConformanceFault = 'none' | 'down' | 'throttled' | 'garbage' | 'failing-page';

export interface ConformanceFixture {
  readonly provider: Provider;
  /** Lets pending lifecycle work (provisioning, deletion) finish, e.g. by moving a sim clock. */
  settle(): Promise<void>;
  /** Switches the cloud into a fault ('failing-page': page 2 of listings fails once). */
  injectFault?(fault: ConformanceFault): Promise<void>;
  readonly vmImage?: string;
  /**
   * The resource this provider creates in the specs. Defaults to a VM from `vmImage`; a provider that
   * offers no VMs (Kubernetes: workloads) names its own kind here, and the specs use that kind throughout.
   */
  resourceSpec?(tenant: string, name: string, vcpu: number): ResourceSpec;
  dispose(): Promise<void>;
}

let unique = 0;
/** Names unique across specs, so a fixture that keeps state between specs still works. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${(++unique).toString(36)}-${process.pid.toString(36)}`;
}

export function tenantSpec(name: string, vcpu = 64): TenantSpaceSpec {
  return { name, displayName: `一致性测试 ${name}`, quota: { vcpu, memoryGiB: vcpu * 4, storageGiB: 4000, gpu: 0 } };
}

export function vmSpec(tenant: string, name: string, image = 'kylin-v10-sp3', vcpu = 2): ResourceSpec {
  return { tenant, kind: 'vm', name, arch: 'x86_64', image, size: { vcpu, memoryGiB: vcpu * 2, storageGiB: 40 } };
}

let keys = 0;
export function key(): { idempotencyKey: string } {
  return { idempotencyKey: `conf-${process.pid}-${++keys}` };
}

/** Runs `fn`, expecting a ProviderError; returns it for further checks. */
export async function providerErrorOf(fn: () => Promise<unknown>): Promise<ProviderError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw new Error(`expected a ProviderError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a ProviderError, but the call succeeded');
}

export function describeProviderConformance(name: string, makeFixture: () => Promise<ConformanceFixture>): void {
  describe(`provider conformance: ${name}`, () => {
    let fx: ConformanceFixture;
    let p: Provider;
    let tenant: TenantSpaceSpec;
    const image = (): string => fx.vmImage ?? 'kylin-v10-sp3';
    const spec = (tenantName: string, name: string, vcpu = 2): ResourceSpec =>
      fx.resourceSpec?.(tenantName, name, vcpu) ?? vmSpec(tenantName, name, image(), vcpu);

    beforeEach(async () => {
      fx = await makeFixture();
      p = fx.provider;
      tenant = tenantSpec(uniqueName('conf'));
    });
    afterEach(async () => fx.dispose());

    it('connects and states its capabilities as data', async () => {
      const info = await p.connect();
      expect(info.cloudId).toBe(p.cloudId);
      expect(info.apiVersion).toBe('ganyun.providers/v1');
      expect(info.capabilities.resourceKinds).toContain(spec('t', 'n').kind);
      expect(info.capabilities.maxPageSize).toBeGreaterThan(0);
      expect(info.capabilities.platforms.length).toBeGreaterThan(0);
    });

    it('observes without changing anything', async () => {
      await p.createTenantSpace(tenant, key());
      await p.createResource(spec(tenant.name, 'app-01'), key());
      await fx.settle();
      const before = await drainFull(p);
      const ghost = tenantSpec(uniqueName('conf-ghost'));
      expect((await p.observeTenantSpace(ghost)).exists).toBeFalse();
      expect((await p.observeResource(spec(ghost.name, 'nope'))).exists).toBeFalse();
      await p.observeTenantSpace({ ...tenant, quota: { ...tenant.quota, vcpu: 1 } });
      await p.observeResource({ ...spec(tenant.name, 'app-01'), size: { vcpu: 8, memoryGiB: 16 } });
      const changes = await p.listInventory({ cursor: before, pageSize: 100 });
      expect(changes.items).toEqual([]);
      expect((await p.observeTenantSpace(ghost)).exists).withContext('observe must not create').toBeFalse();
    });

    it('reports exists / upToDate / diff', async () => {
      const missing = await p.observeTenantSpace(tenant);
      expect([missing.exists, missing.upToDate]).toEqual([false, false]);
      await p.createTenantSpace(tenant, key());
      const same = await p.observeTenantSpace(tenant);
      expect([same.exists, same.upToDate, same.diff.length]).toEqual([true, true, 0]);
      const drifted = await p.observeTenantSpace({ ...tenant, quota: { ...tenant.quota, vcpu: 128 } });
      expect(drifted.upToDate).toBeFalse();
      expect(drifted.diff).toContain(jasmine.objectContaining({ path: 'quota.vcpu', desired: 128, actual: 64 }));
    });

    it('treats create of what exists and delete of what is gone as success', async () => {
      expect((await p.createTenantSpace(tenant, key())).outcome).toBe('created');
      expect((await p.createTenantSpace(tenant, key())).outcome).toBe('exists');
      const vm = spec(tenant.name, 'web-01');
      const first = await p.createResource(vm, key());
      expect(first.outcome).toBe('created');
      const again = await p.createResource(vm, key());
      expect(again.outcome).toBe('exists');
      expect(again.object?.id).toBe(first.object?.id);
      await fx.settle();
      expect(['deleting', 'deleted']).toContain((await p.deleteResource(vm, key())).outcome);
      await fx.settle();
      expect((await p.observeResource(vm)).exists).toBeFalse();
      expect((await p.deleteResource(vm, key())).outcome).toBe('gone');
      expect((await p.deleteTenantSpace(tenant.name, key())).outcome).toBe('deleted');
      expect((await p.deleteTenantSpace(tenant.name, key())).outcome).toBe('gone');
    });

    it('answers by idempotency key what became of a create (observe by key), without changing anything', async () => {
      const k = key();
      expect((await p.observeByKey({ idempotencyKey: k.idempotencyKey, op: 'createTenantSpace' })).status).toBe('not-applied');
      await p.createTenantSpace(tenant, k);
      const seen = await p.observeByKey({ idempotencyKey: k.idempotencyKey, op: 'createTenantSpace' });
      expect(seen.status).toBe('applied');
      if (seen.status === 'applied') expect([seen.op, seen.result.outcome]).toEqual(['createTenantSpace', 'created']);
      const vm = spec(tenant.name, 'keyed-01');
      const vk = key();
      await p.createResource(vm, vk);
      const vmSeen = await p.observeByKey({ idempotencyKey: vk.idempotencyKey, op: 'createResource' });
      expect(vmSeen.status).toBe('applied');
      expect((await p.observeByKey({ idempotencyKey: key().idempotencyKey, op: 'createResource' })).status).toBe('not-applied');
    });

    it('brings a created resource to running and applies updates', async () => {
      await p.createTenantSpace(tenant, key());
      const vm = spec(tenant.name, 'db-01');
      const created = await p.createResource(vm, key());
      expect(['pending', 'running']).toContain(created.object?.state ?? 'absent');
      await fx.settle();
      expect((await p.observeResource(vm)).observed?.state).toBe('running');
      const bigger = { ...vm, size: { ...vm.size, vcpu: 4, memoryGiB: 8 } };
      expect((await p.observeResource(bigger)).upToDate).toBeFalse();
      expect((await p.updateResource(bigger, key())).outcome).toBe('updated');
      expect((await p.updateResource(bigger, key())).outcome).toBe('unchanged');
      await fx.settle();
      const seen = await p.observeResource(bigger);
      expect([seen.upToDate, seen.observed?.state]).toEqual([true, 'running']);
      expect((await p.observeTenantSpace(tenant)).observed?.usage.vcpu).toBe(4);
    });

    it('replays a reused idempotency key and refuses it for a different request', async () => {
      await p.createTenantSpace(tenant, key());
      const k = key();
      const vm = spec(tenant.name, 'app-01');
      const first = await p.createResource(vm, k);
      const replay = await p.createResource(vm, k);
      expect(replay).toEqual(first);
      expect(replay.outcome).toBe('created');
      const err = await providerErrorOf(() => p.createResource(spec(tenant.name, 'app-02'), k));
      expect([err.code, err.retryable, err.provider]).toEqual(['conflict', false, p.cloudId]);
      expect((await p.observeResource(spec(tenant.name, 'app-02'))).exists).toBeFalse();
    });

    it('reports capacity per pool, resource class and CPU platform', async () => {
      const before = await p.capacity();
      expect(before.cloudId).toBe(p.cloudId);
      expect(before.pools.length).toBeGreaterThan(0);
      for (const pool of before.pools) {
        expect(CPU_ARCHES).toContain(pool.arch);
        expect(CPU_VENDORS).toContain(pool.vendor);
        for (const c of RESOURCE_CLASSES) {
          const cc = pool.classes[c];
          expect(cc.overcommitRatio).toBeGreaterThan(0);
          expect(cc.allocatable).toBeGreaterThanOrEqual(0);
          expect(cc.allocated).toBeGreaterThanOrEqual(0);
        }
      }
      await p.createTenantSpace(tenant, key());
      await p.createResource(spec(tenant.name, 'app-01', 8), key());
      const after = await p.capacity();
      const sum = (r: typeof before): number => r.pools.filter((x) => x.arch === 'x86_64').reduce((a, x) => a + x.classes.vcpu.allocated, 0);
      expect(sum(after) - sum(before)).toBe(8);
    });

    it('answers health, network facts and replication links', async () => {
      const h = await p.health();
      expect(['ok', 'degraded', 'down']).toContain(h.status);
      const net = await p.networkFacts();
      expect(net.extranetPlanes.every((x) => x === 1 || x === 2)).toBeTrue();
      const links = await p.replicationLinks();
      for (const l of links) expect(l.lagSeconds).toBeGreaterThanOrEqual(0);
    });

    it('fails with typed errors', async () => {
      const missing = await providerErrorOf(() => p.updateResource(spec(tenant.name, 'nope'), key()));
      expect([missing.code, missing.op, missing.provider]).toEqual(['not-found', 'updateResource', p.cloudId]);
      await p.createTenantSpace(tenant, key());
      const noImage = { ...spec(tenant.name, 'bad-01'), image: undefined } as ResourceSpec;
      expect((await providerErrorOf(() => p.createResource(noImage, key()))).code).toBe('invalid');
      const huge = spec(tenant.name, 'huge-01', 1000);
      const over = await providerErrorOf(() => p.createResource(huge, key()));
      expect([over.code, over.reason, over.retryable]).toEqual(['conflict', 'quota-exceeded', false]);
      await p.createResource(spec(tenant.name, 'app-01'), key());
      expect((await providerErrorOf(() => p.deleteTenantSpace(tenant.name, key()))).code).toBe('conflict');
    });

    describeInventoryConformance(() => ({ fx, p, tenant, spec }));
  });
}

/** Lists everything, returns the cursor to continue from. */
export async function drainFull(p: Provider, pageSize?: number): Promise<string> {
  pageSize ??= Math.min(1000, (await p.connect()).capabilities.maxPageSize);
  let page = await p.listInventory({ pageSize });
  while (page.nextPage !== undefined) page = await p.listInventory({ pageSize, page: page.nextPage });
  return page.cursor;
}
