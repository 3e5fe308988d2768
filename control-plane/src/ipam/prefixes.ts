import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { parseCidr, sizeOf, type Block } from './ip-math.ts';
import { ipamRepo, type PrefixKind, type PrefixRow, type PrefixStatus } from './ipam-repo.ts';

export interface PrefixInput {
  vrfId: string;
  cidr: string;
  parentId?: string | null;
  kind: PrefixKind;
  status: PrefixStatus;
  unitCode?: string | null;
  planeId?: string | null;
  description?: string;
}

/** Why a prefix cannot be placed where asked, or where it goes: the checks shared by the API and CSV import. */
export type Placement = { ok: true; block: Block; parent: PrefixRow | null } | { ok: false; field: string; error: string; conflict?: boolean };

/**
 * Where a new prefix fits in its VRF's tree. CIDR blocks either nest or are disjoint, so every prefix the
 * new one overlaps is an ancestor (shorter: the longest of them is the parent), the same prefix (refused),
 * or a would-be child (refused: containers are created before what they contain; re-parenting is not done).
 */
export async function placePrefix(db: Queryable, input: Pick<PrefixInput, 'vrfId' | 'cidr' | 'parentId'>): Promise<Placement> {
  const parsed = parseCidr(input.cidr);
  if (!parsed.ok) return { ok: false, field: 'cidr', error: parsed.error };
  const block = parsed.value;
  const overlapping = await ipamRepo.overlapping(db, input.vrfId, input.cidr);
  const same = overlapping.find((p) => p.cidr === input.cidr);
  if (same) return { ok: false, field: 'cidr', error: `${input.cidr} already exists in this VRF`, conflict: true };
  const inside = overlapping.filter((p) => Number(p.cidr.split('/')[1]) > block.length);
  if (inside.length) {
    return { ok: false, field: 'cidr', conflict: true, error: `${input.cidr} overlaps ${inside.slice(0, 3).map((p) => p.cidr).join(', ')}${inside.length > 3 ? ' …' : ''} already in this VRF (create a container before what it contains)` };
  }
  const ancestors = overlapping.filter((p) => Number(p.cidr.split('/')[1]) < block.length);
  const nearest = ancestors[ancestors.length - 1] ?? null;
  if (input.parentId) {
    const given = await ipamRepo.prefixById(db, input.parentId);
    if (!given || given.vrfId !== input.vrfId) return { ok: false, field: 'parentId', error: 'no such parent prefix in this VRF' };
    if (!ancestors.some((a) => a.id === given.id)) return { ok: false, field: 'cidr', error: `${input.cidr} is outside its parent ${given.cidr}` };
    if (nearest && nearest.id !== given.id) return { ok: false, field: 'cidr', conflict: true, error: `${input.cidr} overlaps ${nearest.cidr}, a child of ${given.cidr}: give ${nearest.cidr} as the parent` };
  }
  // An assigned prefix is a leaf: it holds addresses, not prefixes.
  if (nearest?.kind === 'assigned') return { ok: false, field: 'cidr', conflict: true, error: `${input.cidr} overlaps ${nearest.cidr}, an assigned prefix (assigned prefixes hold addresses, not prefixes)` };
  return { ok: true, block, parent: nearest };
}

