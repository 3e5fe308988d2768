import fc from 'fast-check';
import { alignUp, endOf, formatBlock, freeRanges, parseAddress, parseCidr, rangeToBlocks, sizeOf, sumSizes, type Block } from './ip-math.ts';
import { allocatableSize, carve, chooseBlock, hostRange } from './strategy.ts';

describe('ip math (pure)', () => {
  const canonical: [string, string][] = [
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:db8:0:0::/64', '2001:db8::/64'],
    ['2001:0db8::/32', '2001:db8::/32'],
    ['2001:db8:0:0:1:0:0:0/80', '2001:db8:0:0:1::/80'],
    ['::ffff:10.0.0.0/120', '::ffff:a00:0/120'],
  ];
  for (const [input, want] of canonical) {
    it(`refuses ${input} and names the canonical form ${want}`, () => {
      const r = parseCidr(input);
      expect(r.ok).toBeFalse();
      if (!r.ok) expect(r.error).toContain(`write ${want}`);
      expect(parseCidr(want).ok).toBeTrue();
    });
  }

  const malformed: [string, RegExp][] = [
    ['10.0.0.1/8', /host bits set: the network is 10\.0\.0\.0\/8/],
    ['2001:db8::1/64', /host bits set: the network is 2001:db8::\/64/],
    ['10.0.0.0/33', /0 to 32/],
    ['2001:db8::/129', /0 to 128/],
    ['10.0.0.0', /no prefix length/],
    ['10.0.0/8', /not a valid IPv4 prefix/],
    ['010.0.0.0/8', /not a valid IPv4 prefix/],
    ['fe80::%eth0/64', /zone index/],
    ['2001:db8::g/64', /not a valid IPv6 prefix/],
    ['10.0.0.0/-1', /whole number/],
  ];
  for (const [input, message] of malformed) {
    it(`refuses ${input} with a clear message`, () => {
      const r = parseCidr(input);
      expect(r.ok ? 'accepted' : r.error).toMatch(message);
    });
  }

  it('parses addresses strictly (canonical, no length other than the full one)', () => {
    expect(parseAddress('2001:db8::1').ok).toBeTrue();
    expect(parseAddress('2001:db8::1/128').ok).toBeTrue();
    const upper = parseAddress('2001:DB8::1');
    expect(upper.ok ? '' : upper.error).toContain('write 2001:db8::1');
    const prefix = parseAddress('10.0.0.0/24');
    expect(prefix.ok ? '' : prefix.error).toContain('is a prefix');
  });

  it('works across the whole IPv6 space with no 2^32 cap', () => {
    const all: Block = { family: 'ipv6', start: 0n, length: 0 };
    expect(sizeOf(all)).toBe(2n ** 128n);
    const upper: Block = { family: 'ipv6', start: 2n ** 127n, length: 1 };
    expect(formatBlock(upper)).toBe('8000::/1');
    expect(chooseBlock('ipv6', all, [{ start: 2n ** 127n, end: 2n ** 128n }], 128, 'first-fit')).toEqual({ family: 'ipv6', start: 2n ** 127n, length: 128 });
    expect(rangeToBlocks('ipv6', { start: 1n, end: 2n ** 128n }).length).toBe(128);
  });

  it('keeps network, broadcast, subnet-router anycast and unspecified addresses out of host ranges', () => {
    const v4 = (s: string) => (parseCidr(s) as { value: Block }).value;
    const r29 = hostRange(v4('192.0.2.8/29'))!;
    expect([r29.end - r29.start, r29.start - v4('192.0.2.8/29').start]).toEqual([6n, 1n]);
    expect(hostRange(v4('192.0.2.8/31'))).toEqual({ start: v4('192.0.2.8/31').start, end: v4('192.0.2.8/31').start + 2n });
    expect(hostRange(v4('2001:db8::/64'))!.start).toBe(v4('2001:db8::/64').start + 1n);
    expect(hostRange(v4('2001:db8::/127'))!.start).toBe(v4('2001:db8::/127').start);
    expect(hostRange(v4('::/127'))).toEqual({ start: 1n, end: 2n });
    expect(hostRange(v4('::/128'))).toBeNull();
  });

  it('counts allocatable addresses per family and prefix length (RFC 3021 /31, RFC 6164 /127, no IPv6 broadcast)', () => {
    const b = (s: string) => (parseCidr(s) as { value: Block }).value;
    const counts = ['192.0.2.0/29', '192.0.2.4/30', '192.0.2.4/31', '192.0.2.4/32', '2001:db8::/126', '2001:db8::/127', '2001:db8::/128', '::/128', '0.0.0.0/32']
      .map((c) => allocatableSize(b(c), 'addresses'));
    expect(counts).toEqual([6n, 2n, 2n, 1n, 3n, 2n, 1n, 0n, 0n]);
    // A prefix that holds prefixes can be covered whole by its children.
    expect([allocatableSize(b('192.0.2.4/30'), 'prefixes'), allocatableSize(b('2001:db8::/126'), 'prefixes')]).toEqual([4n, 4n]);
  });

  it('splits any free range into aligned blocks that cover it exactly (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n - 2n }), fc.bigInt({ min: 1n, max: 2n ** 80n }), (start, len) => {
      const end = start + len > 2n ** 128n ? 2n ** 128n : start + len;
      const blocks = rangeToBlocks('ipv6', { start, end });
      let cursor = start;
      for (const b of blocks) {
        expect(b.start).toBe(cursor);
        expect(b.start % sizeOf(b)).toBe(0n);
        cursor = endOf(b);
      }
      expect(cursor).toBe(end);
      expect(blocks.length).toBeLessThanOrEqual(2 * 128);
    }));
  });

  it('never places a block outside the free space, misaligned, or overlapping what it carved (property)', () => {
    const strategies = ['first-fit', 'best-fit', 'sparse', 'nibble'] as const;
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 49, max: 64 }), fc.constantFrom(...strategies)), { maxLength: 60 }), (requests) => {
      const parent: Block = { family: 'ipv6', start: 0x20010db8n << 96n, length: 48 };
      let free = [{ start: parent.start, end: endOf(parent) }];
      const taken: Block[] = [];
      for (const [length, strategy] of requests) {
        const b = chooseBlock('ipv6', parent, free, length, strategy);
        if (!b) continue;
        expect(b.start % sizeOf(b)).toBe(0n);
        expect(free.some((r) => r.start <= b.start && endOf(b) <= r.end)).toBeTrue();
        free = carve(free, { start: b.start, end: endOf(b) });
        taken.push(b);
      }
      expect(sumSizes(free) + taken.reduce((n, b) => n + sizeOf(b), 0n)).toBe(sizeOf(parent));
      const sorted = [...taken].sort((a, b) => (a.start < b.start ? -1 : 1));
      expect(freeRanges({ start: parent.start, end: endOf(parent) }, sorted.map((b) => ({ start: b.start, end: endOf(b) })))).toEqual(free);
    }));
  });

  it('aligns up to a power of two', () => {
    expect([alignUp(0n, 4n), alignUp(1n, 4n), alignUp(4n, 4n), alignUp(5n, 8n)]).toEqual([0n, 4n, 4n, 8n]);
  });
});
