package postgres

import (
	"context"
	"errors"
	"fmt"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.CallbackOutbox = (*TaskStore)(nil)

// maxClaimCallbacks caps one claim whatever a caller asks.
const maxClaimCallbacks = 500

var (
	// claimCallbacks takes the due callbacks in one statement: the due CTE walks
	// tasks_callback_due_idx (callback_next_at <= $1 implies its predicate) and locks what it
	// picks, skipping rows another claim holds, so concurrent deliverers split the work
	// instead of queueing on each other; the UPDATE counts the attempt and moves the due
	// time to the lease's end, so the rows leave the due range for every later claim. The
	// status test is belt and braces: only a final task's callback is ever due.
	claimCallbacks = `WITH due AS (
    SELECT id, callback_next_at AS due_at FROM tasks
    WHERE callback_next_at <= $1 AND callback_status = 'pending'
      AND status IN ('succeeded', 'failed', 'cancelled')
    ORDER BY callback_next_at, id
    LIMIT $3
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE tasks SET callback_attempts = callback_attempts + 1, callback_next_at = $2
    FROM due WHERE tasks.id = due.id
    RETURNING due.due_at, ` + qualified("tasks", taskColumns) + `
)
SELECT ` + columnList(taskColumns) + ` FROM claimed ORDER BY due_at, id`
	// recordCallback writes one attempt's outcome if that attempt still holds the delivery.
	recordCallback = `UPDATE tasks SET callback_status = $3, callback_last_error = $4, callback_next_at = $5
WHERE id = $1 AND callback_attempts = $2 AND callback_status = 'pending'
RETURNING ` + columnList(taskColumns)
	existsTask = `SELECT EXISTS (SELECT 1 FROM tasks WHERE id = $1)`
)

// ClaimDueCallbacks claims up to c.Limit due callbacks (ports.CallbackOutbox).
func (s *TaskStore) ClaimDueCallbacks(ctx context.Context, c domain.CallbackClaim) ([]domain.Task, error) {
	limit := min(max(c.Limit, 1), maxClaimCallbacks)
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return s.queryTasks(ctx, claimCallbacks, c.Now, c.LeaseUntil, limit)
}

// RecordCallback stores one attempt's outcome (ports.CallbackOutbox).
func (s *TaskStore) RecordCallback(ctx context.Context, r domain.CallbackRecord) (domain.Task, error) {
	if !domain.ValidID(r.TaskID) {
		return domain.Task{}, domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	t, err := scanTask(s.db.pool.QueryRow(ctx, recordCallback, r.TaskID, r.Attempt,
		string(r.Result.Status), domain.StorableText(r.Result.LastError), r.Result.NextAt))
	if !errors.Is(err, domain.ErrNotFound) {
		return t, err
	}
	var exists bool
	if err := s.db.pool.QueryRow(ctx, existsTask, r.TaskID).Scan(&exists); err != nil {
		return domain.Task{}, translate(err)
	}
	if !exists {
		return domain.Task{}, domain.ErrNotFound
	}
	return domain.Task{}, fmt.Errorf("postgres: callback of task %s: attempt %d no longer holds the delivery: %w",
		r.TaskID, r.Attempt, domain.ErrConflict)
}
