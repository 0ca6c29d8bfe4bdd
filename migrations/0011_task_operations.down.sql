ALTER TABLE tasks
    DROP COLUMN IF EXISTS progress,
    DROP COLUMN IF EXISTS heartbeat_at,
    DROP COLUMN IF EXISTS attempt_log,
    DROP COLUMN IF EXISTS retry_of;
