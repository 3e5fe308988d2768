-- Each row of migrations.candidates.list (and get) counts its move-together group (groupSize): without an index
-- on group_name that count read the whole candidates table once per row listed, so a page of 50 cost 50 scans
-- of the table (about 0.5 s at 50,000 candidates on PostgreSQL) even though the page itself is an index walk
-- (issue 15.3). Only grouped candidates are indexed: the count is asked of a group name, never of null.
CREATE INDEX migration_candidates_group_idx ON migration_candidates(group_name) WHERE group_name IS NOT NULL;
