package postgres

import (
	"context"
	"fmt"

	"taskrunner/domain"
)

// deleteTask is deleteFinished for one task, whenever it finished: the same statement
// shape, so a task goes with its runs and artifacts and its blobs are noted in one
// implicit transaction. The row lock waits for a write under way to the task (a finish
// commits first, and then the task is final and goes).
const deleteTask = `
WITH doomed AS (
    SELECT id FROM tasks
    WHERE id = $1 AND status IN ('succeeded', 'failed', 'cancelled')
    FOR UPDATE
), gone_runs AS (
    DELETE FROM runs WHERE task_id IN (SELECT id FROM doomed) RETURNING 1
), gone_artifacts AS (
    DELETE FROM artifacts WHERE task_id IN (SELECT id FROM doomed) RETURNING sha256
), noted AS (
    INSERT INTO blob_orphans (sha256)
    SELECT DISTINCT sha256 FROM gone_artifacts ORDER BY sha256
    ON CONFLICT (sha256) DO NOTHING
), gone_tasks AS (
    DELETE FROM tasks WHERE id IN (SELECT id FROM doomed) RETURNING 1
)
SELECT (SELECT count(*) FROM gone_tasks), (SELECT count(*) FROM gone_artifacts), (SELECT count(*) FROM gone_runs),
    coalesce((SELECT array_agg(DISTINCT sha256 ORDER BY sha256) FROM gone_artifacts), '{}')`

// taskStatus reads a task's status: why deleteTask deleted nothing.
const taskStatus = `SELECT status FROM tasks WHERE id = $1`

// DeleteTask implements ports.RetentionStore. A task that finished between the delete and
// the status read is tried once more.
func (s *RetentionStore) DeleteTask(ctx context.Context, id string) (domain.TaskDeletion, error) {
	if !domain.ValidID(id) {
		return domain.TaskDeletion{}, fmt.Errorf("postgres: task %q: %w", id, domain.ErrNotFound)
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	for try := 0; ; try++ {
		var tasks, artifacts, runs int64
		var orphans []string
		if err := s.db.pool.QueryRow(ctx, deleteTask, id).Scan(&tasks, &artifacts, &runs, &orphans); err != nil {
			return domain.TaskDeletion{}, translate(err)
		}
		if tasks > 0 {
			return domain.TaskDeletion{Artifacts: int(artifacts), Runs: int(runs), Orphans: orphans}, nil
		}
		var status string
		if err := s.db.pool.QueryRow(ctx, taskStatus, id).Scan(&status); err != nil {
			return domain.TaskDeletion{}, translate(err) // no row: not found
		}
		t := domain.Task{ID: id, Status: domain.Status(status)}
		if err := t.Deletable(); err != nil {
			return domain.TaskDeletion{}, err
		}
		if try > 0 {
			return domain.TaskDeletion{}, fmt.Errorf("postgres: task %s was not deleted: %w", id, domain.ErrConflict)
		}
	}
}
