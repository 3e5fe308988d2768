-- Changes to delivered resources (issue 16.4): a resize or a release is a request like any other (same approval
-- chains, same quota service), naming the resource it changes and what it becomes.

-- 'new': creates resources (or moves quota only); 'change': resizes or releases one live resource.
ALTER TABLE resource_requests ADD COLUMN kind text NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'change'));
-- {resourceId, action: resize|release, before: {spec, quota}, after: {spec, quota} | null, grow: quota, shrink: quota}
ALTER TABLE resource_requests ADD COLUMN change jsonb;
ALTER TABLE resource_requests ADD COLUMN target_resource_id uuid REFERENCES resources(id) ON DELETE RESTRICT;
-- At most one open change per resource: a second one waits until the first is decided and done.
CREATE UNIQUE INDEX resource_requests_open_change_uq ON resource_requests(target_resource_id)
  WHERE kind = 'change' AND status IN ('pending', 'approved', 'provisioning');

-- Committed quota given back when a resource shrinks or is released (QuotaService.returnCommitted): a ledger kind
-- of its own, and its idempotency key in `detail`, looked up when a step runs again.
ALTER TABLE quota_ledger DROP CONSTRAINT quota_ledger_kind_check;
ALTER TABLE quota_ledger ADD CONSTRAINT quota_ledger_kind_check CHECK (kind IN ('reserve', 'commit', 'release', 'expire', 'limit', 'return'));
CREATE INDEX quota_ledger_return_key_idx ON quota_ledger ((detail->>'returnKey')) WHERE kind = 'return';

-- The resources list pages newest first by (created_at, id), per department or province-wide.
CREATE INDEX resources_department_page_idx ON resources(department_id, created_at DESC, id DESC);
CREATE INDEX resources_page_idx ON resources(created_at DESC, id DESC);
