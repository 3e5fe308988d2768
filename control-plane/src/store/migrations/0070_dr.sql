-- Disaster recovery (两地三中心): centres, replication links with their history, protection groups,
-- plans with immutable versions, and operations (drills, switchovers, failovers, failbacks, re-protects)
-- with their per-system evidence and the cleanup ledger of what a drill created.

-- A centre is a zone of a federation cloud that carries a site role. Refreshed from the cloud registry.
CREATE TABLE dr_centres (
  id          text PRIMARY KEY,            -- '<cloud>/<zone>'
  cloud_id    text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  zone        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('production', 'same-city-dr', 'remote-dr')),
  name        text NOT NULL,
  name_en     text NOT NULL,
  region      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (cloud_id, zone)
);

-- Replication links as the providers report them, the latest reading per link.
CREATE TABLE dr_links (
  id            text PRIMARY KEY,
  source_cloud  text NOT NULL,
  target_cloud  text NOT NULL,
  from_centre   text,
  to_centre     text,
  mode          text NOT NULL CHECK (mode IN ('sync', 'async')),
  state         text NOT NULL CHECK (state IN ('healthy', 'lagging', 'broken')),
  lag_seconds   double precision NOT NULL,
  measured_at   timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Every reading kept (one per link per measurement): lag over time is the RPO history.
CREATE TABLE dr_link_samples (
  link_id      text NOT NULL REFERENCES dr_links(id) ON DELETE CASCADE,
  measured_at  timestamptz NOT NULL,
  state        text NOT NULL,
  lag_seconds  double precision NOT NULL,
  PRIMARY KEY (link_id, measured_at)
);

-- A protection group: the systems that fail over together, their centres, mode and targets.
CREATE TABLE dr_protection_groups (
  id                  uuid PRIMARY KEY,
  name                text NOT NULL UNIQUE,
  department_id       uuid NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
  mode                text NOT NULL CHECK (mode IN ('active-standby', 'dual-active', 'cold-backup')),
  production_centre   text NOT NULL REFERENCES dr_centres(id),
  same_city_centre    text REFERENCES dr_centres(id),
  remote_centre       text REFERENCES dr_centres(id),
  rto_seconds         integer NOT NULL CHECK (rto_seconds >= 0),
  rpo_seconds         integer NOT NULL CHECK (rpo_seconds >= 0),
  backup_interval_seconds integer,
  -- Where the group serves now (production until a failover moves it).
  active_centre       text NOT NULL REFERENCES dr_centres(id),
  created_by          uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- A system is in at most one protection group.
CREATE TABLE dr_protected_systems (
  group_id   uuid NOT NULL REFERENCES dr_protection_groups(id) ON DELETE CASCADE,
  system_id  uuid NOT NULL UNIQUE REFERENCES business_systems(id) ON DELETE RESTRICT,
  PRIMARY KEY (group_id, system_id)
);

CREATE TABLE dr_protected_resources (
  group_id   uuid NOT NULL REFERENCES dr_protection_groups(id) ON DELETE CASCADE,
  cloud_id   text NOT NULL,
  key        text NOT NULL,
  PRIMARY KEY (group_id, cloud_id, key)
);

-- Standby capacity at a DR centre, held through the quota service (a committed reservation of the system).
CREATE TABLE dr_standby (
  group_id        uuid NOT NULL REFERENCES dr_protection_groups(id) ON DELETE CASCADE,
  centre          text NOT NULL REFERENCES dr_centres(id),
  system_id       uuid NOT NULL REFERENCES business_systems(id) ON DELETE RESTRICT,
  vcpu            integer NOT NULL CHECK (vcpu >= 0),
  memory_gib      integer NOT NULL CHECK (memory_gib >= 0),
  storage_gib     integer NOT NULL CHECK (storage_gib >= 0),
  reservation_id  uuid,
  PRIMARY KEY (group_id, centre)
);

CREATE TABLE dr_plans (
  id              uuid PRIMARY KEY,
  group_id        uuid NOT NULL REFERENCES dr_protection_groups(id) ON DELETE CASCADE,
  name            text NOT NULL,
  latest_version  integer NOT NULL,
  created_by      uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (group_id, name)
);

-- Immutable: a save with new content is a new version; a run records the version it ran.
CREATE TABLE dr_plan_versions (
  plan_id     uuid NOT NULL REFERENCES dr_plans(id) ON DELETE CASCADE,
  version     integer NOT NULL,
  digest      text NOT NULL,
  content     jsonb NOT NULL,
  estimate    jsonb NOT NULL,
  created_by  uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, version)
);

-- An operation on a protection group, carried out by a workflow.
CREATE TABLE dr_runs (
  id              uuid PRIMARY KEY,
  group_id        uuid NOT NULL REFERENCES dr_protection_groups(id) ON DELETE RESTRICT,
  department_id   uuid NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
  kind            text NOT NULL CHECK (kind IN ('drill', 'switchover', 'failover', 'failback', 'reprotect')),
  plan_id         uuid REFERENCES dr_plans(id) ON DELETE RESTRICT,
  plan_version    integer,
  plan_digest     text,
  source_centre   text NOT NULL REFERENCES dr_centres(id),
  target_centre   text NOT NULL REFERENCES dr_centres(id),
  workflow_id     uuid REFERENCES workflows(id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'running',
  operator_id     uuid REFERENCES users(id) ON DELETE SET NULL,
  operator        text NOT NULL,
  approver_id     uuid REFERENCES users(id) ON DELETE SET NULL,
  approver        text,
  scenario        text NOT NULL DEFAULT '',
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  report          jsonb,
  report_digest   text
);
-- One operation at a time per protection group, even across control planes: the index refuses the second.
CREATE UNIQUE INDEX dr_runs_one_active ON dr_runs(group_id) WHERE finished_at IS NULL;
CREATE INDEX dr_runs_group ON dr_runs(group_id, started_at DESC);

-- Per system of a run: the monotonic phase timeline and the lag at the cut.
CREATE TABLE dr_run_systems (
  run_id            uuid NOT NULL REFERENCES dr_runs(id) ON DELETE CASCADE,
  system_id         uuid NOT NULL REFERENCES business_systems(id) ON DELETE RESTRICT,
  timeline          jsonb NOT NULL,
  lag_at_cut        double precision,
  business_verified boolean,
  PRIMARY KEY (run_id, system_id)
);

-- Manual-step confirmations (双人复核 for real operations).
CREATE TABLE dr_confirmations (
  run_id    uuid NOT NULL REFERENCES dr_runs(id) ON DELETE CASCADE,
  step_key  text NOT NULL,
  user_id   uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
  username  text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, step_key, user_id)
);

-- Cleanup ledger: every object a drill creates, recorded before the call that creates it, with a TTL.
CREATE TABLE dr_ledger (
  run_id      uuid NOT NULL REFERENCES dr_runs(id) ON DELETE CASCADE,
  cloud_id    text NOT NULL,
  sandbox     text NOT NULL,
  zone        text NOT NULL,
  system_id   uuid NOT NULL,
  expires_at  timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  removed_at  timestamptz,
  removed_by  text,
  PRIMARY KEY (cloud_id, sandbox)
);
CREATE INDEX dr_ledger_open ON dr_ledger(expires_at) WHERE removed_at IS NULL;
