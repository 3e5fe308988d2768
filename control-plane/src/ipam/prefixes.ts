import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { addressFromDb, blockFromDb, parseCidr, sizeOf, type Block } from './ip-math.ts';
import { allocatableSize, hostRange } from './strategy.ts';
import { ipamRepo, type PrefixKind, type PrefixRow, type PrefixStatus } from './ipam-repo.ts';
import { prefixesRepo } from './prefixes-repo.ts';

export interface PrefixInput {
  vrfId: string;
  cidr: string;
  parentId?: string | null;
  kind: PrefixKind;
  status: PrefixStatus;
  unitCode?: string | null;
  planeId?: string | null;
  description?: string;
  /** A workflow step's key (a segment with a chosen prefix): its undo finds the prefix by it, as it finds an allocation's. */
  idempotencyKey?: string | null;
}

/** Why a prefix cannot be placed where asked, or where it goes: the checks shared by the API and CSV import. */
export type Placement =
  | { ok: true; block: Block; parent: PrefixRow | null; adopt: PrefixRow[] }
  | { ok: false; field: string; error: string; conflict?: boolean };

/**
 * Where a new prefix fits in its VRF's tree. CIDR blocks either nest or are disjoint, so every prefix the
 * new one overlaps is an ancestor (shorter: the longest of them is the parent), the same prefix (refused),
 * or a would-be descendant. Would-be descendants are adopted when `adopt` is set (a container created over
 * existing prefixes: they and their subtrees move one level down), refused otherwise (CSV import).
 */
export async function placePrefix(db: Queryable, input: Pick<PrefixInput, 'vrfId' | 'cidr' | 'parentId' | 'kind'>, adopt = false): Promise<Placement> {
  const parsed = parseCidr(input.cidr);
  if (!parsed.ok) return { ok: false, field: 'cidr', error: parsed.error };
  const overlapping = await ipamRepo.overlapping(db, input.vrfId, input.cidr);
  const given = input.parentId ? await ipamRepo.prefixById(db, input.parentId) : null;
  const placed = placeAmong(input, parsed.value, overlapping, given, adopt);
  if (!placed.ok || !placed.inside.length) return placed.ok ? { ok: true, block: parsed.value, parent: placed.parent, adopt: [] } : placed;
  // The new prefix's future children: the existing siblings it covers (their own subtrees follow them).
  const direct = await prefixesRepo.coveredSiblingIds(db, input.vrfId, placed.parent?.id ?? null, input.cidr);
  return { ok: true, block: parsed.value, parent: placed.parent, adopt: await ipamRepo.prefixesByIds(db, direct) };
}

/**
 * The checks of `placePrefix` without I/O, over what the database holds: `overlapping` are the VRF's prefixes
 * that overlap `block` (shortest first, as `ipamRepo.overlapping` and `overlappingMany` return them), `given`
 * the parent the caller named (looked up by `input.parentId`). CSV import calls it for every row of a file
 * over one bulk query, the API once. `inside` lists the would-be descendants (only non-empty when `adopt`).
 */
export function placeAmong(
  input: Pick<PrefixInput, 'vrfId' | 'cidr' | 'parentId' | 'kind'>, block: Block, overlapping: readonly PrefixRow[], given: PrefixRow | null, adopt: boolean,
): { ok: true; parent: PrefixRow | null; inside: PrefixRow[] } | { ok: false; field: string; error: string; conflict?: boolean } {
  const same = overlapping.find((p) => p.cidr === input.cidr);
  if (same) return { ok: false, field: 'cidr', error: `${input.cidr} already exists in this VRF`, conflict: true };
  const inside = overlapping.filter((p) => Number(p.cidr.split('/')[1]) > block.length);
  const ancestors = overlapping.filter((p) => Number(p.cidr.split('/')[1]) < block.length);
  const nearest = ancestors[ancestors.length - 1] ?? null;
  if (input.parentId) {
    if (!given || given.vrfId !== input.vrfId) return { ok: false, field: 'parentId', error: 'no such parent prefix in this VRF' };
    if (!ancestors.some((a) => a.id === given.id)) return { ok: false, field: 'cidr', error: `${input.cidr} is outside its parent ${given.cidr}` };
    if (nearest && nearest.id !== given.id) return { ok: false, field: 'cidr', conflict: true, error: `${input.cidr} overlaps ${nearest.cidr}, a child of ${given.cidr}: give ${nearest.cidr} as the parent` };
  }
  // An assigned prefix is a leaf: it holds addresses, not prefixes.
  if (nearest?.kind === 'assigned') return { ok: false, field: 'cidr', conflict: true, error: `${input.cidr} overlaps ${nearest.cidr}, an assigned prefix (assigned prefixes hold addresses, not prefixes)` };
  if (inside.length) {
    const listed = `${inside.slice(0, 3).map((p) => p.cidr).join(', ')}${inside.length > 3 ? ' …' : ''}`;
    if (!adopt) return { ok: false, field: 'cidr', conflict: true, error: `${input.cidr} overlaps ${listed} already in this VRF (create a container before what it contains)` };
    if (input.kind === 'assigned') return { ok: false, field: 'kind', conflict: true, error: `${input.cidr} would contain ${listed}: make it a container or an aggregate` };
  }
  return { ok: true, parent: nearest, inside };
}

