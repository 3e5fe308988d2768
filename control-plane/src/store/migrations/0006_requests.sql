-- Resource requests and their approvals; the enforcement level of each admission policy.

-- An operator may change a policy's enforcement level (mandatory / advisory / disabled) from its default.
CREATE TABLE policy_settings (
  policy_id   text PRIMARY KEY,
  enforcement text NOT NULL CHECK (enforcement IN ('mandatory', 'advisory', 'disabled')),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Approval chains: per department (null = every department without its own) and from a size up.
-- The chain with the highest min_units not above the request's units applies.
CREATE TABLE approval_chains (
  id            uuid PRIMARY KEY,
  department_id uuid REFERENCES departments(id) ON DELETE CASCADE,
  name          text NOT NULL,
  min_units     numeric NOT NULL DEFAULT 0 CHECK (min_units >= 0),
  -- [{name, mode: single|countersign|or-sign, approvers: {users: uuid[]} | {role}, slaHours}]
  steps         jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX approval_chains_scope_uq ON approval_chains(coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid), min_units);

CREATE TABLE resource_requests (
  id                uuid PRIMARY KEY,
  department_id     uuid NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
  system_id         uuid NOT NULL REFERENCES business_systems(id) ON DELETE RESTRICT,
  requester_id      uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
  title             text NOT NULL,
  reason            text NOT NULL DEFAULT '',
  -- 'named': the requester named the cloud; 'auto': placement chose it.
  placement_mode    text NOT NULL CHECK (placement_mode IN ('named', 'auto')),
  cloud_id          text NOT NULL REFERENCES clouds(id) ON DELETE RESTRICT,
  -- [{resourceClass, amount}] on cloud_id.
  items             jsonb NOT NULL,
  units             numeric NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'approved', 'provisioning', 'provisioned', 'rejected', 'cancelled', 'failed')),
  quota_increase    boolean NOT NULL DEFAULT false,
  policy_results    jsonb NOT NULL,
  placement         jsonb,
  quota_check       jsonb,
  chain_id          uuid REFERENCES approval_chains(id) ON DELETE SET NULL,
  current_step      integer NOT NULL DEFAULT 0,
  reservation_id    text,
  workflow_id       uuid REFERENCES workflows(id) ON DELETE SET NULL,
  error             text,
  submitted_at      timestamptz NOT NULL,
  decided_at        timestamptz,
  finished_at       timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resource_requests_department_idx ON resource_requests(department_id, submitted_at DESC);
CREATE INDEX resource_requests_status_idx ON resource_requests(status);

-- The chain as it stood at submit, one row per step, approvers resolved to users (minus the requester).
CREATE TABLE request_approval_steps (
  request_id   uuid NOT NULL REFERENCES resource_requests(id) ON DELETE CASCADE,
  idx          integer NOT NULL,
  name         text NOT NULL,
  mode         text NOT NULL CHECK (mode IN ('single', 'countersign', 'or-sign')),
  approver_ids uuid[] NOT NULL,
  status       text NOT NULL CHECK (status IN ('waiting', 'active', 'approved', 'rejected', 'skipped')),
  sla_hours    integer NOT NULL CHECK (sla_hours > 0),
  started_at   timestamptz,
  due_at       timestamptz,
  decided_at   timestamptz,
  PRIMARY KEY (request_id, idx)
);
CREATE INDEX request_approval_steps_active_idx ON request_approval_steps USING gin (approver_ids) WHERE status = 'active';

-- One decision per approver per step: approving twice is refused by the API and by this key.
CREATE TABLE request_decisions (
  request_id  uuid NOT NULL REFERENCES resource_requests(id) ON DELETE CASCADE,
  step_idx    integer NOT NULL,
  approver_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
  decision    text NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason      text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, step_idx, approver_id)
);

-- Every state a request passes through, for its timeline.
CREATE TABLE request_events (
  id         bigserial PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES resource_requests(id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT now(),
  kind       text NOT NULL,
  actor      text,
  data       jsonb
);
CREATE INDEX request_events_request_idx ON request_events(request_id, id);
