import { SimClock, startSimServer, type SimServer } from '@ganyun/providers';
import { TEST_EPOCH_MS, smallCloud } from '@ganyun/providers/testing/small-clouds.ts';
import type { AppDeps } from '../context.ts';
import { addSimClouds } from '../testing/cloud-fixtures.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { Federation } from '../federation/federation.ts';
import { inventoryRepo } from '../federation/inventory-repo.ts';
import { TEST_FEDERATION_OPTIONS, auditTrail, callerAs, errorOf, freshDeps, seedUser } from '../testing/harness.ts';

const TOKEN = 'sim-Token-9f8e7d6c5b4a';
const registry = (deps: AppDeps) =>
  deps.store.query<{ n: number; digest: string | null }>(
    `SELECT count(*)::int AS n, md5(string_agg(id || name || coalesce(endpoint, '') || coalesce(credentials, '') || enabled::text, '|' ORDER BY id)) AS digest FROM clouds`,
  ).then((r) => r[0]!);

const cloudInput = (over: Record<string, unknown> = {}) => ({
  id: 'remote-a', name: '测试远程云', nameEn: 'Remote test cloud', providerKind: 'remote' as const, region: '3601',
  kind: 'general' as const, siteRoles: ['production' as const], certifications: [2, 3], dualActive: false, enabled: true, ...over,
});

