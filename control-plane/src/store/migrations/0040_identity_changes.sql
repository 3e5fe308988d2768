-- Every replica caches who is behind a token and which departments they see (auth/caller-cache.ts). A change
-- to tokens (revoked, expired early, deleted), users (roles, department, disabled, names) or the department
-- tree notifies channel ganyun_identity on commit, whoever made it (an API call on any replica, a script, psql);
-- each replica listens (auth/identity-feed.ts) and clears its cache. Statement-level: a bulk revocation is one
-- notification, and the once-a-minute last_used_at touch is not a change of identity.
-- (One line: migrate.ts splits statements at semicolons that end a line.)
CREATE FUNCTION ganyun_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('ganyun_identity', TG_TABLE_NAME); RETURN NULL; END $$;

CREATE TRIGGER tokens_identity_changed AFTER UPDATE OF revoked_at, expires_at, user_id OR DELETE ON tokens
  FOR EACH STATEMENT EXECUTE FUNCTION ganyun_identity_changed();
CREATE TRIGGER users_identity_changed
  AFTER UPDATE OF username, display_name, roles, department_id, disabled, must_change_password OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION ganyun_identity_changed();
CREATE TRIGGER departments_identity_changed AFTER INSERT OR UPDATE OF parent_id, name OR DELETE ON departments
  FOR EACH STATEMENT EXECUTE FUNCTION ganyun_identity_changed();
