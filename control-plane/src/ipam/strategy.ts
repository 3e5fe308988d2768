import { alignUp, rangeToBlocks, sizeOf, type Block, type Family, type Range } from './ip-math.ts';

/**
 * Where the next free block goes (pure; no I/O). Input: the free ranges of one parent in address order.
 *  - first-fit: the lowest aligned block; fast, packs the bottom of the parent.
 *  - best-fit: inside the smallest free aligned block that still fits; keeps large blocks whole.
 *  - sparse: in the middle of the largest free block, so both the block before and the new one can grow
 *    (each doubling needs its buddy free).
 *  - nibble (IPv6): first-fit on a 4-bit boundary, with the whole nibble-rounded block free, so the
 *    allocation can grow to that nibble and ip6.arpa delegation falls on label boundaries.
 */
export const STRATEGIES = ['first-fit', 'best-fit', 'sparse', 'nibble'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export function chooseBlock(family: Family, parent: Block, free: readonly Range[], length: number, strategy: Strategy): Block | null {
  const size = sizeOf({ family, length });
  switch (strategy) {
    case 'first-fit':
      return firstAligned(family, free, length, size, size);
    case 'nibble': {
      // Round to the nibble at or above the requested block, but never beyond the parent itself.
      const nibbleLength = Math.max(parent.length, length - (length % 4));
      return firstAligned(family, free, length, size, sizeOf({ family, length: nibbleLength }));
    }
    case 'best-fit':
    case 'sparse': {
      let chosen: Block | null = null;
      for (const range of free) {
        for (const b of rangeToBlocks(family, range)) {
          if (b.length > length) continue;
          // best-fit keeps the longest prefix (smallest block); sparse the shortest (largest block); ties: lowest address.
          const better = !chosen || (strategy === 'best-fit' ? b.length > chosen.length : b.length < chosen.length);
          if (better) chosen = b;
        }
      }
      if (!chosen) return null;
      if (strategy === 'best-fit' || chosen.length === length) return { family, start: chosen.start, length };
      return { family, start: chosen.start + sizeOf(chosen) / 2n, length };
    }
  }
}

/** The lowest start aligned to `align` whose `align`-sized block is entirely free; the block has `length`. */
function firstAligned(family: Family, free: readonly Range[], length: number, size: bigint, align: bigint): Block | null {
  const need = align > size ? align : size;
  for (const r of free) {
    const start = alignUp(r.start, align);
    if (start + need <= r.end) return { family, start, length };
  }
  return null;
}

/** Removes a chosen block from the free ranges (it must lie inside one of them). */
export function carve(free: Range[], block: Range): Range[] {
  const out: Range[] = [];
  for (const r of free) {
    if (block.end <= r.start || block.start >= r.end) {
      out.push(r);
      continue;
    }
    if (r.start < block.start) out.push({ start: r.start, end: block.start });
    if (block.end < r.end) out.push({ start: block.end, end: r.end });
  }
  return out;
}

/**
 * The usable address range of a prefix for host addresses: the IPv4 network and broadcast addresses
 * (below /31) and the IPv6 subnet-router anycast address (below /127) are never handed out, nor the
 * unspecified address (0.0.0.0 or ::) even inside a /31 or /127 that starts there.
 */
export function hostRange(prefix: Block): Range | null {
  let start = prefix.start;
  let end = prefix.start + sizeOf(prefix);
  if (prefix.family === 'ipv4' && prefix.length < 31) {
    start += 1n;
    end -= 1n;
  } else if (prefix.family === 'ipv6' && prefix.length < 127) start += 1n;
  if (start === 0n) start = 1n;
  return start < end ? { start, end } : null;
}

/**
 * How many addresses of a prefix the allocator can ever hand out: the denominator of utilisation. A prefix
 * that holds prefixes (aggregate, container) can be covered entirely by children (a /24 split into four /26
 * is full), so all of it counts. An assigned prefix holds addresses only, so exactly `hostRange` counts:
 * IPv4 below /31 loses network and broadcast (a /30 has 2), a /31 has 2 (RFC 3021), a /32 has 1; IPv6 has no
 * broadcast, but below /127 the subnet-router anycast address (RFC 4291 §2.6.1) is never handed out (a /126
 * has 3), a /127 has 2 (RFC 6164), a /128 has 1; the unspecified address (0.0.0.0, ::) is never counted.
 */
export function allocatableSize(prefix: Block, holds: 'prefixes' | 'addresses'): bigint {
  if (holds === 'prefixes') return sizeOf(prefix);
  const usable = hostRange(prefix);
  return usable ? usable.end - usable.start : 0n;
}
