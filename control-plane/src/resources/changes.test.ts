import { approveThroughChain, hosts, onboardingLimits, reservationState, segment, volume, worldWithSystem, type World } from '../testing/onboarding-fixtures.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';
import { errorOf } from '../testing/harness.ts';

const LIMITS = onboardingLimits({ vcpu: 16 });

/** Committed usage of the system's node on nanchang, per class. */
async function committed(w: World, systemId: string): Promise<{ vcpu: number; memoryGiB: number; storageGiB: number }> {
  const rows = await w.deps.store.query<{ resourceClass: string; committed: string; reserved: string }>(
    `SELECT u.resource_class AS "resourceClass", u.committed, u.reserved FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id
     WHERE n.level = 'system' AND n.ref = $1 AND u.cloud_id = 'nanchang' ORDER BY 1`, [systemId]);
  const of = (c: string) => Number(rows.find((r) => r.resourceClass === c)?.committed ?? 0);
  return { vcpu: of('vcpu'), memoryGiB: of('memoryGiB'), storageGiB: of('storageGiB') };
}

/** A resource's object on the simulated cloud (by its cloud name), as the cloud itself holds it. */
function onCloud(w: World, tenant: string, cloudName: string) {
  const page = w.deps.federation.simulated('nanchang')!.cloud.listInventory({ pageSize: 5000 });
  return page.items.flatMap((it) => (it.type === 'resource' && it.resource.spec.tenant === tenant && it.resource.spec.name === cloudName && it.resource.state !== 'deleting' ? [it.resource] : []))[0];
}

/** Everything a refused or failed change must leave as it was: the resource rows, IPAM, quota counters and ledger. */
const storedState = async (w: World) => (await w.deps.store.query<Record<string, unknown>>(
  `SELECT (SELECT string_agg(name || ':' || state || ':' || spec::text || ':' || quota::text || ':' || coalesce(ipv4, '-'), ',' ORDER BY name) FROM resources) AS resources,
          (SELECT count(*)::int FROM ipam_addresses) AS addresses, (SELECT count(*)::int FROM ipam_prefixes WHERE kind = 'assigned') AS prefixes,
          (SELECT string_agg(reserved || '/' || committed, ',' ORDER BY node_id, cloud_id, resource_class) FROM quota_usage) AS usage,
          (SELECT count(*)::int FROM quota_ledger) AS ledger`))[0];

