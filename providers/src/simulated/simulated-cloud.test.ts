import { tenantSpec, vmSpec } from '../conformance.ts';
import { ProviderError } from '../errors.ts';
import type { InventoryItem, ResourceSpec } from '../spi.ts';
import type { SimulatedCloud } from './simulated-cloud.ts';
import { smallCloud, smallCloudOptions } from '../testing/small-clouds.ts';

function errorOf(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

function listAll(cloud: SimulatedCloud, pageSize = 500, cursor?: string): { items: InventoryItem[]; cursor: string; full: boolean } {
  const items: InventoryItem[] = [];
  let page = cloud.listInventory({ pageSize, ...(cursor ? { cursor } : {}) });
  items.push(...page.items);
  while (page.nextPage !== undefined) {
    page = cloud.listInventory({ pageSize, page: page.nextPage });
    items.push(...page.items);
  }
  return { items, cursor: page.cursor, full: page.full };
}

let n = 0;
const k = (): string => `k${++n}`;

describe('SimulatedCloud', () => {
  let cloud: SimulatedCloud;
  beforeEach(() => {
    cloud = smallCloud();
    cloud.createTenantSpace(tenantSpec('t1', 32), k());
  });

  describe('lifecycle', () => {
    it('provisions a VM in the time its kind takes, scaled by timeScale', () => {
      cloud = smallCloud({ timeScale: 0.001 });
      cloud.createTenantSpace(tenantSpec('t1'), k());
      const vm = vmSpec('t1', 'app-01');
      expect(cloud.createResource(vm, k()).object?.state).toBe('pending');
      cloud.clock.advance(44); // default vm provisioning is 45 s; × 0.001 = 45 ms
      expect(cloud.observeResource(vm).observed?.state).toBe('pending');
      cloud.clock.advance(1);
      expect(cloud.observeResource(vm).observed?.state).toBe('running');
    });

    it('passes through deleting before the resource is gone', () => {
      const vm = vmSpec('t1', 'app-01');
      cloud.createResource(vm, k());
      cloud.clock.advance(60_000);
      expect(cloud.deleteResource(vm, k()).outcome).toBe('deleting');
      expect(cloud.deleteResource(vm, k()).outcome).withContext('a second delete is not an error').toBe('deleting');
      expect(cloud.observeResource(vm).observed?.state).toBe('deleting');
      expect(cloud.observeTenantSpace(tenantSpec('t1')).observed?.usage.vcpu).withContext('capacity is held until gone').toBe(2);
      cloud.clock.advance(10_000);
      expect(cloud.observeResource(vm).exists).toBeFalse();
      expect(cloud.observeTenantSpace(tenantSpec('t1')).observed?.usage.vcpu).toBe(0);
    });

    it('refuses to update a resource that is being deleted', () => {
      const vm = vmSpec('t1', 'app-01');
      cloud.createResource(vm, k());
      cloud.deleteResource(vm, k());
      expect(errorOf(() => cloud.updateResource({ ...vm, labels: { a: 'b' } }, k())).reason).toBe('deleting');
    });
  });

  describe('quota and capacity', () => {
    const cases: { why: string; spec: () => ResourceSpec; code: string; reason: string }[] = [
      { why: 'beyond the tenant quota', spec: () => vmSpec('t1', 'big', 'kylin-v10-sp3', 33), code: 'conflict', reason: 'quota-exceeded' },
      { why: 'an image without a build for the arch', spec: () => ({ ...vmSpec('t1', 'x', 'centos-7.9'), arch: 'arm64' }), code: 'invalid', reason: 'image-arch-mismatch' },
      { why: 'an image not in the catalogue', spec: () => vmSpec('t1', 'x', 'windows-xp'), code: 'invalid', reason: 'unknown-image' },
      { why: 'an arch this cloud lacks', spec: () => ({ ...vmSpec('t1', 'x'), arch: 'loongarch64', image: 'kylin-v10-sp3' }), code: 'invalid', reason: 'no-matching-pool' },
      { why: 'a vendor this cloud lacks (no Hygon here)', spec: () => ({ ...vmSpec('t1', 'x'), vendor: 'hygon' }), code: 'invalid', reason: 'no-matching-pool' },
      { why: 'an unknown zone', spec: () => ({ ...vmSpec('t1', 'x'), zone: 'az9' }), code: 'invalid', reason: 'unknown-zone' },
      { why: 'a tenant that does not exist', spec: () => vmSpec('t404', 'x'), code: 'not-found', reason: 'tenant-not-found' },
      { why: 'a segment with a bad CIDR', spec: () => ({ tenant: 't1', kind: 'network-segment', name: 'n', size: {}, cidr: '10.0.0.0/33' }), code: 'invalid', reason: 'invalid-spec' },
    ];
    for (const c of cases) {
      it(`refuses ${c.why}`, () => {
        const e = errorOf(() => cloud.createResource(c.spec(), k()));
        expect([e.code, e.reason, e.retryable]).toEqual([c.code, c.reason, false]);
      });
    }

    it('refuses what no pool has room for, even within quota', () => {
      cloud.createTenantSpace(tenantSpec('huge', 10_000), k());
      // az1 holds 4 hosts × 32 cores × overcommit 2 = 256 vCPU of x86_64.
      cloud.createResource(vmSpec('huge', 'a', 'kylin-v10-sp3', 200), k());
      const e = errorOf(() => cloud.createResource(vmSpec('huge', 'b', 'kylin-v10-sp3', 100), k()));
      expect([e.code, e.reason]).toEqual(['conflict', 'insufficient-capacity']);
      const pool = cloud.capacity().pools.find((p) => p.arch === 'x86_64');
      expect(pool?.classes.vcpu).toEqual({ physical: 128, overcommitRatio: 2, allocatable: 256, allocated: 200 });
    });

    it('counts workload sizes per replica', () => {
      const wl: ResourceSpec = { tenant: 't1', kind: 'workload', name: 'api', arch: 'arm64', image: 'harbor/x:1', size: { vcpu: 2, memoryGiB: 4, replicas: 3 } };
      cloud.createResource(wl, k());
      expect(cloud.observeTenantSpace(tenantSpec('t1')).observed?.usage).toEqual({ vcpu: 6, memoryGiB: 12, storageGiB: 0, gpu: 0 });
      expect(cloud.observeResource(wl).observed?.vendor).toBe('kunpeng');
    });

    it('refuses a quota below current usage and a delete of a non-empty space', () => {
      cloud.createResource(vmSpec('t1', 'app', 'kylin-v10-sp3', 8), k());
      expect(errorOf(() => cloud.updateTenantSpace(tenantSpec('t1', 4), k())).reason).toBe('quota-below-usage');
      expect(errorOf(() => cloud.deleteTenantSpace('t1', k())).reason).toBe('tenant-not-empty');
      expect(cloud.updateTenantSpace(tenantSpec('t1', 8), k()).outcome).toBe('updated');
    });

    it('refuses changes to immutable fields', () => {
      cloud.createResource(vmSpec('t1', 'app'), k());
      expect(errorOf(() => cloud.updateResource({ ...vmSpec('t1', 'app'), arch: 'arm64' }, k())).reason).toBe('immutable-field');
    });
  });

  describe('idempotency keys', () => {
    it('counts calls and effects per key', () => {
      const vm = vmSpec('t1', 'app');
      const first = cloud.createResource(vm, 'once');
      expect(cloud.createResource(vm, 'once')).toBe(first);
      expect([cloud.callsByIdempotencyKey('once'), cloud.effectsByIdempotencyKey('once')]).toEqual([2, 1]);
      expect(cloud.createResource(vm, 'other').outcome).toBe('exists');
      expect(cloud.effectsByIdempotencyKey('other')).withContext('"exists" changed nothing').toBe(0);
      expect(cloud.callsByIdempotencyKey('never-used')).toBe(0);
    });

    it('replays a recorded failure instead of trying again', () => {
      const big = vmSpec('t1', 'big', 'kylin-v10-sp3', 64);
      const e1 = errorOf(() => cloud.createResource(big, 'big'));
      cloud.updateTenantSpace(tenantSpec('t1', 128), k());
      expect(errorOf(() => cloud.createResource(big, 'big'))).toBe(e1);
      expect(cloud.createResource(big, 'big-2').outcome).toBe('created');
    });

    it('requires a key', () => {
      expect(errorOf(() => cloud.createResource(vmSpec('t1', 'a'), '')).code).toBe('invalid');
    });

    it('does not let the caller change what was stored', () => {
      const spec = { ...vmSpec('t1', 'app'), labels: { owner: 'a' } };
      cloud.createResource(spec, k());
      (spec.labels as Record<string, string>)['owner'] = 'b';
      expect(cloud.observeResource(vmSpec('t1', 'app')).observed?.spec.labels).toEqual({ owner: 'a' });
    });
  });

  describe('changes behind Ganyun\'s back', () => {
    it('shows up after the cursor: created, modified, deleted and crashed', () => {
      cloud.createResource(vmSpec('t1', 'a'), k());
      cloud.createResource(vmSpec('t1', 'b'), k());
      cloud.createResource(vmSpec('t1', 'c'), k());
      cloud.clock.advance(60_000);
      const { cursor } = listAll(cloud);
      cloud.mutate({ op: 'put-resource', spec: vmSpec('t1', 'rogue') });
      cloud.mutate({ op: 'put-resource', spec: vmSpec('t1', 'a', 'kylin-v10-sp3', 4) });
      cloud.mutate({ op: 'delete-resource', ref: vmSpec('t1', 'b') });
      cloud.mutate({ op: 'set-resource-state', ref: vmSpec('t1', 'c'), state: 'failed' });
      const changes = listAll(cloud, 500, cursor);
      expect(changes.full).toBeFalse();
      const byKey = new Map(changes.items.map((i) => [i.key, i]));
      expect(byKey.get('resource:t1/vm/b')?.type).toBe('tombstone');
      const c = byKey.get('resource:t1/vm/c');
      expect(c?.type === 'resource' ? c.resource.state : undefined).toBe('failed');
      const a = byKey.get('resource:t1/vm/a');
      expect(a?.type === 'resource' ? a.resource.spec.size.vcpu : undefined).toBe(4);
      expect(byKey.has('resource:t1/vm/rogue')).toBeTrue();
      expect(cloud.observeTenantSpace(tenantSpec('t1')).observed?.usage.vcpu).toBe(2 + 4 + 2);
    });

    it('drops a deleted tenant space with everything in it', () => {
      cloud.createResource(vmSpec('t1', 'a'), k());
      const { cursor } = listAll(cloud);
      cloud.mutate({ op: 'delete-tenant-space', name: 't1' });
      const kinds = listAll(cloud, 10, cursor).items.map((i) => `${i.type} ${i.key}`).sort();
      expect(kinds).toEqual(['tombstone resource:t1/vm/a', 'tombstone tenant-space:t1']);
    });
  });

  describe('cursors', () => {
    it('give a full listing after the cloud restarts (new epoch)', () => {
      const { cursor } = listAll(cloud);
      const restarted = smallCloud({ epoch: 'rebooted' });
      expect(restarted.listInventory({ cursor, pageSize: 10 }).full).toBeTrue();
    });

    it('give a full listing once the tombstones they need are forgotten', () => {
      cloud = smallCloud({ maxTombstones: 0, timing: { provisionMs: { vm: 0, workload: 0, volume: 0, 'network-segment': 0 }, updateMs: 0, deleteMs: 0 } });
      cloud.createTenantSpace(tenantSpec('t1', 10_000), k());
      const { cursor } = listAll(cloud);
      // Enough churn to make the store compact its log and forget tombstones.
      for (let i = 0; i < 700; i++) {
        cloud.createResource(vmSpec('t1', `v${i}`, 'kylin-v10-sp3', 1), k());
        cloud.deleteResource(vmSpec('t1', `v${i}`), k());
      }
      expect(cloud.listInventory({ cursor, pageSize: 10 }).full).toBeTrue();
    });

    it('refuses a cursor that is not ours, and a page token that is not ours', () => {
      expect(errorOf(() => cloud.listInventory({ cursor: 'garbage!', pageSize: 10 })).code).toBe('invalid');
      expect(errorOf(() => cloud.listInventory({ page: 'bm9wZQ', pageSize: 10 })).code).toBe('invalid');
      const ahead = `${cloud.epoch}.${cloud.revision + 10}`;
      expect(errorOf(() => cloud.listInventory({ cursor: ahead, pageSize: 10 })).reason).toBe('cursor');
    });

    it('keep a listing consistent while things change under it', () => {
      for (let i = 0; i < 6; i++) cloud.createResource(vmSpec('t1', `v${i}`), k());
      const first = cloud.listInventory({ pageSize: 3 });
      cloud.mutate({ op: 'delete-resource', ref: vmSpec('t1', 'v5') });
      cloud.mutate({ op: 'put-resource', spec: vmSpec('t1', 'late') });
      const rest = listAllFrom(cloud, first.nextPage as string);
      const seen = [...first.items, ...rest.items].map((i) => i.key);
      expect(seen).not.toContain('resource:t1/vm/late');
      const later = listAll(cloud, 100, rest.cursor).items.map((i) => `${i.type} ${i.key}`);
      expect(later).toContain('resource resource:t1/vm/late');
      expect(later).toContain('tombstone resource:t1/vm/v5');
    });
  });

  describe('determinism', () => {
    const snapshot = (c: SimulatedCloud): string => JSON.stringify(listAll(c, 1000).items);

    // Roomy enough that no seeded resource is skipped for want of capacity.
    const hostPools = smallCloudOptions().hostPools.map((p) => ({ ...p, hosts: 100 }));

    it('builds the same inventory from the same seed, and a different one from another', () => {
      const a = smallCloud({ seed: 7, initialResources: 300, epoch: 'e', hostPools });
      const b = smallCloud({ seed: 7, initialResources: 300, epoch: 'e', hostPools });
      const c = smallCloud({ seed: 8, initialResources: 300, epoch: 'e', hostPools });
      expect(snapshot(a)).toBe(snapshot(b));
      expect(snapshot(a)).not.toBe(snapshot(c));
      expect(a.objectCount).withContext('300 resources and their tenant spaces').toBeGreaterThan(300);
    });

    it('stops seeding quietly where the pools are full', () => {
      const full = smallCloud({ seed: 7, initialResources: 300 });
      const pools = full.capacity().pools;
      expect(pools.every((p) => p.classes.vcpu.allocated <= p.classes.vcpu.allocatable)).toBeTrue();
      expect(full.objectCount).toBeLessThan(300);
    });

    it('gives seeded resources realistic names', () => {
      const a = smallCloud({ seed: 7, initialResources: 50, namePrefix: '南昌市', systems: [{ slug: 'bdcdj', name: '不动产登记系统', department: '自然资源局' }] });
      const spaces = listAll(a).items.filter((i) => i.type === 'tenant-space');
      expect(spaces.map((s) => (s.type === 'tenant-space' ? s.tenantSpace.spec.displayName : ''))).toContain('南昌市不动产登记系统');
    });

    it('draws replication lag from the seed and lets tests override it', () => {
      const a = smallCloud({ seed: 3 });
      const b = smallCloud({ seed: 3 });
      expect(a.replicationLinks()).toEqual(b.replicationLinks());
      const [link] = a.replicationLinks();
      expect(link.targetCloud).toBe('test-dr');
      a.mutate({ op: 'replication-link', id: link.id, state: 'broken', lagSeconds: 900 });
      expect(a.replicationLinks()[0]).toEqual(jasmine.objectContaining({ state: 'broken', lagSeconds: 900 }));
    });
  });

  it('reports health per zone', () => {
    expect(cloud.health().status).toBe('ok');
    cloud.mutate({ op: 'zone-status', zone: 'az2', status: 'down' });
    expect(cloud.health()).toEqual(jasmine.objectContaining({ status: 'degraded', zones: [{ zone: 'az1', status: 'ok' }, { zone: 'az2', status: 'down' }] }));
  });
});

function listAllFrom(cloud: SimulatedCloud, page: string): { items: InventoryItem[]; cursor: string } {
  const items: InventoryItem[] = [];
  let p = cloud.listInventory({ pageSize: 3, page });
  items.push(...p.items);
  while (p.nextPage !== undefined) {
    p = cloud.listInventory({ pageSize: 3, page: p.nextPage });
    items.push(...p.items);
  }
  return { items, cursor: p.cursor };
}
