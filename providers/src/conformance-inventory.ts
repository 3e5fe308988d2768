/**
 * Conformance specs for inventory paging and change cursors, and for faults turning into
 * the right typed errors. Part of describeProviderConformance (conformance.ts).
 */
import type { ConformanceFixture } from './conformance.ts';
import { drainFull, key, providerErrorOf } from './conformance.ts';
import type { InventoryItem, InventoryPage, Provider, ResourceSpec, TenantSpaceSpec } from './spi.ts';

interface Ctx {
  readonly fx: ConformanceFixture;
  readonly p: Provider;
  readonly tenant: TenantSpaceSpec;
  readonly spec: (tenant: string, name: string) => ResourceSpec;
}

/** Follows nextPage to the end, checking page sizes; returns all items and the cursor. */
async function listAll(p: Provider, pageSize: number, cursor?: string): Promise<{ items: InventoryItem[]; last: InventoryPage; pages: number }> {
  const items: InventoryItem[] = [];
  let page = await p.listInventory({ pageSize, ...(cursor !== undefined ? { cursor } : {}) });
  let pages = 1;
  for (;;) {
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    items.push(...page.items);
    if (page.nextPage === undefined) return { items, last: page, pages };
    page = await p.listInventory({ pageSize, page: page.nextPage });
    pages++;
  }
}

const mine = (tenant: string) => (i: InventoryItem): boolean => i.key.includes(tenant);

export function describeInventoryConformance(ctx: () => Ctx): void {
  describe('inventory', () => {
    it('pages through everything once, without duplicates', async () => {
      const { p, tenant, spec } = ctx();
      await p.createTenantSpace(tenant, key());
      for (let i = 1; i <= 7; i++) await p.createResource(spec(tenant.name, `app-${i}`), key());
      const { items, last, pages } = await listAll(p, 3);
      expect(last.full).toBeTrue();
      expect(pages).toBeGreaterThan(1);
      const keys = items.map((i) => i.key);
      expect(new Set(keys).size).withContext('no key twice in one listing').toBe(keys.length);
      const ours = items.filter(mine(tenant.name));
      expect(ours.filter((i) => i.type === 'resource').length).toBe(7);
      expect(ours.filter((i) => i.type === 'tenant-space').length).toBe(1);
      expect(items.some((i) => i.type === 'tombstone')).withContext('a full listing has no tombstones').toBeFalse();
    });

    it('returns only what changed since a cursor, deletions as tombstones', async () => {
      const { fx, p, tenant, spec } = ctx();
      await p.createTenantSpace(tenant, key());
      const vms = [1, 2, 3, 4, 5].map((i) => spec(tenant.name, `app-${i}`));
      for (const vm of vms) await p.createResource(vm, key());
      await fx.settle();
      const cursor = await drainFull(p);
      await p.deleteResource(vms[0], key());
      await p.deleteResource(vms[1], key());
      await p.updateResource({ ...vms[2], labels: { owner: '省大数据中心' } }, key());
      await p.createResource(spec(tenant.name, 'app-6'), key());
      await fx.settle();
      const { items, last } = await listAll(p, 2, cursor);
      expect(last.full).toBeFalse();
      const ours = items.filter(mine(tenant.name));
      const tombstones = ours.filter((i) => i.type === 'tombstone').map((i) => i.key);
      expect(tombstones.sort()).toEqual([`resource:${tenant.name}/${vms[0]!.kind}/app-1`, `resource:${tenant.name}/${vms[0]!.kind}/app-2`]);
      const upserts = ours.filter((i) => i.type === 'resource').map((i) => i.key);
      expect(upserts.sort()).toEqual([`resource:${tenant.name}/${vms[0]!.kind}/app-3`, `resource:${tenant.name}/${vms[0]!.kind}/app-6`]);
      const later = await p.listInventory({ cursor: last.cursor, pageSize: 10 });
      expect(later.items).withContext('nothing changed since the newest cursor').toEqual([]);
    });

    it('refuses a page size outside 1..maxPageSize', async () => {
      const { p } = ctx();
      const { capabilities } = await p.connect();
      for (const pageSize of [0, capabilities.maxPageSize + 1]) {
        expect((await providerErrorOf(() => p.listInventory({ pageSize }))).code).toBe('invalid');
      }
    });
  });

  describe('faults', () => {
    afterEach(async () => ctx().fx.injectFault?.('none'));

    const table: { fault: 'down' | 'throttled' | 'garbage'; code: string; retryable: boolean; why: string }[] = [
      { fault: 'down', code: 'unavailable', retryable: true, why: 'an unreachable cloud may come back' },
      { fault: 'throttled', code: 'throttled', retryable: true, why: 'throttling says: come back later' },
      { fault: 'garbage', code: 'garbage', retryable: false, why: 'an unparseable answer is not fixed by asking again' },
    ];
    for (const c of table) {
      it(`turns "${c.fault}" into ${c.code} (${c.why})`, async () => {
        const { fx, p } = ctx();
        if (fx.injectFault === undefined) return pending('fixture cannot inject faults');
        await fx.injectFault(c.fault);
        const e = await providerErrorOf(() => p.listInventory({ pageSize: 10 }));
        expect([e.code, e.retryable, e.provider, e.op]).toEqual([c.code, c.retryable, p.cloudId, 'listInventory']);
        if (c.fault === 'throttled') expect(e.retryAfterMs).toBeGreaterThan(0);
        await fx.injectFault('none');
        expect((await p.health()).status).toBeDefined();
      });
    }

    it('lets a listing resume after a failed page', async () => {
      const { fx, p, tenant, spec } = ctx();
      if (fx.injectFault === undefined) return pending('fixture cannot inject faults');
      await p.createTenantSpace(tenant, key());
      for (let i = 1; i <= 4; i++) await p.createResource(spec(tenant.name, `app-${i}`), key());
      const reference = await listAll(p, 2);
      await fx.injectFault('failing-page');
      const first = await p.listInventory({ pageSize: 2 });
      const token = first.nextPage as string;
      const e = await providerErrorOf(() => p.listInventory({ pageSize: 2, page: token }));
      expect([e.code, e.retryable]).toEqual(['unavailable', true]);
      const items = [...first.items];
      let page = await p.listInventory({ pageSize: 2, page: token });
      items.push(...page.items);
      while (page.nextPage !== undefined) {
        page = await p.listInventory({ pageSize: 2, page: page.nextPage });
        items.push(...page.items);
      }
      expect(items.map((i) => i.key)).toEqual(reference.items.map((i) => i.key));
    });
  });
}
