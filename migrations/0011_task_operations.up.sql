-- What an operator asks about a task, kept in the task's own row so that the writes the
-- hot path already makes carry it (no extra statement, no extra round trip):
-- retry_of:     the task this one was submitted again from (POST /tasks/{id}/retry).
-- attempt_log:  every start of the task (a JSON array of at most a few dozen small
--               objects, domain.MaxAttemptLog): appended by the start, closed by the
--               transition that ends the attempt. NULL for a task never started.
-- heartbeat_at: when the running attempt last showed it was alive; written by the
--               worker's batched beat, every few seconds, only for tasks running longer.
-- progress:     what the running handler last reported ({"done", "total", "message"}).
-- All NULL by default, so ADD COLUMN rewrites nothing.
ALTER TABLE tasks
    ADD COLUMN IF NOT EXISTS retry_of     uuid,
    ADD COLUMN IF NOT EXISTS attempt_log  jsonb,
    ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz,
    ADD COLUMN IF NOT EXISTS progress     jsonb;
