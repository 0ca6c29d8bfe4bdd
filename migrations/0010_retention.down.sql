DROP TABLE IF EXISTS blob_orphans;
DROP INDEX IF EXISTS artifacts_sha256_idx;
DROP INDEX IF EXISTS runs_task_id_idx;
DROP INDEX IF EXISTS tasks_finished_at_idx;
