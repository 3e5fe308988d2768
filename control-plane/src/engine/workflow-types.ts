// The shapes of workflows and steps as the store answers them (workflows-repo.ts), the engine and the routers use.

export type WorkflowStatus = 'running' | 'paused' | 'succeeded' | 'failed' | 'compensating' | 'cancelling' | 'cancelled' | 'needs-attention';
/** `unknown`: its call's outcome could not be told (may be done); `needs-attention`: its undo could not be completed. */
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'compensating' | 'compensated' | 'unknown' | 'needs-attention';

export interface WorkflowView {
  id: string;
  kind: string;
  title: string;
  status: WorkflowStatus;
  input: unknown;
  departmentId: string | null;
  createdBy: string | null;
  error: string | null;
  stepsTotal: number;
  stepsDone: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface StepView {
  key: string;
  action: string;
  dependsOn: string[];
  status: StepStatus;
  attempts: number;
  maxAttempts: number;
  output: unknown;
  error: string | null;
  /** The object a needs-attention step may have left behind. */
  attention: string | null;
  outcomeUnknown: boolean;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ClaimedStep {
  workflowId: string;
  key: string;
  action: string;
  params: unknown;
  status: 'running' | 'compensating';
  attempts: number;
  maxAttempts: number;
  output: unknown;
  takeover: boolean;
  /** The step became `unknown` before this undo: a retried undo goes back there. */
  outcomeUnknown: boolean;
  /** Undo calls refused by the cloud's circuit so far (they spend no attempt, up to a bound). */
  undoRefusals: number;
  /** Some step depends on this one: while the workflow runs, its success leaves work to do. */
  hasDependents: boolean;
  /** A step to run: its dependencies' outputs by step key (null for a step to undo). */
  inputs: Record<string, unknown> | null;
}

export interface WorkflowEvent {
  seq: number;
  workflowId: string;
  at: string;
  kind: string;
  stepKey: string | null;
  data: unknown;
}
