import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { bitsOf, blockFromDb, endOf, formatAddress, parseAddress, type Block, type Range } from './ip-math.ts';
import { freeOf, lockParents } from './allocate.ts';
import type { NewAddress } from './address-insert.ts';
import { ipamRepo, type AddressRow, type PrefixRow, type PrefixStatus } from './ipam-repo.ts';
import { checkUnitAndPlane } from './prefixes.ts';
import { carve, hostRange } from './strategy.ts';

export interface AddressAttributes {
  status: PrefixStatus;
  unitCode?: string | null;
  planeId?: string | null;
  dnsName?: string | null;
  description?: string;
}

/** Records a given address in the most specific prefix of the VRF that holds it. */
export async function createAddress(db: Queryable, input: AddressAttributes & { vrfId: string; address: string }): Promise<AddressRow> {
  const parsed = parseAddress(input.address);
  if (!parsed.ok) throw new InputError(parsed.error, 'address');
  const { family, value } = parsed.value;
  const text = formatAddress(family, value);
  const holder = await ipamRepo.narrowestPrefixHolding(db, input.vrfId, text);
  if (!holder) throw new InputError(`no prefix of this VRF holds ${text}: create the prefix first`, 'address');
  const prefix = (await ipamRepo.lockPrefix(db, holder))!;
  const usable = hostRange(blockFromDb(prefix.cidr));
  if (!usable || value < usable.start || value >= usable.end) {
    const why = family === 'ipv4' ? 'the network or broadcast address of' : value === 0n ? 'the unspecified address in' : 'the subnet-router anycast address of';
    throw new InputError(`${text} is ${why} ${prefix.cidr} and is never handed out`, 'address');
  }
  if (await ipamRepo.addressRecorded(db, input.vrfId, text)) {
    throw new ConflictError(`${text} is already recorded in this VRF`, 'address');
  }
  await checkUnitAndPlane(db, input.unitCode ?? null, input.planeId ?? null);
  const row = addressRow(prefix.id, prefix.vrfId, text, family, input, null);
  await ipamRepo.insertAddresses(db, [{ ...row, address: `${text}/${bitsOf(family)}`, prefixCidr: prefix.cidr }]);
  return row;
}

/**
 * The next free address of a prefix (first-fit over the gaps between child prefixes and recorded
 * addresses), under the prefix's row lock; never the network, broadcast, subnet-router anycast or
 * unspecified address. A repeated idempotency key returns the address it gave the first time.
 */
export async function allocateAddress(db: Queryable, input: AddressRequest): Promise<{ address: AddressRow; replayed: boolean }> {
  return (await allocateAddresses(db, [input]))[0]!;
}

export type AddressRequest = AddressAttributes & { prefixId: string; idempotencyKey?: string | null };

/**
 * allocateAddress for several requests at once (a dual-stack host's IPv4 and IPv6 address), in the same few
 * statements however many there are: the prefixes locked together in id order, then the keys looked up and the
 * first occupants of every prefix read by one statement (the whole list only for a prefix whose first page had no
 * gap), then one insert for all the new addresses. Requests on one prefix get different addresses. All or nothing with the
 * caller's transaction: the first request that cannot be served throws. `locked`: the prefixes, already locked by the
 * caller in this transaction (lockPrefixesQuery), instead of locking them here. `unwritten`: the new addresses are
 * put there instead of inserted, for the caller to insert with its own row in this transaction (addressInsert).
 */
