DROP INDEX IF EXISTS tasks_callback_due_idx;
ALTER TABLE tasks
    DROP COLUMN IF EXISTS callback_next_at,
    DROP COLUMN IF EXISTS callback_last_error,
    DROP COLUMN IF EXISTS callback_attempts,
    DROP COLUMN IF EXISTS callback_status,
    DROP COLUMN IF EXISTS callback_url;
