import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { createApiClient } from '../core/api';
import { toApiError } from '../core/api-error';
import type { CloudFaults, CloudListInput, InventoryInput, SyncMode } from '../core/api-types';
import { SessionStore } from '../core/session';

/**
 * The console's way to the clouds procedures. Kept beside the clouds views because core/api.ts
 * is owned by another change; it can move into ApiService as is. Specs replace it with a fake
 * (createFakeCloudsApi).
 */
@Injectable({ providedIn: 'root' })
export class CloudsApiService {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly client = createApiClient(() => this.session.token());

  list(input: CloudListInput = {}) {
    return this.call(() => this.client.clouds.list.query(input));
  }
  get(id: string) {
    return this.call(() => this.client.clouds.get.query({ id }));
  }
  inventory(input: InventoryInput) {
    return this.call(() => this.client.clouds.inventory.query(input));
  }
  sync(id: string, mode: SyncMode) {
    return this.call(() => this.client.clouds.sync.mutate({ id, mode }));
  }
  checkHealth(id: string) {
    return this.call(() => this.client.clouds.checkHealth.mutate({ id }));
  }
  setFaults(id: string, faults: CloudFaults) {
    return this.call(() => this.client.clouds.setFaults.mutate({ id, faults }));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // Same rule as ApiService: a rejected token ends the session.
      if (toApiError(err).code === 'UNAUTHORIZED' && this.session.token() !== null) {
        this.session.clear();
        void this.router.navigate(['/login']);
      }
      throw err;
    }
  }
}
