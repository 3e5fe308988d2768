-- Durable workflows: state lives here, so a restart (or another replica) resumes where work stopped.

CREATE TABLE workflows (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL,
  title         text NOT NULL,
  status        text NOT NULL CHECK (status IN ('running', 'paused', 'succeeded', 'failed', 'compensating', 'cancelling', 'cancelled')),
  input         jsonb NOT NULL,
  department_id uuid REFERENCES departments(id) ON DELETE SET NULL,
  created_by    text,
  error         text,
  steps_total   integer NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX workflows_status_idx ON workflows(status);
CREATE INDEX workflows_department_idx ON workflows(department_id);

-- One row per step. `status` walks pending → running → succeeded | failed, and on unwinding
-- succeeded → compensating → compensated. A running step belongs to the lease owner until lease_until.
CREATE TABLE workflow_steps (
  workflow_id     uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  key             text NOT NULL,
  action          text NOT NULL,
  params          jsonb NOT NULL,
  depends_on      text[] NOT NULL,
  -- The reverse edges (steps that depend on this one), written once at insert. Releasing dependents and
  -- checking "every dependent undone" are then primary-key lookups, not searches of every step's depends_on.
  dependents      text[] NOT NULL,
  compensable     boolean NOT NULL,
  -- Dependencies not yet succeeded: a pending step with 0 is ready. Kept by the runner, so that claiming
  -- a step is an index lookup and not a scan of the whole plan.
  deps_remaining  integer NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped', 'compensating', 'compensated')),
  attempts        integer NOT NULL DEFAULT 0,
  undo_attempts   integer NOT NULL DEFAULT 0,
  max_attempts    integer NOT NULL,
  not_before      timestamptz NOT NULL DEFAULT now(),
  lease_owner     text,
  lease_until     timestamptz,
  output          jsonb,
  error           text,
  started_at      timestamptz,
  finished_at     timestamptz,
  PRIMARY KEY (workflow_id, key)
);
CREATE INDEX workflow_steps_ready_idx ON workflow_steps(not_before) WHERE status = 'pending' AND deps_remaining = 0;
CREATE INDEX workflow_steps_status_idx ON workflow_steps(workflow_id, status);
CREATE INDEX workflow_steps_lease_idx ON workflow_steps(lease_until) WHERE status IN ('running', 'compensating');
-- Steps still to undo if their workflow unwinds, newest first: see TO_UNDO in workflows-repo.ts.
CREATE INDEX workflow_steps_undo_idx ON workflow_steps(workflow_id, finished_at) WHERE status = 'succeeded' AND compensable;

-- Progress events, replayable by sequence (SSE clients resume from the last one they saw).
CREATE TABLE workflow_events (
  seq         bigserial PRIMARY KEY,
  workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  kind        text NOT NULL,
  step_key    text,
  data        jsonb
);
CREATE INDEX workflow_events_workflow_idx ON workflow_events(workflow_id, seq);
