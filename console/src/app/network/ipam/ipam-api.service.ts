import { Injectable, inject } from '@angular/core';
import { API } from '../../core/api-client';
import type { AllocateInput, CreateVrfInput, TemplateInput } from './ipam-types';

/** The console's way to the ipam procedures; specs replace it with a spy object. */
@Injectable({ providedIn: 'root' })
export class IpamApiService {
  // Transitional: views still call these named methods; new code injects API and calls the client directly.
  private readonly client = inject(API);

  vrfs() {
    return this.call(() => this.client.ipam.vrfs.query());
  }
  createVrf(input: CreateVrfInput) {
    return this.call(() => this.client.ipam.createVrf.mutate(input));
  }
  /** One page of a prefix's children (null: the VRF's top level); `cursor` is the previous page's nextCursor. */
  prefixes(vrfId: string, parentId: string | null, cursor?: string) {
    return this.call(() => this.client.ipam.prefixes.query({ vrfId, parentId, ...(cursor ? { cursor } : {}) }));
  }
  /** One page of a prefix's addresses. */
  addresses(prefixId: string, cursor?: string) {
    return this.call(() => this.client.ipam.addresses.query({ prefixId, ...(cursor ? { cursor } : {}) }));
  }
  prefix(id: string) {
    return this.call(() => this.client.ipam.prefix.query({ id }));
  }
  allocatePrefix(input: AllocateInput) {
    return this.call(() => this.client.ipam.allocatePrefix.mutate(input));
  }
  allocateAddress(prefixId: string) {
    return this.call(() => this.client.ipam.allocateAddress.mutate({ prefixId }));
  }
  allocatePair(unitCode: string, planeId: string) {
    return this.call(() => this.client.ipam.allocatePair.mutate({ unitCode, planeId }));
  }
  templates() {
    return this.call(() => this.client.ipam.templates.query());
  }
  setTemplate(input: TemplateInput) {
    return this.call(() => this.client.ipam.setTemplate.mutate(input));
  }
  importPrefixes(csv: string) {
    return this.call(() => this.client.ipam.importPrefixes.mutate({ csv }));
  }
  exportPrefixes(vrfId?: string) {
    return this.call(() => this.client.ipam.exportPrefixes.query(vrfId ? { vrfId } : {}));
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