export async function allocateAddresses(
  db: Queryable, requests: readonly AddressRequest[], opts: { locked?: readonly PrefixRow[]; unwritten?: NewAddress[] } = {},
): Promise<{ address: AddressRow; replayed: boolean }[]> {
  if (!requests.length) return [];
  const prefixes = opts.locked ? lockedAlready(opts.locked, requests.map((r) => r.prefixId)) : await lockParents(db, requests.map((r) => r.prefixId));
  const keys = requests.map((r) => r.idempotencyKey).filter((k): k is string => !!k);
  // The keys and the first occupants of every prefix in one statement, after the lock (so both see what its last
  // holder committed); a prefix whose requests all replay is read for nothing, which costs less than a statement.
  const blocks = new Map(requests.map((r) => [r.prefixId, blockFromDb(prefixes.get(r.prefixId)!.cidr)]));
  const read = await ipamRepo.addressesByKeysAndUsedRanges(db, keys, [...blocks].map(([id, block]) => ({ id, family: block.family, after: null })), FIRST_OCCUPANTS);
  const seen = new Map(read.seen.map((a) => [a.idempotencyKey!, a]));
  const scans = read.used;
  const results: { address: AddressRow; replayed: boolean }[] = [];
  const todo: { at: number; request: AddressRequest }[] = [];
  requests.forEach((request, at) => {
    const prior = request.idempotencyKey ? seen.get(request.idempotencyKey) : undefined;
    if (!prior) return void todo.push({ at, request });
    if (prior.prefixId !== request.prefixId) throw new ConflictError(`idempotency key ${request.idempotencyKey} was used for ${prior.address}, a different request`, 'idempotencyKey');
    results[at] = { address: prior, replayed: true };
  });
  for (const { request } of todo) await checkUnitAndPlane(db, request.unitCode ?? null, request.planeId ?? null);
  const taken = new Map<string, bigint[]>();
  const inserts: (AddressRow & { prefixCidr: string })[] = [];
  for (const { at, request } of todo) {
    const prefix = prefixes.get(request.prefixId)!;
    const block = blocks.get(prefix.id)!;
    const mine = taken.get(prefix.id) ?? [];
    let found = firstFree(block, freeOf(block, scans.get(prefix.id)!), mine);
    if (found === undefined) {
      // No gap among the first occupants: the whole list, once per prefix.
      scans.set(prefix.id, (await ipamRepo.usedRanges(db, [{ id: prefix.id, family: block.family, after: null }], null)).get(prefix.id)!);
      found = firstFree(block, freeOf(block, scans.get(prefix.id)!), mine);
    }
    if (found === undefined || found === null) throw new ConflictError(`no free address left in ${prefix.cidr}`, 'prefixId');
    taken.set(prefix.id, [...mine, found]);
    const text = formatAddress(block.family, found);
    const row = addressRow(prefix.id, prefix.vrfId, text, block.family, request, request.idempotencyKey ?? null);
    inserts.push({ ...row, address: `${text}/${bitsOf(block.family)}`, prefixCidr: prefix.cidr });
    results[at] = { address: row, replayed: false };
  }
  if (opts.unwritten) opts.unwritten.push(...inserts);
  else await ipamRepo.insertAddresses(db, inserts);
  return results;
}

/**
 * The prefixes as the caller locked them in this transaction (lockPrefixesQuery, with its own read): lockParents'
 * answer, and its refusal when one of them is gone.
 */
function lockedAlready(locked: readonly PrefixRow[], ids: readonly string[]): Map<string, PrefixRow> {
  const byId = new Map(locked.map((p) => [p.id, p]));
  if (ids.some((id) => !byId.has(id))) throw new NotFoundError('no such prefix');
  return byId;
}

/** How many occupants the first gap query reads per prefix. */
const FIRST_OCCUPANTS = 256;

/**
 * The first host address of the block that is free and not already chosen in this batch: null when the block has
 * none at all, undefined when the occupants read so far show none but were cut (read the whole list to be sure).
 */
function firstFree(block: Block, free: { ranges: Range[]; complete: boolean }, chosen: readonly bigint[]): bigint | null | undefined {
  const usable = hostRange(block);
  if (!usable) return null;
  let ranges = carve(free.ranges, { start: block.start, end: usable.start });
  ranges = carve(ranges, { start: usable.end, end: endOf(block) });
  for (const c of chosen) ranges = carve(ranges, { start: c, end: c + 1n });
  return ranges[0]?.start ?? (free.complete ? null : undefined);
}

export async function deleteAddress(db: Queryable, id: string): Promise<AddressRow> {
  const a = await ipamRepo.addressById(db, id);
  if (!a) throw new NotFoundError('no such address');
  await ipamRepo.deleteAddress(db, id);
  await ipamRepo.clearFill(db, a.prefixId);
  return a;
}

function addressRow(prefixId: string, vrfId: string, address: string, family: 'ipv4' | 'ipv6', a: AddressAttributes, key: string | null): AddressRow {
  return {
    id: newId(), vrfId, prefixId, address, family, status: a.status, unitCode: a.unitCode ?? null, planeId: a.planeId ?? null,
    dnsName: a.dnsName ?? null, description: a.description ?? '', idempotencyKey: key,
  };
}
