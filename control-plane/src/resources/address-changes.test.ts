import { approveThroughChain, onboardingLimits, worldWithSystem, type World } from '../testing/onboarding-fixtures.ts';
import { errorOf } from '../testing/harness.ts';

const LIMITS = onboardingLimits({ vcpu: 16, memoryGiB: 64, storageGiB: 1000, ipv4Addresses: 64, ipv6Prefixes64: 2 });
/** A /28: 14 addresses the allocator can hand out, one of them the host's. */
const segment = { kind: 'segment' as const, name: 'app', network: 'extranet' as const, ipv4Length: 28, dualStack: true };
const host = { kind: 'host' as const, name: 'web', count: 1, flavour: 'c2m4' as const, systemDiskGiB: 40, arch: 'x86_64' as const, image: 'kylin-v10-sp3' };

/** IPAM addresses, quota counters and ledger, and the resource rows: what a refused change must leave as it was. */
const storedState = async (w: World) => (await w.deps.store.query<Record<string, unknown>>(
  `SELECT (SELECT string_agg(name || ':' || state || ':' || ipam::text, ',' ORDER BY name) FROM resources) AS resources,
          (SELECT count(*)::int FROM ipam_addresses) AS addresses, (SELECT count(*)::int FROM resource_requests) AS requests,
          (SELECT string_agg(reserved || '/' || committed, ',' ORDER BY node_id, cloud_id, resource_class) FROM quota_usage) AS usage,
          (SELECT count(*)::int FROM quota_ledger) AS ledger`))[0];

describe('the add-addresses change: more addresses for a host from its segment, through the approval chain', () => {
  let w: World;
  let systemId: string;
  const byName = async (name: string) => (await w.as.user.resources.list({ limit: 50 })).items.find((r) => r.name === name)!;
  const approveAll = (id: string) => approveThroughChain(w, id);

  beforeEach(async () => {
    ({ w, systemId } = await worldWithSystem({ pools: ['nanchang'], limits: LIMITS }));
    const r = await w.as.user.requests.submit({ systemId, title: '主机', cloudId: 'nanchang', resources: [segment, host] });
    expect((await approveAll(r.id)).status).toBe('succeeded');
  }, 120_000);
  afterEach(async () => w.stop());

  it('allocates them from the segment once approved, records them as the host’s, moves no quota, and frees them on release', async () => {
    const web = await byName('web');
    const seg = await byName('app');
    const quota = (await storedState(w))!['usage'];
    const change = await w.as.user.resources.submitChange({ resourceId: web.id, change: { action: 'add-addresses', ipv4: 2, ipv6: 1 }, reason: '对外服务地址' });
    expect([change.status, change.action, change.reservationId]).toEqual(['pending', 'add-addresses', null]);
    // Nothing is taken before approval; the chain is the same as any request's (department, then operator).
    expect((await w.as.user.resources.get({ id: web.id })).ipam.extra ?? []).toEqual([]);
    expect((await approveAll(change.id)).status).toBe('succeeded');

    const after = await w.as.user.resources.get({ id: web.id });
    const extra = after.ipam.extra ?? [];
    expect(extra.map((e) => e.family)).toEqual(['ipv4', 'ipv4', 'ipv6']);
    expect(after.state).toBe('active');
    const [net] = seg.ipv4!.split('/');
    const owned = await w.deps.store.query<{ address: string; inside: boolean; description: string }>(
      `SELECT a.address::text AS address, (a.address << $2::cidr OR a.address << $3::cidr) AS inside, a.description FROM ipam_addresses a WHERE a.id = ANY($1::uuid[])`,
      [extra.map((e) => e.id), seg.ipv4, seg.ipv6]);
    expect(owned.length).toBe(3);
    expect(owned.every((o) => o.inside && o.description.includes(`resource ${web.id}`))).withContext(`${net} ${JSON.stringify(owned)}`).toBeTrue();
    expect(new Set([...extra.map((e) => e.address), web.ipv4, web.ipv6]).size).toBe(5);
    expect((await storedState(w))!['usage']).toBe(quota);

    const release = await w.as.user.resources.submitChange({ resourceId: web.id, change: { action: 'release' }, reason: '下线' });
    expect((await approveAll(release.id)).status).toBe('succeeded');
    const left = await w.deps.store.query('SELECT 1 FROM ipam_addresses WHERE id = ANY($1::uuid[])', [extra.map((e) => e.id)]);
    expect(left.length).toBe(0);
  }, 120_000);

  it('refuses bad asks naming the field and the reason; nothing changes', async () => {
    const web = await byName('web');
    const seg = await byName('app');
    const stored = await storedState(w);
    const cases: [string, unknown, string, RegExp][] = [
      [seg.id, { action: 'add-addresses', ipv4: 1 }, 'change.action', /a segment holds no addresses of its own/],
      [web.id, { action: 'add-addresses', ipv4: 0, ipv6: 0 }, 'change.ipv4', /at least one address/],
      [web.id, { action: 'add-addresses', ipv4: 17 }, 'change.ipv4', /at most 16/],
      // 14 allocatable in the /28, the host holds one.
      [web.id, { action: 'add-addresses', ipv4: 14 }, 'change.ipv4', /has 13 free addresses; 14 asked for/],
    ];
    for (const [resourceId, change, field, message] of cases) {
      const e = await errorOf(() => w.as.user.resources.submitChange({ resourceId, change: change as never, reason: '坏输入' }));
      expect([e.code, Object.keys(e.fieldErrors ?? {})]).withContext(field).toEqual(['BAD_REQUEST', [field]]);
      expect(e.fieldErrors![field]!.join(' ')).withContext(field).toMatch(message);
    }
    expect((await errorOf(() => w.as.otherUser.resources.submitChange({ resourceId: web.id, change: { action: 'add-addresses', ipv4: 1, ipv6: 0 }, reason: '不是我的' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => w.as.operator.resources.submitChange({ resourceId: web.id, change: { action: 'add-addresses', ipv4: 1, ipv6: 0 }, reason: '运维' }))).code).toBe('FORBIDDEN');
    expect(await storedState(w)).toEqual(stored);
  }, 120_000);
});
