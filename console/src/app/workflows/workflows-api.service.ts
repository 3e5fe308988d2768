import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { StreamHandlers, Subscription, createApiClient } from '../core/api';
import { toApiError } from '../core/api-error';
import type { WorkflowListInput, WorkflowProgressEvent } from '../core/api-types';
import { SessionStore } from '../core/session';

/**
 * The console's way to the workflows procedures (typed from AppRouter). Beside the workflows
 * views rather than in core/api.ts, which another change owns; specs use createFakeWorkflowsApi.
 */
@Injectable({ providedIn: 'root' })
export class WorkflowsApiService {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly client = createApiClient(() => this.session.token());

  list(input: WorkflowListInput) {
    return this.call(() => this.client.workflows.list.query(input));
  }
  get(id: string) {
    return this.call(() => this.client.workflows.get.query({ id }));
  }
  pause(id: string) {
    return this.call(() => this.client.workflows.pause.mutate({ id }));
  }
  resume(id: string) {
    return this.call(() => this.client.workflows.resume.mutate({ id }));
  }
  cancel(id: string) {
    return this.call(() => this.client.workflows.cancel.mutate({ id }));
  }

  /** Events after `afterSeq` (replayed, then live); the server ends the stream with the workflow. */
  onProgress(id: string, afterSeq: number, handlers: StreamHandlers<WorkflowProgressEvent>): Subscription {
    return this.client.workflows.onProgress.subscribe(
      { id, afterSeq },
      {
        onStarted: () => handlers.onStarted?.(),
        onData: (event) => handlers.onData(event),
        onError: (err) => {
          this.checkUnauthorized(err);
          handlers.onError?.(err);
        },
      },
    );
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.checkUnauthorized(err);
      throw err;
    }
  }

  private checkUnauthorized(err: unknown): void {
    if (toApiError(err).code === 'UNAUTHORIZED' && this.session.token() !== null) {
      this.session.clear();
      void this.router.navigate(['/login']);
    }
  }
}
