import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { bitsOf, blockFromDb, endOf, formatBlock, freeRanges, type Block, type Range } from './ip-math.ts';
import { ipamRepo, type NewPrefix, type PrefixKind, type PrefixRow, type PrefixStatus, type UsedRanges } from './ipam-repo.ts';
import { carve, chooseBlock, type Strategy } from './strategy.ts';

/** One "give me the next free /N in this parent" request. */
export interface PrefixRequest {
  parentId: string;
  length: number;
  strategy: Strategy;
  idempotencyKey: string | null;
  kind: PrefixKind;
  status: PrefixStatus;
  unitCode: string | null;
  planeId: string | null;
  description: string;
}

export type Outcome = { ok: true; prefix: PrefixRow; replayed: boolean } | { ok: false; error: Error };

/** How many gap-bounding occupants first-fit reads before falling back to the whole list. */
const FIRST_PAGE = 256;

/**
 * Allocates a batch of requests in ONE parent, inside the caller's transaction, after the caller has locked
 * the parent row (SELECT … FOR UPDATE: the only lock an allocation takes).
 */
export async function allocateInParent(tx: Queryable, parent: PrefixRow, requests: readonly PrefixRequest[]): Promise<Outcome[]> {
  return (await allocateBatch(tx, new Map([[parent.id, parent]]), requests))!;
}

/**
 * Allocates requests in one or more parents, all locked by the caller in this transaction. Requests fail one
 * by one (bad length, unknown unit, parent full) without failing the others; the lookups (idempotency keys,
 * units, planes, the gaps of every parent) are one statement each, and all chosen blocks are written by one
 * INSERT. The exclusion constraint of the table still refuses any overlap this code might miss.
 */
