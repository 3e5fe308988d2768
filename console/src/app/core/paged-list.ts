import { computed, signal } from '@angular/core';
import { toApiError, type ApiError } from './api-error';

/** One page of a keyset-paged list as the server answers it. */
export interface Page<T, C> {
  items: readonly T[];
  nextCursor: C | null;
  /** Only when the server was asked for it. */
  total?: number;
}

export interface PagedListOptions<T, C> {
  /** Reads one page: the first when `cursor` is undefined. */
  load(cursor: C | undefined): Promise<Page<T, C>>;
  /** Identifies a row, so a page read again or a live row never shows twice. */
  key(item: T): string | number;
}

/**
 * The one way a list page holds server rows: signals for the rows, the loading flag, the error and
 * whether there is more; `reload()` from the first page (a filter changed), `more()` for the next
 * page, `refresh()` to re-read the first page quietly (live refresh: no spinner, rows already shown
 * beyond the first page are kept), `upsert()` for a row that arrived over a stream. Answers to a
 * request overtaken by a later `reload()` are dropped, so a slow old filter never overwrites a new one.
 */
export class PagedList<T, C = string> {
  private readonly rows = signal<readonly T[]>([]);
  private readonly cursor = signal<C | null>(null);
  private readonly totalSig = signal<number | null>(null);
  private generation = 0;

  readonly items = this.rows.asReadonly();
  readonly loading = signal(false);
  readonly error = signal<ApiError | null>(null);
  readonly hasMore = computed(() => this.cursor() !== null);
  readonly total = this.totalSig.asReadonly();

  constructor(private readonly options: PagedListOptions<T, C>) {}

  async reload(): Promise<void> {
    const generation = ++this.generation;
    this.rows.set([]);
    this.cursor.set(null);
    await this.fetch(undefined, generation, (page) => {
      this.rows.set(this.unique(page.items));
      this.cursor.set(page.nextCursor);
    });
  }

  async more(): Promise<void> {
    const cursor = this.cursor();
    if (cursor === null || this.loading()) return;
    const generation = this.generation;
    await this.fetch(cursor, generation, (page) => {
      this.rows.update((rows) => this.merge(rows, page.items));
      this.cursor.set(page.nextCursor);
    });
  }

  async refresh(): Promise<void> {
    if (this.loading()) return;
    const generation = this.generation;
    await this.fetch(
      undefined,
      generation,
      (page) => {
        this.rows.update((rows) => {
          const fresh = this.unique(page.items);
          const seen = new Set(fresh.map((r) => this.options.key(r)));
          // The first page is the server's current one; rows shown after the last of them are kept
          // (rows gone from the top were deleted or moved down, and "more" continues from the cursor).
          let lastShared = -1;
          rows.forEach((r, i) => {
            if (seen.has(this.options.key(r))) lastShared = i;
          });
          return [...fresh, ...rows.slice(lastShared + 1).filter((r) => !seen.has(this.options.key(r)))];
        });
        if (this.rows().length <= page.items.length) this.cursor.set(page.nextCursor);
      },
      true,
    );
  }

  /** A row from a stream: replaces the row with its key, or goes on top. */
  upsert(item: T): void {
    const key = this.options.key(item);
    this.rows.update((rows) => {
      const at = rows.findIndex((r) => this.options.key(r) === key);
      if (at < 0) return [item, ...rows];
      const next = [...rows];
      next[at] = item;
      return next;
    });
  }

  private async fetch(cursor: C | undefined, generation: number, apply: (page: Page<T, C>) => void, quiet = false): Promise<void> {
    if (!quiet) this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.options.load(cursor);
      if (generation !== this.generation) return;
      apply(page);
      this.totalSig.set(page.total ?? null);
    } catch (err) {
      if (generation === this.generation) this.error.set(toApiError(err));
    } finally {
      if (!quiet && generation === this.generation) this.loading.set(false);
    }
  }

  private merge(rows: readonly T[], page: readonly T[]): T[] {
    const seen = new Set(rows.map((r) => this.options.key(r)));
    return [...rows, ...page.filter((r) => !seen.has(this.options.key(r)))];
  }

  private unique(items: readonly T[]): T[] {
    return this.merge([], items);
  }
}
