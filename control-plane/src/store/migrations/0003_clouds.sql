-- Federation: the registry of clouds, their health history, the inventory synced from them, and sync runs.

CREATE TABLE clouds (
  id                  text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,40}$'),
  name                text NOT NULL,
  name_en             text NOT NULL,
  provider_kind       text NOT NULL,
  endpoint            text,
  -- Sealed with the platform key (context `cloud:<id>`); never returned by the API, never logged or audited.
  credentials         text,
  region              text NOT NULL REFERENCES divisions(code),
  kind                text NOT NULL CHECK (kind IN ('general', 'xinchuang')),
  site_roles          text[] NOT NULL,
  certifications      integer[] NOT NULL,
  dual_active         boolean NOT NULL DEFAULT false,
  enabled             boolean NOT NULL DEFAULT true,
  -- Provider settings that are not secrets: sim settings, zones, sync budget.
  config              jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The last capacity read, by pool and resource class.
  capacity            jsonb,
  capacity_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cloud_health (
  id         bigserial PRIMARY KEY,
  cloud_id   text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  at         timestamptz NOT NULL,
  status     text NOT NULL CHECK (status IN ('up', 'degraded', 'down')),
  latency_ms integer,
  message    text
);
CREATE INDEX cloud_health_cloud_idx ON cloud_health(cloud_id, at DESC);

-- What the clouds report, one row per object; `expected` is what Ganyun provisioned (drift = expected vs spec).
CREATE TABLE inventory_objects (
  cloud_id      text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  key           text NOT NULL,
  kind          text NOT NULL,
  tenant        text,
  name          text NOT NULL,
  arch          text,
  status        text,
  spec          jsonb,
  revision      bigint NOT NULL DEFAULT 0,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  deleted_at    timestamptz,
  expected      jsonb,
  -- What the last sync that touched the row found: created (new or back), updated (new revision) or none.
  last_change   text,
  PRIMARY KEY (cloud_id, key)
);
CREATE INDEX inventory_objects_expected_idx ON inventory_objects(cloud_id) WHERE expected IS NOT NULL;

CREATE TABLE sync_runs (
  id          uuid PRIMARY KEY,
  cloud_id    text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  mode        text NOT NULL CHECK (mode IN ('full', 'incremental')),
  status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  objects     integer NOT NULL DEFAULT 0,
  created     integer NOT NULL DEFAULT 0,
  updated     integer NOT NULL DEFAULT 0,
  deleted     integer NOT NULL DEFAULT 0,
  error       text,
  cursor      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_runs_cloud_idx ON sync_runs(cloud_id, started_at DESC);

CREATE TABLE cloud_sync_state (
  cloud_id text PRIMARY KEY REFERENCES clouds(id) ON DELETE CASCADE,
  cursor   text
);
