import { Injectable, inject } from '@angular/core';
import { API } from '../core/api-client';
import type { ApiInputs as In, ApiOutputs as Out } from '../core/api-types';

export type BusinessSystem = Out['systems']['list']['items'][number];
export type SystemInput = In['systems']['create'];
export type SystemFields = NonNullable<In['policies']['dryRun']['system']>;
export type Placement = Out['onboarding']['preview'];
export type Candidate = Placement['candidates'][number];
export type PolicyItem = Out['policies']['list']['items'][number];
export type DryRun = Out['policies']['dryRun'];
export type Chain = Out['requests']['chains']['items'][number];
export type RequestDetail = Out['requests']['get'];
export type RequestSummary = Out['requests']['list']['items'][number];
export type RequestAsk = In['requests']['preview'];
export type RequestPreview = Out['requests']['preview'];
export type OnboardLimits = NonNullable<In['onboarding']['start']['limits']>;

/**
 * The console's way to business systems, onboarding, policies and requests. Specs replace it with a
 * jasmine spy object.
 */
@Injectable({ providedIn: 'root' })
export class OnboardingApiService {
  // Transitional: views still call these named methods; new code injects API and calls the client directly.
  private readonly client = inject(API);

  /** A page of the caller's systems in name order (the largest page: the pickers offer what one page holds). */
  listSystems(cursor?: string) {
    return this.call(() => this.client.systems.list.query({ limit: 200, ...(cursor ? { cursor } : {}) }));
  }
  createSystem(input: SystemInput) {
    return this.call(() => this.client.systems.create.mutate(input));
  }
  previewPlacement(systemId: string, cloudId?: string) {
    return this.call(() => this.client.onboarding.preview.query({ systemId, ...(cloudId ? { cloudId } : {}) }));
  }
  getRequest(id: string) {
    return this.call(() => this.client.requests.get.query({ id }));
  }
  startOnboarding(systemId: string, limits: OnboardLimits, cloudId?: string) {
    return this.call(() => this.client.onboarding.start.mutate({ systemId, limits, ...(cloudId ? { cloudId } : {}) }));
  }
  listRequests(mine: boolean) {
    return this.call(() => this.client.requests.list.query({ mine }));
  }
  approvalQueue() {
    return this.call(() => this.client.requests.queue.query({}));
  }
  previewRequest(ask: RequestAsk) {
    return this.call(() => this.client.requests.preview.query(ask));
  }
  submitRequest(ask: RequestAsk & { title: string; reason: string }) {
    return this.call(() => this.client.requests.submit.mutate(ask));
  }
  decide(id: string, decision: 'approve' | 'reject', reason: string) {
    return this.call(() => (decision === 'approve' ? this.client.requests.approve : this.client.requests.reject).mutate({ id, reason }));
  }
  cancelRequest(id: string, reason: string) {
    return this.call(() => this.client.requests.cancel.mutate({ id, reason }));
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
