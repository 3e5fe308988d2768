-- SQL probes of DR plans (issue 11.3) name a connection registered here; its DSN (with the password) is sealed
-- like every credential and never part of a plan, an answer, the audit trail or the log.
CREATE TABLE dr_probe_connections (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  engine      text NOT NULL CHECK (engine IN ('postgresql')),
  target      text NOT NULL,
  sealed_dsn  text NOT NULL,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