export async function createPrefix(db: Queryable, input: PrefixInput): Promise<PrefixRow> {
  if (!(await ipamRepo.vrfById(db, input.vrfId))) throw new NotFoundError('no such VRF');
  const placed = await placePrefix(db, input);
  if (!placed.ok) throw placed.conflict ? new ConflictError(placed.error, placed.field) : new InputError(placed.error, placed.field);
  await checkUnitAndPlane(db, input.unitCode ?? null, input.planeId ?? null);
  if (placed.parent) {
    // The same row lock as an allocation in that parent, so a manual prefix and an allocation never race.
    await ipamRepo.lockPrefix(db, placed.parent.id);
    const [hit] = await db.query<{ address: string }>(
      'SELECT host(address) AS address FROM ipam_addresses WHERE prefix_id = $1 AND address << $2::cidr LIMIT 1',
      [placed.parent.id, input.cidr],
    );
    if (hit) throw new ConflictError(`${input.cidr} contains the address ${hit.address} recorded in ${placed.parent.cidr}`, 'cidr');
  }
  const id = newId();
  await ipamRepo.insertPrefixes(db, [{
    id, vrfId: input.vrfId, cidr: input.cidr, family: placed.block.family,
    parent: placed.parent ? { id: placed.parent.id, depth: placed.parent.depth, cidr: placed.parent.cidr } : null,
    kind: input.kind, status: input.status, unitCode: input.unitCode ?? null, planeId: input.planeId ?? null,
    description: input.description ?? '', idempotencyKey: null,
  }]);
  return (await ipamRepo.prefixById(db, id))!;
}

export async function deletePrefix(db: Queryable, id: string): Promise<PrefixRow> {
  const p = await ipamRepo.lockPrefix(db, id);
  if (!p) throw new NotFoundError('no such prefix');
  const below = await ipamRepo.hasDescendants(db, id);
  if (below.prefixes || below.addresses) {
    throw new ConflictError(`${p.cidr} still holds ${below.prefixes} prefixes and ${below.addresses} addresses: free them first`);
  }
  const [t] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_templates WHERE ipv4_parent_id = $1 OR ipv6_parent_id = $1', [id]);
  if (t!.n) throw new ConflictError(`${p.cidr} is the parent of ${t!.n} allocation templates`);
  await ipamRepo.deletePrefix(db, id);
  if (p.parentId) await ipamRepo.clearFill(db, p.parentId);
  return p;
}

export async function checkUnitAndPlane(db: Queryable, unitCode: string | null, planeId: string | null): Promise<void> {
  if (unitCode && !(await ipamRepo.knownUnits(db, [unitCode])).has(unitCode)) throw new InputError(`unknown unit code ${unitCode}`, 'unitCode');
  if (planeId && !(await ipamRepo.knownPlanes(db, [planeId])).has(planeId)) throw new InputError(`unknown plane ${planeId}`, 'planeId');
}

export interface Utilisation {
  size: string;
  used: string;
  /** Used share in percent, two decimals. */
  percent: number;
}

/**
 * Utilisation of prefixes: the sizes of their children (grouped by length, summed exactly in BigInt — an
 * IPv6 /32 holds 2^96 addresses) plus the addresses recorded directly in them.
 */
export async function utilisation(db: Queryable, prefixes: readonly PrefixRow[]): Promise<Map<string, Utilisation>> {
  const ids = prefixes.map((p) => p.id);
  const byLength = await db.query<{ parentId: string; family: 'ipv4' | 'ipv6'; length: number; n: number }>(
    `SELECT parent_id AS "parentId", family, masklen(cidr) AS length, count(*)::int AS n FROM ipam_prefixes
     WHERE parent_id = ANY($1::uuid[]) GROUP BY parent_id, family, masklen(cidr)`,
    [ids],
  );
  const addresses = await db.query<{ prefixId: string; n: number }>(
    `SELECT prefix_id AS "prefixId", count(*)::int AS n FROM ipam_addresses WHERE prefix_id = ANY($1::uuid[]) GROUP BY prefix_id`,
    [ids],
  );
  const used = new Map<string, bigint>();
  for (const r of byLength) used.set(r.parentId, (used.get(r.parentId) ?? 0n) + BigInt(r.n) * sizeOf({ family: r.family, length: r.length }));
  for (const r of addresses) used.set(r.prefixId, (used.get(r.prefixId) ?? 0n) + BigInt(r.n));
  const out = new Map<string, Utilisation>();
  for (const p of prefixes) {
    const size = sizeOf({ family: p.family, length: Number(p.cidr.split('/')[1]) });
    const u = used.get(p.id) ?? 0n;
    out.set(p.id, { size: size.toString(), used: u.toString(), percent: Number((u * 10_000n) / size) / 100 });
  }
  return out;
}
