-- run_at: when a deferred task (or a retry) is due; NULL for a task never deferred.
-- priority: 1 (highest) .. 4; rows from before this migration are of the default, 2.
-- parent_id: the task that spawned this one; NULL for none.
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS run_at timestamptz NULL;
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS priority smallint NOT NULL DEFAULT 2;
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS parent_id uuid NULL;

-- The status `scheduled` joins the others: a deferred task, or a retry, until it is due.
ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_status_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('scheduled', 'queued', 'running', 'succeeded', 'failed', 'cancelled'));

-- Listing a parent's children (GET /tasks?parent_id=), newest first. Most tasks have no
-- parent, and their rows stay out of the index.
CREATE INDEX IF NOT EXISTS tasks_parent_id_id_idx ON tasks (parent_id, id)
    WHERE parent_id IS NOT NULL;

-- The due promoter's question, every second in every worker process: scheduled tasks
-- whose run_at has passed, earliest first. Only scheduled rows are in the index, so with
-- nothing due it is one probe of a small index.
CREATE INDEX IF NOT EXISTS tasks_scheduled_run_at_idx ON tasks (run_at)
    WHERE status = 'scheduled';
