import { Injectable, inject } from '@angular/core';
import { API } from '../core/api-client';
import type { StreamHandlers, Subscription } from '../core/streams';
import type { WorkflowListInput, WorkflowProgressEvent } from '../core/api-types';

/**
 * The console's way to the workflows procedures (typed from AppRouter). Beside the workflows
 * views rather than in core/api.ts, which another change owns; specs use createFakeWorkflowsApi.
 */
@Injectable({ providedIn: 'root' })
export class WorkflowsApiService {
  // Transitional: views still call these named methods; new code injects API and calls the client directly.
  private readonly client = inject(API);

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
          handlers.onError?.(err);
        },
      },
    );
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
