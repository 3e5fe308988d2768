import { approveThroughChain, hosts, ipamHoldings, onboardedSystem, onboardingLimits, requestState, reservationState, segment, volume, worldWithSystem, type World } from '../testing/onboarding-fixtures.ts';
import { errorOf } from '../testing/harness.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';

const LIMITS = onboardingLimits();

/** The live objects of a tenant on a simulated cloud, from the cloud's own inventory (`kind:name`), once nothing is still going away. */
async function cloudObjects(w: World, cloudId: string, tenant: string): Promise<string[]> {
  const cloud = w.deps.federation.simulated(cloudId)!.cloud;
  for (let i = 0; ; i++) {
    const page = cloud.listInventory({ pageSize: 5000 });
    const mine = page.items.flatMap((it) => (it.type === 'resource' && it.resource.spec.tenant === tenant ? [it.resource] : []));
    if (!mine.some((r) => r.state === 'deleting') || i > 400) return mine.map((r) => `${r.spec.kind}:${r.spec.displayName}`).sort();
    await new Promise((r) => setTimeout(r, 25));
  }
}



describe('requests that name resources: hosts, volumes, workloads, segments (in-process simulated clouds)', () => {
  let w: World;
  let systemId: string;
  beforeEach(async () => {
    ({ w, systemId } = await worldWithSystem({ pools: ['nanchang', 'jx-province', 'jingdezhen', 'xc-kunpeng'], limits: LIMITS }));
  });
  afterEach(async () => w.stop());

  it('2 hosts + 1 volume + 1 dual-stack segment: exactly those objects on the cloud, addresses in IPAM, quota committed', async () => {
    const preview = await w.as.user.requests.preview({ systemId, resources: [segment, hosts, volume] });
    expect(preview.items).toEqual([
      { resourceClass: 'vcpu', amount: 8 }, { resourceClass: 'memoryGiB', amount: 16 }, { resourceClass: 'storageGiB', amount: 600 },
      { resourceClass: 'ipv4Addresses', amount: 64 }, { resourceClass: 'ipv6Prefixes64', amount: 1 },
    ]);
    expect(preview.resources.map((r) => `${r.kind}:${r.name}`)).toEqual(['segment:app', 'host:web-1', 'host:web-2', 'volume:data']);
    const r = await w.as.user.requests.submit({ systemId, title: '两台主机', resources: [segment, hosts, volume] });
    expect(await reservationState(w, r.reservationId)).toBe('held');
    expect((await approveThroughChain(w, r.id)).status).toBe('succeeded');
    const done = await w.as.user.requests.get({ id: r.id });
    expect([done.status, await reservationState(w, r.reservationId)]).toEqual(['provisioned', 'committed']);

    const tenant = tenantNameOf(systemId);
    expect(await cloudObjects(w, 'nanchang', tenant)).toEqual(['network-segment:app', 'network-segment:app', 'vm:web-1', 'vm:web-2', 'volume:data']);
    const rows = await w.deps.store.query<{ kind: string; name: string; state: string; ipv4: string | null; ipv6: string | null; zone: string | null }>(
      'SELECT kind, name, state, ipv4, ipv6, zone FROM resources WHERE system_id = $1 ORDER BY kind, name', [systemId]);
    expect(rows.map((x) => `${x.kind}:${x.name}:${x.state}`)).toEqual(['host:web-1:active', 'host:web-2:active', 'segment:app:active', 'volume:data:active']);
    const seg = rows.find((x) => x.kind === 'segment')!;
    expect(seg.ipv4).toMatch(/^10\.80\.\d+\.\d+\/26$/);
    expect(seg.ipv6).toMatch(/^fd00:50:[0-9a-f:]+\/64$/);
    // Each host has one address of each family, inside the segment, recorded in IPAM as the host's.
    for (const h of rows.filter((x) => x.kind === 'host')) {
      const owned = await w.deps.store.query<{ address: string; inside: boolean; description: string }>(
        `SELECT host(address) AS address, address <<= $2::cidr OR address <<= $3::cidr AS inside, description FROM ipam_addresses WHERE description LIKE $1 ORDER BY family`,
        [`host ${h.name} of %`, seg.ipv4, seg.ipv6]);
      expect(owned.map((o) => o.address)).toEqual([h.ipv4!, h.ipv6!]);
      expect(owned.every((o) => o.inside)).toBeTrue();
    }
    expect(new Set(rows.filter((x) => x.kind === 'host').map((x) => x.ipv4)).size).toBe(2);
    // The volume sits in its host's zone.
    expect(rows.find((x) => x.kind === 'volume')!.zone).toBe(rows.find((x) => x.name === 'web-1')!.zone);
    expect(await ipamHoldings(w)).toBe(2 + 4); // two prefixes, four addresses
  }, 120_000);

  it('refuses bad resource items naming the field and the reason, and changes nothing', async () => {
    // Another system of the same department, with a live host “db”.
    const other = await onboardedSystem(w, { limits: LIMITS, input: { name: '另一个系统' } });
    const theirs = await w.as.user.requests.submit({ systemId: other, title: '别的系统', resources: [segment, { ...hosts, name: 'db', count: 1 }] });
    expect((await approveThroughChain(w, theirs.id)).status).toBe('succeeded');
    const holdings = await ipamHoldings(w);
    const before = await requestState(w);
    const cases: [unknown[], string, RegExp][] = [
      [[segment, { ...hosts, image: 'debian-12' }], 'resources.1.image', /has no image debian-12/],
      [[segment, { ...hosts, arch: 'arm64' }], 'resources.1.arch', /allows only x86_64/],
      [[segment, { ...hosts, flavour: 'c3m7' }], 'resources.1.flavour', /one of the flavours/],
      [[segment, hosts, { ...volume, host: 'db-9' }], 'resources.2.host', /no host “db-9”/],
      [[segment, hosts, { ...volume, host: 'db' }], 'resources.2.host', /host “db” belongs to another system \(另一个系统\)/],
      [[segment, hosts, hosts], 'resources.2.name', /names the host “web-1” twice/],
      [[hosts], 'resources.0.segment', /sits on a segment/],
      [[{ ...segment, network: 'internet', ipv4Length: 30 }], 'resources.0.ipv4Length', /at least a \/28/],
    ];
    for (const [resources, field, message] of cases) {
      const e = await errorOf(() => w.as.user.requests.submit({ systemId, title: '坏输入', resources: resources as never }));
      expect([e.code, Object.keys(e.fieldErrors ?? {})]).withContext(field).toEqual(['BAD_REQUEST', [field]]);
      expect(e.fieldErrors![field]!.join(' ')).withContext(field).toMatch(message);
    }
    expect(await requestState(w)).toEqual(before);
    expect(await ipamHoldings(w)).toBe(holdings);
  }, 120_000);

  it('refuses a non-domestic vendor for a 信创 system', async () => {
    const xc = await onboardedSystem(w, { limits: LIMITS, input: { name: '信创系统', xinchuangRequired: true, architectures: ['arm64'] } });
    const arm = { ...hosts, arch: 'arm64' as const, count: 1 };
    const e1 = await errorOf(() => w.as.user.requests.submit({ systemId: xc, title: '信创', resources: [segment, arm] }));
    expect(e1.fieldErrors).toEqual({ 'resources.1.vendor': [jasmine.stringMatching(/requires 信创/) as unknown as string] });
    const e2 = await errorOf(() => w.as.user.requests.submit({ systemId: xc, title: '信创', resources: [segment, { ...arm, vendor: 'intel' }] }));
    expect(e2.fieldErrors!['resources.1.vendor']!.join()).toMatch(/intel is not a domestic CPU vendor/);
  }, 120_000);

  it('a host that finds no room unwinds: nothing left on the cloud or in IPAM, the hold released, the request failed', async () => {
    const r = await w.as.user.requests.submit({ systemId, title: '失败', resources: [segment, hosts, volume] });
    // Fill the cloud's x86_64 pools behind Ganyun's back until exactly one more c4m8 host fits: the second one finds no room.
    const cloud = w.deps.federation.simulated('nanchang')!.cloud;
    cloud.createTenantSpace({ name: 'filler', quota: { vcpu: 1e9, memoryGiB: 1e9, storageGiB: 1e9, gpu: 0 } }, 'filler');
    let n = 0;
    for (const pool of cloud.capacity().pools.filter((p) => p.arch === 'x86_64')) {
      const free = (c: 'vcpu' | 'memoryGiB') => pool.classes[c].allocatable - pool.classes[c].allocated;
      let vcpu = free('vcpu');
      let mem = free('memoryGiB');
      // Leave room for one c4m8 in the first pool only.
      if (n === 0) [vcpu, mem] = [vcpu - 4, mem - 8];
      if (vcpu > 0 && mem > 0) cloud.createResource({ tenant: 'filler', kind: 'vm', name: `f${n}`, arch: 'x86_64', vendor: pool.vendor, zone: pool.zone, image: 'kylin-v10-sp3', size: { vcpu, memoryGiB: mem } }, `filler-${n}`);
      n++;
    }
    expect((await approveThroughChain(w, r.id)).status).toBe('failed');
    const done = await w.as.user.requests.get({ id: r.id });
    expect([done.status, await reservationState(w, r.reservationId)]).toEqual(['failed', 'released']);
    expect(done.error).toMatch(/pool [a-z0-9-]+\/x86_64\/[a-z]+.* exhausted/);
    expect(await cloudObjects(w, 'nanchang', tenantNameOf(systemId))).toEqual([]);
    expect(await ipamHoldings(w)).toBe(0);
    const states = await w.deps.store.query<{ state: string }>('SELECT DISTINCT state FROM resources WHERE system_id = $1', [systemId]);
    expect(states.map((s) => s.state)).toEqual(['released']);
  }, 120_000);
});
