-- The reconciler pages through stale tasks by keyset on (updated_at, id):
--   WHERE status = $1 AND updated_at < $2 AND (updated_at, id) > ($3, $4)
--   ORDER BY updated_at, id LIMIT $5
-- With id in the index that is one index range scan; (status, updated_at) alone needs a
-- sort of every tie and a filter. The old index is a prefix of the new one, so it goes.
CREATE INDEX IF NOT EXISTS tasks_status_updated_at_id_idx ON tasks (status, updated_at, id);
DROP INDEX IF EXISTS tasks_status_updated_at_idx;
