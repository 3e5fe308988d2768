-- Issue 19.4: records are chained with HMAC-SM3 under a key outside the database. Records written before
-- the key existed keep their unkeyed SM3 link and say so; verify accepts them only at the start of the chain.
ALTER TABLE audit_log ADD COLUMN keyed boolean NOT NULL DEFAULT false;
