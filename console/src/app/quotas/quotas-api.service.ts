import { Injectable, inject } from '@angular/core';
import { API } from '../core/api-client';
import type { ChangeStatus, LedgerInput, RequestChangeInput, ResourceClassName, SetLimitsInput } from './quota-types';

/** The console's way to the quotas procedures (kept beside the views). Specs replace it with a fake. */
@Injectable({ providedIn: 'root' })
export class QuotasApiService {
  // Transitional: views still call these named methods; new code injects API and calls the client directly.
  private readonly client = inject(API);

  tree(parentId?: string) {
    return this.call(() => this.client.quotas.tree.query(parentId ? { parentId } : {}));
  }
  mine() {
    return this.call(() => this.client.quotas.mine.query({}));
  }
  node(id: string) {
    return this.call(() => this.client.quotas.node.query({ id }));
  }
  ledger(input: LedgerInput) {
    return this.call(() => this.client.quotas.ledger.query(input));
  }
  explain(nodeId: string, cloudId: string, resourceClass: ResourceClassName) {
    return this.call(() => this.client.quotas.explain.query({ nodeId, cloudId, resourceClass }));
  }
  history(nodeId: string, resourceClass: ResourceClassName) {
    return this.call(() => this.client.quotas.history.query({ nodeId, resourceClass, days: 30 }));
  }
  /** A page of change requests, newest first; `cursor` is the previous page's nextCursor. */
  changes(status?: ChangeStatus, cursor?: string) {
    return this.call(() => this.client.quotas.changes.query({ limit: 100, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }));
  }
  requestChange(input: RequestChangeInput) {
    return this.call(() => this.client.quotas.requestChange.mutate(input));
  }
  setLimit(input: SetLimitsInput) {
    return this.call(() => this.client.quotas.setLimits.mutate(input));
  }
  decideChange(id: string, decision: 'approve' | 'reject', reason: string) {
    return this.call(() => this.client.quotas.decideChange.mutate({ id, decision, reason }));
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
