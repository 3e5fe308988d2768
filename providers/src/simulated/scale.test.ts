/**
 * Scale: a cloud holding 10,000 resources lists them in pages of thousands, and an
 * incremental sync returns only the changes. Counts, not timings, are asserted; the
 * timing figures come from sync-bench.ts.
 */
import { tenantSpec, vmSpec } from '../conformance.ts';
import type { InventoryItem } from '../spi.ts';
import { smallCloud, smallCloudOptions } from '../testing/small-clouds.ts';

describe('a simulated cloud at scale', () => {
  it('holds 10,000 resources and syncs them fully, then incrementally', () => {
    const hostPools = smallCloudOptions().hostPools.map((p) => ({ ...p, hosts: 2000 }));
    const cloud = smallCloud({ initialResources: 10_000, hostPools });
    const items: InventoryItem[] = [];
    let page = cloud.listInventory({ pageSize: 2500 });
    items.push(...page.items);
    while (page.nextPage !== undefined) {
      page = cloud.listInventory({ pageSize: 2500, page: page.nextPage });
      items.push(...page.items);
    }
    expect(items.filter((i) => i.type === 'resource').length).toBe(10_000);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);

    cloud.createTenantSpace(tenantSpec('late', 512), 'late');
    for (let i = 0; i < 50; i++) cloud.createResource(vmSpec('late', `v${i}`), `late-${i}`);
    const changes = cloud.listInventory({ cursor: page.cursor, pageSize: 5000 });
    expect(changes.items.filter((i) => i.type === 'resource').length).toBe(50);
    expect(changes.nextPage).toBeUndefined();
  }, 30_000);
});
