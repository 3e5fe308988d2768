-- Resources with an end date (到期, issue 16.4): a notice before it, then release unless renewed. The sweep records
-- when it gave the notice, so a release always follows a notice by at least the minimum notice period.
ALTER TABLE resources ADD COLUMN expiry_noticed_at timestamptz;
CREATE INDEX resources_expiry_idx ON resources(expires_at) WHERE state = 'active' AND expires_at IS NOT NULL;
