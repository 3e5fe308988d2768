import { approveThroughChain, ipamHoldings, onboardedSystem, onboardingLimits, requestState, segment, worldWithSystem, type World } from '../testing/onboarding-fixtures.ts';
import { errorOf } from '../testing/harness.ts';

const LIMITS = onboardingLimits({ ipv4Addresses: 1024, ipv6Prefixes64: 8 });



describe('a segment with a chosen IPv4 prefix (in-process simulated clouds)', () => {
  let w: World;
  let systemId: string;
  /** The live segment of another system: 10.80.x.y/26, in use. */
  let inUse: string;
  beforeEach(async () => {
    let other: string;
    ({ w, systemId: other } = await worldWithSystem({ pools: ['nanchang', 'jx-province', 'jingdezhen', 'xc-kunpeng'], limits: LIMITS, input: { name: '另一个系统' } }));
    systemId = await onboardedSystem(w, { limits: LIMITS });
    const theirs = await w.as.user.requests.submit({ systemId: other, title: '别的网段', cloudId: 'nanchang', resources: [segment] });
    expect((await approveThroughChain(w, theirs.id)).status).toBe('succeeded');
    inUse = (await w.as.user.resources.list({ systemId: other })).items.find((r) => r.kind === 'segment')!.ipv4!;
  });
  afterEach(async () => w.stop());

  it('refuses a segment overlapping one in use, naming the field and the reason; nothing created, nothing reserved', async () => {
    const [net] = inUse.split('/');
    const inside = `${net!.split('.').slice(0, 3).join('.')}.${Number(net!.split('.')[3]) + 32}/27`;
    const holdings = await ipamHoldings(w);
    const before = await requestState(w);
    for (const [cidr, ipv4Length] of [[inUse, 26], [inside, 27]] as const) {
      const e = await errorOf(() => w.as.user.requests.submit({ systemId, title: '重叠网段', cloudId: 'nanchang', resources: [{ ...segment, cidr, ipv4Length }] }));
      expect([e.status, e.reason.code, e.reason.path?.join('.')]).withContext(cidr).toEqual([409, 'conflict.overlap', 'resources.0.cidr']);
      expect(e.message).withContext(cidr).toContain(`${cidr} overlaps ${inUse}`);
      expect(e.message).withContext(cidr).toContain('另一个系统');
      // The preview says the same before anything is submitted.
      const p = await errorOf(() => w.as.user.requests.preview({ systemId, cloudId: 'nanchang', resources: [{ ...segment, cidr, ipv4Length }] }));
      expect([p.status, p.reason.path?.join('.')]).toEqual([409, 'resources.0.cidr']);
    }
    expect(await requestState(w)).toEqual(before);
    expect(await ipamHoldings(w)).toBe(holdings);
  }, 120_000);

  it('refuses a chosen prefix outside the pool, with host bits, of another length, or overlapping the request’s own', async () => {
    const before = await requestState(w);
    const cases: [unknown[], number, RegExp][] = [
      [[{ ...segment, cidr: '192.168.1.0/26' }], 400, /outside the extranet pool of cloud nanchang \(10\.80\.0\.0\/16\)/],
      [[{ ...segment, cidr: '10.80.200.5/26' }], 400, /has host bits set: the network is 10\.80\.200\.0\/26/],
      [[{ ...segment, cidr: '10.80.200.0/27' }], 400, /must equal ipv4Length/],
      [[{ ...segment, cidr: '10.80.200.0/26' }, { ...segment, name: 'db', cidr: '10.80.200.0/26' }], 400, /overlaps 10\.80\.200\.0\/26, chosen for another segment of this request/],
    ];
    for (const [resources, status, message] of cases) {
      const e = await errorOf(() => w.as.user.requests.submit({ systemId, title: '坏网段', cloudId: 'nanchang', resources: resources as never }));
      const field = resources.length === 2 ? 'resources.1.cidr' : 'resources.0.cidr';
      expect([e.status, e.reason.path?.join('.') ?? e.reason.issues?.[0]?.path.join('.')]).withContext(String(message)).toEqual([status, field]);
      expect(e.message).withContext(field).toMatch(message);
    }
    expect(await requestState(w)).toEqual(before);
  }, 120_000);

  it('provisions a free chosen prefix as asked, recorded in IPAM as the segment’s, and frees it on release', async () => {
    const r = await w.as.user.requests.submit({ systemId, title: '指定网段', cloudId: 'nanchang', resources: [{ ...segment, cidr: '10.80.200.0/26' }] });
    expect((await approveThroughChain(w, r.id)).status).toBe('succeeded');
    const seg = (await w.as.user.resources.list({ systemId })).items.find((x) => x.kind === 'segment')!;
    expect(seg.ipv4).toBe('10.80.200.0/26');
    const held = async () => (await w.deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ipam_prefixes WHERE cidr = '10.80.200.0/26'::cidr AND kind = 'assigned'`))[0]!.n;
    expect(await held()).toBe(1);
    const release = await w.as.user.resources.submitChange({ resourceId: seg.id, change: { action: 'release' }, reason: '不再需要' });
    expect((await approveThroughChain(w, release.id)).status).toBe('succeeded');
    expect(await held()).toBe(0);
  }, 120_000);
});
