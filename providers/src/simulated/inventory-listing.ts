/**
 * Paged inventory with change cursors. A listing is fixed at the revision current when
 * it starts (`until`); pages walk the change log up to it. The cursor handed back is
 * that revision, so the next incremental call returns exactly what changed after it,
 * deletions as tombstones. Cursors carry the cloud's epoch: after a restart (new epoch)
 * an old cursor gets a full listing, flagged `full`, never a silently partial one.
 */
import type { InventoryItem, InventoryPage, InventoryRequest } from '../spi.ts';
import type { CloudState } from './cloud-state.ts';

export const MAX_PAGE_SIZE = 5000;

interface PageToken {
  /** epoch */
  readonly e: string;
  /** after revision (exclusive) */
  readonly a: number;
  /** until revision (inclusive) */
  readonly u: number;
  /** full listing (tombstones omitted) */
  readonly f: boolean;
  /** 1-based page number within the listing */
  readonly n: number;
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): PageToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<PageToken>;
    if (typeof t.e === 'string' && typeof t.a === 'number' && typeof t.u === 'number' && typeof t.f === 'boolean' && typeof t.n === 'number') {
      return t as PageToken;
    }
  } catch {
    // fall through: not a token of ours
  }
  return undefined;
}

/** Which page of its listing a request asks for (1 for a first page); for fault injection. */
export function pageNumberOf(req: InventoryRequest): number {
  return req.page === undefined ? 1 : (decodeToken(req.page)?.n ?? 1);
}

export function listInventory(state: CloudState, epoch: string, req: InventoryRequest): InventoryPage {
  const op = 'listInventory';
  if (!Number.isInteger(req.pageSize) || req.pageSize < 1 || req.pageSize > MAX_PAGE_SIZE) {
    throw state.error(op, 'invalid', `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`, 'page-size');
  }
  const token = req.page === undefined ? startListing(state, epoch, req.cursor) : decodeToken(req.page);
  if (token === undefined) throw state.error(op, 'invalid', 'page token is not one of ours', 'page-token');
  if (token.e !== epoch) {
    throw state.error(op, 'conflict', 'the cloud restarted during this listing; start again', 'page-token-expired');
  }
  const scan = state.store.scan(token.a, token.u, req.pageSize, !token.f);
  const items: InventoryItem[] = scan.entries.map((e) => {
    if (e.value === undefined) {
      return { type: 'tombstone', key: e.key, revision: e.revision, objectType: e.key.startsWith('resource:') ? 'resource' : 'tenant-space' };
    }
    return e.value.type === 'resource'
      ? { type: 'resource', key: e.key, revision: e.revision, resource: e.value.resource }
      : { type: 'tenant-space', key: e.key, revision: e.revision, tenantSpace: e.value.tenantSpace };
  });
  return {
    items,
    ...(scan.more ? { nextPage: encodeToken({ ...token, a: scan.last, n: token.n + 1 }) } : {}),
    cursor: `${epoch}.${token.u}`,
    full: token.f,
  };
}

function startListing(state: CloudState, epoch: string, cursor: string | undefined): PageToken {
  const until = state.store.revision;
  const full: PageToken = { e: epoch, a: 0, u: until, f: true, n: 1 };
  if (cursor === undefined) return full;
  const m = /^([A-Za-z0-9-]+)\.(\d+)$/.exec(cursor);
  if (m === null) throw state.error('listInventory', 'invalid', `cursor "${cursor}" is not one of ours`, 'cursor');
  const rev = Number(m[2]);
  if (m[1] !== epoch || rev < state.store.horizon) return full;
  if (rev > until) throw state.error('listInventory', 'invalid', `cursor "${cursor}" is ahead of this cloud`, 'cursor');
  return { e: epoch, a: rev, u: until, f: false, n: 1 };
}
