import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import type { AppDeps } from '../context.ts';
import { DbSession } from '../lifecycle/db-session.ts';
import { createLogger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { addSimClouds } from '../testing/cloud-fixtures.ts';
import { callerAs, freshDeps, seedUser } from '../testing/harness.ts';
import { TEST_PG_ADMIN_URL } from '../testing/test-store.ts';
import { CLOUDS_CHANNEL, CloudSummaries } from './cloud-summaries.ts';
import { summarise } from './cloud-views.ts';
import { cloudsRepo, type ListedCloud } from './clouds-repo.ts';
import { inventoryRepo } from './inventory-repo.ts';

/** The URL of the spec database on PostgreSQL (a scratch database of the run). */
async function testDatabaseUrl(store: Store): Promise<string> {
  const [{ name }] = (await store.query<{ name: string }>('SELECT current_database() AS name')) as [{ name: string }];
  const url = new URL(TEST_PG_ADMIN_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Wired as app.ts wires it: on PostgreSQL a database session listens for the replica; PGlite needs nothing. */
async function followChanges(deps: AppDeps): Promise<{ stop(): Promise<void>; url: string | null }> {
  if (deps.store.kind === 'pglite') return { stop: async () => undefined, url: null };
  const url = await testDatabaseUrl(deps.store);
  let up!: () => void;
  const listening = new Promise<void>((resolve) => (up = resolve));
  const session = new DbSession(url, createLogger('silent'), {
    channels: { [CLOUDS_CHANNEL]: () => deps.cloudSummaries.invalidate() },
    onUp: () => {
      deps.cloudSummaries.resume();
      up();
    },
    onDown: () => deps.cloudSummaries.suspend(),
  });
  session.start();
  await listening;
  return { stop: () => session.stop(), url };
}

/**
 * A change made behind this process's back is shown by the next read on PGlite (its NOTIFY is delivered in process
 * at commit); on PostgreSQL it is shown once the notification arrives on the session, which is awaited (2 s at most).
 */
async function nextReadShows(store: Store, read: () => Promise<unknown>, expected: unknown): Promise<void> {
  if (store.kind === 'pglite') return void expect(await read()).toEqual(expected);
  const until = Date.now() + 2000;
  let last = await read();
  while (!isDeepStrictEqual(last, expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 10));
    last = await read();
  }
  expect(last).toEqual(expected);
}

describe('clouds.list from the per-process snapshot (cloud-summaries.ts)', () => {
  let deps: AppDeps;
  let feed: { stop(): Promise<void>; url: string | null };
  let listed: jasmine.Spy;
  beforeEach(async () => {
    deps = await freshDeps();
    await addSimClouds(deps, ['nanchang', 'pingxiang', 'jingdezhen', 'xc-kunpeng'], 5);
    feed = await followChanges(deps);
    listed = spyOn(cloudsRepo, 'listed').and.callThrough();
  });
  afterEach(async () => {
    await feed.stop();
    await deps.federation.stop();
  });

  it('answers as the uncached list does, for every filter and every role, and costs no statement while nothing changes', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const auditor = await callerAs(deps, (await seedUser(deps, 'aud', ['auditor'])).id);
    const filters = [{}, { region: '3601' }, { region: '3603' }, { kind: 'general' as const }, { kind: 'xinchuang' as const }, { region: '3601', kind: 'xinchuang' as const }, { region: '3611' }];
    const first = await admin.clouds.list();
    expect(first.items.map((c) => c.id)).toEqual(['nanchang', 'xc-kunpeng', 'jingdezhen', 'pingxiang']);
    listed.calls.reset();
    for (const filter of filters) {
      const uncached = await summarise(deps.store, deps.federation, filter);
      listed.calls.reset();
      // The same JSON, field order included: what the console receives does not depend on the snapshot.
      expect(JSON.stringify((await admin.clouds.list(filter)).items)).withContext(JSON.stringify(filter)).toBe(JSON.stringify(uncached));
      expect((await auditor.clouds.list(filter)).items).withContext(JSON.stringify(filter)).toEqual(uncached);
      expect(listed).withContext(JSON.stringify(filter)).not.toHaveBeenCalled();
    }
    expect(deps.cloudSummaries.isSuspended).toBeFalse();
  });

  it('shows a health check, a sync, a live count and a capacity written by anyone on the next read', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const shown = async () => {
      const c = (await admin.clouds.list({ region: '3603' })).items[0]!;
      return { id: c.id, health: c.health.status, latencyMs: c.health.latencyMs, sync: c.lastSync.status, objects: c.lastSync.objects, count: c.resourceCount, capacity: c.capacity.length };
    };
    const before = await shown();
    expect(before.id).toBe('pingxiang');
    // A health check recorded by the federation (as the schedule does), then one written straight to the table.
    const answer = await deps.federation.checkHealth('pingxiang');
    await nextReadShows(deps.store, async () => { const s = await shown(); return [s.health, s.latencyMs]; }, [answer.status, answer.latencyMs]);
    await cloudsRepo.addHealth(deps.store, 'pingxiang', { at: new Date(), status: 'down', latencyMs: 77, message: 'refused' });
    const afterHealth = await shown();
    if (deps.store.kind === 'pglite') expect(afterHealth.health).toBe('down');
    await nextReadShows(deps.store, async () => (await shown()).latencyMs, 77);
    // A sync run from its start to its end, and the live count it changes.
    const run = { id: '00000000-0000-4000-8000-0000000000aa', cloudId: 'pingxiang', mode: 'full' as const, startedAt: new Date(Date.now() - 1000) };
    await inventoryRepo.startRun(deps.store, run);
    await nextReadShows(deps.store, async () => (await shown()).sync, 'running');
    await inventoryRepo.finishRun(deps.store, run.id, { mode: 'full', status: 'succeeded', objects: 4242, counts: { created: 0, updated: 0, deleted: 0 }, error: null, cursor: null });
    await nextReadShows(deps.store, async () => { const s = await shown(); return [s.sync, s.objects]; }, ['succeeded', 4242]);
    expect(await deps.federation.sync('pingxiang', 'full')).not.toEqual(jasmine.any(Error));
    const count = (await summarise(deps.store, deps.federation, { ids: ['pingxiang'] }))[0]!.resourceCount;
    expect(count).toBeGreaterThan(0);
    await nextReadShows(deps.store, async () => (await shown()).count, count);
    await deps.store.query(`UPDATE inventory_objects SET deleted_at = now() WHERE cloud_id = 'pingxiang' AND deleted_at IS NULL AND kind <> 'tenant-space' AND key = (SELECT min(key) FROM inventory_objects WHERE cloud_id = 'pingxiang' AND deleted_at IS NULL AND kind <> 'tenant-space')`);
    await nextReadShows(deps.store, async () => (await shown()).count, count - 1);
    await cloudsRepo.setCapacity(deps.store, 'pingxiang', []);
    await nextReadShows(deps.store, async () => (await shown()).capacity, 0);
    // After all that, still the uncached answer.
    expect((await admin.clouds.list()).items).toEqual(await summarise(deps.store, deps.federation, {}));
  });

  it('shows a cloud update, a disabled cloud and a new cloud made through the API at once, on this replica, on both stores', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    await admin.clouds.list();
    // No waiting here even on PostgreSQL: this process's own commits drop the snapshot (trpc.ts).
    await admin.clouds.update({ id: 'nanchang', name: '南昌云（改）', region: '3611' });
    const nanchang = (await admin.clouds.list()).items.find((c) => c.id === 'nanchang')!;
    expect([nanchang.name, nanchang.region, nanchang.regionName]).toEqual(['南昌云（改）', '3611', (await summarise(deps.store, deps.federation, { ids: ['nanchang'] }))[0]!.regionName]);
    expect((await admin.clouds.list({ region: '3611' })).items.map((c) => c.id)).toEqual(['nanchang']);
    expect((await admin.clouds.list({ region: '3601' })).items.map((c) => c.id)).toEqual(['xc-kunpeng']);
    await admin.clouds.update({ id: 'jingdezhen', enabled: false });
    expect((await admin.clouds.list()).items.find((c) => c.id === 'jingdezhen')!.enabled).toBeFalse();
    await admin.clouds.create({
      id: 'sim-new', name: '新模拟云', nameEn: 'New simulated cloud', providerKind: 'simulated', region: '3605', kind: 'general',
      siteRoles: ['production'], certifications: [3], dualActive: false, enabled: true,
    });
    expect((await admin.clouds.list({ region: '3605' })).items.map((c) => c.id)).toEqual(['sim-new']);
    expect((await admin.clouds.list()).items).toEqual(await summarise(deps.store, deps.federation, {}));
  });

  it('drops the snapshot on a change committed by another connection to the database (PostgreSQL: heard through NOTIFY)', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    const name = async () => (await admin.clouds.list({ region: '3603' })).items[0]!.name;
    const before = await name();
    listed.calls.reset();
    await name();
    expect(listed).not.toHaveBeenCalled();
    if (feed.url) {
      // Another replica, a script or psql: its own connection, nothing of this process involved.
      const other = new pg.Client({ connectionString: feed.url });
      await other.connect();
      try {
        await other.query(`UPDATE clouds SET name = '萍乡云（另一连接）' WHERE id = 'pingxiang'`);
        await nextReadShows(deps.store, name, '萍乡云（另一连接）');
        // A bare notification (nothing changed) drops it too: the next read asks the database again.
        listed.calls.reset();
        await other.query(`SELECT pg_notify('${CLOUDS_CHANNEL}', 'spec')`);
        const until = Date.now() + 2000;
        while (listed.calls.count() === 0 && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 10));
          await name();
        }
        expect(listed).toHaveBeenCalled();
      } finally {
        await other.end();
      }
    } else {
      // PGlite: one process owns the database; a write in a transaction is heard as it commits.
      // (The snapshot is read directly inside the transaction: a call through the API would wait for PGlite's one
      // connection to sign the caller in.)
      const snapshotName = async () => (await deps.cloudSummaries.listed({ region: '3603' }))[0]!.name;
      await deps.store.transaction(async (tx) => {
        await tx.query(`UPDATE clouds SET name = '萍乡云（事务）' WHERE id = 'pingxiang'`);
        expect(await snapshotName()).withContext('not committed yet').toBe(before);
      });
      expect(await snapshotName()).toBe('萍乡云（事务）');
      expect(await name()).toBe('萍乡云（事务）');
    }
  });

  it('reads the circuits live on every call, never from the snapshot', async () => {
    const admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    expect((await admin.clouds.list({ region: '3603' })).items[0]!.circuit).toBe('closed');
    listed.calls.reset();
    spyOn(deps.federation, 'circuit').and.returnValue('open');
    spyOn(deps.federation, 'circuits').and.returnValue({ read: 'closed', mutate: 'closed', inventory: 'closed', health: 'open' });
    const c = (await admin.clouds.list({ region: '3603' })).items[0]!;
    expect([c.circuit, c.circuits.health]).toEqual(['open', 'open']);
    // What is shared between answers cannot be changed through one of them.
    expect(() => c.capacity.push(c.capacity[0]!)).toThrowError(TypeError);
    expect(() => ((c.health as { status: string }).status = 'down')).toThrowError(TypeError);
    expect(listed).not.toHaveBeenCalled();
  });
});

