-- Clusters and SSH-managed hosts / network devices: Ganyun's own known-hosts, host-key alarms, and
-- reachability probe results. Connection settings live in clouds.config; credentials sealed in clouds.credentials.

-- Pinned host keys (Ganyun never reads ~/.ssh/known_hosts). One key per host:port; an admin accepts it once.
CREATE TABLE ssh_known_hosts (
  host         text NOT NULL CHECK (length(host) BETWEEN 1 AND 255),
  port         integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  -- `SHA256:<base64 without padding>`, exactly as `ssh-keygen -l` prints it.
  fingerprint  text NOT NULL CHECK (fingerprint ~ '^SHA256:[A-Za-z0-9+/]{43}$'),
  accepted_by  text NOT NULL,
  accepted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (host, port)
);

-- A pinned host presented another key: the connection was refused. Open until an admin re-accepts a key
-- for that host:port (resolved_at). Repeats of the same presented key count on the open row.
CREATE TABLE ssh_host_key_alarms (
  id                     bigserial PRIMARY KEY,
  host                   text NOT NULL,
  port                   integer NOT NULL,
  -- The cloud whose connection saw it, when known (no foreign key: a refused registration has no row).
  cloud_id               text,
  expected_fingerprint   text NOT NULL,
  presented_fingerprint  text NOT NULL,
  first_seen_at          timestamptz NOT NULL DEFAULT now(),
  last_seen_at           timestamptz NOT NULL DEFAULT now(),
  occurrences            integer NOT NULL DEFAULT 1,
  resolved_at            timestamptz,
  resolved_by            text
);
CREATE UNIQUE INDEX ssh_host_key_alarms_open_idx ON ssh_host_key_alarms(host, port, presented_fingerprint) WHERE resolved_at IS NULL;

-- Reachability probes run through an SSH-managed host or device (ping / ping -6 / ping -vpn-instance).
CREATE TABLE probe_results (
  id             uuid PRIMARY KEY,
  cloud_id       text NOT NULL REFERENCES clouds(id) ON DELETE CASCADE,
  target         text NOT NULL,
  family         integer NOT NULL CHECK (family IN (4, 6)),
  vpn_instance   text,
  count          integer NOT NULL CHECK (count BETWEEN 1 AND 10),
  -- reachable / unreachable: the probe ran; error: it could not run (error_code is the provider error code).
  outcome        text NOT NULL CHECK (outcome IN ('reachable', 'unreachable', 'error')),
  transmitted    integer,
  received       integer,
  loss_percent   double precision,
  rtt_min_ms     double precision,
  rtt_avg_ms     double precision,
  rtt_max_ms     double precision,
  error_code     text,
  error          text,
  requested_by   text,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz NOT NULL
);
CREATE INDEX probe_results_cloud_idx ON probe_results(cloud_id, finished_at DESC);
CREATE INDEX probe_results_target_idx ON probe_results(target, finished_at DESC);
