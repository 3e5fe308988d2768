import { Address4, Address6 } from 'ip-address';

/**
 * Pure IP arithmetic for IPAM (no I/O). Addresses are BigInt values from the `ip-address` library, so an
 * IPv6 /0 (2^128 addresses) is as easy as an IPv4 /29: there is no 2^32 cap and no bit math on strings.
 * A block is [start, start + 2^(bits - length)); everything below works on those numbers.
 */
export type Family = 'ipv4' | 'ipv6';

export interface Block {
  family: Family;
  /** The network address as an unsigned integer. */
  start: bigint;
  length: number;
}

/** A half-open range [start, end) of free or used addresses. */
export interface Range {
  start: bigint;
  end: bigint;
}

export const bitsOf = (family: Family): number => (family === 'ipv4' ? 32 : 128);
export const sizeOf = (b: Pick<Block, 'family' | 'length'>): bigint => 1n << BigInt(bitsOf(b.family) - b.length);
export const endOf = (b: Block): bigint => b.start + sizeOf(b);
export const familyOf = (text: string): Family => (text.includes(':') ? 'ipv6' : 'ipv4');

export function formatAddress(family: Family, value: bigint): string {
  return family === 'ipv4' ? Address4.fromBigInt(value).correctForm() : Address6.fromBigInt(value).correctForm();
}

/** Canonical text: lower-case, RFC 5952 compressed IPv6; dotted-quad IPv4 without leading zeros. */
export function formatBlock(b: Block): string {
  return `${formatAddress(b.family, b.start)}/${b.length}`;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses a CIDR strictly: the length is required, host bits must be zero and the text must already be
 * canonical. Every refusal names what was wrong and, where one exists, the canonical form to use instead.
 */
export function parseCidr(input: string): ParseResult<Block> {
  const text = input.trim();
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, error: `${show(text)} has no prefix length: write it as address/length, for example 10.1.0.0/16 or 2001:db8::/32` };
  if (text.includes('%')) return { ok: false, error: `${show(text)} has a zone index (%…), which a prefix cannot have` };
  const lengthText = text.slice(slash + 1);
  const family = familyOf(text);
  const bits = bitsOf(family);
  if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > bits) {
    return { ok: false, error: `${show(text)}: the prefix length must be a whole number from 0 to ${bits}` };
  }
  const length = Number(lengthText);
  let start: bigint;
  try {
    const a = family === 'ipv4' ? new Address4(text.slice(0, slash)) : new Address6(text.slice(0, slash));
    start = a.bigInt();
  } catch (error) {
    return { ok: false, error: `${show(text)} is not a valid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix (${(error as Error).message})` };
  }
  const size = 1n << BigInt(bits - length);
  const network = start - (start % size);
  const canonical = formatBlock({ family, start: network, length });
  if (network !== start) return { ok: false, error: `${show(text)} has host bits set: the network is ${canonical}` };
  if (canonical !== text) return { ok: false, error: `${show(text)} is not in canonical form: write ${canonical}` };
  return { ok: true, value: { family, start, length } };
}

/** Parses a single address (no length, or a full-length /32 or /128), strictly canonical as above. */
export function parseAddress(input: string): ParseResult<{ family: Family; value: bigint }> {
  const text = input.trim();
  const family = familyOf(text);
  const bare = text.replace(new RegExp(`/${bitsOf(family)}$`), '');
  if (bare.includes('/')) return { ok: false, error: `${show(text)} is a prefix, not an address` };
  if (bare.includes('%')) return { ok: false, error: `${show(text)} has a zone index (%…), which is not stored` };
  let value: bigint;
  try {
    value = (family === 'ipv4' ? new Address4(bare) : new Address6(bare)).bigInt();
  } catch (error) {
    return { ok: false, error: `${show(text)} is not a valid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address (${(error as Error).message})` };
  }
  const canonical = formatAddress(family, value);
  if (canonical !== bare) return { ok: false, error: `${show(text)} is not in canonical form: write ${canonical}` };
  return { ok: true, value: { family, value } };
}

/** Reads what PostgreSQL returns for cidr/inet (its own text form) into a block; trusted input. */
export function blockFromDb(text: string): Block {
  const [addr, len] = text.split('/');
  const family = familyOf(addr!);
  const start = (family === 'ipv4' ? new Address4(addr!) : new Address6(addr!)).bigInt();
  return { family, start, length: len === undefined ? bitsOf(family) : Number(len) };
}

export function addressFromDb(text: string): { family: Family; value: bigint } {
  const b = blockFromDb(text);
  return { family: b.family, value: b.start };
}

export const contains = (outer: Block, inner: Block): boolean =>
  outer.family === inner.family && outer.length <= inner.length && inner.start >= outer.start && endOf(inner) <= endOf(outer);

export const overlaps = (a: Block, b: Block): boolean => a.family === b.family && a.start < endOf(b) && b.start < endOf(a);

/** Free ranges of `parent` between sorted, non-overlapping used ranges (which must lie inside it). */
export function freeRanges(parent: Range, used: readonly Range[]): Range[] {
  const free: Range[] = [];
  let cursor = parent.start;
  for (const u of used) {
    if (u.start > cursor) free.push({ start: cursor, end: u.start });
    if (u.end > cursor) cursor = u.end;
  }
  if (cursor < parent.end) free.push({ start: cursor, end: parent.end });
  return free;
}

/** The lowest start >= `from` aligned to `size` (a power of two). */
export const alignUp = (from: bigint, size: bigint): bigint => ((from + size - 1n) / size) * size;

/**
 * Splits a free range into the fewest aligned CIDR blocks (at most 2 × bits of them), largest-aligned
 * first from the left: the building blocks best-fit and sparse choose among.
 */
export function rangeToBlocks(family: Family, range: Range): Block[] {
  const bits = bitsOf(family);
  const blocks: Block[] = [];
  let start = range.start;
  while (start < range.end) {
    let length = bits;
    // Grow the block while it stays aligned at `start` and inside the range.
    while (length > 0) {
      const bigger = 1n << BigInt(bits - length + 1);
      if (start % bigger !== 0n || start + bigger > range.end) break;
      length -= 1;
    }
    blocks.push({ family, start, length });
    start += 1n << BigInt(bits - length);
  }
  return blocks;
}

export const sumSizes = (ranges: readonly Range[]): bigint => ranges.reduce((n, r) => n + (r.end - r.start), 0n);

function show(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
