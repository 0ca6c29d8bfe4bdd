CREATE INDEX IF NOT EXISTS tasks_status_updated_at_id_idx ON tasks (status, updated_at, id);
DROP INDEX IF EXISTS tasks_unfinished_status_updated_at_id_idx;

ALTER TABLE tasks ADD CONSTRAINT tasks_idempotency_key_key UNIQUE (idempotency_key);
DROP INDEX IF EXISTS tasks_idempotency_key_idx;
