-- dr.runs.list pages newest first by (started_at, id) (store/keyset.ts): the index walks one page, with or without
-- a group (dr_runs_group keeps serving the per-group list's filter).
CREATE INDEX dr_runs_list_order ON dr_runs(started_at DESC, id DESC);
