import { SimAdminClient, type ResourceSpec } from '@ganyun/providers';
import type { ChildProcess } from 'node:child_process';
import type { AppDeps } from '../context.ts';
import { callerAs, freshDeps, seedUser } from '../testing/harness.ts';
import { startSimProcess } from '../testing/processes.ts';

describe('a simulated cloud in its own process', () => {
  let deps: AppDeps;
  let sim: { child: ChildProcess; url: string };
  beforeAll(async () => {
    sim = await startSimProcess('jingdezhen', 20_000 + Math.floor(Math.random() * 20_000), ['--initial-resources', '400']);
  }, 60_000);
  afterAll(() => {
    sim.child.kill('SIGTERM');
  });
  beforeEach(async () => {
    deps = await freshDeps();
  });
  afterEach(() => deps.federation.stop());

  it('is registered through the API, synced in full and incrementally through RemoteProvider, and its faults leave the inventory alone', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    await admin.clouds.create({
      id: 'jingdezhen', name: '景德镇市政务云', nameEn: 'Jingdezhen', providerKind: 'remote', endpoint: sim.url, region: '3602',
      kind: 'general', siteRoles: ['production'], certifications: [2, 3], dualActive: false, enabled: true,
    });
    const stats = await new SimAdminClient(sim.url).stats();
    const full = await deps.federation.sync('jingdezhen', 'full');
    if (full instanceof Error) throw full;
    expect([full.mode, full.objects, full.counts.created]).toEqual(['full', stats.objects, stats.objects]);

    const [vm] = (await deps.store.query<{ spec: ResourceSpec }>(`SELECT spec FROM inventory_objects WHERE kind = 'vm' ORDER BY key LIMIT 1`)).map((r) => r.spec);
    const admin2 = new SimAdminClient(sim.url);
    await admin2.mutate({ op: 'delete-resource', ref: vm! });
    await admin.clouds.setFaults({ id: 'jingdezhen', faults: { garbageRate: 1, ops: ['listInventory'] } });
    expect((await admin.clouds.get({ id: 'jingdezhen' })).faults).toEqual({ garbageRate: 1, ops: ['listInventory'] });
    const failed = await deps.federation.sync('jingdezhen', 'incremental');
    expect(failed instanceof Error && (failed as { code?: string }).code).toBe('garbage');
    expect((await admin.clouds.get({ id: 'jingdezhen' })).resourceCount).toBe(stats.objects - (await tenantSpaces(deps)));

    await admin.clouds.setFaults({ id: 'jingdezhen', faults: {} });
    const inc = await deps.federation.sync('jingdezhen', 'incremental');
    if (inc instanceof Error) throw inc;
    expect([inc.mode, inc.counts.deleted]).toEqual(['incremental', 1]);
    const got = await admin.clouds.get({ id: 'jingdezhen' });
    expect(got.syncs.map((s) => s.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(got.resourceCount).toBe(stats.objects - (await tenantSpaces(deps)) - 1);
  });
});

async function tenantSpaces(deps: AppDeps): Promise<number> {
  const [row] = await deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM inventory_objects WHERE kind = 'tenant-space' AND deleted_at IS NULL`);
  return row!.n;
}
