-- migrations.waves.list reads one plan's waves by window (issue 15.3): without an index on plan_id it read every
-- wave of every plan. This one serves the plan filter in the list's order (window, newest first).
CREATE INDEX migration_waves_plan_idx ON migration_waves(plan_id, window_index, created_at DESC);
