import { inject, signal, type WritableSignal } from '@angular/core';
import { toApiError, type ApiError } from '../core/api-error';
import { NetworkApiService } from './network-api.service';
import type { UnitHit } from './network-types';

/**
 * The unit search of a server-searched select (the units tree's jump box, the access check's unit): the hits of
 * the last search, found by code prefix or part of the name; a blank search keeps the last hits; a failed one says
 * why in the view's error. Create it in an injection context (a component's field).
 */
export class UnitSearch {
  private readonly api = inject(NetworkApiService);
  readonly hits = signal<UnitHit[]>([]);

  constructor(private readonly error: WritableSignal<ApiError | null>) {}

  async search(q: string): Promise<void> {
    const text = q.trim();
    if (!text) return;
    try {
      this.hits.set((await this.api.searchUnits(text)).items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