export async function createPrefix(db: Queryable, input: PrefixInput): Promise<PrefixRow> {
  if (!(await ipamRepo.vrfById(db, input.vrfId))) throw new NotFoundError('no such VRF');
  // The same row lock as an allocation in that parent, so a manual prefix and an allocation never race.
  const preview = await placePrefix(db, input, true);
  if (preview.ok && preview.parent) await ipamRepo.lockPrefix(db, preview.parent.id);
  const placed = preview.ok && preview.parent ? await placePrefix(db, input, true) : preview;
  if (!placed.ok) throw placed.conflict ? new ConflictError(placed.error, placed.field) : new InputError(placed.error, placed.field);
  await checkUnitAndPlane(db, input.unitCode ?? null, input.planeId ?? null);
  const id = newId();
  const depth = placed.parent ? placed.parent.depth + 1 : 0;
  if (placed.parent) {
    // Addresses of the parent that the new prefix covers will move into it: none may be its network, broadcast
    // or subnet-router anycast address there.
    const usable = hostRange(placed.block);
    const covered = await prefixesRepo.coveredAddresses(db, placed.parent.id, input.cidr);
    const bad = covered.find((a) => {
      const v = addressFromDb(a.address).value;
      return !usable || v < usable.start || v >= usable.end;
    });
    if (bad) throw new ConflictError(`${input.cidr} would make the recorded address ${bad.address} its network, broadcast or anycast address`, 'cidr');
  }
  if (placed.adopt.length) {
    // Moving subtrees and addresses passes through states the final tree does not have (a child pointing at
    // a parent not yet inserted, two prefixes at one depth for a moment): check those constraints at commit.
    await prefixesRepo.deferTreeConstraints(db);
  }
  await ipamRepo.insertPrefixes(db, [{
    id, vrfId: input.vrfId, cidr: input.cidr, family: placed.block.family,
    parent: placed.parent ? { id: placed.parent.id, depth: placed.parent.depth, cidr: placed.parent.cidr } : null,
    kind: input.kind, status: input.status, unitCode: input.unitCode ?? null, planeId: input.planeId ?? null,
    description: input.description ?? '', idempotencyKey: input.idempotencyKey ?? null,
  }]);
  if (placed.adopt.length) {
    await prefixesRepo.adoptSubtrees(db, placed.adopt.map((p) => p.id), id, depth, input.cidr);
  }
  if (placed.parent) {
    // Addresses recorded in the parent that the new prefix covers now belong to it.
    await prefixesRepo.moveCoveredAddresses(db, id, input.cidr, placed.parent.id);
    await ipamRepo.clearFill(db, placed.parent.id);
  }
  return (await ipamRepo.prefixById(db, id))!;
}

export async function deletePrefix(db: Queryable, id: string): Promise<PrefixRow> {
  const p = await ipamRepo.lockPrefix(db, id);
  if (!p) throw new NotFoundError('no such prefix');
  const below = await ipamRepo.hasDescendants(db, id);
  if (below.prefixes || below.addresses) {
    throw new ConflictError(`${p.cidr} still holds ${below.prefixes} prefixes and ${below.addresses} addresses: free them first`);
  }
  const templates = await prefixesRepo.templatesUsing(db, id);
  if (templates) throw new ConflictError(`${p.cidr} is the parent of ${templates} allocation templates`);
  await ipamRepo.deletePrefix(db, id);
  if (p.parentId) await ipamRepo.clearFill(db, p.parentId);
  return p;
}

export async function checkUnitAndPlane(db: Queryable, unitCode: string | null, planeId: string | null): Promise<void> {
  if (unitCode && !(await ipamRepo.knownUnits(db, [unitCode])).has(unitCode)) throw new InputError(`unknown unit code ${unitCode}`, 'unitCode');
  if (planeId && !(await ipamRepo.knownPlanes(db, [planeId])).has(planeId)) throw new InputError(`unknown plane ${planeId}`, 'planeId');
}

export interface Utilisation {
  /** Every address of the prefix (2^(bits − length)). */
  size: string;
  /** What the allocator can ever hand out in it (see `allocatableSize`): the denominator of `percent`. */
  allocatable: string;
  used: string;
  /** Used share of the allocatable addresses in percent, two decimals (rounded down: 100 only when full). */
  percent: number;
}

/**
 * Utilisation of prefixes: the sizes of their children (grouped by length, summed exactly in BigInt — an
 * IPv6 /32 holds 2^96 addresses) plus the addresses recorded directly in them, over the allocatable count.
 */
export async function utilisation(db: Queryable, prefixes: readonly PrefixRow[]): Promise<Map<string, Utilisation>> {
  const ids = prefixes.map((p) => p.id);
  const byLength = await prefixesRepo.childCountsByLength(db, ids);
  const addresses = await prefixesRepo.addressCounts(db, ids);
  const used = new Map<string, bigint>();
  for (const r of byLength) used.set(r.parentId, (used.get(r.parentId) ?? 0n) + BigInt(r.n) * sizeOf({ family: r.family, length: r.length }));
  for (const r of addresses) used.set(r.prefixId, (used.get(r.prefixId) ?? 0n) + BigInt(r.n));
  const out = new Map<string, Utilisation>();
  for (const p of prefixes) {
    const block = blockFromDb(p.cidr);
    const allocatable = allocatableSize(block, p.kind === 'assigned' ? 'addresses' : 'prefixes');
    const u = used.get(p.id) ?? 0n;
    // Only ::/128 and 0.0.0.0/32 have nothing allocatable (the unspecified address): empty, never "full".
    const percent = allocatable === 0n ? 0 : Number((u * 10_000n) / allocatable) / 100;
    out.set(p.id, { size: sizeOf(block).toString(), allocatable: allocatable.toString(), used: u.toString(), percent });
  }
  return out;
}