describe('clouds', () => {
  let deps: AppDeps & { logs: { text: string } };
  let admin: Awaited<ReturnType<typeof callerAs>>;
  let server: SimServer;
  beforeEach(async () => {
    deps = await freshDeps();
    admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    server = await startSimServer({ cloud: smallCloud({ cloudId: 'remote-a', initialResources: 20, clock: new SimClock({ frozenAt: TEST_EPOCH_MS }) }), token: TOKEN });
  });
  afterEach(async () => {
    await server.close();
    await deps.federation.stop();
  });

  const bad: [string, () => Record<string, unknown>, string, string][] = [
    ['a region outside Jiangxi', () => ({ region: '3701', endpoint: server.url, token: TOKEN }), 'BAD_REQUEST', 'region'],
    ['a remote cloud without an endpoint', () => ({ token: TOKEN }), 'BAD_REQUEST', 'endpoint'],
    ['an unreachable endpoint', () => ({ endpoint: 'http://127.0.0.1:9', token: TOKEN }), 'BAD_REQUEST', 'endpoint'],
    ['a wrong token', () => ({ endpoint: server.url, token: 'wrong-token' }), 'BAD_REQUEST', 'token'],
    ['no token where one is needed', () => ({ endpoint: server.url }), 'BAD_REQUEST', 'token'],
    ['an endpoint that is another cloud', () => ({ id: 'remote-b', endpoint: server.url, token: TOKEN }), 'BAD_REQUEST', 'endpoint'],
    ['an id that is not a slug', () => ({ id: 'Remote A', endpoint: server.url, token: TOKEN }), 'BAD_REQUEST', 'id'],
    ['an MLPS level of 6', () => ({ certifications: [6], endpoint: server.url, token: TOKEN }), 'BAD_REQUEST', 'certifications.0'],
  ];
  for (const [why, change, code, field] of bad) {
    it(`refuses ${why} with a clear error, storing nothing`, async () => {
      const before = await registry(deps);
      const error = await errorOf(() => admin.clouds.create(cloudInput(change()) as never));
      expect([error.code, Object.keys(error.fieldErrors ?? {})]).toEqual([code, [field]]);
      expect(await registry(deps)).toEqual(before);
      expect(() => deps.federation.provider('remote-a')).toThrow();
    });
  }

  it('connects a remote cloud, and never shows its token in answers, the audit trail, the log or the row', async () => {
    const created = await admin.clouds.create(cloudInput({ endpoint: server.url, token: TOKEN }));
    expect([created.id, created.regionName, created.circuit, created.health.status]).toEqual(['remote-a', '南昌市', 'closed', 'unknown']);
    const health = await admin.clouds.checkHealth({ id: 'remote-a' });
    expect(health.status).toBe('up');
    const { syncId } = await admin.clouds.sync({ id: 'remote-a', mode: 'full' });
    await deps.federation.sync('remote-a', 'full');
    const updated = await admin.clouds.update({ id: 'remote-a', name: '测试远程云（改）', token: TOKEN });
    const got = await admin.clouds.get({ id: 'remote-a' });
    expect(got.syncs.some((s) => s.id === syncId && s.status === 'succeeded')).toBeTrue();
    expect(got.resourceCount).toBeGreaterThan(0);
    expect(got.faults).toEqual({});
    const listed = await admin.clouds.list();
    const inventory = await admin.clouds.inventory({ id: 'remote-a', limit: 5 });
    for (const answer of [created, health, updated, got, listed, inventory]) expect(JSON.stringify(answer)).not.toContain(TOKEN);
    const trail = await auditTrail(deps);
    expect(trail.map((r) => `${r.procedure}:${r.outcome}`)).toEqual(['clouds.create:ok', 'clouds.checkHealth:ok', 'clouds.sync:ok', 'clouds.update:ok']);
    expect(JSON.stringify(trail)).not.toContain(TOKEN);
    expect(deps.logs.text).not.toContain(TOKEN);
    const [row] = await deps.store.query<{ credentials: string }>(`SELECT credentials FROM clouds WHERE id = 'remote-a'`);
    expect(row!.credentials).toMatch(/^v1\./);
    expect(row!.credentials).not.toContain(TOKEN);
  });

  it('answers a fan-out with the healthy clouds and one error for a cloud that is down', async () => {
    await addSimClouds(deps, ['pingxiang', 'jingdezhen', 'fuzhou'], 10);
    const operator = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    await operator.clouds.setFaults({ id: 'jingdezhen', faults: { down: true } });
    const capacity = await operator.clouds.capacity();
    expect(capacity.results.map((r) => r.cloudId).sort()).toEqual(['fuzhou', 'pingxiang']);
    expect(capacity.errors.map((e) => `${e.cloudId}:${e.code}`)).toEqual(['jingdezhen:unavailable']);
    expect(capacity.results[0]!.value.some((l) => l.resourceClass === 'vcpu' && l.total > 0)).toBeTrue();
    await deps.federation.checkAll();
    await deps.federation.checkAll();
    const list = await operator.clouds.list();
    expect(list.items.map((c) => `${c.id}:${c.health.status}`).sort()).toEqual(['fuzhou:up', 'jingdezhen:down', 'pingxiang:up']);
    expect(list.items.find((c) => c.id === 'fuzhou')!.capacity.length).toBeGreaterThan(0);
    // Repeated health failures opened its health circuit (reads failed fewer times than the threshold): until it
    // half-opens, health calls fail fast even once the cloud is back.
    const jingdezhen = list.items.find((c) => c.id === 'jingdezhen')!;
    expect([jingdezhen.circuit, jingdezhen.circuits]).toEqual(['open', { read: 'closed', mutate: 'closed', inventory: 'closed', health: 'open' }]);
    expect(await deps.metrics.registry.getSingleMetricAsString('ganyun_provider_circuit_state')).toContain('cloud="jingdezhen",class="health"} 2');
    await operator.clouds.setFaults({ id: 'jingdezhen', faults: {} });
    expect((await operator.clouds.checkHealth({ id: 'jingdezhen' })).message).toContain('circuit-open');
    expect(await deps.metrics.registry.getSingleMetricAsString('ganyun_provider_call_duration_seconds')).toContain('provider="jingdezhen",op="capacity",outcome="unavailable"');
  });

  it('records a healed cloud as up once its health circuit half-opens, without waiting for the next round', async () => {
    // The health schedule is never started here: only the wrapper's own probe and what it triggers can notice.
    const halfOpenAfterMs = 100;
    await deps.federation.stop();
    deps.federation = new Federation(deps, { ...TEST_FEDERATION_OPTIONS, resilience: { ...TEST_FEDERATION_OPTIONS.resilience, halfOpenAfterMs } });
    await addSimClouds(deps, ['jingdezhen'], 5);
    const operator = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    await operator.clouds.setFaults({ id: 'jingdezhen', faults: { down: true } });
    await deps.federation.checkAll();
    await deps.federation.checkAll();
    expect(deps.federation.circuits('jingdezhen').health).toBe('open');
    await operator.clouds.setFaults({ id: 'jingdezhen', faults: {} });
    const healthOf = async () => (await operator.clouds.list()).items[0]!.health.status;
    // Polls for the outcome (no bound on how long it took: the providers spec checks the window on a mocked clock).
    while ((await healthOf()) !== 'up') await new Promise((r) => setTimeout(r, halfOpenAfterMs / 4));
    const history = await deps.store.query<{ status: string }>(`SELECT status FROM cloud_health WHERE cloud_id = 'jingdezhen' ORDER BY id`);
    expect(history.map((h) => h.status)).toEqual(['down', 'down', 'up']);
    expect(deps.federation.circuits('jingdezhen')).toEqual({ read: 'closed', mutate: 'closed', inventory: 'closed', health: 'closed' });
  });

  it("lists each cloud's latest health check and latest sync as the database keeps them (cloud_latest), whoever writes", async () => {
    await addSimClouds(deps, ['pingxiang'], 5);
    const operator = await callerAs(deps, (await seedUser(deps, 'ops', ['cloud-operator'])).id);
    const shown = async () => {
      const c = (await operator.clouds.list()).items[0]!;
      return { health: c.health.status, message: c.health.message, sync: c.lastSync.status, objects: c.lastSync.objects, at: c.lastSync.at };
    };
    expect(await shown()).toEqual({ health: 'unknown', message: null, sync: null, objects: 0, at: null });
    const t0 = new Date(TEST_EPOCH_MS);
    await cloudsRepo.addHealth(deps.store, 'pingxiang', { at: t0, status: 'down', latencyMs: null, message: 'refused' });
    await cloudsRepo.addHealth(deps.store, 'pingxiang', { at: new Date(TEST_EPOCH_MS + 1000), status: 'up', latencyMs: 3, message: null });
    expect((await shown()).health).toBe('up');
    // A run is shown from its start and updated as it ends; a run that started earlier and ends later does not replace it.
    // (Runs end at the database's now(), so they start shortly before it.)
    const later = { id: '00000000-0000-4000-8000-000000000002', cloudId: 'pingxiang', mode: 'full' as const, startedAt: new Date(Date.now() - 60_000) };
    const earlier = { ...later, id: '00000000-0000-4000-8000-000000000001', startedAt: new Date(Date.now() - 120_000) };
    await inventoryRepo.startRun(deps.store, later);
    expect(await shown()).toEqual({ health: 'up', message: null, sync: 'running', objects: 0, at: later.startedAt.toISOString() });
    await inventoryRepo.startRun(deps.store, earlier);
    const done = { mode: 'full' as const, counts: { created: 1, updated: 0, deleted: 0 }, error: null, cursor: null };
    await inventoryRepo.finishRun(deps.store, later.id, { ...done, status: 'succeeded', objects: 42 });
    await inventoryRepo.finishRun(deps.store, earlier.id, { ...done, status: 'failed', objects: 7 });
    expect(await shown()).toEqual({ health: 'up', message: null, sync: 'succeeded', objects: 42, at: later.startedAt.toISOString() });
    // The history the detail view reads still has both checks, newest first.
    expect((await operator.clouds.get({ id: 'pingxiang' })).healthHistory.map((h) => h.status)).toEqual(['up', 'down']);
  });

  it('lets every role read, and only admins and cloud operators change', async () => {
    await addSimClouds(deps, ['pingxiang'], 5);
    const user = await callerAs(deps, (await seedUser(deps, 'dept', ['auditor'])).id);
    expect((await user.clouds.list({ kind: 'general' })).items.map((c) => c.id)).toEqual(['pingxiang']);
    expect((await user.clouds.list({ region: '3601' })).items).toEqual([]);
    for (const attempt of [
      () => user.clouds.sync({ id: 'pingxiang', mode: 'full' }),
      () => user.clouds.setFaults({ id: 'pingxiang', faults: { down: true } }),
      () => user.clouds.update({ id: 'pingxiang', enabled: false }),
    ]) expect((await errorOf(attempt)).code).toBe('FORBIDDEN');
    expect((await errorOf(() => admin.clouds.get({ id: 'nowhere' }))).code).toBe('NOT_FOUND');
    expect((await errorOf(() => admin.clouds.inventory({ id: 'pingxiang', limit: 501 }))).code).toBe('BAD_REQUEST');
  });

  it('pages the inventory with a cursor and finds by name', async () => {
    await addSimClouds(deps, ['pingxiang'], 30);
    await deps.federation.sync('pingxiang', 'full');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.clouds.inventory({ id: 'pingxiang', limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.key));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.length).toBe(deps.federation.simulated('pingxiang')!.cloud.objectCount);
    expect(new Set(seen).size).toBe(seen.length);
    const first = (await admin.clouds.inventory({ id: 'pingxiang', kind: 'vm', limit: 1 })).items[0]!;
    expect((await admin.clouds.inventory({ id: 'pingxiang', search: first.name, limit: 50 })).items.map((i) => i.key)).toContain(first.key);
  });
});
