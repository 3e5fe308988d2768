-- Summaries the list views read instead of recomputing them on every call (issue 15.2). clouds.list counted
-- every cloud's inventory and systems.list evaluated the placement policies for every system on each call:
-- 70–80 % of their time on PGlite. Both are now kept up to date by the database itself, whoever writes
-- (a sync, provisioning, a script, psql), so they cannot drift from what they summarise.
-- (Function bodies keep their semicolons off line ends: migrate.ts splits statements at those.)

-- Live resources per cloud (not deleted, not tenant spaces), as clouds.list shows them. Statement-level
-- triggers with transition tables: a sync page of 500 rows costs one upsert per cloud, not 500.
CREATE TABLE cloud_inventory_counts (
  cloud_id text PRIMARY KEY REFERENCES clouds(id) ON DELETE CASCADE,
  live     integer NOT NULL DEFAULT 0
);
INSERT INTO cloud_inventory_counts (cloud_id, live)
  SELECT c.id, (SELECT count(*) FROM inventory_objects o WHERE o.cloud_id = c.id AND o.deleted_at IS NULL AND o.kind <> 'tenant-space') FROM clouds c;

-- Adds the difference a statement made. A delete only updates existing rows: when a cloud is deleted its
-- inventory goes by cascade after the cloud row, and an upsert would then name a cloud that no longer exists.
CREATE FUNCTION ganyun_inventory_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO cloud_inventory_counts AS c (cloud_id, live)
      SELECT cloud_id, count(*) FROM new_rows WHERE deleted_at IS NULL AND kind <> 'tenant-space' GROUP BY cloud_id
      ON CONFLICT (cloud_id) DO UPDATE SET live = c.live + EXCLUDED.live; RETURN NULL; ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO cloud_inventory_counts AS c (cloud_id, live)
      SELECT cloud_id, sum(d) FROM (
        SELECT cloud_id, 1 AS d FROM new_rows WHERE deleted_at IS NULL AND kind <> 'tenant-space'
        UNION ALL SELECT cloud_id, -1 FROM old_rows WHERE deleted_at IS NULL AND kind <> 'tenant-space') x
      GROUP BY cloud_id HAVING sum(d) <> 0
      ON CONFLICT (cloud_id) DO UPDATE SET live = c.live + EXCLUDED.live; RETURN NULL; END IF; UPDATE cloud_inventory_counts c SET live = c.live - x.n
    FROM (SELECT cloud_id, count(*) AS n FROM old_rows WHERE deleted_at IS NULL AND kind <> 'tenant-space' GROUP BY cloud_id) x
    WHERE c.cloud_id = x.cloud_id; RETURN NULL; END $$;
CREATE TRIGGER inventory_counted_insert AFTER INSERT ON inventory_objects REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ganyun_inventory_counted();
CREATE TRIGGER inventory_counted_update AFTER UPDATE ON inventory_objects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ganyun_inventory_counted();
CREATE TRIGGER inventory_counted_delete AFTER DELETE ON inventory_objects REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ganyun_inventory_counted();
CREATE FUNCTION ganyun_inventory_count_cleared() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM cloud_inventory_counts; RETURN NULL; END $$;
CREATE TRIGGER inventory_counted_truncate AFTER TRUNCATE ON inventory_objects FOR EACH STATEMENT EXECUTE FUNCTION ganyun_inventory_count_cleared();

-- Placement compliance per system (systems.list's `compliant`), stored with the epoch of the placement facts
-- it was computed against. The policies are TypeScript (@ganyun/policies), so the database cannot evaluate
-- them; it only says when a stored result stopped being true, and the list recomputes just those rows:
--  * a change to a system's own facts or its cloud clears its stamp (row trigger below);
--  * a change to what any system's verdict may read (the policy settings, any cloud's facts, the set of
--    clouds) moves the one epoch, so every stored result is older than it.
ALTER TABLE business_systems ADD COLUMN compliant boolean;
ALTER TABLE business_systems ADD COLUMN compliance_epoch bigint;
CREATE TABLE compliance_epoch (
  id    integer PRIMARY KEY CHECK (id = 1),
  epoch bigint NOT NULL
);
INSERT INTO compliance_epoch (id, epoch) VALUES (1, 1);

CREATE FUNCTION ganyun_compliance_stale() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.compliance_epoch := NULL; RETURN NEW; END $$;
CREATE TRIGGER business_systems_compliance_stale BEFORE UPDATE ON business_systems FOR EACH ROW
  WHEN ((OLD.name, OLD.mlps_level, OLD.data_classification, OLD.xinchuang_required, OLD.architectures, OLD.dr_level, OLD.dr_edition, OLD.cloud_id)
        IS DISTINCT FROM (NEW.name, NEW.mlps_level, NEW.data_classification, NEW.xinchuang_required, NEW.architectures, NEW.dr_level, NEW.dr_edition, NEW.cloud_id))
  EXECUTE FUNCTION ganyun_compliance_stale();

-- The architectures a cloud's last capacity read offers (pools with capacity): a health check rewrites the
-- capacity every few seconds, and only a change of this set (or of the settings) can change a verdict.
CREATE FUNCTION ganyun_capacity_architectures(capacity jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(DISTINCT l->>'arch' ORDER BY l->>'arch') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(capacity) = 'array' THEN capacity ELSE '[]'::jsonb END) l
   WHERE CASE WHEN jsonb_typeof(l->'total') = 'number' THEN (l->'total')::numeric > 0 ELSE false END
$$;
CREATE FUNCTION ganyun_compliance_epoch_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO compliance_epoch AS e (id, epoch) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET epoch = e.epoch + 1; RETURN NULL; END $$;
CREATE TRIGGER clouds_compliance_epoch AFTER INSERT OR DELETE OR TRUNCATE ON clouds FOR EACH STATEMENT EXECUTE FUNCTION ganyun_compliance_epoch_moved();
CREATE TRIGGER clouds_compliance_epoch_update AFTER UPDATE ON clouds FOR EACH ROW
  WHEN ((OLD.id, OLD.region, OLD.kind, OLD.site_roles, OLD.certifications, OLD.dual_active, OLD.enabled, OLD.config)
        IS DISTINCT FROM (NEW.id, NEW.region, NEW.kind, NEW.site_roles, NEW.certifications, NEW.dual_active, NEW.enabled, NEW.config)
        OR ganyun_capacity_architectures(OLD.capacity) IS DISTINCT FROM ganyun_capacity_architectures(NEW.capacity))
  EXECUTE FUNCTION ganyun_compliance_epoch_moved();
CREATE TRIGGER policy_settings_compliance_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy_settings
  FOR EACH STATEMENT EXECUTE FUNCTION ganyun_compliance_epoch_moved();

-- Indexes behind the list filters and the per-cloud lookups of clouds.list (latest health check by id).
CREATE INDEX cloud_health_latest_idx ON cloud_health(cloud_id, id DESC);
CREATE INDEX clouds_region_idx ON clouds(region, id);
CREATE INDEX clouds_kind_idx ON clouds(kind);
CREATE INDEX business_systems_status_idx ON business_systems(status);
