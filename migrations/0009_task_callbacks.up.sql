-- The webhook outbox lives in the task's own row: the write that makes a task final also
-- makes its callback due (callback_next_at), so no crash can separate the two. Every
-- column is NULL for a task without callback_url, so those rows grow by five null bits
-- and ADD COLUMN rewrites nothing.
ALTER TABLE tasks
    ADD COLUMN IF NOT EXISTS callback_url        text,
    ADD COLUMN IF NOT EXISTS callback_status     text
        CHECK (callback_status IN ('pending', 'delivered', 'failed')),
    ADD COLUMN IF NOT EXISTS callback_attempts   integer CHECK (callback_attempts >= 0),
    ADD COLUMN IF NOT EXISTS callback_last_error text,
    ADD COLUMN IF NOT EXISTS callback_next_at    timestamptz;

-- The deliverers' claim: due callbacks, oldest first. callback_next_at is set only while a
-- delivery is owed (a final task, pending callback), so the index holds the outbox and
-- nothing else: tasks without callbacks, and delivered or failed ones, never enter it.
CREATE INDEX IF NOT EXISTS tasks_callback_due_idx ON tasks (callback_next_at)
    WHERE callback_next_at IS NOT NULL;
