import { DEFAULT_FEDERATION_PATH, loadFederationConfig, type FederationConfig } from '../federation-config.ts';
import { fanOut } from '../fanout.ts';
import type { InventoryItem, Provider } from '../spi.ts';
import { SimClock } from './clock.ts';
import { buildSimulatedFederation } from './federation.ts';
import type { SimulatedProvider } from './simulated-provider.ts';
import { TEST_EPOCH_MS } from '../testing/small-clouds.ts';

async function fullSync(p: Provider): Promise<InventoryItem[]> {
  const items: InventoryItem[] = [];
  let page = await p.listInventory({ pageSize: 2000 });
  items.push(...page.items);
  while (page.nextPage !== undefined) {
    page = await p.listInventory({ pageSize: 2000, page: page.nextPage });
    items.push(...page.items);
  }
  return items;
}

describe('the default federation, simulated in-process', () => {
  let config: FederationConfig;
  let clouds: Map<string, SimulatedProvider>;

  beforeAll(async () => {
    config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
    clouds = buildSimulatedFederation(config, { clock: new SimClock({ frozenAt: TEST_EPOCH_MS }) });
  }, 30_000);

  it('builds one provider per cloud and syncs them all, even with one cloud down', async () => {
    expect([...clouds.keys()]).toEqual(config.clouds.map((c) => c.id));
    clouds.get('pingxiang')?.setFaults({ down: true });
    const answer = await fanOut(clouds.values(), (p) => fullSync(p), { deadlineMs: 10_000, op: 'listInventory' });
    clouds.get('pingxiang')?.setFaults({});
    expect(answer.errors.map((e) => [e.cloudId, e.error.code])).toEqual([['pingxiang', 'unavailable']]);
    const resources = answer.results.flatMap((r) => r.value).filter((i) => i.type === 'resource');
    expect(resources.length).toBeGreaterThan(3000);
  });

  it('names systems after provincial departments and cities', async () => {
    const names = async (id: string): Promise<string[]> =>
      (await fullSync(clouds.get(id) as Provider)).flatMap((i) => (i.type === 'tenant-space' ? [i.tenantSpace.spec.displayName ?? ''] : []));
    expect(await names('jx-province')).toContain('江西省公共资源交易系统');
    expect(await names('ganzhou')).toContain('赣州市不动产登记系统');
  });

  it('states each cloud\'s CPU platforms: Hygon as x86_64 from vendor hygon', async () => {
    const platforms = async (id: string): Promise<string[]> =>
      (await (clouds.get(id) as Provider).connect()).capabilities.platforms.map((p) => `${p.arch}/${p.vendor}`);
    expect(await platforms('xc-hygon')).toEqual(['x86_64/hygon']);
    expect(await platforms('xc-kunpeng')).toEqual(['arm64/kunpeng']);
    expect((await platforms('xc-loongson')).sort()).toEqual(['arm64/phytium', 'loongarch64/loongson']);
  });

  it('reports replication links from production clouds to the remote DR centre', async () => {
    const links = await (clouds.get('jx-province') as Provider).replicationLinks();
    expect(links.map((l) => [l.targetCloud, l.mode])).toEqual([['jx-dr-ganzhou', 'async']]);
  });
});
