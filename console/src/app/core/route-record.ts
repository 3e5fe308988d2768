import { DOCUMENT, DestroyRef, PendingTasks, computed, effect, inject, signal, type Signal } from '@angular/core';
import { toApiError, type ApiError } from './api-error';

export interface RouteRecordOptions<T> {
  /** The record's id, from the route (withComponentInputBinding). */
  id: Signal<string>;
  read(id: string): Promise<T>;
  /** What else the page reads once it has the record (its sections); runs after every read of it. */
  then?(record: T, id: string): Promise<unknown>;
  /** Translation keys prefix of the refusal texts: `<prefix>.forbidden`, `.notFound`, `.loadFailed`. */
  texts: string;
}

/**
 * One record a detail page shows by its route id: read when the id changes (the previous record cleared first, so
 * a page never shows one record under another's id), read again quietly when the person comes back to the tab
 * (the record stays until the answer), and the refusal of the record itself in words (403 and 404 say what they
 * mean). A failed read clears the record. Call it in an injection context (a component's field).
 */
export class RouteRecord<T> {
  private readonly tasks = inject(PendingTasks);
  private readonly record = signal<T | null>(null);
  readonly value = this.record.asReadonly();
  readonly error = signal<ApiError | null>(null);
  /** The translation key of the refusal, or null when the record was read. */
  readonly refusal = computed(() => {
    const e = this.error();
    if (!e) return null;
    const key = e.code === 'FORBIDDEN' ? 'forbidden' : e.code === 'NOT_FOUND' ? 'notFound' : 'loadFailed';
    return `${this.options.texts}.${key}`;
  });

  constructor(private readonly options: RouteRecordOptions<T>) {
    effect(() => {
      const id = options.id();
      void this.tasks.run(() => this.load(id));
    });
    const document = inject(DOCUMENT);
    const onVisibility = () => {
      if (document.visibilityState === 'visible' && this.record()) void this.reload();
    };
    document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => document.removeEventListener('visibilitychange', onVisibility));
  }

  /** Reads the record again without clearing it (after a change made from the page, or back on the tab). */
  reload(): Promise<void> {
    const done = this.load(this.options.id(), true);
    this.tasks.run(() => done);
    return done;
  }

  private async load(id: string, quiet = false): Promise<void> {
    if (!quiet) {
      this.error.set(null);
      this.record.set(null);
    }
    let record: T;
    try {
      record = await this.options.read(id);
    } catch (err) {
      this.record.set(null);
      this.error.set(toApiError(err));
      return;
    }
    this.error.set(null);
    this.record.set(record);
    await this.options.then?.(record, id);
  }
}