describe('resources: list, get, drift, resize and release through requests (in-process simulated clouds)', () => {
  let w: World;
  let systemId: string;
  let tenant: string;
  const byName = async (name: string) => (await w.as.user.resources.list({ limit: 50 })).items.find((r) => r.name === name)!;
  const approveAll = (id: string) => approveThroughChain(w, id);

  beforeEach(async () => {
    ({ w, systemId } = await worldWithSystem({ pools: ['nanchang', 'jx-province', 'jingdezhen', 'xc-kunpeng'], limits: LIMITS }));
    tenant = tenantNameOf(systemId);
    const r = await w.as.user.requests.submit({ systemId, title: '两台主机', cloudId: 'nanchang', resources: [segment, hosts, volume] });
    expect((await approveAll(r.id)).status).toBe('succeeded');
  }, 120_000);
  afterEach(async () => w.stop());

  it('lists the department’s resources page by page; another department sees none and is refused one; an operator sees all', async () => {
    const first = await w.as.user.resources.list({ limit: 3 });
    expect(first.items.length).toBe(3);
    const second = await w.as.user.resources.list({ limit: 3, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((r) => `${r.kind}:${r.name}`).sort()).toEqual(['host:web-1', 'host:web-2', 'segment:app', 'volume:data']);
    expect((await w.as.user.resources.list({ kind: 'host', limit: 50 })).items.map((r) => r.name).sort()).toEqual(['web-1', 'web-2']);
    expect((await w.as.user.resources.list({ state: 'released', limit: 50 })).items).toEqual([]);
    expect((await w.as.otherUser.resources.list({ limit: 50 })).items).toEqual([]);
    expect((await w.as.operator.resources.list({ systemId, limit: 50 })).items.length).toBe(4);

    const web1 = await byName('web-1');
    expect((await errorOf(() => w.as.otherUser.resources.get({ id: web1.id }))).code).toBe('FORBIDDEN');
    const e = await errorOf(() => w.as.user.resources.list({ limit: 5, cursor: 'not-a-cursor' }));
    expect([e.code, Object.keys(e.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['cursor']]);

    const got = await w.as.user.resources.get({ id: web1.id });
    expect([got.kind, got.state, got.ipv4 !== null, got.ipv6 !== null]).toEqual(['host', 'active', true, true]);
    expect(got.dependents.map((d) => `${d.kind}:${d.name}`)).toEqual(['volume:data']);
    expect(got.history.length).toBe(1);
    const created = got.history[0]!;
    expect([created.request.action, created.request.status, created.workflow!.status]).toEqual(['create', 'provisioned', 'succeeded']);
    // Only this host's step and the request's shared steps, each done.
    expect(created.workflow!.steps.map((s) => `${s.key}:${s.status}`).sort()).toEqual(['apply:succeeded', 'commit:succeeded', 'hold:succeeded', 'host:web-1:succeeded']);
  }, 120_000);

  it('a resize holds the growth, goes through the approval chain, resizes the cloud object and commits; a shrink gives quota back', async () => {
    const web1 = await byName('web-1');
    const before = await committed(w, systemId);
    const change = await w.as.user.resources.submitChange({ resourceId: web1.id, change: { action: 'resize', flavour: 'c8m16', systemDiskGiB: 80 }, reason: '业务量上升' });
    expect(change.items).toEqual([{ resourceClass: 'vcpu', amount: 4 }, { resourceClass: 'memoryGiB', amount: 8 }, { resourceClass: 'storageGiB', amount: 30 }]);
    expect(await reservationState(w, change.reservationId)).toBe('held');
    // A second change of the same resource waits until this one is done.
    const twice = await errorOf(() => w.as.user.resources.submitChange({ resourceId: web1.id, change: { action: 'release' }, reason: '重复' }));
    expect([twice.code, twice.message]).toEqual(['CONFLICT', jasmine.stringMatching(/already has an open change/) as unknown as string]);
    // Pending approval: nothing moved on the cloud.
    expect(onCloud(w, tenant, web1.cloudName)!.spec.size).toEqual({ vcpu: 4, memoryGiB: 8, storageGiB: 50 });

    expect((await approveAll(change.id)).status).toBe('succeeded');
    expect(onCloud(w, tenant, web1.cloudName)!.spec.size).toEqual({ vcpu: 8, memoryGiB: 16, storageGiB: 80 });
    expect(await reservationState(w, change.reservationId)).toBe('committed');
    const after = await committed(w, systemId);
    expect([after.vcpu - before.vcpu, after.memoryGiB - before.memoryGiB, after.storageGiB - before.storageGiB]).toEqual([4, 8, 30]);
    const got = await w.as.user.resources.get({ id: web1.id });
    expect([got.state, got.spec, got.quota.vcpu, got.changedByRequestId]).toEqual(['active', jasmine.objectContaining({ flavour: 'c8m16', systemDiskGiB: 80 }) as never, 8, change.id]);
    expect(got.history.map((h) => `${h.request.action}:${h.request.status}`)).toEqual(['create:provisioned', 'resize:provisioned']);
    expect((await w.as.user.resources.drift({ ids: [web1.id] })).items.map((d) => d.status)).toEqual(['in-sync']);

    // Down again: nothing to hold, the difference given back to the quota at the end.
    const down = await w.as.user.resources.submitChange({ resourceId: web1.id, change: { action: 'resize', flavour: 'c2m4' }, reason: '缩容' });
    expect([down.items, down.reservationId]).toEqual([[], null]);
    expect((await approveAll(down.id)).status).toBe('succeeded');
    const shrunk = await committed(w, systemId);
    expect([shrunk.vcpu - after.vcpu, shrunk.memoryGiB - after.memoryGiB, shrunk.storageGiB - after.storageGiB]).toEqual([-6, -12, 0]);
    expect(onCloud(w, tenant, web1.cloudName)!.spec.size).toEqual({ vcpu: 2, memoryGiB: 4, storageGiB: 80 });
  }, 120_000);

  it('a release deletes the cloud object under a key, frees its addresses and gives its committed quota back', async () => {
    const data = await byName('data');
    const web2 = await byName('web-2');
    const before = await committed(w, systemId);
    const addresses = (await w.deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_addresses'))[0]!.n;
    // A resource others depend on goes after them.
    const seg = await byName('app');
    const blocked = await errorOf(() => w.as.user.resources.submitChange({ resourceId: seg.id, change: { action: 'release' }, reason: '回收' }));
    expect([blocked.code, blocked.message]).toEqual(['CONFLICT', jasmine.stringMatching(/release host web-1, host web-2 first/) as unknown as string]);

    for (const r of [data, web2]) {
      const change = await w.as.user.resources.submitChange({ resourceId: r.id, change: { action: 'release' }, reason: '项目结束' });
      expect((await approveAll(change.id)).status).toBe('succeeded');
    }
    expect(onCloud(w, tenant, data.cloudName)).toBeUndefined();
    expect(onCloud(w, tenant, web2.cloudName)).toBeUndefined();
    expect(onCloud(w, tenant, (await byName('web-1')).cloudName)).toBeDefined();
    const after = await committed(w, systemId);
    expect([after.storageGiB - before.storageGiB, after.vcpu - before.vcpu, after.memoryGiB - before.memoryGiB]).toEqual([-550, -4, -8]);
    expect((await w.deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_addresses'))[0]!.n).toBe(addresses - 2);
    expect((await w.as.user.resources.list({ limit: 50 })).items.map((r) => r.name).sort()).toEqual(['app', 'web-1']);
    expect((await w.as.user.resources.list({ state: 'released', limit: 50 })).items.map((r) => r.name).sort()).toEqual(['data', 'web-2']);
  }, 120_000);

  it('a department user is refused another department’s resource; bad changes name the field; nothing changes', async () => {
    const web1 = await byName('web-1');
    const seg = await byName('app');
    const data = await byName('data');
    const stored = await storedState(w);
    const requests = (await w.deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM resource_requests'))[0]!.n;
    const theirs = await errorOf(() => w.as.otherUser.resources.submitChange({ resourceId: web1.id, change: { action: 'release' }, reason: '不是我的' }));
    expect([theirs.code, theirs.message]).toEqual(['FORBIDDEN', 'resource web-1 belongs to another department']);
    const cases: [string, unknown, string, RegExp][] = [
      [seg.id, { action: 'resize', sizeGiB: 100 }, 'change.action', /a segment is not resized/],
      [data.id, { action: 'resize', sizeGiB: 100 }, 'change.sizeGiB', /only extended/],
      [web1.id, { action: 'resize', replicas: 3 }, 'change.replicas', /a host has no replicas/],
      [web1.id, { action: 'resize', flavour: 'c4m8' }, 'change.action', /changes nothing/],
      [web1.id, { action: 'resize', flavour: 'c3m7' }, 'change.flavour', /one of the flavours/],
      [web1.id, { action: 'explode' }, 'change.action', /resize or release/],
    ];
    for (const [resourceId, change, field, message] of cases) {
      const e = await errorOf(() => w.as.user.resources.submitChange({ resourceId, change: change as never, reason: '坏输入' }));
      expect([e.code, Object.keys(e.fieldErrors ?? {})]).withContext(field).toEqual(['BAD_REQUEST', [field]]);
      expect(e.fieldErrors![field]!.join(' ')).withContext(field).toMatch(message);
    }
    // Beyond the quota: refused with the shortfall, nothing held.
    const big = await errorOf(() => w.as.user.resources.submitChange({ resourceId: web1.id, change: { action: 'resize', flavour: 'c32m128' }, reason: '太大' }));
    expect([big.code, big.message]).toEqual(['UNPROCESSABLE_CONTENT', jasmine.stringMatching(/quota exceeded/) as unknown as string]);
    // An operator reads every department's resources but asks for no department's changes.
    expect((await errorOf(() => w.as.operator.resources.submitChange({ resourceId: web1.id, change: { action: 'release' }, reason: '运维' }))).code).toBe('FORBIDDEN');
    expect(await storedState(w)).toEqual(stored);
    expect((await w.deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM resource_requests'))[0]!.n).toBe(requests);
  }, 120_000);

  it('a release the cloud refuses fails and leaves the stored state as it was (the resource active, addresses, quota)', async () => {
    const web2 = await byName('web-2');
    const change = await w.as.user.resources.submitChange({ resourceId: web2.id, change: { action: 'release' }, reason: '回收' });
    const stored = await storedState(w);
    await w.deps.federation.setFaults('nanchang', { errorRate: 1, ops: ['deleteResource'] });
    const wf = await approveAll(change.id);
    await w.deps.federation.setFaults('nanchang', {});
    expect(wf.status).toBe('failed');
    const done = await w.as.user.requests.get({ id: change.id });
    expect(done.status).toBe('failed');
    expect(await storedState(w)).toEqual(stored);
    expect(onCloud(w, tenant, web2.cloudName)).toBeDefined();
    expect((await w.as.user.resources.get({ id: web2.id })).state).toBe('active');
  }, 120_000);

  it('drift per resource: a host resized outside Ganyun differs, a volume the cloud lost is missing, the rest in sync', async () => {
    const [web1, web2, data, seg] = await Promise.all(['web-1', 'web-2', 'data', 'app'].map(byName));
    const cloud = w.deps.federation.simulated('nanchang')!.cloud;
    const actual = onCloud(w, tenant, web2!.cloudName)!;
    cloud.updateResource({ ...actual.spec, size: { ...actual.spec.size, vcpu: 8 } }, 'outside-ganyun-resize');
    cloud.deleteResource({ tenant, kind: 'volume', name: data!.cloudName }, 'outside-ganyun-delete');
    const drift = (await w.as.user.resources.drift({ systemId })).items;
    const status = Object.fromEntries(drift.map((d) => [d.name, d.status]));
    expect(status).toEqual({ 'web-1': 'in-sync', 'web-2': 'differs', data: 'missing', app: 'in-sync' });
    expect(drift.find((d) => d.name === 'web-2')!.objects[0]!.diff).toEqual([{ path: 'size.vcpu', desired: 4, actual: 8 }]);
    expect([web1, seg].every(Boolean)).toBeTrue();
    expect((await w.as.otherUser.resources.drift({ systemId })).items).toEqual([]);
  }, 120_000);
});
