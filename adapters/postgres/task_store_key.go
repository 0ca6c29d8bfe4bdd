package postgres

import (
	"context"

	"taskrunner/domain"
)

// GetByIdempotencyKey returns the task holding key (one lookup on the unique index), or an
// error matching domain.ErrNotFound.
func (s *TaskStore) GetByIdempotencyKey(ctx context.Context, key string) (domain.Task, error) {
	if key == "" {
		return domain.Task{}, domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return scanTask(s.db.pool.QueryRow(ctx, selectTaskByKey, key))
}
