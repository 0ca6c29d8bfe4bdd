-- Every transition changes status and updated_at, both indexed, so no task update is HOT:
-- each of the three writes of a task (created, started, finished) adds an entry to every
-- index whose predicate the new row version satisfies. Two indexes only ever answer for a
-- minority of rows, so they keep only those rows:

-- idempotency_key: most tasks have none, and a NULL never collides nor is looked up. The
-- partial unique index is what ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT
-- NULL infers; lookups by "idempotency_key = $1" or "= ANY($1)" imply the predicate.
CREATE UNIQUE INDEX IF NOT EXISTS tasks_idempotency_key_idx ON tasks (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_idempotency_key_key;

-- The reconciler's keyset walk (migration 0004) only asks for unfinished tasks: finished
-- ones, nearly all rows, drop out of the index when they finish, so the finishing write
-- skips it and the index stays the size of the backlog. Negated, the predicate also
-- covers any unfinished status added later. ListStale passes its status as a parameter;
-- the plan for a given status proves the predicate (a generic plan, which cannot, would
-- cost a sequential scan, so PostgreSQL's plan cache keeps choosing the custom plan).
CREATE INDEX IF NOT EXISTS tasks_unfinished_status_updated_at_id_idx ON tasks (status, updated_at, id)
    WHERE status NOT IN ('succeeded', 'failed', 'cancelled');
DROP INDEX IF EXISTS tasks_status_updated_at_id_idx;
