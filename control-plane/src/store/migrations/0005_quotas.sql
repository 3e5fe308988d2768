-- Quotas: a tree of nodes (province → city → department → system), counters per node × cloud × resource
-- class, reservations, a ledger of every movement, change requests, overcommit ratios, reconciliation drift.

CREATE TABLE quota_nodes (
  id            uuid PRIMARY KEY,
  level         text NOT NULL CHECK (level IN ('province', 'city', 'department', 'system')),
  -- What the node is for: division code (province, city), department id or system id.
  ref           text NOT NULL,
  parent_id     uuid REFERENCES quota_nodes(id) ON DELETE RESTRICT,
  -- Materialised path of ids ('/<province>/<city>/<department>/<system>/'): subtree queries by prefix.
  path          text NOT NULL,
  -- Set on department and system nodes: department scoping asks this column.
  department_id uuid REFERENCES departments(id) ON DELETE RESTRICT,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (level, ref)
);
CREATE INDEX quota_nodes_parent_idx ON quota_nodes(parent_id);
CREATE INDEX quota_nodes_path_idx ON quota_nodes(path text_pattern_ops);
CREATE INDEX quota_nodes_department_idx ON quota_nodes(department_id);

-- The counters. A reservation adds to `reserved` on every row of its path (system up to province) or on none.
-- `cap` is the hard limit in force (the limit, times the cloud's overcommit ratio at province level for vCPU
-- and memory); NULL means this level does not cap (a system row without a limit allows nothing: no row).
-- The CHECK is the last guard: whatever the code does, a committed row is never oversubscribed.
CREATE TABLE quota_usage (
  node_id        uuid NOT NULL REFERENCES quota_nodes(id) ON DELETE RESTRICT,
  cloud_id       text NOT NULL REFERENCES clouds(id) ON DELETE RESTRICT,
  resource_class text NOT NULL CHECK (resource_class IN ('vcpu', 'memoryGiB', 'storageGiB', 'gpu', 'ipv4Addresses', 'ipv6Prefixes64')),
  limit_amount   bigint CHECK (limit_amount >= 0),
  soft_limit     bigint CHECK (soft_limit >= 0),
  cap            bigint CHECK (cap >= 0),
  soft_cap       bigint CHECK (soft_cap >= 0),
  reserved       bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  committed      bigint NOT NULL DEFAULT 0 CHECK (committed >= 0),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (node_id, cloud_id, resource_class),
  CHECK (cap IS NULL OR reserved + committed <= cap),
  CHECK (soft_limit IS NULL OR limit_amount IS NULL OR soft_limit <= limit_amount)
);

CREATE TABLE quota_overcommit (
  cloud_id       text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  resource_class text NOT NULL CHECK (resource_class IN ('vcpu', 'memoryGiB')),
  ratio          numeric(6, 3) NOT NULL CHECK (ratio >= 1 AND ratio <= 16),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cloud_id, resource_class)
);

CREATE TABLE quota_reservations (
  id              uuid PRIMARY KEY,
  system_id       uuid NOT NULL REFERENCES business_systems(id) ON DELETE RESTRICT,
  system_node_id  uuid NOT NULL REFERENCES quota_nodes(id) ON DELETE RESTRICT,
  idempotency_key text NOT NULL UNIQUE,
  items           jsonb NOT NULL,
  state           text NOT NULL CHECK (state IN ('held', 'committed', 'released', 'expired')),
  ref             text NOT NULL,
  actor           text NOT NULL,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ended_at        timestamptz
);
CREATE INDEX quota_reservations_held_idx ON quota_reservations(expires_at) WHERE state = 'held';
CREATE INDEX quota_reservations_system_idx ON quota_reservations(system_id, created_at DESC);

-- Every movement, one row per reservation item (usage at any node = the sum of its subtree's rows), and
-- every limit change (deltas zero, old and new limits in `detail`).
CREATE TABLE quota_ledger (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  node_id         uuid NOT NULL REFERENCES quota_nodes(id) ON DELETE RESTRICT,
  cloud_id        text NOT NULL,
  resource_class  text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('reserve', 'commit', 'release', 'expire', 'limit')),
  reserved_delta  bigint NOT NULL DEFAULT 0,
  committed_delta bigint NOT NULL DEFAULT 0,
  reservation_id  uuid REFERENCES quota_reservations(id) ON DELETE RESTRICT,
  actor           text NOT NULL,
  ref             text NOT NULL DEFAULT '',
  detail          jsonb
);
CREATE INDEX quota_ledger_node_idx ON quota_ledger(node_id, cloud_id, resource_class, id);
CREATE INDEX quota_ledger_reservation_idx ON quota_ledger(reservation_id);

-- Quota-change requests: an increase waits for an admin or cloud operator (not the requester); a decrease
-- applies at once (never below usage) and is recorded here as applied.
CREATE TABLE quota_change_requests (
  id               uuid PRIMARY KEY,
  node_id          uuid NOT NULL REFERENCES quota_nodes(id) ON DELETE RESTRICT,
  cloud_id         text NOT NULL REFERENCES clouds(id) ON DELETE RESTRICT,
  resource_class   text NOT NULL,
  current_limit    bigint,
  requested_limit  bigint NOT NULL CHECK (requested_limit >= 0),
  requested_soft   bigint CHECK (requested_soft >= 0),
  reason           text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'applied')),
  requested_by     uuid NOT NULL,
  requested_by_name text NOT NULL,
  decided_by       uuid,
  decided_by_name  text,
  decision_reason  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  decided_at       timestamptz
);
CREATE INDEX quota_change_requests_status_idx ON quota_change_requests(status, created_at DESC);
CREATE INDEX quota_change_requests_node_idx ON quota_change_requests(node_id);

-- The last reconciliation per cloud: committed usage against what the cloud reports, where they differ. A tenant
-- space belongs to a system by its label `ganyun.system` or its name `sys-<system id>` (as onboarding names it).
CREATE TABLE quota_drift (
  cloud_id       text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  system_id      uuid NOT NULL REFERENCES business_systems(id) ON DELETE CASCADE,
  resource_class text NOT NULL,
  tenant         text NOT NULL,
  recorded       bigint NOT NULL,
  observed       bigint NOT NULL,
  checked_at     timestamptz NOT NULL,
  PRIMARY KEY (cloud_id, system_id, resource_class)
);
