-- A step whose action undoes an unfinished run (Action.undoesUnfinished): when it fails for good, or waits for a
-- retry while the workflow unwinds, it may have left effects (a cloud object, IPAM rows), so the unwind
-- compensates it instead of counting it failed or skipped (delivery crash sweep, seed 13).
ALTER TABLE workflow_steps ADD COLUMN undo_unfinished boolean NOT NULL DEFAULT false;
-- Undo calls the cloud's own circuit refused (no attempt spent, up to a bound: engine/runner.ts MAX_REFUSALS).
ALTER TABLE workflow_steps ADD COLUMN undo_refusals integer NOT NULL DEFAULT 0;
