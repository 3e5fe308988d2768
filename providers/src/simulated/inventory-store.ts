/**
 * A revisioned key-value store with a change log, behind paged listings and incremental
 * cursors.
 *
 * Every write gets the next revision. The log holds (revision, key) in revision order;
 * an entry is stale once its key has been written again, and is skipped. A listing
 * fixes an upper revision when it starts and walks the log up to it, so an object that
 * changes mid-listing is not lost: its new revision is above the listing's bound and comes
 * in the next incremental call. Lookups are a binary search plus a walk, never O(n²).
 * Tombstones are kept up to `maxTombstones`; a cursor older than the oldest forgotten
 * tombstone can no longer be served incrementally and gets a full listing instead.
 */

interface Entry<V> {
  readonly key: string;
  readonly revision: number;
  /** undefined: a tombstone */
  readonly value: V | undefined;
}

export interface ScanResult<V> {
  readonly entries: readonly Entry<V>[];
  /** Revision of the last entry returned (the next page starts after it). */
  readonly last: number;
  readonly more: boolean;
}

export class InventoryStore<V> {
  private rev = 0;
  private readonly entries = new Map<string, Entry<V>>();
  private log: { revision: number; key: string }[] = [];
  private live = 0;
  private tombstones = 0;
  /** Cursors at or below this revision may have missed forgotten tombstones. */
  private horizonRev = 0;

  constructor(private readonly maxTombstones = 100_000) {}

  get revision(): number {
    return this.rev;
  }

  get horizon(): number {
    return this.horizonRev;
  }

  get size(): number {
    return this.live;
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  put(key: string, value: V): number {
    return this.write(key, value);
  }

  /** Writes a tombstone; false when there was nothing live to remove. */
  remove(key: string): boolean {
    if (this.entries.get(key)?.value === undefined) return false;
    this.write(key, undefined);
    return true;
  }

  *values(): IterableIterator<V> {
    for (const e of this.entries.values()) if (e.value !== undefined) yield e.value;
  }

  /** Entries with revision in (after, until], in revision order, at most `limit`. */
  scan(after: number, until: number, limit: number, withTombstones: boolean): ScanResult<V> {
    const out: Entry<V>[] = [];
    let i = this.firstIndexAfter(after);
    let last = after;
    for (; i < this.log.length; i++) {
      const e = this.qualifying(i, until, withTombstones);
      if (e === 'stop') break;
      if (e === undefined) continue;
      if (out.length === limit) return { entries: out, last, more: true };
      out.push(e);
      last = e.revision;
    }
    return { entries: out, last, more: false };
  }

  private qualifying(i: number, until: number, withTombstones: boolean): Entry<V> | undefined | 'stop' {
    const { revision, key } = this.log[i];
    if (revision > until) return 'stop';
    const e = this.entries.get(key);
    if (e === undefined || e.revision !== revision) return undefined;
    if (e.value === undefined && !withTombstones) return undefined;
    return e;
  }

  private firstIndexAfter(rev: number): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid].revision <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private write(key: string, value: V | undefined): number {
    const prev = this.entries.get(key);
    if (prev?.value !== undefined) this.live--;
    else if (prev !== undefined) this.tombstones--;
    if (value !== undefined) this.live++;
    else this.tombstones++;
    const revision = ++this.rev;
    this.entries.set(key, { key, revision, value });
    this.log.push({ revision, key });
    // Rebuild the log when stale entries or surplus tombstones dominate: amortised O(1) per write.
    const kept = this.live + this.tombstones;
    if (this.log.length > 2 * kept + 1024 || this.tombstones > 2 * this.maxTombstones + 1024) this.compact();
    return revision;
  }

  private compact(): void {
    const all = [...this.entries.values()].sort((a, b) => a.revision - b.revision);
    let dropTombstones = Math.max(0, this.tombstones - this.maxTombstones);
    const kept: { revision: number; key: string }[] = [];
    for (const e of all) {
      if (e.value === undefined && dropTombstones > 0) {
        dropTombstones--;
        this.tombstones--;
        this.entries.delete(e.key);
        this.horizonRev = Math.max(this.horizonRev, e.revision);
        continue;
      }
      kept.push({ revision: e.revision, key: e.key });
    }
    this.log = kept;
  }
}
