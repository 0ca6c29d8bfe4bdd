-- Periodic schedules (API.md "Scheduling and lifecycle"). The scheduler claims a due row
-- with SELECT ... FOR UPDATE SKIP LOCKED, so one process fires each due time however many
-- run; next_run_at is NULL while a schedule is disabled.
CREATE TABLE IF NOT EXISTS schedules (
    id           uuid PRIMARY KEY,
    name         text        NOT NULL,
    cron         text        NOT NULL,
    timezone     text        NOT NULL,
    task         jsonb       NOT NULL,
    enabled      boolean     NOT NULL,
    overlap      text        NOT NULL CHECK (overlap IN ('allow', 'skip')),
    next_run_at  timestamptz,
    last_run_at  timestamptz,
    last_task_id uuid,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

-- The scheduler's two questions, "which is due now" and "when is the next one", read only
-- enabled rows in next_run_at order.
CREATE INDEX IF NOT EXISTS schedules_next_run_at_idx ON schedules (next_run_at) WHERE enabled;

-- The tasks a schedule fired. No foreign key: a deleted schedule leaves its tasks as they
-- were, and most tasks have no schedule, so the index keeps only those that do.
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS schedule_id uuid;
CREATE INDEX IF NOT EXISTS tasks_schedule_id_idx ON tasks (schedule_id, id) WHERE schedule_id IS NOT NULL;
