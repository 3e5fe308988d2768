-- A duplicate submit is a conflict (issue 17.4): a request remembers a hash of what it asks for (system, cloud,
-- quota items, resources, title and reason, normalized), and a department has at most one open request (pending,
-- approved, provisioning) per hash. The service looks first and answers 409 request.duplicate naming the open
-- request; this index is the guarantee when two submits race. Change requests and older rows have no hash.
ALTER TABLE resource_requests ADD COLUMN ask_hash text;
CREATE UNIQUE INDEX resource_requests_open_ask_uq ON resource_requests(department_id, ask_hash)
  WHERE ask_hash IS NOT NULL AND status IN ('pending', 'approved', 'provisioning');
