-- clouds.list is answered from a per-process snapshot (federation/cloud-summaries.ts), rebuilt after a change of
-- what it shows: a cloud's row (registration, settings, enabled, capacity), its latest health check and sync
-- (cloud_latest, migration 0256), its live object count (cloud_inventory_counts, migration 0050) or a region's name.
-- Any committed change of those rows notifies channel ganyun_clouds, whoever made it (a health check, a sync,
-- provisioning, the API on any replica, a script, psql); each replica listens and drops its snapshot (PGlite: in
-- process, at commit). Row-level on the summary tables, so a statement that changes no row (a sync page that leaves
-- the live count as it was) notifies nothing; PostgreSQL folds a transaction's equal notifications into one.
-- (One line per function: migrate.ts splits statements at semicolons that end a line.)
CREATE FUNCTION ganyun_clouds_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('ganyun_clouds', TG_TABLE_NAME); RETURN NULL; END $$;

CREATE TRIGGER clouds_list_changed AFTER INSERT OR UPDATE OR DELETE ON clouds FOR EACH ROW EXECUTE FUNCTION ganyun_clouds_changed();
CREATE TRIGGER clouds_list_truncated AFTER TRUNCATE ON clouds FOR EACH STATEMENT EXECUTE FUNCTION ganyun_clouds_changed();
CREATE TRIGGER cloud_latest_list_changed AFTER INSERT OR UPDATE OR DELETE ON cloud_latest FOR EACH ROW EXECUTE FUNCTION ganyun_clouds_changed();
CREATE TRIGGER cloud_latest_list_truncated AFTER TRUNCATE ON cloud_latest FOR EACH STATEMENT EXECUTE FUNCTION ganyun_clouds_changed();
CREATE TRIGGER cloud_inventory_counts_list_changed AFTER INSERT OR UPDATE OR DELETE ON cloud_inventory_counts FOR EACH ROW EXECUTE FUNCTION ganyun_clouds_changed();
CREATE TRIGGER cloud_inventory_counts_list_truncated AFTER TRUNCATE ON cloud_inventory_counts FOR EACH STATEMENT EXECUTE FUNCTION ganyun_clouds_changed();
CREATE TRIGGER divisions_list_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON divisions FOR EACH STATEMENT EXECUTE FUNCTION ganyun_clouds_changed();
