import type { Caller } from '../context.ts';

/**
 * Who is behind a token, remembered for a short while (default 1 s) so a busy client does not cost a database
 * round trip per request: measured, that query was the largest single cost of a request on the hot paths
 * (quota reservations, IPAM allocations). The window is the price: a token revoked, a user disabled or a role
 * removed from ANOTHER replica takes effect here within `ttlMs`. In this process every committed change to
 * users, tokens or sessions clears the cache at once (trpc.ts), so logout and revocation are immediate here.
 * Unknown, expired and revoked tokens are never cached. `ttlMs: 0` turns the cache off.
 */
export class CallerCache {
  private readonly entries = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get(tokenHash: string): Caller | undefined {
    const hit = this.entries.get(tokenHash);
    if (!hit) return undefined;
    if (hit.until > this.now()) return hit.caller;
    this.entries.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, caller: Caller): void {
    if (this.ttlMs <= 0) return;
    // Bounded: a flood of distinct tokens evicts the oldest entries (Map keeps insertion order).
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { caller, until: this.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
