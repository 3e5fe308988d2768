-- requests.list pages newest first by (submitted_at, id) with a keyset cursor: these indexes let a page of 50
-- out of 100,000 read 51 index entries, for one department and province-wide alike.
CREATE INDEX resource_requests_department_page_idx ON resource_requests(department_id, submitted_at DESC, id DESC);
CREATE INDEX resource_requests_page_idx ON resource_requests(submitted_at DESC, id DESC);
DROP INDEX resource_requests_department_idx;
