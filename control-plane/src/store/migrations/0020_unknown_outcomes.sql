-- Unknown outcomes (issue 17.1). A step whose call timed out or whose answer was lost, and whose effect the
-- provider could not tell by its idempotency key, is `unknown` ("may be done"): the unwind compensates it
-- like a succeeded step. A step whose undo could not be completed is `needs-attention`, and so is its
-- workflow once nothing else is left to undo: the object is named, never silently dropped.
ALTER TABLE workflows DROP CONSTRAINT workflows_status_check;
ALTER TABLE workflows ADD CONSTRAINT workflows_status_check
  CHECK (status IN ('running', 'paused', 'succeeded', 'failed', 'compensating', 'cancelling', 'cancelled', 'needs-attention'));

ALTER TABLE workflow_steps DROP CONSTRAINT workflow_steps_status_check;
ALTER TABLE workflow_steps ADD CONSTRAINT workflow_steps_status_check
  CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped', 'compensating', 'compensated', 'unknown', 'needs-attention'));
-- Set when the step became `unknown`: a retried undo goes back to `unknown`, not to `succeeded`.
ALTER TABLE workflow_steps ADD COLUMN outcome_unknown boolean NOT NULL DEFAULT false;
-- The object a needs-attention step may have left behind ("tenant space sys-… on nanchang").
ALTER TABLE workflow_steps ADD COLUMN attention text;

DROP INDEX workflow_steps_undo_idx;
CREATE INDEX workflow_steps_undo_idx ON workflow_steps(workflow_id, finished_at) WHERE status IN ('succeeded', 'unknown') AND compensable;

-- An object Ganyun may have created and could not remove or account for: listed until someone decides.
ALTER TABLE inventory_objects ADD COLUMN orphaned_by text;
CREATE INDEX inventory_objects_orphaned_idx ON inventory_objects(cloud_id) WHERE orphaned_by IS NOT NULL;