export async function allocateBatch(tx: Queryable, parents: ReadonlyMap<string, PrefixRow>, requests: readonly PrefixRequest[]): Promise<Outcome[]> {
  const outcomes: (Outcome | undefined)[] = new Array(requests.length);

  // Idempotency: a key seen before returns its prefix (if the request is the same), or is refused.
  const keys = [...new Set(requests.map((r) => r.idempotencyKey).filter((k): k is string => k !== null))];
  const existing = new Map((await ipamRepo.prefixesByKeys(tx, keys)).map((p) => [p.idempotencyKey!, p]));
  const units = await ipamRepo.knownUnits(tx, [...new Set(requests.map((r) => r.unitCode).filter((c): c is string => !!c))]);
  const planes = await ipamRepo.knownPlanes(tx, [...new Set(requests.map((r) => r.planeId).filter((c): c is string => !!c))]);

  const todo = new Map<string, number[]>();
  const firstByKey = new Map<string, number>();
  const followers = new Map<number, number>();
  requests.forEach((r, i) => {
    const parent = parents.get(r.parentId);
    if (!parent) {
      outcomes[i] = { ok: false, error: new NotFoundError('no such parent prefix') };
      return;
    }
    const seen = r.idempotencyKey ? existing.get(r.idempotencyKey) : undefined;
    if (seen) {
      const same = seen.parentId === r.parentId && Number(seen.cidr.split('/')[1]) === r.length;
      outcomes[i] = same
        ? { ok: true, prefix: seen, replayed: true }
        : { ok: false, error: new ConflictError(`idempotency key ${r.idempotencyKey} was used for ${seen.cidr}, a different request`, 'idempotencyKey') };
      return;
    }
    // A key repeated inside this batch: only its first request allocates (choosing a block for the others would
    // carve space that is never written, and move the fill hint past it).
    const first = r.idempotencyKey ? firstByKey.get(r.idempotencyKey) : undefined;
    if (first !== undefined) {
      followers.set(i, first);
      return;
    }
    const error = checkRequest(parent, blockFromDb(parent.cidr), r, units, planes);
    if (error) outcomes[i] = { ok: false, error };
    else {
      if (r.idempotencyKey) firstByKey.set(r.idempotencyKey, i);
      todo.set(r.parentId, [...(todo.get(r.parentId) ?? []), i]);
    }
  });

  const needsAll = [...todo.values()].flat().some((i) => requests[i]!.strategy === 'best-fit' || requests[i]!.strategy === 'sparse');
  const longest = Math.max(0, ...[...todo.values()].map((list) => list.length));
  // first-fit and nibble start after the parent's fill hint; best-fit and sparse look at the whole parent.
  const scans = [...todo.keys()].map((id) => ({ id, family: blockFromDb(parents.get(id)!.cidr).family, after: needsAll ? null : (parents.get(id)!.fillCidr ?? null) }));
  const gaps = scans.length ? await ipamRepo.usedRanges(tx, scans, needsAll ? null : FIRST_PAGE + longest) : new Map<string, UsedRanges>();
  const chosen = new Map<number, Block>();
  const fills: { id: string; cidr: string | null }[] = [];
  for (const [parentId, list] of todo) {
    const parent = parents.get(parentId)!;
    const parentBlock = blockFromDb(parent.cidr);
    const from = scans.find((x) => x.id === parentId)!.after;
    let scan = gaps.get(parentId)!;
    let free = toFree(parentBlock, scan, from);
    const mine: Block[] = [];
    for (const i of list) {
      const r = requests[i]!;
      let block = chooseBlock(parentBlock.family, parentBlock, free.ranges, r.length, r.strategy);
      if (!block && !free.complete) {
        // The first page of gaps had no room: read them all once, minus what this batch already took.
        scan = (await ipamRepo.usedRanges(tx, [{ id: parentId, family: parentBlock.family, after: from }], null)).get(parentId)!;
        free = toFree(parentBlock, scan, from);
        for (const b of mine) free.ranges = carve(free.ranges, { start: b.start, end: endOf(b) });
        block = chooseBlock(parentBlock.family, parentBlock, free.ranges, r.length, r.strategy);
      }
      if (!block) {
        outcomes[i] = { ok: false, error: new ConflictError(`no free /${r.length} left in ${parent.cidr} (${r.strategy})`, 'length') };
        continue;
      }
      free.ranges = carve(free.ranges, { start: block.start, end: endOf(block) });
      mine.push(block);
      chosen.set(i, block);
    }
    const fill = nextFill(parentBlock, from, free, scan, mine);
    if (fill !== undefined && fill !== (parent.fillCidr ?? null)) fills.push({ id: parentId, cidr: fill });
  }
  await ipamRepo.setFill(tx, fills);

  const rows: NewPrefix[] = [];
  for (const [i, block] of chosen) {
    const r = requests[i]!;
    const parent = parents.get(r.parentId)!;
    const row: NewPrefix = {
      id: newId(), vrfId: parent.vrfId, cidr: formatBlock(block), family: block.family,
      parent: { id: parent.id, depth: parent.depth, cidr: parent.cidr }, kind: r.kind, status: r.status,
      unitCode: r.unitCode, planeId: r.planeId, description: r.description, idempotencyKey: r.idempotencyKey,
    };
    rows.push(row);
    outcomes[i] = { ok: true, prefix: toRow(row, parent.depth + 1), replayed: false };
  }
  // The others with a key of this batch replay the first one's answer, if they asked the same thing.
  for (const [i, first] of followers) {
    const o = outcomes[first];
    const same = requests[first]!.parentId === requests[i]!.parentId && requests[first]!.length === requests[i]!.length;
    outcomes[i] = o?.ok && same
      ? { ...o, replayed: true }
      : o?.ok ? { ok: false, error: new ConflictError(`idempotency key ${requests[i]!.idempotencyKey} was used for ${o.prefix.cidr}, a different request`, 'idempotencyKey') }
      : o ?? { ok: false, error: new Error('allocation produced no outcome') };
  }
  await ipamRepo.insertPrefixes(tx, rows);
  return outcomes.map((o) => o ?? { ok: false, error: new Error('allocation produced no outcome') });
}

