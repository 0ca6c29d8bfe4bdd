DROP INDEX IF EXISTS tasks_scheduled_run_at_idx;
DROP INDEX IF EXISTS tasks_parent_id_id_idx;
ALTER TABLE tasks DROP COLUMN IF EXISTS parent_id;
ALTER TABLE tasks DROP COLUMN IF EXISTS priority;
ALTER TABLE tasks DROP COLUMN IF EXISTS run_at;
-- A scheduled task has no state before this migration: it is due work, so queued.
UPDATE tasks SET status = 'queued' WHERE status = 'scheduled';
ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_status_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
