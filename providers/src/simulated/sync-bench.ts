/**
 * Figures for the scale target: 100,000 resources across 14 clouds, fully synced in
 * pages, in-process and over HTTP against sim servers on loopback.
 *
 *   node --import tsx providers/src/simulated/sync-bench.ts [--total 100000] [--clouds 14] [--page 2000]
 */
import { parseArgs } from 'node:util';
import { fanOut } from '../fanout.ts';
import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '../federation-config.ts';
import { RemoteProvider } from '../remote/remote-provider.ts';
import type { Provider } from '../spi.ts';
import { SimClock } from './clock.ts';
import { buildSimulatedFederation } from './federation.ts';
import { startSimServer } from './http-server.ts';

const { values } = parseArgs({ options: { total: { type: 'string' }, clouds: { type: 'string' }, page: { type: 'string' } } });
const total = Number(values.total ?? 100_000);
const cloudCount = Number(values.clouds ?? 14);
const pageSize = Number(values.page ?? 2000);

async function fullSync(p: Provider): Promise<number> {
  let n = 0;
  let page = await p.listInventory({ pageSize });
  n += page.items.length;
  while (page.nextPage !== undefined) {
    page = await p.listInventory({ pageSize, page: page.nextPage });
    n += page.items.length;
  }
  return n;
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  process.stdout.write(`${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  return r;
}

const base = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
// Bigger pools than the default federation, so that every seeded resource finds room.
const config = {
  ...base,
  clouds: base.clouds.slice(0, cloudCount).map((c) => (c.sim ? { ...c, sim: { ...c.sim, hostPools: c.sim.hostPools.map((p) => ({ ...p, hosts: p.hosts * 60 })) } } : c)),
};
const perCloud = Math.ceil(total / config.clouds.length);
const clouds = await timed(`seed ${config.clouds.length} clouds × ${perCloud} resources`, async () =>
  buildSimulatedFederation(config, { initialResources: perCloud, clock: new SimClock() }),
);
const objects = [...clouds.values()].reduce((n, p) => n + p.cloud.objectCount, 0);
process.stdout.write(`objects (resources + tenant spaces): ${objects}\n`);

const inProcess = await timed(`full sync in-process, pages of ${pageSize}`, () => fanOut(clouds.values(), fullSync, { deadlineMs: 120_000 }));
process.stdout.write(`  items: ${inProcess.results.reduce((n, r) => n + r.value, 0)}, errors: ${inProcess.errors.length}\n`);

const servers = await Promise.all([...clouds.values()].map((p) => startSimServer({ cloud: p.cloud })));
const remotes = servers.map((s) => new RemoteProvider({ cloudId: s.cloud.cloudId, endpoint: s.url }));
const overHttp = await timed(`full sync over HTTP (loopback), pages of ${pageSize}`, () => fanOut(remotes, fullSync, { deadlineMs: 120_000 }));
process.stdout.write(`  items: ${overHttp.results.reduce((n, r) => n + r.value, 0)}, errors: ${overHttp.errors.length}\n`);
await Promise.all(servers.map((s) => s.close()));
