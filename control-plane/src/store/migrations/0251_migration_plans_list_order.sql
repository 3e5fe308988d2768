-- migrations.plans.list pages newest plan first by (created_at, id) with a cursor (issue 15.3 / 18.7); the
-- index is walked backwards, so a page reads about `limit` plans (a department's list checks each plan's
-- members on their primary key as it goes).
CREATE INDEX migration_plans_list_idx ON migration_plans(created_at, id);
