-- Business systems (业务系统): what a department puts on the cloud. Owned by the onboarding capability;
-- quotas (0005) hang a system-level node under each system, requests (0006) name the system they are for.

CREATE TABLE business_systems (
  id                 uuid PRIMARY KEY,
  department_id      uuid NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
  name               text NOT NULL,
  owner_user_id      uuid REFERENCES users(id) ON DELETE SET NULL,
  description        text NOT NULL DEFAULT '',
  -- 等保 (MLPS) level 1–4.
  mlps_level         smallint NOT NULL CHECK (mlps_level BETWEEN 1 AND 4),
  data_classification text NOT NULL CHECK (data_classification IN ('public', 'internal', 'sensitive', 'classified')),
  xinchuang_required boolean NOT NULL DEFAULT false,
  architectures      text[] NOT NULL,
  -- GB/T 20988 disaster-recovery level 1–6 and the edition of the standard it is stated against.
  dr_level           smallint NOT NULL CHECK (dr_level BETWEEN 1 AND 6),
  dr_edition         text NOT NULL CHECK (dr_edition IN ('2007', '2025')),
  rpo_seconds        integer NOT NULL CHECK (rpo_seconds >= 0),
  rto_seconds        integer NOT NULL CHECK (rto_seconds >= 0),
  status             text NOT NULL DEFAULT 'registered'
                     CHECK (status IN ('registered', 'onboarding', 'on-cloud', 'migrating', 'retired')),
  -- Where onboarding placed it (null until placed).
  cloud_id           text REFERENCES clouds(id) ON DELETE RESTRICT,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX business_systems_name_uq ON business_systems(department_id, name);

-- Dependencies form a DAG; the API rejects a cycle and names it.
CREATE TABLE business_system_dependencies (
  system_id     uuid NOT NULL REFERENCES business_systems(id) ON DELETE CASCADE,
  depends_on_id uuid NOT NULL REFERENCES business_systems(id) ON DELETE RESTRICT,
  PRIMARY KEY (system_id, depends_on_id),
  CHECK (system_id <> depends_on_id)
);

-- Onboarding: the placement decision (every candidate with why it was chosen or excluded), the policy
-- results it was made with, and the workflow that carries it out.
ALTER TABLE business_systems ADD COLUMN placement jsonb;
ALTER TABLE business_systems ADD COLUMN policy_results jsonb;
ALTER TABLE business_systems ADD COLUMN onboarding_workflow_id uuid REFERENCES workflows(id) ON DELETE SET NULL;
CREATE INDEX business_systems_department_idx ON business_systems(department_id);
CREATE INDEX business_system_dependencies_on_idx ON business_system_dependencies(depends_on_id);
