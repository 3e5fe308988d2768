/**
 * What a per-process cache of database answers does to stay right while a change feed (the database's
 * notifications) tells it what changed: every drop starts a new generation, so a read that began before a change
 * and finishes after it is not kept; while the feed is down the cache is suspended (nothing is trusted), and it
 * starts from empty when the feed is back (changes made meanwhile were not heard). The cache says what it forgets.
 */
export abstract class FeedCache {
  private feedGeneration = 0;

  protected constructor(private feedDown: boolean) {}

  /** Read before asking the database; what the read returns may be kept only while this has not moved. */
  get generation(): number {
    return this.feedGeneration;
  }

  /** True while the change feed is down (nothing is trusted). */
  get isSuspended(): boolean {
    return this.feedDown;
  }

  /** The change feed is down: trust nothing until it is back. */
  suspend(): void {
    this.feedDown = true;
    this.drop();
  }

  /** The change feed listens (again): start from empty (changes made meanwhile were not heard). */
  resume(): void {
    this.feedDown = false;
    this.drop();
  }

  /** Forgets everything kept and starts a new generation. */
  protected drop(): void {
    this.feedGeneration++;
    this.forget();
  }

  protected abstract forget(): void;
}
