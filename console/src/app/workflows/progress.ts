import type { StepStatus, WorkflowDetail, WorkflowProgressEvent, WorkflowStatus, WorkflowStep } from '../core/api-types';

/** needs-attention is an end too: nothing runs until someone settles the object it names. */
export const FINAL_STATUSES: readonly WorkflowStatus[] = ['succeeded', 'failed', 'cancelled', 'needs-attention'];

export function isFinal(status: WorkflowStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function percentDone(w: { stepsDone: number; stepsTotal: number }): number {
  return w.stepsTotal > 0 ? Math.round((w.stepsDone / w.stepsTotal) * 100) : 0;
}

/** nz-badge's status per workflow status; the others (paused, compensating, cancelling) warn. */
const STATUS_COLOR: Partial<Record<WorkflowStatus, string>> = { running: 'processing', succeeded: 'success', failed: 'error', cancelled: 'default', 'needs-attention': 'error' };

export function statusColor(status: WorkflowStatus): string {
  return STATUS_COLOR[status] ?? 'warning';
}

export function progressStatus(status: WorkflowStatus): 'active' | 'success' | 'exception' | 'normal' {
  if (status === 'running') return 'active';
  if (status === 'succeeded') return 'success';
  if (status === 'failed' || status === 'compensating') return 'exception';
  return 'normal';
}

/** nz-tag's colour per step status; the others (pending, skipped, ...) are plain. */
const STEP_COLOR: Partial<Record<StepStatus, string>> = {
  running: 'blue', succeeded: 'green', failed: 'red', 'needs-attention': 'red', unknown: 'gold', compensating: 'orange', compensated: 'orange',
};

export function stepColor(status: StepStatus): string {
  return STEP_COLOR[status] ?? 'default';
}

/** What a step event does to its step, mirroring the engine (control-plane/src/engine/runner.ts). */
const STEP_EVENTS: Record<string, StepStatus> = {
  'step.started': 'running',
  'step.compensating': 'compensating',
  'step.succeeded': 'succeeded',
  'step.compensated': 'compensated',
  'step.retrying': 'pending',
  'step.failed': 'failed',
  'step.compensation-failed': 'failed',
  'step.unknown': 'unknown',
  'step.needs-attention': 'needs-attention',
};

function eventError(data: unknown): string | null {
  const error = (data as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : null;
}

function applyToStep(step: WorkflowStep, event: WorkflowProgressEvent): WorkflowStep {
  const status = STEP_EVENTS[event.kind];
  if (!status) return step;
  const next: WorkflowStep = { ...step, status };
  const attempt = (event.data as { attempt?: unknown } | null)?.attempt;
  switch (event.kind) {
    case 'step.started':
      next.attempts = typeof attempt === 'number' ? attempt : step.attempts + 1;
      next.startedAt = step.startedAt ?? event.at;
      next.finishedAt = null;
      break;
    case 'step.succeeded':
      next.error = null;
      next.finishedAt = event.at;
      break;
    case 'step.compensated':
      next.finishedAt = event.at;
      break;
    case 'step.retrying':
      next.error = eventError(event.data) ?? step.error;
      break;
    case 'step.failed':
    case 'step.compensation-failed':
    case 'step.unknown':
    case 'step.needs-attention':
      next.error = eventError(event.data) ?? step.error;
      next.finishedAt = event.at;
      break;
  }
  return next;
}

/**
 * A progress event applied to what the page shows: counts and status come from the event (the
 * server reads them when it sends it), the step's own state from the event kind. Pure, so
 * replaying the stream from the start over a fresher snapshot converges on the same state.
 */
export function applyProgress(w: WorkflowDetail, event: WorkflowProgressEvent): WorkflowDetail {
  const next: WorkflowDetail = {
    ...w,
    status: event.status,
    stepsDone: event.stepsDone,
    stepsTotal: event.stepsTotal,
    updatedAt: event.at,
  };
  if (event.stepKey) {
    next.steps = w.steps.map((s) => (s.key === event.stepKey ? applyToStep(s, event) : s));
  }
  // Unwinding (failure or cancel) skips every step that has not started, as the engine does.
  if (event.kind === 'workflow.compensating' || event.kind === 'workflow.cancelling') {
    next.steps = next.steps.map((s) => (s.status === 'pending' ? { ...s, status: 'skipped', finishedAt: event.at } : s));
  }
  if (event.kind === 'workflow.compensating' || event.kind === 'workflow.failed') {
    next.error = eventError(event.data) ?? w.error;
  }
  if (/^workflow\.(succeeded|failed|cancelled|needs-attention)$/.test(event.kind)) next.finishedAt = event.at;
  return next;
}
