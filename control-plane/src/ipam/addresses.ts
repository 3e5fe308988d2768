import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { bitsOf, blockFromDb, endOf, formatAddress, parseAddress } from './ip-math.ts';
import { freeSpace } from './allocate.ts';
import { ipamRepo, type AddressRow, type PrefixStatus } from './ipam-repo.ts';
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
  return insert(db, prefix.id, prefix.vrfId, prefix.cidr, text, family, input, null);
}

/**
 * The next free address of a prefix (first-fit over the gaps between child prefixes and recorded
 * addresses), under the prefix's row lock; never the network, broadcast, subnet-router anycast or
 * unspecified address. A repeated idempotency key returns the address it gave the first time.
 */
export async function allocateAddress(db: Queryable, input: AddressAttributes & { prefixId: string; idempotencyKey?: string | null }): Promise<{ address: AddressRow; replayed: boolean }> {
  const prefix = await ipamRepo.lockPrefix(db, input.prefixId);
  if (!prefix) throw new NotFoundError('no such prefix');
  const key = input.idempotencyKey ?? null;
  if (key) {
    const [seen] = await ipamRepo.addressesByKeys(db, [key]);
    if (seen) {
      if (seen.prefixId !== prefix.id) throw new ConflictError(`idempotency key ${key} was used for ${seen.address}, a different request`, 'idempotencyKey');
      return { address: seen, replayed: true };
    }
  }
  await checkUnitAndPlane(db, input.unitCode ?? null, input.planeId ?? null);
  const block = blockFromDb(prefix.cidr);
  const usable = hostRange(block);
  let found: bigint | null = null;
  if (usable) {
    for (const limit of [256, null]) {
      const free = await freeSpace(db, block, prefix.id, limit);
      let ranges = carve(free.ranges, { start: block.start, end: usable.start });
      ranges = carve(ranges, { start: usable.end, end: endOf(block) });
      const first = ranges[0];
      if (first) {
        found = first.start;
        break;
      }
      if (free.complete) break;
    }
  }
  if (found === null) throw new ConflictError(`no free address left in ${prefix.cidr}`, 'prefixId');
  const text = formatAddress(block.family, found);
  return { address: await insert(db, prefix.id, prefix.vrfId, prefix.cidr, text, block.family, input, key), replayed: false };
}

export async function deleteAddress(db: Queryable, id: string): Promise<AddressRow> {
  const a = await ipamRepo.addressById(db, id);
  if (!a) throw new NotFoundError('no such address');
  await ipamRepo.deleteAddress(db, id);
  await ipamRepo.clearFill(db, a.prefixId);
  return a;
}

async function insert(db: Queryable, prefixId: string, vrfId: string, prefixCidr: string, address: string, family: 'ipv4' | 'ipv6', a: AddressAttributes, key: string | null): Promise<AddressRow> {
  const row: AddressRow = {
    id: newId(), vrfId, prefixId, address, family, status: a.status, unitCode: a.unitCode ?? null, planeId: a.planeId ?? null,
    dnsName: a.dnsName ?? null, description: a.description ?? '', idempotencyKey: key,
  };
  await ipamRepo.insertAddress(db, { ...row, address: `${address}/${bitsOf(family)}`, prefixCidr });
  return row;
}
