import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import type { WorkflowStatus } from './workflow-types.ts';
import { workflowsRepo } from './workflows-repo.ts';
import type { ActionRegistry } from './actions.ts';
import { validateDag, type StepSpec } from './dag.ts';
import { settle } from './settle.ts';

export interface WorkflowSpec {
  kind: string;
  title: string;
  input: unknown;
  departmentId: string | null;
  createdBy: string | null;
  steps: StepSpec[];
}

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Starts and steers workflows. Every call takes the caller's transaction, so starting a workflow commits
 * together with whatever asked for it (a request approved, a drill scheduled) and its audit record.
 */
export class WorkflowEngine {
  constructor(private readonly actions: ActionRegistry, private readonly onChange: () => void = () => undefined) {}

  async start(tx: Queryable, spec: WorkflowSpec): Promise<string> {
    if (spec.steps.length === 0) throw new InputError('a workflow needs at least one step', 'steps');
    validateDag(spec.steps);
    for (const s of spec.steps) if (!this.actions.has(s.action)) throw new InputError(`step ${s.key}: unknown action ${s.action}`, 'steps');
    const id = newId();
    // The row, its steps, its start event and the NOTIFY that announces it: one statement.
    await workflowsRepo.create(tx, { id, kind: spec.kind, title: spec.title, input: spec.input, departmentId: spec.departmentId, createdBy: spec.createdBy }, spec.steps.map((s) => ({
      key: s.key, action: s.action, params: s.params, dependsOn: s.dependsOn,
      compensable: typeof this.actions.get(s.action).compensate === 'function',
      undoUnfinished: this.actions.get(s.action).undoesUnfinished === true,
      maxAttempts: s.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    })));
    this.onChange();
    return id;
  }

  /** Running steps finish; no new step starts until resumed. */
  pause(tx: Queryable, id: string) {
    return this.transition(tx, id, ['running'], 'paused', 'workflow.paused');
  }

  resume(tx: Queryable, id: string) {
    return this.transition(tx, id, ['paused'], 'running', 'workflow.resumed');
  }

  /** Stops what has not started and undoes what has succeeded, in reverse dependency order. */
  async cancel(tx: Queryable, id: string) {
    await this.transition(tx, id, ['running', 'paused'], 'cancelling', 'workflow.cancelling');
    await workflowsRepo.skipPending(tx, id);
    await settle(tx, id);
  }

  private async transition(tx: Queryable, id: string, from: WorkflowStatus[], to: WorkflowStatus, event: string) {
    const w = await workflowsRepo.byId(tx, id);
    if (!w) throw new NotFoundError('workflow not found');
    if (!(await workflowsRepo.setStatus(tx, id, to, { from }))) {
      throw new ConflictError(`workflow is ${w.status}; it can be ${event.split('.')[1]} only when ${from.join(' or ')}`);
    }
    await workflowsRepo.addEvent(tx, { workflowId: id, kind: event });
    // Resumed steps are ready, cancelled ones to undo: any replica's runner may take them after the commit.
    await workflowsRepo.notifyWork(tx);
    this.onChange();
  }
}
