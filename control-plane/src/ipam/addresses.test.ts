import type { AppDeps } from '../context.ts';
import { ConflictError } from '../errors.ts';
import type { callerAs } from '../testing/harness.ts';
import { engineerWithVrf } from '../testing/ipam-fixtures.ts';
import { allocateAddresses } from './addresses.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

/** Several addresses in one allocation (ipam/addresses.ts allocateAddresses), as a dual-stack host takes them. */
describe('ipam: allocating several addresses at once', () => {
  let deps: AppDeps;
  let eng: Caller;
  let vrfId: string;

  beforeEach(async () => {
    ({ deps, eng, vrfId } = await engineerWithVrf('BATCH'));
  });

  const prefix = (cidr: string) => eng.ipam.createPrefix({ vrfId, cidr, kind: 'assigned' });
  const take = (requests: { prefixId: string; key?: string }[]) => deps.store.transaction((tx) =>
    allocateAddresses(tx, requests.map((r) => ({ prefixId: r.prefixId, idempotencyKey: r.key ?? null, status: 'active' as const }))));
  const count = async () => (await deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_addresses'))[0]!.n;

  it('gives an IPv4 and an IPv6 address in one call, and the same two again for the same keys', async () => {
    const v4 = await prefix('10.36.20.0/29');
    const v6 = await prefix('2001:db8:20::/64');
    const first = await take([{ prefixId: v4.id, key: 'k:ipv4' }, { prefixId: v6.id, key: 'k:ipv6' }]);
    expect(first.map((r) => [r.address.address, r.replayed])).toEqual([['10.36.20.1', false], ['2001:db8:20::1', false]]);
    const again = await take([{ prefixId: v4.id, key: 'k:ipv4' }, { prefixId: v6.id, key: 'k:ipv6' }]);
    expect(again.map((r) => [r.address.id, r.replayed])).toEqual([[first[0]!.address.id, true], [first[1]!.address.id, true]]);
    expect(await count()).toBe(2);
  });

  it('gives requests on one prefix different addresses, around those already taken', async () => {
    const lan = await prefix('10.36.21.0/29');
    await eng.ipam.allocateAddress({ prefixId: lan.id });
    const got = await take([{ prefixId: lan.id }, { prefixId: lan.id }, { prefixId: lan.id }]);
    expect(got.map((r) => r.address.address)).toEqual(['10.36.21.2', '10.36.21.3', '10.36.21.4']);
  });

  it('reads past the first page of occupants when they leave no gap (300 addresses taken in one call, then the 301st)', async () => {
    const big = await prefix('10.36.22.0/23');
    const many = await take(Array.from({ length: 300 }, () => ({ prefixId: big.id })));
    expect(new Set(many.map((r) => r.address.address)).size).toBe(300);
    expect(many[299]!.address.address).toBe('10.36.23.44');
    const [next] = await take([{ prefixId: big.id }]);
    expect(next!.address.address).toBe('10.36.23.45');
  });

  it('refuses the whole call when one prefix is full, naming it, and writes nothing', async () => {
    const tiny = await prefix('10.36.23.0/30');
    const roomy = await prefix('10.36.24.0/29');
    await take([{ prefixId: tiny.id }, { prefixId: tiny.id }]);
    const before = await count();
    const error = await take([{ prefixId: roomy.id }, { prefixId: tiny.id }]).catch((e: unknown) => e);
    expect(error).toEqual(jasmine.any(ConflictError));
    expect((error as Error).message).toBe('no free address left in 10.36.23.0/30');
    expect(await count()).toBe(before);
  });

  it('refuses a key already used on another prefix', async () => {
    const a = await prefix('10.36.25.0/29');
    const b = await prefix('10.36.26.0/29');
    await take([{ prefixId: a.id, key: 'same' }]);
    await expectAsync(take([{ prefixId: b.id, key: 'same' }])).toBeRejectedWithError(ConflictError, /idempotency key same was used for 10\.36\.25\.1/);
  });
});
