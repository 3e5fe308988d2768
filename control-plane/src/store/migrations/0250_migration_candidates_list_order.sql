-- migrations.candidates.list pages by (system name, id) with a cursor (issue 15.3 / 18.7). The name lives in
-- business_systems, and an index cannot span a join: it was sorted by department and system name over every
-- candidate in scope on each call. The candidate now carries its system's name, kept by the database itself
-- (set when a candidate is written, followed when a system is renamed, whoever writes), and one index per way
-- the list is filtered (none, a department, a state) walks (…, system_name, id) in order, so a page of 50 reads
-- about 50 index entries however many candidates there are.
-- (Function bodies keep their semicolons off line ends: migrate.ts splits statements at those.)
ALTER TABLE migration_candidates ADD COLUMN system_name text;
UPDATE migration_candidates c SET system_name = s.name FROM business_systems s WHERE s.id = c.system_id;
ALTER TABLE migration_candidates ALTER COLUMN system_name SET NOT NULL;

CREATE FUNCTION ganyun_candidate_system_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.system_name := (SELECT name FROM business_systems WHERE id = NEW.system_id); RETURN NEW; END $$;
CREATE TRIGGER migration_candidates_system_name BEFORE INSERT OR UPDATE OF system_id, system_name ON migration_candidates
  FOR EACH ROW EXECUTE FUNCTION ganyun_candidate_system_name();

CREATE FUNCTION ganyun_candidate_system_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE migration_candidates SET system_name = NEW.name WHERE system_id = NEW.id; RETURN NULL; END $$;
CREATE TRIGGER business_systems_candidate_name AFTER UPDATE OF name ON business_systems
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION ganyun_candidate_system_renamed();

CREATE INDEX migration_candidates_list_idx ON migration_candidates(system_name, id);
CREATE INDEX migration_candidates_department_list_idx ON migration_candidates(department_id, system_name, id);
CREATE INDEX migration_candidates_state_list_idx ON migration_candidates(state, system_name, id);
DROP INDEX migration_candidates_department_idx;