describe('CloudSummaries (generations and suspension, over a scripted store)', () => {
  const row = (id: string, name: string): ListedCloud => ({
    id, name, nameEn: name, providerKind: 'simulated', endpoint: null, region: '3601', regionName: '南昌市', kind: 'general', siteRoles: ['production'],
    certifications: [3], dualActive: false, enabled: true, capacity: null, healthStatus: null, healthAt: null, latencyMs: null, healthMessage: null,
    syncAt: null, syncStatus: null, syncObjects: null, syncMs: null, resourceCount: 0,
  });
  let answers: { resolve: (rows: ListedCloud[]) => void }[];
  let store: Store;
  beforeEach(() => {
    answers = [];
    const query = () => new Promise<ListedCloud[]>((resolve) => answers.push({ resolve })) as Promise<never>;
    store = { kind: 'postgres', query, transaction: () => Promise.reject(new Error('unused')), exec: async () => undefined, close: async () => undefined };
  });

  it('asks the database on every read while no change feed listens', async () => {
    const s = new CloudSummaries(store);
    const a = s.listed();
    const b = s.listed();
    expect(answers.length).toBe(2);
    answers.forEach((x) => x.resolve([row('a', 'A')]));
    expect((await a).map((r) => r.id)).toEqual(['a']);
    await b;
    void s.listed();
    expect(answers.length).toBe(3);
  });

  it('shares one rebuild between concurrent reads, and does not keep a rebuild that a change overtook', async () => {
    const s = new CloudSummaries(store);
    s.resume();
    const first = s.listed();
    const second = s.listed();
    await Promise.resolve();
    expect(answers.length).withContext('one rebuild for two reads').toBe(1);
    s.invalidate(); // a change committed while the rebuild's statement ran
    answers[0]!.resolve([row('a', 'old')]);
    expect((await first)[0]!.name).toBe('old');
    expect((await second)[0]!.name).toBe('old');
    const third = s.listed();
    await Promise.resolve();
    expect(answers.length).withContext('the overtaken rebuild was not kept').toBe(2);
    answers[1]!.resolve([row('a', 'new')]);
    expect((await third)[0]!.name).toBe('new');
    expect((await s.listed())[0]!.name).toBe('new');
    expect(answers.length).withContext('kept now').toBe(2);
    s.suspend();
    void s.listed();
    expect(answers.length).withContext('suspended: asks again').toBe(3);
  });

  it('filters by region and kind as the statement does, in its order', async () => {
    const s = new CloudSummaries(store);
    s.resume();
    const rows = [{ ...row('a', 'A'), region: '3601' }, { ...row('b', 'B'), region: '3601', kind: 'xinchuang' as const }, { ...row('c', 'C'), region: '3602' }];
    const all = s.listed();
    await Promise.resolve();
    answers[0]!.resolve(rows);
    expect((await all).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect((await s.listed({ region: '3601' })).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await s.listed({ kind: 'general' })).map((r) => r.id)).toEqual(['a', 'c']);
    expect((await s.listed({ region: '3601', kind: 'xinchuang' })).map((r) => r.id)).toEqual(['b']);
    expect(await s.listed({ region: '3609' })).toEqual([]);
    expect(answers.length).toBe(1);
  });
});
