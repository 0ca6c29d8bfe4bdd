DROP INDEX IF EXISTS tasks_scheduled_run_at_idx;
DROP INDEX IF EXISTS tasks_parent_id_id_idx;
ALTER TABLE tasks DROP COLUMN IF EXISTS parent_id;
ALTER TABLE tasks DROP COLUMN IF EXISTS priority;
ALTER TABLE tasks DROP COLUMN IF EXISTS run_at;
