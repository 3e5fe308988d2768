-- workflows.list pages by (created_at, id) newest first with a cursor (issue 15.3): one index per filter the
-- list offers (none, status, kind, the caller's department), each in the page's order, so a page of 50 reads
-- 50 rows whatever the table holds instead of sorting every match.
CREATE INDEX workflows_list_idx ON workflows(created_at DESC, id DESC);
CREATE INDEX workflows_status_list_idx ON workflows(status, created_at DESC, id DESC);
CREATE INDEX workflows_kind_list_idx ON workflows(kind, created_at DESC, id DESC);
CREATE INDEX workflows_department_list_idx ON workflows(department_id, created_at DESC, id DESC);
