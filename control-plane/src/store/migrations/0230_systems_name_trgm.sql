-- The system picker (issue 18.5) searches systems.list by any part of the name (`name ILIKE '%…%'`). The btree
-- indexes of 0170 only serve a page walked in name order, reading on until enough rows match: cheap when the
-- text is common, a walk of the whole table when it is rare ("公积金" among 100,000 systems). A trigram index
-- answers the rare case directly; the planner picks between the two by the estimated match count. pg_trgm ships
-- with PostgreSQL and PGlite (contrib/pg_trgm, loaded in pglite-store.ts) and makes trigrams of Chinese text too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX business_systems_name_trgm_idx ON business_systems USING gin (name gin_trgm_ops);
