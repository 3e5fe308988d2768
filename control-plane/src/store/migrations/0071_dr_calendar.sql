-- Drill calendar (issue 11.7): who drills which plan of which protection group in which window, the DR-site
-- capacity held through the quota service for the window, and what became of it (started run, missed, cancelled).
CREATE TABLE dr_calendar (
  id             uuid PRIMARY KEY,
  group_id       uuid NOT NULL REFERENCES dr_protection_groups(id) ON DELETE CASCADE,
  department_id  uuid NOT NULL,
  plan_id        uuid NOT NULL REFERENCES dr_plans(id) ON DELETE CASCADE,
  target_centre  text NOT NULL,
  window_start   timestamptz NOT NULL,
  window_end     timestamptz NOT NULL,
  owner_id       uuid NOT NULL,
  owner          text NOT NULL,
  note           text NOT NULL DEFAULT '',
  capacity       jsonb NOT NULL DEFAULT '{}',
  reservation_id uuid,
  status         text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'started', 'missed', 'cancelled')),
  reason         text NOT NULL DEFAULT '',
  run_id         uuid REFERENCES dr_runs(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (window_end > window_start)
);
CREATE INDEX dr_calendar_due ON dr_calendar(window_start) WHERE status = 'scheduled';
CREATE INDEX dr_calendar_group ON dr_calendar(group_id, window_start);
CREATE INDEX dr_calendar_department ON dr_calendar(department_id, window_start);