function checkRequest(parent: PrefixRow, parentBlock: Block, r: PrefixRequest, units: Set<string>, planes: Set<string>): Error | null {
  const bits = bitsOf(parentBlock.family);
  if (!Number.isInteger(r.length) || r.length <= parentBlock.length || r.length > bits) {
    return new InputError(`a child of ${parent.cidr} needs a prefix length from ${parentBlock.length + 1} to ${bits}`, 'length');
  }
  if (parent.kind === 'assigned') return new InputError(`${parent.cidr} is an assigned prefix: it holds addresses, not prefixes`, 'parentId');
  if (r.strategy === 'nibble' && parentBlock.family === 'ipv4') return new InputError('nibble alignment is for IPv6 prefixes', 'strategy');
  if (r.unitCode && !units.has(r.unitCode)) return new InputError(`unknown unit code ${r.unitCode}`, 'unitCode');
  if (r.planeId && !planes.has(r.planeId)) return new InputError(`unknown plane ${r.planeId}`, 'planeId');
  return null;
}

/** Free ranges of the whole parent (no hint), from the gap query; a cut list is trusted only up to its last gap. */
export async function freeSpace(db: Queryable, parent: Block, parentId: string, limit: number | null): Promise<{ ranges: Range[]; complete: boolean }> {
  return freeOf(parent, (await ipamRepo.usedRanges(db, [{ id: parentId, family: parent.family, after: null }], limit)).get(parentId)!);
}

/** Free ranges of the whole parent from occupants already read (usedRanges for several parents at once). */
export function freeOf(parent: Block, used: UsedRanges): { ranges: Range[]; complete: boolean } {
  return toFree(parent, used, null);
}

/** Free ranges from the end of the fill hint (or the parent's start) to the parent's end, or to where a cut list stops. */
function toFree(parent: Block, { used, complete }: UsedRanges, after: string | null): { ranges: Range[]; complete: boolean } {
  const start = after ? endOf(blockFromDb(after)) : parent.start;
  let end = endOf(parent);
  const kept = [...used];
  if (!complete && kept.length) end = kept.pop()!.start;
  return { ranges: freeRanges({ start, end }, kept), complete };
}

/**
 * The new fill hint after a batch: the occupant (an existing one bounding a gap, or a block of this batch)
 * that ends where the first free range now starts. undefined: keep the hint as it is.
 */
function nextFill(parent: Block, after: string | null, free: { ranges: Range[]; complete: boolean }, scan: UsedRanges, mine: Block[]): string | null | undefined {
  const firstFree = free.ranges[0]?.start ?? (free.complete ? endOf(parent) : null);
  if (firstFree === null) return undefined;
  const start = after ? endOf(blockFromDb(after)) : parent.start;
  if (firstFree === start) return undefined;
  const own = mine.find((b) => endOf(b) === firstFree);
  if (own) return formatBlock(own);
  return scan.bounds.find((b) => b.end === firstFree)?.cidr;
}

const toRow = (p: NewPrefix, depth: number): PrefixRow => ({
  id: p.id, vrfId: p.vrfId, cidr: p.cidr, family: p.family, parentId: p.parent?.id ?? null, depth, kind: p.kind, status: p.status,
  unitCode: p.unitCode, planeId: p.planeId, description: p.description, idempotencyKey: p.idempotencyKey,
});

/** Locks the parents of one transaction in id order (one statement), so two transactions never wait on each other in a cycle. */
export async function lockParents(tx: Queryable, ids: readonly string[]): Promise<Map<string, PrefixRow>> {
  const unique = [...new Set(ids)];
  const rows = await ipamRepo.lockPrefixes(tx, unique);
  if (rows.length !== unique.length) throw new NotFoundError('no such prefix');
  return new Map(rows.map((p) => [p.id, p]));
}
