import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import { bitsOf, blockFromDb, endOf, formatBlock, freeRanges, type Block, type Range } from './ip-math.ts';
import { ipamRepo, type NewPrefix, type PrefixKind, type PrefixRow, type PrefixStatus } from './ipam-repo.ts';
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
 * the parent row (SELECT … FOR UPDATE: the only lock an allocation takes). Requests fail one by one
 * (bad length, unknown unit, parent full) without failing the others; all chosen blocks are written by
 * one INSERT, and the exclusion constraint of the table still refuses any overlap this code might miss.
 */
export async function allocateInParent(tx: Queryable, parent: PrefixRow, requests: readonly PrefixRequest[]): Promise<Outcome[]> {
  const outcomes: (Outcome | undefined)[] = new Array(requests.length);
  const parentBlock = blockFromDb(parent.cidr);

  // Idempotency: a key seen before returns its prefix (if the request is the same), or is refused.
  const keys = [...new Set(requests.map((r) => r.idempotencyKey).filter((k): k is string => k !== null))];
  const existing = new Map((await ipamRepo.prefixesByKeys(tx, keys)).map((p) => [p.idempotencyKey!, p]));
  const units = await ipamRepo.knownUnits(tx, [...new Set(requests.map((r) => r.unitCode).filter((c): c is string => !!c))]);
  const planes = await ipamRepo.knownPlanes(tx, [...new Set(requests.map((r) => r.planeId).filter((c): c is string => !!c))]);

  const todo: number[] = [];
  requests.forEach((r, i) => {
    const seen = r.idempotencyKey ? existing.get(r.idempotencyKey) : undefined;
    if (seen) {
      const same = seen.parentId === r.parentId && Number(seen.cidr.split('/')[1]) === r.length;
      outcomes[i] = same
        ? { ok: true, prefix: seen, replayed: true }
        : { ok: false, error: new ConflictError(`idempotency key ${r.idempotencyKey} was used for ${seen.cidr}, a different request`, 'idempotencyKey') };
      return;
    }
    const error = checkRequest(parent, parentBlock, r, units, planes);
    if (error) outcomes[i] = { ok: false, error };
    else todo.push(i);
  });

  const chosen = new Map<number, Block>();
  if (todo.length) {
    const needsAll = todo.some((i) => requests[i]!.strategy === 'best-fit' || requests[i]!.strategy === 'sparse');
    let free = await freeSpace(tx, parentBlock, parent.id, needsAll ? null : FIRST_PAGE + todo.length);
    for (const i of todo) {
      const r = requests[i]!;
      let block = chooseBlock(parentBlock.family, parentBlock, free.ranges, r.length, r.strategy);
      if (!block && !free.complete) {
        // The first page of gaps had no room: read them all once, minus what this batch already took.
        free = await freeSpace(tx, parentBlock, parent.id, null);
        for (const b of chosen.values()) free.ranges = carve(free.ranges, { start: b.start, end: endOf(b) });
        block = chooseBlock(parentBlock.family, parentBlock, free.ranges, r.length, r.strategy);
      }
      if (!block) {
        outcomes[i] = { ok: false, error: new ConflictError(`no free /${r.length} left in ${parent.cidr} (${r.strategy})`, 'length') };
        continue;
      }
      free.ranges = carve(free.ranges, { start: block.start, end: endOf(block) });
      chosen.set(i, block);
    }
  }

  // Two requests of one batch with the same key: the first allocates, the others replay it.
  const byKey = new Map<string, number>();
  const rows: NewPrefix[] = [];
  for (const [i, block] of chosen) {
    const r = requests[i]!;
    const first = r.idempotencyKey ? byKey.get(r.idempotencyKey) : undefined;
    if (first !== undefined) continue;
    if (r.idempotencyKey) byKey.set(r.idempotencyKey, i);
    const row: NewPrefix = {
      id: newId(), vrfId: parent.vrfId, cidr: formatBlock(block), family: parentBlock.family,
      parent: { id: parent.id, depth: parent.depth, cidr: parent.cidr }, kind: r.kind, status: r.status,
      unitCode: r.unitCode, planeId: r.planeId, description: r.description, idempotencyKey: r.idempotencyKey,
    };
    rows.push(row);
    outcomes[i] = { ok: true, prefix: toRow(row, parent.depth + 1), replayed: false };
  }
  for (const [i] of chosen) {
    const key = requests[i]!.idempotencyKey;
    const first = key ? byKey.get(key) : undefined;
    if (first !== undefined && first !== i) outcomes[i] = { ...(outcomes[first] as Outcome & { ok: true }), replayed: true };
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

/** Free ranges of the parent, from the gap query; a cut list is trusted only up to its last gap. */
export async function freeSpace(db: Queryable, parent: Block, parentId: string, limit: number | null): Promise<{ ranges: Range[]; complete: boolean }> {
  const { used, complete } = await ipamRepo.usedRanges(db, parentId, limit);
  let end = endOf(parent);
  if (!complete && used.length) end = used.pop()!.start;
  return { ranges: freeRanges({ start: parent.start, end }, used), complete };
}

const toRow = (p: NewPrefix, depth: number): PrefixRow => ({
  id: p.id, vrfId: p.vrfId, cidr: p.cidr, family: p.family, parentId: p.parent?.id ?? null, depth, kind: p.kind, status: p.status,
  unitCode: p.unitCode, planeId: p.planeId, description: p.description, idempotencyKey: p.idempotencyKey,
});

/** Locks the parents of one transaction in id order, so two transactions never wait on each other in a cycle. */
export async function lockParents(tx: Queryable, ids: readonly string[]): Promise<Map<string, PrefixRow>> {
  const out = new Map<string, PrefixRow>();
  for (const id of [...new Set(ids)].sort()) {
    const p = await ipamRepo.lockPrefix(tx, id);
    if (!p) throw new NotFoundError(`no prefix ${id}`);
    out.set(id, p);
  }
  return out;
}
