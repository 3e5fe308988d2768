import type { Caller } from '../context.ts';
import type { Scope } from './scope.ts';
import { FeedCache } from '../store/feed-cache.ts';

/**
 * Who is behind a token and which departments they see, remembered so that a busy client costs no database
 * round trip per request (measured by bench/api.ts: the token and scope queries were the largest share of an
 * authenticated read). Correctness does not rest on the TTL:
 *  - every committed change to tokens, users or departments clears the cache at once: in this process after
 *    the unit of work commits (trpc.ts), and on every replica through the database's change notifications
 *    (auth/identity-feed.ts, fed by the triggers of migration 0040);
 *  - while that feed is down (PostgreSQL restarting, the listening connection lost) the cache is suspended:
 *    every request asks the database, as with no cache at all;
 *  - a read that started before a change and finishes after it cannot put the old answer back: `set` takes
 *    the generation seen before the read and is ignored when a clear happened since;
 *  - an entry never outlives its token's expiry, nor the TTL (default 30 s, GANYUN_CALLER_CACHE_MS).
 * Unknown, expired and revoked tokens are never cached. `ttlMs: 0` turns the cache off.
 */
export class CallerCache extends FeedCache {
  private readonly entries = new Map<string, { caller: Caller; until: number }>();
  private readonly scopes = new Map<string, { scope: Scope; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {
    super(false);
  }

  get(tokenHash: string): Caller | undefined {
    return this.fresh(this.entries, tokenHash)?.caller;
  }

  set(tokenHash: string, caller: Caller, generation: number, expiresAt = Infinity): void {
    this.put(this.entries, tokenHash, { caller }, generation, expiresAt);
  }

  /** The department scope of a user (auth/scope.ts), cleared with the callers: departments are identity too. */
  getScope(userId: string): Scope | undefined {
    return this.fresh(this.scopes, userId)?.scope;
  }

  setScope(userId: string, scope: Scope, generation: number): void {
    this.put(this.scopes, userId, { scope }, generation, Infinity);
  }

  /** Something cached changed: everything goes, and reads begun before this are not kept. */
  clear(): void {
    this.drop();
  }

  protected forget(): void {
    this.entries.clear();
    this.scopes.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private fresh<T extends { until: number }>(map: Map<string, T>, key: string): T | undefined {
    if (this.isSuspended) return undefined;
    const hit = map.get(key);
    if (!hit) return undefined;
    if (hit.until > this.now()) return hit;
    map.delete(key);
    return undefined;
  }

  private put<T extends object>(map: Map<string, T & { until: number }>, key: string, value: T, generation: number, expiresAt: number): void {
    if (this.ttlMs <= 0 || this.isSuspended || generation !== this.generation) return;
    // Bounded: a flood of distinct tokens evicts the oldest entries (Map keeps insertion order).
    if (map.size >= this.maxEntries) map.delete(map.keys().next().value!);
    map.set(key, { ...value, until: Math.min(this.now() + this.ttlMs, expiresAt) });
  }
}
