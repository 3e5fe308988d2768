-- requests.queue pages the pending requests waiting on the caller newest first by (submitted_at, id) with a
-- cursor (issue 15.3 / 18.7): this partial index holds only pending requests in that order, so a page walks
-- the pending ones (each checked against its active step) instead of every request ever submitted.
CREATE INDEX resource_requests_pending_page_idx ON resource_requests(submitted_at DESC, id DESC) WHERE status = 'pending';
