import { signal, type WritableSignal } from '@angular/core';
import { toApiError, type ApiError } from './api-error';

/**
 * What a view reads from the server in one call (a list without paging, one record): the value, the loading
 * flag and the error as signals, the one way for everything PagedList does not page. `load()` reads again (a
 * filter changed, the refresh button); `load({ quiet: true })` re-reads without the spinner (live refresh).
 * An answer overtaken by a later `load()` is dropped, so a slow old filter never overwrites a new one; a failed
 * read keeps the value it had (unless `clearOnError`) and shows the error.
 */
export class Loaded<T> {
  readonly value: WritableSignal<T>;
  readonly loading = signal(false);
  readonly error = signal<ApiError | null>(null);
  private generation = 0;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly initial: T,
    private readonly options: { clearOnError?: boolean } = {},
  ) {
    this.value = signal(initial);
  }

  /** Resolves to the value read, or undefined when the read failed or a later one overtook it. */
  async load(options: { quiet?: boolean } = {}): Promise<T | undefined> {
    const generation = ++this.generation;
    if (!options.quiet) this.loading.set(true);
    this.error.set(null);
    try {
      const value = await this.read();
      if (generation !== this.generation) return undefined;
      this.value.set(value);
      return value;
    } catch (err) {
      if (generation === this.generation) {
        this.error.set(toApiError(err));
        if (this.options.clearOnError) this.value.set(this.initial);
      }
      return undefined;
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }
}
