DROP INDEX IF EXISTS tasks_schedule_id_idx;
ALTER TABLE tasks DROP COLUMN IF EXISTS schedule_id;
DROP TABLE IF EXISTS schedules;
