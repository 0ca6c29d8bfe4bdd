-- Retention (TASK_RETENTION_DAYS) deletes finished tasks older than a cutoff, oldest first,
-- a few hundred per statement, with their artifacts and runs, then frees blobs no artifact
-- references any more. Each of its questions gets an index, so that a batch touches only
-- the rows it deletes and never scans a table while submits write to it.

-- Finished tasks by when they finished. Partial: only final rows enter it, so creating a
-- task and starting it (the hot path) write no entry; the finishing write pays one.
CREATE INDEX IF NOT EXISTS tasks_finished_at_idx ON tasks (finished_at, id)
    WHERE status IN ('succeeded', 'failed', 'cancelled');

-- A deleted task's runs. Runs recorded outside a task (task_id NULL) are never asked for.
CREATE INDEX IF NOT EXISTS runs_task_id_idx ON runs (task_id) WHERE task_id IS NOT NULL;

-- "Does any artifact still reference these bytes?", asked before a blob is deleted.
CREATE INDEX IF NOT EXISTS artifacts_sha256_idx ON artifacts (sha256);

-- Blobs that may have lost their last artifact: written in the same statement that
-- deletes the artifacts, so a crash between that commit and the blob's deletion leaves a
-- note to finish from instead of an unreferenced blob nobody can find. A note is only a
-- candidate: the blob is deleted only if, under the blob's lock, no artifact references
-- it (see adapters/postgres/retention_store.go).
CREATE TABLE IF NOT EXISTS blob_orphans (
    sha256   text        PRIMARY KEY,
    noted_at timestamptz NOT NULL DEFAULT now()
);
