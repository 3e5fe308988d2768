import { errorOf, type callerAs } from '../testing/harness.ts';
import { engineerWithVrf } from '../testing/ipam-fixtures.ts';
import { blockFromDb, parseAddress } from './ip-math.ts';
import { hostRange } from './strategy.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

/**
 * Utilisation is allocated / allocatable, where allocatable is exactly what the allocator can ever hand out:
 * each edge prefix is filled through the API until the allocator refuses, and must then read 100 %.
 */
describe('ipam utilisation (allocatable addresses only)', () => {
  let eng: Caller;
  let vrfId: string;

  beforeEach(async () => {
    ({ eng, vrfId } = await engineerWithVrf('UTIL'));
  });

  const edges: [string, string, string[]][] = [
    ['10.36.9.0/30', '4', ['10.36.9.1', '10.36.9.2']],
    ['10.36.9.4/31', '2', ['10.36.9.4', '10.36.9.5']],
    ['10.36.9.6/32', '1', ['10.36.9.6']],
    ['2001:db8:9::/126', '4', ['2001:db8:9::1', '2001:db8:9::2', '2001:db8:9::3']],
    ['2001:db8:9::4/127', '2', ['2001:db8:9::4', '2001:db8:9::5']],
    ['2001:db8:9::6/128', '1', ['2001:db8:9::6']],
  ];
  for (const [cidr, size, expected] of edges) {
    it(`fills an assigned ${cidr.split('/')[0]!.includes(':') ? 'IPv6' : 'IPv4'} /${cidr.split('/')[1]} to 100 % with exactly the ${expected.length} addresses the allocator hands out`, async () => {
      const p = await eng.ipam.createPrefix({ vrfId, cidr, kind: 'assigned' });
      const empty = (await eng.ipam.prefix({ id: p.id })).utilisation;
      expect(empty).toEqual({ size, allocatable: String(expected.length), used: '0', percent: 0 });
      // Allocate until the allocator refuses: everything it handed out is what it can ever hand out.
      const handedOut: string[] = [];
      for (;;) {
        const r = await eng.ipam.allocateAddress({ prefixId: p.id }).then((a) => a.address, (e: { code?: string }) => e);
        if (typeof r !== 'string') {
          expect(r.code).toBe('CONFLICT');
          break;
        }
        handedOut.push(r);
        if (handedOut.length > expected.length) break;
      }
      expect(handedOut).toEqual(expected);
      // Never a non-allocatable address: each one inside the host range the utilisation counts.
      const usable = hostRange(blockFromDb(cidr))!;
      for (const a of handedOut) {
        const v = (parseAddress(a) as { ok: true; value: { value: bigint } }).value.value;
        expect(v >= usable.start && v < usable.end).withContext(a).toBeTrue();
      }
      const full = (await eng.ipam.prefixes({ vrfId })).items.find((x) => x.id === p.id)!.utilisation;
      expect(full).toEqual({ size, allocatable: String(expected.length), used: String(expected.length), percent: 100 });
    });
  }

  it('reads a half-filled /30 as 50 % and a container split into two /31 as 100 % (children may cover network and broadcast)', async () => {
    const lan = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.8.0/30', kind: 'assigned' });
    await eng.ipam.allocateAddress({ prefixId: lan.id });
    expect((await eng.ipam.prefix({ id: lan.id })).utilisation).toEqual({ size: '4', allocatable: '2', used: '1', percent: 50 });
    const box = await eng.ipam.createPrefix({ vrfId, cidr: '10.36.8.4/30', kind: 'container' });
    await eng.ipam.allocatePrefix({ parentId: box.id, length: 31 });
    await eng.ipam.allocatePrefix({ parentId: box.id, length: 31 });
    expect((await eng.ipam.prefix({ id: box.id })).utilisation).toEqual({ size: '4', allocatable: '4', used: '4', percent: 100 });
  });

  it('refuses to record the network, broadcast or subnet-router anycast address of an assigned prefix', async () => {
    await eng.ipam.createPrefix({ vrfId, cidr: '10.36.7.0/30', kind: 'assigned' });
    await eng.ipam.createPrefix({ vrfId, cidr: '2001:db8:7::/126', kind: 'assigned' });
    for (const address of ['10.36.7.0', '10.36.7.3', '2001:db8:7::']) {
      const e = await errorOf(() => eng.ipam.createAddress({ vrfId, address }));
      expect([e.code, e.message]).withContext(address).toEqual(['BAD_REQUEST', jasmine.stringMatching(/never handed out/) as unknown as string]);
    }
  });
});
