CREATE INDEX IF NOT EXISTS tasks_status_updated_at_idx ON tasks (status, updated_at);
DROP INDEX IF EXISTS tasks_status_updated_at_id_idx;
