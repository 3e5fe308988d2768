import type { QuotaItem, QuotaLevel, QuotaShortfall, ResourceClass } from './contract.ts';

/**
 * The arithmetic of a reservation, with no I/O: given the counters of every row on a system's path (already
 * locked by the caller, or just read for a dry run), does a request fit at every level? Reservation batches
 * apply requests one after another against the same in-memory counters, so each request sees the ones
 * before it in the batch.
 */

export interface UsageCounters {
  nodeId: string;
  cloudId: string;
  resourceClass: ResourceClass;
  limit: number | null;
  softLimit: number | null;
  /** The hard limit in force (null: this level does not cap). */
  cap: number | null;
  softCap: number | null;
  reserved: number;
  committed: number;
}

/** One node of a path, from the system up to the province. */
export interface PathNode {
  nodeId: string;
  level: QuotaLevel;
  ref: string;
}

export const rowKey = (nodeId: string, cloudId: string, resourceClass: string): string => `${nodeId}|${cloudId}|${resourceClass}`;

/** Adds up items that name the same cloud and class, so a request is checked on its totals. */
export function mergeItems(items: readonly QuotaItem[]): QuotaItem[] {
  const merged = new Map<string, QuotaItem>();
  for (const item of items) {
    const k = `${item.cloudId}|${item.resourceClass}`;
    const seen = merged.get(k);
    merged.set(k, seen ? { ...seen, amount: seen.amount + item.amount } : { ...item });
  }
  return [...merged.values()];
}

/**
 * Shortfalls of `items` along `path` (system first). A system row that does not exist means no quota was
 * set there: it allows nothing. A missing row above the system, or one without a cap, does not limit.
 */
export function shortfallsOf(path: readonly PathNode[], items: readonly QuotaItem[], rows: ReadonlyMap<string, UsageCounters>): QuotaShortfall[] {
  const out: QuotaShortfall[] = [];
  for (const item of mergeItems(items)) {
    for (const node of path) {
      const row = rows.get(rowKey(node.nodeId, item.cloudId, item.resourceClass));
      const base = { nodeId: node.nodeId, level: node.level, ref: node.ref, cloudId: item.cloudId, resourceClass: item.resourceClass, requested: item.amount };
      if (!row) {
        if (node.level === 'system') out.push({ ...base, limit: 0, softLimit: null, used: 0, kind: 'hard' });
        continue;
      }
      const used = row.reserved + row.committed;
      if (row.cap !== null && used + item.amount > row.cap) out.push({ ...base, limit: row.cap, softLimit: row.softCap, used, kind: 'hard' });
      else if (row.softCap !== null && used + item.amount > row.softCap) out.push({ ...base, limit: row.cap ?? row.softCap, softLimit: row.softCap, used, kind: 'soft' });
    }
  }
  // Hard shortfalls first, lowest level first: the message names the tightest place.
  return out.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'hard' ? -1 : 1));
}

/** Moves the in-memory counters by a request that fits (the caller applies the same deltas in SQL). */
export function hold(path: readonly PathNode[], items: readonly QuotaItem[], rows: Map<string, UsageCounters>): void {
  for (const item of mergeItems(items)) {
    for (const node of path) {
      const row = rows.get(rowKey(node.nodeId, item.cloudId, item.resourceClass));
      if (row) row.reserved += item.amount;
    }
  }
}

/** The hard limit in force: the limit, times the cloud's overcommit ratio where one applies (province level). */
export function capOf(limit: number | null, ratio: number): number | null {
  return limit === null ? null : Math.floor(limit * ratio);
}
