-- Each cloud's latest health check and latest inventory sync, kept by the database as they are written, so that
-- clouds.list reads one row per cloud instead of two LATERAL lookups per cloud on every call (issue 15.2; on
-- PGlite those lookups were most of the list's SQL time). Row triggers: health checks and syncs are written a
-- row at a time, every few seconds per cloud. Old health rows are pruned, never the latest; sync runs are kept.
-- (Function bodies keep their semicolons off line ends: migrate.ts splits statements at those.)
CREATE TABLE cloud_latest (
  cloud_id         text PRIMARY KEY REFERENCES clouds(id) ON DELETE CASCADE,
  health_id        bigint,
  health_status    text,
  health_at        timestamptz,
  latency_ms       integer,
  health_message   text,
  sync_id          uuid,
  sync_status      text,
  sync_started_at  timestamptz,
  sync_finished_at timestamptz,
  sync_objects     integer
);

INSERT INTO cloud_latest (cloud_id, health_id, health_status, health_at, latency_ms, health_message, sync_id, sync_status, sync_started_at, sync_finished_at, sync_objects)
  SELECT c.id, h.id, h.status, h.at, h.latency_ms, h.message, s.id, s.status, s.started_at, s.finished_at, s.objects
    FROM clouds c
    LEFT JOIN LATERAL (SELECT id, status, at, latency_ms, message FROM cloud_health WHERE cloud_id = c.id ORDER BY id DESC LIMIT 1) h ON true
    LEFT JOIN LATERAL (SELECT id, status, started_at, finished_at, objects FROM sync_runs WHERE cloud_id = c.id ORDER BY started_at DESC LIMIT 1) s ON true;

-- A newer check replaces the one shown (by id, the order clouds.get's history uses too).
CREATE FUNCTION ganyun_cloud_latest_health() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cloud_latest AS l (cloud_id, health_id, health_status, health_at, latency_ms, health_message)
    VALUES (NEW.cloud_id, NEW.id, NEW.status, NEW.at, NEW.latency_ms, NEW.message)
    ON CONFLICT (cloud_id) DO UPDATE SET health_id = EXCLUDED.health_id, health_status = EXCLUDED.health_status, health_at = EXCLUDED.health_at,
      latency_ms = EXCLUDED.latency_ms, health_message = EXCLUDED.health_message
    WHERE l.health_id IS NULL OR EXCLUDED.health_id > l.health_id; RETURN NULL; END $$;
CREATE TRIGGER cloud_latest_health AFTER INSERT ON cloud_health FOR EACH ROW EXECUTE FUNCTION ganyun_cloud_latest_health();

-- A run that started later replaces the one shown; the one shown is updated as it finishes.
CREATE FUNCTION ganyun_cloud_latest_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cloud_latest AS l (cloud_id, sync_id, sync_status, sync_started_at, sync_finished_at, sync_objects)
    VALUES (NEW.cloud_id, NEW.id, NEW.status, NEW.started_at, NEW.finished_at, NEW.objects)
    ON CONFLICT (cloud_id) DO UPDATE SET sync_id = EXCLUDED.sync_id, sync_status = EXCLUDED.sync_status, sync_started_at = EXCLUDED.sync_started_at,
      sync_finished_at = EXCLUDED.sync_finished_at, sync_objects = EXCLUDED.sync_objects
    WHERE l.sync_id IS NULL OR l.sync_id = EXCLUDED.sync_id OR EXCLUDED.sync_started_at > l.sync_started_at; RETURN NULL; END $$;
CREATE TRIGGER cloud_latest_sync AFTER INSERT OR UPDATE ON sync_runs FOR EACH ROW EXECUTE FUNCTION ganyun_cloud_latest_sync();
