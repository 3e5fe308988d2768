import { Injectable, inject } from '@angular/core';
import { API } from '../core/api-client';
import type { CloudFaults, CloudListInput, InventoryInput, SyncMode } from '../core/api-types';

/**
 * The console's way to the clouds procedures. Kept beside the clouds views because core/api.ts
 * is owned by another change; it can move into ApiService as is. Specs replace it with a fake
 * (createFakeCloudsApi).
 */
@Injectable({ providedIn: 'root' })
export class CloudsApiService {
  // Transitional: views still call these named methods; new code injects API and calls the client directly.
  private readonly client = inject(API);

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

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
