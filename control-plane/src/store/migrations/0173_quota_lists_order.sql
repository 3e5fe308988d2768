-- quotas.reservations and quotas.changes page newest first by (created_at, id) with a cursor (issue 15.3 / 18.7):
-- an index per filter in the page's order, so a page reads about a page of rows however many there are.
-- Reservations under a node join quota_nodes by path: a province-wide page walks the unfiltered or state index
-- and stops at the page; a system's page walks its own.
CREATE INDEX quota_reservations_list_idx ON quota_reservations(created_at DESC, id DESC);
CREATE INDEX quota_reservations_state_list_idx ON quota_reservations(state, created_at DESC, id DESC);
CREATE INDEX quota_reservations_node_list_idx ON quota_reservations(system_node_id, created_at DESC, id DESC);
CREATE INDEX quota_change_requests_list_idx ON quota_change_requests(created_at DESC, id DESC);
CREATE INDEX quota_change_requests_status_list_idx ON quota_change_requests(status, created_at DESC, id DESC);
CREATE INDEX quota_change_requests_node_list_idx ON quota_change_requests(node_id, created_at DESC, id DESC);
