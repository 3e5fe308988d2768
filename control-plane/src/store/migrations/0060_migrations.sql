-- Migrations (issue 12): candidates with their method, the constraints a schedule keeps (maintenance
-- slots, blackout calendar, capacities), plans and their solved versions, waves and the systems in them.
-- Owned by control-plane/src/migrations/ (repositories *-repo.ts).

-- An on-premises machine room recorded as a migration source (a system that is on no cloud yet).
CREATE TABLE migration_rooms (
  id            uuid PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  division_code text NOT NULL REFERENCES divisions(code),
  -- The department that runs the room (null: a shared provincial room).
  department_id uuid REFERENCES departments(id) ON DELETE RESTRICT,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Replication bandwidth from a source (cloud id or room id) to a target cloud, usable some hours per window.
CREATE TABLE migration_links (
  id               uuid PRIMARY KEY,
  label            text NOT NULL,
  source_cloud_id  text REFERENCES clouds(id) ON DELETE RESTRICT,
  source_room_id   uuid REFERENCES migration_rooms(id) ON DELETE RESTRICT,
  target_cloud_id  text NOT NULL REFERENCES clouds(id) ON DELETE RESTRICT,
  gbps             double precision NOT NULL CHECK (gbps > 0),
  hours_per_window double precision NOT NULL CHECK (hours_per_window > 0 AND hours_per_window <= 168),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((source_cloud_id IS NULL) <> (source_room_id IS NULL))
);

-- One business system to move: from where, to where, how (method with its reasons), how big, how much work.
CREATE TABLE migration_candidates (
  id              uuid PRIMARY KEY,
  system_id       uuid NOT NULL UNIQUE REFERENCES business_systems(id) ON DELETE RESTRICT,
  -- Copied from the system so that every scoped read filters one column of this table.
  department_id   uuid NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
  source_cloud_id text REFERENCES clouds(id) ON DELETE RESTRICT,
  source_room_id  uuid REFERENCES migration_rooms(id) ON DELETE RESTRICT,
  source_arch     text NOT NULL,
  source_vendor   text NOT NULL,
  source_image    text NOT NULL,
  target_cloud_id text NOT NULL REFERENCES clouds(id) ON DELETE RESTRICT,
  target_arch     text NOT NULL,
  target_vendor   text NOT NULL,
  target_image    text NOT NULL,
  method          text NOT NULL CHECK (method IN ('rehost', 'replatform', 'rebuild')),
  -- [{zh, en}]: why this method (shown beside it).
  reasons         jsonb NOT NULL,
  vcpu            integer NOT NULL CHECK (vcpu > 0),
  data_gib        double precision NOT NULL CHECK (data_gib >= 0),
  size_class      text NOT NULL,
  effort_hours    double precision NOT NULL CHECK (effort_hours > 0),
  link_id         uuid NOT NULL REFERENCES migration_links(id) ON DELETE RESTRICT,
  group_name      text,
  -- candidate → scheduled (in an approved version) → migrating → migrated | rolled-back (then candidate again).
  state           text NOT NULL DEFAULT 'candidate' CHECK (state IN ('candidate', 'scheduled', 'migrating', 'migrated')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((source_cloud_id IS NULL) <> (source_room_id IS NULL))
);
CREATE INDEX migration_candidates_department_idx ON migration_candidates(department_id);

-- A department's recurring maintenance slots (1 = Monday … 7 = Sunday, China time).
CREATE TABLE migration_slots (
  id            uuid PRIMARY KEY,
  department_id uuid NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  weekday       smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_time    text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  hours         double precision NOT NULL CHECK (hours > 0 AND hours <= 24),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX migration_slots_department_idx ON migration_slots(department_id);

-- Blackout days: statutory holidays (imported from the State Council's notice, source 'statutory'),
-- key events and departments' own busy days (source 'operator' / 'department').
CREATE TABLE migration_blackouts (
  id             uuid PRIMARY KEY,
  from_date      date NOT NULL,
  to_date        date NOT NULL,
  reason         text NOT NULL,
  -- null: every department.
  department_ids uuid[],
  source         text NOT NULL CHECK (source IN ('statutory', 'operator', 'department')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (to_date >= from_date)
);
CREATE UNIQUE INDEX migration_blackouts_statutory_uq ON migration_blackouts(from_date, to_date) WHERE source = 'statutory';

-- A plan: weekly windows from first_week, the capacity per window, and its candidates.
CREATE TABLE migration_plans (
  id              uuid PRIMARY KEY,
  name            text NOT NULL UNIQUE,
  first_week      date NOT NULL,
  weeks           integer NOT NULL CHECK (weeks BETWEEN 1 AND 260),
  -- Operator hours per window (length = weeks).
  operator_hours  double precision[] NOT NULL,
  -- Windows cancelled since (index list): no new move is placed there.
  cancelled       integer[] NOT NULL DEFAULT '{}',
  -- [{key, label, steps: [{fromWindow, vcpu}]}]: target capacity by cloud and architecture.
  pools           jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by      uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE migration_plan_members (
  plan_id      uuid NOT NULL REFERENCES migration_plans(id) ON DELETE CASCADE,
  candidate_id uuid NOT NULL REFERENCES migration_candidates(id) ON DELETE RESTRICT,
  PRIMARY KEY (plan_id, candidate_id)
);
CREATE INDEX migration_plan_members_candidate_idx ON migration_plan_members(candidate_id);

-- A solved (or solving) version of a plan: the input as solved, the schedule, bound, gap, explanations.
CREATE TABLE migration_plan_versions (
  id           uuid PRIMARY KEY,
  plan_id      uuid NOT NULL REFERENCES migration_plans(id) ON DELETE CASCADE,
  version      integer NOT NULL,
  -- what-if versions are never approved: a re-plan tried without changing the plan.
  what_if      boolean NOT NULL DEFAULT false,
  status       text NOT NULL CHECK (status IN ('solving', 'solved', 'infeasible', 'failed', 'approved', 'superseded')),
  workflow_id  uuid REFERENCES workflows(id) ON DELETE SET NULL,
  input        jsonb NOT NULL,
  -- Changes a what-if tried: {cancelWindows, addCandidates}.
  changes      jsonb,
  progress     jsonb,
  result       jsonb,
  error        text,
  created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
  approved_by  uuid REFERENCES users(id) ON DELETE SET NULL,
  approved_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plan_id, version)
);

-- A wave: the systems of one window of an approved version.
CREATE TABLE migration_waves (
  id           uuid PRIMARY KEY,
  plan_id      uuid NOT NULL REFERENCES migration_plans(id) ON DELETE CASCADE,
  version_id   uuid NOT NULL REFERENCES migration_plan_versions(id) ON DELETE CASCADE,
  window_index integer NOT NULL,
  week_start   date NOT NULL,
  status       text NOT NULL CHECK (status IN ('planned', 'prechecked', 'running', 'verified', 'rolled-back', 'failed', 'superseded')),
  prechecks    jsonb,
  workflow_id  uuid REFERENCES workflows(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
-- Two control planes never run the same window of a plan twice: one live wave per plan and window.
CREATE UNIQUE INDEX migration_waves_live_uq ON migration_waves(plan_id, window_index) WHERE status IN ('prechecked', 'running');

CREATE TABLE migration_wave_systems (
  wave_id       uuid NOT NULL REFERENCES migration_waves(id) ON DELETE CASCADE,
  candidate_id  uuid NOT NULL REFERENCES migration_candidates(id) ON DELETE RESTRICT,
  department_id uuid NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
  -- Why it is in this window (the scheduler's explanation of the placement).
  placement     jsonb,
  -- Departments confirm their systems' window or ask to move it.
  confirmation  text NOT NULL DEFAULT 'pending' CHECK (confirmation IN ('pending', 'confirmed', 'move-requested')),
  note          text,
  PRIMARY KEY (wave_id, candidate_id)
);
CREATE INDEX migration_wave_systems_candidate_idx ON migration_wave_systems(candidate_id);

-- The province's progress indicators, one row per day and scope (province, city, department).
CREATE TABLE migration_indicator_snapshots (
  day            date NOT NULL,
  scope          text NOT NULL CHECK (scope IN ('province', 'city', 'department')),
  code           text NOT NULL,
  name           text NOT NULL,
  systems        integer NOT NULL,
  on_cloud       integer NOT NULL,
  on_xinchuang   integer NOT NULL,
  PRIMARY KEY (day, scope, code)
);
