import type { ProviderError, ResourceSpec } from '@ganyun/providers';
import type { AppDeps } from '../context.ts';
import { ActionRegistry, type StepContext } from '../engine/actions.ts';
import { callerAs, freshDeps, seedUser } from '../testing/harness.ts';
import { registerCloudActions } from './cloud-actions.ts';
import type { SyncResult } from './inventory-sync.ts';
import { addSimClouds } from '../testing/cloud-fixtures.ts';

const inventoryState = (deps: AppDeps, cloudId: string) =>
  deps.store.query<{ n: number; live: number; digest: string; cursor: string | null }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE deleted_at IS NULL)::int AS live,
            md5(coalesce(string_agg(key || ':' || revision || ':' || coalesce(deleted_at::text, '') || ':' || last_seen_at::text, '|' ORDER BY key), '')) AS digest,
            (SELECT cursor FROM cloud_sync_state WHERE cloud_id = $1) AS cursor
       FROM inventory_objects WHERE cloud_id = $1`,
    [cloudId],
  ).then((r) => r[0]!);

function ok(r: SyncResult | Error): SyncResult {
  if (r instanceof Error) throw r;
  return r;
}

function stepContext<P>(params: P, key: string): StepContext<P> {
  return { workflowId: 'wf', stepKey: key, idempotencyKey: `wf/${key}`, attempt: 1, params, inputs: {}, signal: new AbortController().signal, log: undefined as never };
}

describe('inventory sync', () => {
  let deps: AppDeps & { logs: { text: string } };
  beforeEach(async () => {
    deps = await freshDeps();
    await addSimClouds(deps, ['pingxiang'], 120);
  });

  it('syncs everything in full, then only what changed; deletions behind our back are detected both ways', async () => {
    const sim = deps.federation.simulated('pingxiang')!;
    const full = ok(await deps.federation.sync('pingxiang', 'full'));
    expect([full.mode, full.objects, full.counts]).toEqual(['full', sim.cloud.objectCount, { created: sim.cloud.objectCount, updated: 0, deleted: 0 }]);
    expect((await inventoryState(deps, 'pingxiang')).live).toBe(sim.cloud.objectCount);

    const [victim, changed] = (await deps.store.query<{ spec: ResourceSpec }>(`SELECT spec FROM inventory_objects WHERE kind = 'vm' ORDER BY key LIMIT 2`)).map((r) => r.spec);
    sim.mutate({ op: 'delete-resource', ref: victim! });
    sim.mutate({ op: 'set-resource-state', ref: changed!, state: 'failed' });
    sim.mutate({ op: 'put-resource', spec: { ...victim!, name: `${victim!.name}-new` } });
    const inc = ok(await deps.federation.sync('pingxiang', 'incremental'));
    // The tenant spaces whose usage changed come along as updates too.
    expect([inc.mode, inc.counts.created, inc.counts.deleted]).toEqual(['incremental', 1, 1]);
    expect(inc.counts.updated).toBeGreaterThanOrEqual(1);
    expect(inc.objects).toBe(inc.counts.created + inc.counts.updated + inc.counts.deleted);
    const [row] = await deps.store.query<{ status: string }>(`SELECT status FROM inventory_objects WHERE key = $1`, [`resource:${changed!.tenant}/${changed!.kind}/${changed!.name}`]);
    expect(row!.status).toBe('failed');

    // A full sync marks whatever it did not see as deleted (no tombstone needed).
    const [other] = (await deps.store.query<{ spec: ResourceSpec }>(`SELECT spec FROM inventory_objects WHERE kind = 'volume' AND deleted_at IS NULL LIMIT 1`)).map((r) => r.spec);
    sim.mutate({ op: 'delete-resource', ref: other! });
    const again = ok(await deps.federation.sync('pingxiang', 'full'));
    expect([again.counts.created, again.counts.deleted]).toEqual([0, 1]);
    expect(await deps.metrics.registry.getSingleMetricAsString('ganyun_sync_objects_total')).toContain('cloud="pingxiang",change="deleted"} 2');
    expect(await deps.metrics.registry.getSingleMetricAsString('ganyun_sync_duration_seconds')).toContain('mode="incremental"');
  });

  it('records what Ganyun provisioned and lists drift when the cloud no longer matches it', async () => {
    const actions = new ActionRegistry();
    registerCloudActions(actions, deps.federation, deps.store);
    const quota = { vcpu: 64, memoryGiB: 256, storageGiB: 2000, gpu: 0 };
    await actions.get('cloud.createTenantSpace').run(stepContext({ cloudId: 'pingxiang', spec: { name: 'drift-test', quota } }, 'space'));
    const spec: ResourceSpec = { tenant: 'drift-test', kind: 'vm', name: 'app-01', arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu: 4, memoryGiB: 16, storageGiB: 100 } };
    const created = await actions.get('cloud.createResource').run(stepContext({ cloudId: 'pingxiang', spec }, 'vm'));
    expect((created as { outcome: string }).outcome).toBe('created');
    ok(await deps.federation.sync('pingxiang', 'full'));
    const auditor = await callerAs(deps, (await seedUser(deps, 'eve', ['auditor'])).id);
    expect((await auditor.clouds.get({ id: 'pingxiang' })).drift).toEqual([]);

    const sim = deps.federation.simulated('pingxiang')!;
    sim.mutate({ op: 'put-resource', spec: { ...spec, size: { ...spec.size, vcpu: 8 } } });
    ok(await deps.federation.sync('pingxiang', 'incremental'));
    expect((await auditor.clouds.get({ id: 'pingxiang' })).drift).toEqual([
      { key: 'resource:drift-test/vm/app-01', kind: 'vm', name: 'app-01', field: 'size.vcpu', expected: 4, observed: 8 },
    ]);
    sim.mutate({ op: 'delete-resource', ref: spec });
    ok(await deps.federation.sync('pingxiang', 'incremental'));
    expect((await auditor.clouds.get({ id: 'pingxiang' })).drift.map((d) => `${d.name}:${d.field}`)).toEqual(['app-01:exists']);

    // Compensation removes what the step created, and its expectation with it.
    await actions.get('cloud.createResource').compensate!(stepContext({ cloudId: 'pingxiang', spec }, 'vm'), created);
    expect((await auditor.clouds.get({ id: 'pingxiang' })).drift).toEqual([]);
  });

  // A change listing here fits in one page, so only the full listing reaches page 2.
  const faults: [string, object, string, ('full' | 'incremental')[]][] = [
    ['throttling (429) longer than the retry budget', { throttleRate: 1, retryAfterMs: 60_000, ops: ['listInventory'] }, 'throttled', ['full', 'incremental']],
    ['a page that keeps failing mid-listing', { failPage: { page: 2, times: 100 } }, 'unavailable', ['full']],
    ['garbage answers', { garbageRate: 1, ops: ['listInventory'] }, 'garbage', ['full', 'incremental']],
  ];
  for (const [why, settings, code, modes] of faults) {
    it(`fails with a typed error on ${why}, leaving the stored inventory and cursor unchanged`, async () => {
      ok(await deps.federation.sync('pingxiang', 'full'));
      const sim = deps.federation.simulated('pingxiang')!;
      const [some] = (await deps.store.query<{ spec: ResourceSpec }>(`SELECT spec FROM inventory_objects WHERE kind = 'vm' LIMIT 1`)).map((r) => r.spec);
      sim.mutate({ op: 'delete-resource', ref: some! });
      const before = await inventoryState(deps, 'pingxiang');
      sim.setFaults(settings);
      for (const mode of modes) {
        const result = await deps.federation.sync('pingxiang', mode);
        expect(result instanceof Error ? (result as ProviderError).code : 'succeeded').toBe(code);
      }
      expect(await inventoryState(deps, 'pingxiang')).toEqual(before);
      const runs = await deps.store.query<{ status: string; error: string }>(`SELECT status, error FROM sync_runs ORDER BY started_at DESC LIMIT 1`);
      expect(runs[0]!.status).toBe('failed');
      expect(runs[0]!.error).toMatch(new RegExp(`^${code}: `));
      sim.setFaults({});
      expect(ok(await deps.federation.sync('pingxiang', 'incremental')).counts.deleted).toBe(1);
    });
  }
});
